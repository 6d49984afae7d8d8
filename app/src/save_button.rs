//! The save button, « Ajouter à mon programme » / « Dans mon programme », in one place: its
//! markup (the same on the server and in the browser, [`markup`]), its place in the server's
//! pages ([`SaveButton`]) and what it does in the browser ([`browser`]). What it saves is
//! « Mon programme » (`crate::my_programme`, this browser's storage); the programme's results
//! write the same markup and follow its clicks in `programme::client`.
use leptos::prelude::*;

use crate::html;
use crate::html::{attr, Html};
use crate::my_programme::SavedEvent;

/// « Ajouter à mon programme » / « Retirer de mon programme »: the button's class, title and
/// text.
pub fn parts(saved: bool, small: bool, title: &str) -> (String, String, &'static str) {
    let icon = if saved {
        "fr-icon-star-fill"
    } else {
        "fr-icon-star-line"
    };
    let size = if small {
        "fr-btn--sm fr-btn--tertiary"
    } else {
        "fr-btn--secondary"
    };
    (
        format!("fr-btn {size} {icon} fr-btn--icon-left mip-save"),
        if saved {
            format!("Retirer « {title} » de mon programme")
        } else {
            format!("Ajouter « {title} » à mon programme")
        },
        if saved {
            "Dans mon programme"
        } else {
            "Ajouter à mon programme"
        },
    )
}

/// A save button's markup (`extra`: more attributes, each after a space): the programme's
/// cards and the other pages' buttons ([`browser`]).
pub fn markup(saved: bool, small: bool, title: &str, extra: Html) -> Html {
    let (class, title, label) = parts(saved, small, title);
    html!(
        r#"<button type="button" class="{class}" title="{title}" aria-pressed="{saved}"{extra}>{label}</button>"#,
        class = attr(&class),
        title = attr(&title),
        saved = saved,
        extra = extra,
        label = label,
    )
}

/// The attribute of a save button's place in the server's HTML: the event, as « Mon
/// programme » keeps it (`SavedEvent` in JSON).
pub const SLOT_ATTRIBUTE: &str = "data-mip-save-event";

/// « Ajouter à mon programme » on an event's page and on the cards of server-rendered lists
/// (home page, archive). Saving needs the browser's storage, so the server writes only the
/// button's place, which the browser fills once the page runs ([`browser::start`]); the
/// programme's results write the same button ([`markup`], in `programme::render`) and handle
/// its clicks themselves.
///
/// No island and no Leptos view in the browser: a few DOM calls in the wasm's main module.
/// As an island, the button brought Leptos' view and hydration code into the main module
/// that every page with an island loads (main wasm 90 → 73 kB brotli without it, measured).
#[component]
pub fn SaveButton(event: SavedEvent, small: bool) -> impl IntoView {
    let event = serde_json::to_string(&event).unwrap_or_default();
    view! { <span class="mip-save-slot" data-mip-save-event=event data-mip-save-small=small.then_some("")></span> }
}

/// The save buttons of [`SaveButton`] in the browser.
#[cfg(feature = "hydrate")]
pub mod browser {
    use wasm_bindgen::JsCast;
    use web_sys::{Element, Event};

    use super::SLOT_ATTRIBUTE;
    use crate::dom::{listen, saved_events_changed};
    use crate::my_programme::{saved_slugs, toggle, SavedEvent};

    /// Present on the place of a small (card) button (written by `SaveButton`).
    const SLOT_SMALL_ATTRIBUTE: &str = "data-mip-save-small";

    /// Writes a button in each place of the page, pressed if its event is saved, and follows
    /// clicks and what other tabs save or remove.
    pub fn start() {
        let places = slots();
        if places.is_empty() {
            return;
        }
        let saved = saved_slugs();
        for (slot, event) in &places {
            let small = slot.has_attribute(SLOT_SMALL_ATTRIBUTE);
            slot.set_inner_html(&super::markup(
                saved.contains(&event.slug),
                small,
                &event.title,
                crate::html::Html::new(),
            ));
        }
        let document = leptos::prelude::document();
        listen(document.as_ref(), "click", |ev: Event| {
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let Ok(Some(slot)) = target.closest(&format!("[{SLOT_ATTRIBUTE}]")) else {
                return;
            };
            if target.closest("button").ok().flatten().is_none() {
                return;
            }
            let Some(event) = event_of(&slot) else { return };
            let slug = event.slug.clone();
            let saved = toggle(event);
            // The same event may be shown twice on a page (a highlight and a day's list).
            for (slot, event) in slots() {
                if event.slug == slug {
                    show(&slot, saved, &event.title);
                }
            }
        });
        // Saved or removed in another tab of this browser.
        listen(
            leptos::prelude::window().as_ref(),
            "storage",
            |ev: Event| {
                if saved_events_changed(&ev) {
                    let saved = saved_slugs();
                    for (slot, event) in slots() {
                        show(&slot, saved.contains(&event.slug), &event.title);
                    }
                }
            },
        );
    }

    fn slots() -> Vec<(Element, SavedEvent)> {
        let Ok(list) =
            leptos::prelude::document().query_selector_all(&format!("[{SLOT_ATTRIBUTE}]"))
        else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .filter_map(|slot| event_of(&slot).map(|event| (slot, event)))
            .collect()
    }

    fn event_of(slot: &Element) -> Option<SavedEvent> {
        serde_json::from_str(&slot.get_attribute(SLOT_ATTRIBUTE)?).ok()
    }

    /// Brings a place's button up to date, in place: a keyboard user keeps the focus on it.
    fn show(slot: &Element, saved: bool, title: &str) {
        if let Ok(Some(button)) = slot.query_selector("button") {
            update_button(
                &button,
                saved,
                slot.has_attribute(SLOT_SMALL_ATTRIBUTE),
                title,
            );
        }
    }

    /// A save button's class, title, state and text, changed in place (the programme's cards
    /// too).
    pub fn update_button(button: &Element, saved: bool, small: bool, title: &str) {
        let (class, title, label) = super::parts(saved, small, title);
        let _ = button.set_attribute("class", &class);
        let _ = button.set_attribute("title", &title);
        let _ = button.set_attribute("aria-pressed", if saved { "true" } else { "false" });
        button.set_text_content(Some(label));
    }
}
