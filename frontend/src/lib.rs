//! The browser entry point: hydrates the islands of the server-rendered page (the components
//! marked `#[island]` in `app`; everything else is HTML only).

// Linked for the islands' hydration functions, which `app` exports to the page's script.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
