//! The browser entry point: hydrates the server-rendered page.
#![recursion_limit = "512"]
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker the end-to-end tests wait for before they click.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &JsValue::from_str("__mipHydrated"), &JsValue::TRUE);
    }
}
