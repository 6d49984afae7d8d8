//! Small helpers for the code written against the browser's DOM (the programme's client, the
//! save buttons).
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventTarget};

/// Calls `handler` on every `name` event of `target`, for the page's whole life.
pub fn listen(target: &EventTarget, name: &str, handler: impl FnMut(Event) + 'static) {
    let closure = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Whether a `storage` event is about « Mon programme »: saved or removed in another tab of
/// this browser (the browser tells the other tabs, never the one that wrote), or the storage
/// cleared.
pub fn saved_events_changed(ev: &Event) -> bool {
    ev.dyn_ref::<web_sys::StorageEvent>()
        .and_then(|e| e.key())
        .is_none_or(|key| key == crate::my_programme::STORAGE_KEY)
}
