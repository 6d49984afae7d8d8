//! The frame of every page: skip links, the DSFR header with the main navigation, the footer.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::SITE_NAME;

/// The main navigation: the public pages of PRODUCT.md.
const NAV: [(&str, &str); 5] = [
    ("/", "Accueil"),
    ("/programme", "Programme"),
    ("/mon-programme", "Mon programme"),
    ("/labs", "Atlas des labs"),
    ("/editions", "Éditions précédentes"),
];

/// Links of the header tools (organizers and the DITP team).
const TOOLS: [(&str, &str, &str); 2] = [
    (
        "/organisateur",
        "Espace organisateur",
        "fr-icon-calendar-event-line",
    ),
    ("/connexion", "Se connecter", "fr-icon-account-circle-line"),
];

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

fn tool_links() -> impl IntoView {
    view! {
        <ul class="fr-btns-group">
            {TOOLS
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

/// The header. Its phone menu is a DSFR modal opened by the « Menu » button; without
/// JavaScript the same links stay reachable in the footer. The header is server-rendered
/// HTML; only its two buttons are islands (`MenuButton`), so that the wasm carries two
/// buttons rather than the whole header's markup.
#[component]
pub fn Header() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    view! {
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
                                    <MenuButton open=true />
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
                            <div class="fr-header__tools-links">{tool_links()}</div>
                        </div>
                    </div>
                </div>
            </div>
            <div class="fr-header__menu fr-modal" id=MENU_ID aria-labelledby=MENU_BUTTON_ID>
                <div class="fr-container">
                    <MenuButton open=false />
                    <div class="fr-header__menu-links">{tool_links()}</div>
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

const MENU_ID: &str = "menu-principal";
const MENU_BUTTON_ID: &str = "bouton-menu";
const MENU_CLOSE_ID: &str = "fermer-menu";

/// « Menu » (`open`) or « Fermer »: shows or hides the phone menu (the DSFR class
/// `fr-modal--opened` on the modal, `aria-expanded` on « Menu ») and moves the focus to the
/// other button. Escape closes the open menu, as the DSFR's own modal does.
#[island]
fn MenuButton(open: bool) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if open {
        let handle = window_event_listener(leptos::ev::keydown, |ev| {
            if ev.key() == "Escape" && menu_is_open() {
                show_menu(false);
            }
        });
        on_cleanup(move || handle.remove());
    }
    let toggle = move |_| {
        #[cfg(feature = "hydrate")]
        show_menu(open);
    };
    let (class, id, label) = if open {
        ("fr-btn--menu fr-btn", MENU_BUTTON_ID, "Menu")
    } else {
        ("fr-btn--close fr-btn", MENU_CLOSE_ID, "Fermer")
    };
    view! {
        <button
            class=class
            type="button"
            aria-controls=MENU_ID
            aria-haspopup=open.then_some("dialog")
            aria-expanded=open.then_some("false")
            id=id
            title=label
            on:click=toggle
        >
            {label}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn element(id: &str) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into().ok())
}

#[cfg(feature = "hydrate")]
fn menu_is_open() -> bool {
    element(MENU_ID).is_some_and(|menu| menu.class_list().contains("fr-modal--opened"))
}

#[cfg(feature = "hydrate")]
fn show_menu(open: bool) {
    if let Some(menu) = element(MENU_ID) {
        let _ = if open {
            menu.class_list().add_1("fr-modal--opened")
        } else {
            menu.class_list().remove_1("fr-modal--opened")
        };
    }
    if let Some(button) = element(MENU_BUTTON_ID) {
        let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
    if let Some(next) = element(if open { MENU_CLOSE_ID } else { MENU_BUTTON_ID }) {
        let _ = next.focus();
    }
}

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
    use super::is_current;

    #[test]
    fn navigation_marks_the_current_section() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/programme", "/"));
        assert!(is_current("/programme", "/programme"));
        assert!(is_current("/labs/lab-x", "/labs"));
        assert!(!is_current("/labsx", "/labs"));
    }
}
