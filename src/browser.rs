//! The browser bundle's entry point (the crate `crates/browser`, built for
//! wasm by cargo-leptos): takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(fedora_packages::app::App);
}
