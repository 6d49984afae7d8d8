//! The browser entry point: hydrates the server-rendered page. Lazy routes (see
//! `app::routes`) need the asynchronous hydration: a page whose code sits in a split-out
//! chunk is hydrated once that chunk has arrived.
#![recursion_limit = "512"]
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        // The programme's catalogue travels apart from its HTML: loaded (from the HTTP cache
        // when it has not changed) before hydration, so that the page hydrates at once.
        app::programme::shared::prefetch_named_in_page().await;
        let body = leptos::tachys::dom::body();
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        // A marker the end-to-end tests and benchmarks wait for before they click.
        if let Some(window) = web_sys::window() {
            let _ =
                js_sys::Reflect::set(&window, &JsValue::from_str("__mipHydrated"), &JsValue::TRUE);
        }
    });
}
