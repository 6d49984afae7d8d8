//! The frame of every page: skip links, the DSFR header with the main navigation, the footer.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::reference::Role;
use crate::SITE_NAME;

/// The main navigation: the public pages of PRODUCT.md.
const NAV: [(&str, &str); 5] = [
    ("/", "Accueil"),
    ("/programme", "Programme"),
    ("/mon-programme", "Mon programme"),
    ("/labs", "Atlas des labs"),
    ("/editions", "Éditions précédentes"),
];

/// Links of the header tools (organizers and the DITP team), for a visitor who is not signed
/// in: the same for everyone, so that public pages stay shareable from the page cache.
const TOOLS: [(&str, &str, &str); 2] = [
    (
        "/organisateur",
        "Espace organisateur",
        "fr-icon-calendar-event-line",
    ),
    ("/connexion", "Se connecter", "fr-icon-account-circle-line"),
];

/// The account link of a signed-in person: their own space, by role.
fn own_space(role: Role) -> &'static str {
    match role {
        Role::Organizer => "/organisateur",
        Role::Moderator => "/moderation",
        Role::Admin => "/admin",
    }
}

/// The header tools for a signed-in person's `role` (`None`: a visitor, [`TOOLS`]). A signed-in person gets
/// « Mon espace » to their own space instead of « Se connecter » (an organizer's space is
/// then that link: « Espace organisateur » is not repeated).
fn tools_for(role: Option<Role>) -> Vec<(&'static str, &'static str, &'static str)> {
    match role {
        None => TOOLS.to_vec(),
        Some(role) => {
            let mut tools = Vec::new();
            if role != Role::Organizer {
                tools.push(TOOLS[0]);
            }
            tools.push((own_space(role), "Mon espace", "fr-icon-account-circle-line"));
            tools
        }
    }
}

#[component]
pub fn SkipLinks() -> impl IntoView {
    view! {
        <div class="fr-skiplinks">
            <nav class="fr-container" role="navigation" aria-label="Accès rapide">
                <ul class="fr-skiplinks__list">
                    <li>
                        <a class="fr-link" href="#contenu">
                            "Contenu"
                        </a>
                    </li>
                    <li>
                        <a class="fr-link" href="#navigation-principale">
                            "Menu"
                        </a>
                    </li>
                    <li>
                        <a class="fr-link" href="#pied-de-page">
                            "Pied de page"
                        </a>
                    </li>
                </ul>
            </nav>
        </div>
    }
}

fn is_current(path: &str, href: &str) -> bool {
    if href == "/" {
        path == "/"
    } else {
        path == href || path.starts_with(&format!("{href}/"))
    }
}

