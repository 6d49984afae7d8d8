//! Everything shared by the server and the browser: types, validation, components, pages and
//! server functions. Server-only code sits behind the `ssr` feature and never reaches the wasm.
#![recursion_limit = "512"]

pub mod accounts;
pub mod admin;
pub mod editions;
pub mod error;
pub mod events;
pub mod forms;
pub mod fr;
pub mod labs;
pub mod layout;
pub mod moderation;
pub mod my_programme;
pub mod organizer;
pub mod pages;
pub mod programme;
pub mod reference;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The site's name, as shown in the header and page titles.
pub const SITE_NAME: &str = "Mois de l'innovation publique";

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
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: layout around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/mip.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta
            name="description"
            content="Le programme du Mois de l'innovation publique : les événements des administrations partout en France, en ligne et outre-mer."
        />
        <Title formatter=|page: String| {
            if page.is_empty() { SITE_NAME.to_string() } else { format!("{page} – {SITE_NAME}") }
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
                    <Route path=path!("/inscription") view=accounts::pages::SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/confirmation") view=accounts::pages::ConfirmEmailPage />
                    <Route path=path!("/mot-de-passe-oublie") view=accounts::pages::ForgotPasswordPage />
                    <Route path=path!("/mot-de-passe/nouveau") view=accounts::pages::ResetPasswordPage />
                    <Route path=path!("/compte") view=accounts::pages::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/organisateur") view=organizer::pages::DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/moderation") view=moderation::pages::QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=admin::pages::EditionsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/vocabulaires") view=admin::pages::VocabulariesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/comptes") view=admin::pages::AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/import") view=admin::pages::ImportPage />
                    <Route path=path!("/admin/labs") view=admin::pages::LabsAdminPage ssr=SsrMode::Async />
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
                </Routes>
            </main>
            <layout::Footer />
        </Router>
    }
}
