//! Everything shared by the server and the browser: types, validation, components, pages and
//! server functions. Server-only code sits behind the `ssr` feature and never reaches the wasm.
#![recursion_limit = "512"]

pub mod accounts;
pub mod admin;
pub mod audience;
pub mod checks;
#[cfg(feature = "hydrate")]
pub mod dom;
pub mod editions;
pub mod error;
pub mod events;
pub mod forms;
pub mod fr;
pub mod html;
pub mod iso;
pub mod labs;
pub mod layout;
pub mod moderation;
pub mod my_programme;
pub mod organizer;
pub mod pages;
pub mod programme;
pub mod reference;
pub mod save_button;
#[cfg(feature = "ssr")]
pub mod server_fn;
#[cfg(feature = "ssr")]
pub mod state;
pub mod time;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The site's name, as shown in the header and page titles.
pub const SITE_NAME: &str = "Mois de l'innovation publique";

/// Named by the browser's entry point so that this crate, whose islands it exports, is linked.
pub const ISLANDS_LINKED: () = ();

/// The HTML document rendered by the server around the application.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="fr" data-fr-scheme="light">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="format-detection" content="telephone=no,date=no,address=no,email=no" />
                <meta name="theme-color" content="#000091" />
                <AutoReload options=options.clone() />
                // The faces of the first screen, fetched with the stylesheet: the DSFR's fonts
                // are `font-display: optional` (no layout shift), so a face that arrives late
                // is not used on that page.
                <link rel="preload" href="/fonts/Marianne-Regular.woff2" r#as="font" r#type="font/woff2" crossorigin="" />
                <link rel="preload" href="/fonts/Marianne-Medium.woff2" r#as="font" r#type="font/woff2" crossorigin="" />
                <link rel="preload" href="/fonts/Marianne-Bold.woff2" r#as="font" r#type="font/woff2" crossorigin="" />
                // The stylesheet's name carries its hash in release builds (cached for a year).
                <HashedStylesheet options=options.clone() id="leptos" />
                // The wasm is fetched once the page has loaded, and run when the browser is idle,
                // so that on a phone and a slow network it does not delay the first render;
                // until then the server-rendered page works on its own (links, GET forms).
                <DeferredHydration options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The script that hydrates the page's islands, started after the `load` event (then on the
