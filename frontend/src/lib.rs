//! The browser entry point. The app is built in Leptos' islands mode: the server renders
//! whole pages, the browser hydrates only the islands (`#[island]` components: the
//! programme's filters and results, « Mon programme », the organizer's event form…), each
//! exported by the wasm and called by the page's script (`app::DeferredHydration`) on its
//! `<leptos-island>` element; the save buttons of the other pages are filled in by
//! `hydrate` itself.
#![recursion_limit = "512"]
use wasm_bindgen::prelude::wasm_bindgen;

// The islands are exported from the `app` crate; this keeps it linked.
pub use app::ISLANDS_LINKED;

/// Called once before the page's islands are hydrated.
#[wasm_bindgen]
pub async fn hydrate() {
    console_error_panic_hook::set_once();
    // The programme's catalogue travels apart from its HTML: loaded (from the HTTP cache
    // when it has not changed) before hydration, so that the programme's island finds it.
    app::programme::shared::prefetch_named_in_page().await;
    leptos::mount::hydrate_islands();
    // « Ajouter à mon programme » outside the programme: no island (see `SaveButton`).
    app::save_button::browser::start();
}