fn tool_links(tools: Vec<(&'static str, &'static str, &'static str)>) -> impl IntoView {
    view! {
        <ul class="fr-btns-group">
            {tools
                .into_iter()
                .map(|(href, label, icon)| {
                    view! {
                        <li>
                            <a class=format!("fr-btn {icon}") href=href>
                                {label}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The header tools of this request's visitor: read from the session on the server (signed-in
/// pages are never kept by the page cache; a visitor's page reads `None`, the same for all).
/// Rendered on the server only (the header is no island): no script for it.
fn account_tools(role: Resource<Option<Role>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| tool_links(tools_for(None))>
            {move || Suspend::new(async move {
                tool_links(tools_for(role.await))
            })}
        </Suspense>
    }
}

/// The header. Below the DSFR's large breakpoint its navigation is a DSFR modal opened by
/// « Menu »: a native popover (`popover`, `popovertarget`), so it opens and closes before any
/// wasm has arrived and without JavaScript at all; Escape and « Fermer » close it and the
/// browser gives the focus back to « Menu » (see `.fr-header__menu[popover]` in
/// `style/_app.scss`). A browser without popovers (Safari before 17, Firefox before 125) gets
/// the same from a few lines of script (`POPOVER_FALLBACK`); without JavaScript either, the
/// same links stay in the footer.
/// The description of the pages that do not write their own.
const SITE_DESCRIPTION: &str = "Le programme du Mois de l'innovation publique : les événements des administrations partout en France, en ligne et outre-mer.";

/// The pages that write their own `<meta name="description">` (an event, a lab, the atlas,
/// an edition's report). The HTML check (`end2end/tests/html-valid.spec.ts`) finds a page
/// listed here without one, or one missing here with two.
fn has_own_description(path: &str) -> bool {
    path.starts_with("/evenements/")
        || path == "/labs"
        || path.starts_with("/labs/")
        || (path.starts_with("/editions/") && path.ends_with("/bilan"))
}

#[component]
pub fn Header() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    // One description per page (HTML allows one): the site's, unless the page writes its own.
    let description = (!has_own_description(&path)).then(|| {
        view! { <leptos_meta::Meta name="description" content=SITE_DESCRIPTION /> }
    });
    // Installable (`public/manifest.webmanifest`; icons made by `tools/icons.mjs`; the theme
    // colour is in the shell).
    let install = view! {
        <leptos_meta::Link rel="manifest" href="/manifest.webmanifest" />
        <leptos_meta::Link rel="apple-touch-icon" href="/pwa/apple-touch-icon.png" />
    };
    // Blocking: the header is written whole into the first bytes, even on streamed pages.
    // Only the role travels in the page's data, nothing about the person.
    let account = Resource::new_blocking(
        || (),
        |_| async {
            crate::accounts::server::signed_in_account()
                .await
                .ok()
                .flatten()
                .map(|account| account.role)
        },
    );
    view! {
        {description}
        {install}
        <script nonce=leptos::nonce::use_nonce()>{POPOVER_FALLBACK}</script>
        <script nonce=leptos::nonce::use_nonce()>{offline_copy_script()}</script>
        <header role="banner" class="fr-header">
            <div class="fr-header__body">
                <div class="fr-container">
                    <div class="fr-header__body-row">
                        <div class="fr-header__brand fr-enlarge-link">
                            <div class="fr-header__brand-top">
                                <div class="fr-header__logo">
                                    <p class="fr-logo">"République" <br /> "Française"</p>
                                </div>
                                <div class="fr-header__navbar">
                                    <button
                                        class="fr-btn--menu fr-btn"
                                        type="button"
                                        popovertarget=MENU_ID
                                        aria-haspopup="dialog"
                                        id=MENU_BUTTON_ID
                                        title="Menu"
                                    >
                                        // Its name for screen readers; the icon shows it (a
                                        // finger's 44 px box would otherwise show the word's
                                        // first letter beside the icon).
                                        <span class="fr-sr-only">"Menu"</span>
                                    </button>
                                </div>
                            </div>
                            <div class="fr-header__service">
                                <a href="/" title=format!("Accueil – {SITE_NAME}")>
                                    <p class="fr-header__service-title">{SITE_NAME}</p>
                                </a>
                                <p class="fr-header__service-tagline">
                                    "Le programme des événements de l'innovation publique"
                                </p>
                            </div>
                        </div>
                        <div class="fr-header__tools">
                            <div class="fr-header__tools-links">{account_tools(account)}</div>
                        </div>
                    </div>
                </div>
            </div>
            <div class="fr-header__menu fr-modal" id=MENU_ID popover="auto">
                <div class="fr-container">
                    <button
                        class="fr-btn--close fr-btn"
                        type="button"
                        popovertarget=MENU_ID
                        popovertargetaction="hide"
                        title="Fermer"
                    >
                        "Fermer"
                    </button>
                    <div class="fr-header__menu-links">{account_tools(account)}</div>
                    <nav
                        class="fr-nav"
                        id="navigation-principale"
                        role="navigation"
                        aria-label="Menu principal"
                    >
                        <ul class="fr-nav__list">
                            {NAV
                                .into_iter()
                                .map(|(href, label)| {
                                    let current = is_current(&path, href).then_some("page");
                                    view! {
                                        <li class="fr-nav__item">
                                            <a class="fr-nav__link" href=href aria-current=current>
                                                {label}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </nav>
                </div>
            </div>
        </header>
    }
}

/// Registers the service worker that keeps the offline copy (`server/src/sw.js`) once the page
/// has hydrated (or after 30 s), so that it never competes with the page's own loading. On the
/// first page (not served by the worker) it hands over the page's address and files to keep,
/// which the browser's HTTP cache holds by then. Every page hands over the pages of the events
/// saved in « Mon programme » (read from its `localStorage` entry, `__SAVED_KEY__` below), kept
/// if not yet, and « Mon programme » itself when something is saved; a click on a save button
/// (`.mip-save`), once the island has stored the change, asks for « Mon programme » again, page
/// and wasm (with the page's `pkg` files, wasm-split's loader among them). So « Mon programme »
/// and the saved events open offline, even if never opened online. When the browser comes
/// back online, the « Hors connexion » banner of a page served from the copy goes.
const OFFLINE_COPY: &str = r#"addEventListener("online",()=>{const b=document.getElementById("mip-hors-connexion");if(b)b.remove()});if("serviceWorker" in navigator){const first=!navigator.serviceWorker.controller;const files=()=>performance.getEntriesByType("resource").map(e=>e.name);const pkg=()=>files().filter(u=>u.includes("/pkg/"));const saved=()=>{try{return JSON.parse(localStorage.getItem("__SAVED_KEY__")||"[]").map(e=>"/evenements/"+encodeURIComponent(e.slug))}catch(e){return[]}};const post=m=>navigator.serviceWorker.ready.then(r=>r.active&&r.active.postMessage(m));let n=0;const t=setInterval(()=>{if(!window.__mipHydrated&&++n<60)return;clearInterval(t);navigator.serviceWorker.register("/sw.js").then(()=>{const s=saved();return post({keep:first?[location.href,...files()]:[],keepMissing:s,keepMyProgramme:s.length>0&&"missing"});}).catch(()=>{});},500);document.addEventListener("click",e=>{if(e.target.closest&&e.target.closest(".mip-save"))setTimeout(()=>post({keepMyProgramme:true,keep:pkg(),keepMissing:saved()}).catch(()=>{}),0);});}"#;

/// The organizer's offline work, with the service worker (see `server/src/sw.js`):
/// - `mipDrafts(message)`: a request to the drafts' queue, answered through a message port (a
///   promise; rejected when no worker controls the page), and `mipNewKey()`, a new event's key;
/// - the worker's news of the queue reach the page as a `mip-drafts` event (its `detail`);
/// - the queue is sent when the page loads, when the browser comes back online and when the page
///   is shown again; a queued save also asks for Background Sync, where the browser has it;
/// - the dashboard (a page that names its account, `data-mip-compte`) hands its event forms over
///   to the private copy, so that they open offline.
const OFFLINE_DRAFTS: &str = r#"if("serviceWorker" in navigator){const sw=navigator.serviceWorker;window.mipDrafts=m=>new Promise((ok,ko)=>{const c=sw.controller;if(!c)return ko(new Error("no worker"));const ch=new MessageChannel();ch.port1.onmessage=e=>ok(e.data);c.postMessage(m,[ch.port2]);if(m.drafts==="put")sw.ready.then(r=>r.sync&&r.sync.register("mip-drafts")).catch(()=>{});});window.mipNewKey=()=>crypto.randomUUID?crypto.randomUUID():Array.from(crypto.getRandomValues(new Uint8Array(16)),b=>b.toString(16).padStart(2,"0")).join("");sw.addEventListener("message",e=>{if(e.data&&e.data.drafts)dispatchEvent(new CustomEvent("mip-drafts",{detail:e.data}));});const flush=()=>{if(sw.controller&&navigator.onLine)sw.controller.postMessage({drafts:"flush"});};addEventListener("online",flush);document.addEventListener("visibilitychange",()=>{if(document.visibilityState==="visible")flush();});flush();const keepForms=()=>{if(navigator.onLine&&document.querySelector("[data-mip-compte]")&&location.pathname==="/organisateur"){const urls=["/organisateur","/organisateur/evenements/nouveau",...Array.from(document.querySelectorAll('a[href^="/organisateur/evenements/"]'),a=>a.getAttribute("href"))];sw.ready.then(r=>r.active&&r.active.postMessage({keepPrivate:urls})).catch(()=>{});}};if(document.readyState==="loading")document.addEventListener("DOMContentLoaded",keepForms);else keepForms();}"#;

/// [`OFFLINE_COPY`] with the name of « Mon programme »'s `localStorage` entry, then
/// [`OFFLINE_DRAFTS`].
fn offline_copy_script() -> String {
    OFFLINE_COPY.replace("__SAVED_KEY__", crate::my_programme::STORAGE_KEY) + OFFLINE_DRAFTS
}

/// For browsers without the popover API: a click on a `popovertarget` button shows or hides
/// its target with the class `mip-popover-open` (styled as an open popover), moving the focus
/// as the browser would; Escape hides it.
const POPOVER_FALLBACK: &str = r#"if(!HTMLElement.prototype.hasOwnProperty("popover")){const opener=m=>document.querySelector(`[popovertarget="${m.id}"]:not([popovertargetaction])`);const hide=m=>{m.classList.remove("mip-popover-open");opener(m)?.focus();};document.addEventListener("click",e=>{const b=e.target.closest&&e.target.closest("[popovertarget]");const m=b&&document.getElementById(b.getAttribute("popovertarget"));if(!m)return;if(b.getAttribute("popovertargetaction")!=="hide"&&!m.classList.contains("mip-popover-open")){m.classList.add("mip-popover-open");m.querySelector("button")?.focus();}else hide(m);});document.addEventListener("keydown",e=>{if(e.key==="Escape")document.querySelectorAll(".mip-popover-open").forEach(hide);});}"#;

const MENU_ID: &str = "menu-principal";
const MENU_BUTTON_ID: &str = "bouton-menu";

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="fr-footer" role="contentinfo" id="pied-de-page">
            <div class="fr-container">
                <div class="fr-footer__body">
                    <div class="fr-footer__brand fr-enlarge-link">
                        <a href="/" title=format!("Retour à l'accueil – {SITE_NAME}")>
                            <p class="fr-logo">"République" <br /> "Française"</p>
                        </a>
                    </div>
                    <div class="fr-footer__content">
                        <p class="fr-footer__content-desc">
                            "Chaque année en novembre, les administrations de tout le territoire, \
                            outre-mer compris, partagent leurs projets innovants. Le programme est \
                            référencé par les organisateurs et publié par la Direction \
                            interministérielle de la transformation publique (DITP)."
                        </p>
                        <ul class="fr-footer__content-list">
                            {NAV
                                .into_iter()
                                .skip(1)
                                .map(|(href, label)| {
                                    view! {
                                        <li class="fr-footer__content-item">
                                            <a class="fr-footer__content-link" href=href>
                                                {label}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                </div>
                <div class="fr-footer__bottom">
                    <ul class="fr-footer__bottom-list">
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/accessibilite">
                                "Accessibilité : partiellement conforme"
                            </a>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/organisateur">
                                "Espace organisateur"
                            </a>
                        </li>
                    </ul>
                    <div class="fr-footer__bottom-copy">
                        <p>
                            "Sauf mention contraire, les contenus de ce site sont sous licence \
                            Etalab 2.0 (Licence Ouverte)."
                        </p>
                    </div>
                </div>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_marks_the_current_section() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/programme", "/"));
        assert!(is_current("/programme", "/programme"));
        assert!(is_current("/labs/lab-x", "/labs"));
        assert!(!is_current("/labsx", "/labs"));
    }

    #[test]
    fn signed_in_people_get_their_space_instead_of_se_connecter() {
        let labels = |role: Option<Role>| -> Vec<(&str, &str)> {
            tools_for(role)
                .into_iter()
                .map(|(h, l, _)| (h, l))
                .collect()
        };
        assert_eq!(
            labels(None),
            [
                ("/organisateur", "Espace organisateur"),
                ("/connexion", "Se connecter")
            ]
        );
        assert_eq!(
            labels(Some(Role::Organizer)),
            [("/organisateur", "Mon espace")]
        );
        assert_eq!(
            labels(Some(Role::Moderator)),
            [
                ("/organisateur", "Espace organisateur"),
                ("/moderation", "Mon espace")
            ]
        );
        assert_eq!(
            labels(Some(Role::Admin)),
            [
                ("/organisateur", "Espace organisateur"),
                ("/admin", "Mon espace")
            ]
        );
    }
}