/// first idle moment), without preloading the wasm.
///
/// The app is built in Leptos' islands mode: the server renders whole pages, and only the
/// `#[island]` components (`<leptos-island data-component=… data-props=…>` in the HTML) are
/// hydrated, each by the wasm function its `data-component` names. Leptos' own
/// `<HydrationScripts islands>` preloads the wasm from the `<head>`: on a slow network it then
/// shares the link with the stylesheet and the fonts that the first render needs. Here nothing
/// of the app's code is requested before the page is drawn, and a page without an island
/// (most of the organizer's, moderation's and administration's pages, which are plain forms)
/// does not load the wasm at all, unless it has a save button (`save_button::SaveButton`,
/// which the wasm's `hydrate` fills in without being an island).
///
/// Islands are not nested in the HTML (an island inside an island is hydrated with it and has
/// no element of its own), so the walk stops at each island. `window.__mipHydrated` is the
/// marker the end-to-end tests and benchmarks wait for.
#[component]
fn DeferredHydration(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = pkg_file_names(&options);
    let pkg = &options.site_pkg_dir;
    let script = format!(
        "(function(js,wasm){{\
         const islands=[];\
         const walk=n=>{{for(const e of n.children){{if(e.localName===\"leptos-island\")islands.push(e);else walk(e);}}}};\
         const done=()=>{{window.__mipHydrated=true;}};\
         const hydrate=()=>{{walk(document.body);if(!islands.length&&!document.querySelector(\"[{slot}]\"))return done();\
         import(js).then(m=>m.default({{module_or_path:wasm}}).then(()=>m.hydrate()).then(async()=>{{\
         for(const e of islands){{const f=m[e.dataset.component];\
         if(f){{try{{await f(e);}}catch(x){{console.error(x);}}}}else console.warn(\"island?\",e.dataset.component);}}\
         done();}}));}};\
         const idle=()=>\"requestIdleCallback\" in window?requestIdleCallback(hydrate,{{timeout:2000}}):setTimeout(hydrate,0);\
         if(document.readyState===\"complete\")idle();else addEventListener(\"load\",idle,{{once:true}});\
         }})({:?},{:?});",
        format!("/{pkg}/{js}.js"),
        format!("/{pkg}/{wasm}.wasm"),
        slot = save_button::SLOT_ATTRIBUTE,
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The names (without extension) of the app's JavaScript and wasm in the site's `pkg`
/// directory: with the hashes of their content in release builds (`hash-files`), which
/// cargo-leptos writes next to the server's binary, as `<HydrationScripts>` reads them.
pub fn pkg_file_names(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = options.output_name.to_string();
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (file, hash) in hashes
            .lines()
            .filter_map(|line| line.trim().split_once(':'))
        {
            match file {
                "js" => js = format!("{js}.{}", hash.trim()),
                "wasm" => wasm = format!("{wasm}.{}", hash.trim()),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        wasm.push_str("_bg");
    }
    (js, wasm)
}

/// The application: layout around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        // leptos_meta writes the title into the server's HTML as it is: an organizer's event
        // title holding `</title><script>` would end the element. Escaped here, on the server
        // only (the browser sets `document.title` as text).
        <Title formatter=|page: String| {
            let title = if page.is_empty() {
                SITE_NAME.to_string()
            } else {
                format!("{page} – {SITE_NAME}")
            };
            #[cfg(feature = "ssr")]
            let title = html::Html::text(&title).into_string();
            title
        } />
        <Router>
            <layout::SkipLinks />
            <layout::Header />
            <main id="contenu" role="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    // Async: the whole page (status, title, data) is known before the first
                    // byte, so public pages are complete, cacheable documents.
                    <Route path=path!("/") view=pages::HomePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/programme")
                        view=programme::pages::ProgrammePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/evenements/:slug")
                        view=events::pages::EventPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/mon-programme") view=my_programme::MyProgrammePage />
                    <Route path=path!("/editions") view=editions::archive::ArchivePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/editions/:annee")
                        view=programme::pages::ProgrammePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/editions/:annee/bilan")
                        view=editions::report::ReportPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/labs") view=labs::pages::AtlasPage ssr=SsrMode::Async />
                    <Route path=path!("/labs/:slug") view=labs::pages::LabPage ssr=SsrMode::Async />
                    <Route path=path!("/accessibilite") view=pages::AccessibilityPage />
                    <Route path=path!("/connexion") view=accounts::pages::SignInPage />
                    <Route path=path!("/connexion/code") view=accounts::pages::SecondFactorPage ssr=SsrMode::Async />
                    <Route path=path!("/inscription") view=accounts::pages::SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/inscription/proconnect") view=accounts::proconnect::pages::CompleteProConnectPage ssr=SsrMode::Async />
                    <Route path=path!("/connexion/proconnect/lier") view=accounts::proconnect::pages::LinkProConnectPage ssr=SsrMode::Async />
                    <Route path=path!("/confirmation") view=accounts::pages::ConfirmEmailPage />
                    <Route path=path!("/mot-de-passe-oublie") view=accounts::pages::ForgotPasswordPage />
                    <Route path=path!("/mot-de-passe/nouveau") view=accounts::pages::ResetPasswordPage />
                    <Route path=path!("/compte") view=accounts::pages::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/organisateur") view=organizer::pages::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/moderation") view=moderation::pages::QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=admin::pages::EditionsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/vocabulaires") view=admin::pages::VocabulariesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/comptes") view=admin::pages::AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/import") view=admin::pages::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/labs") view=admin::pages::LabsAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/courriels") view=admin::mail_queue::MailQueuePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/moderation/evenements/:id")
                        view=moderation::pages::ReviewPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/organisateur/evenements/nouveau")
                        view=organizer::pages::EventFormPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/organisateur/evenements/:id")
                        view=organizer::pages::EventFormPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/organisateur/evenements/:id/audience")
                        view=audience::pages::EventAudiencePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <layout::Footer />
        </Router>
    }
}
