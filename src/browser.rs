//! The browser bundle's entry point (the crate `crates/browser`, built for
//! wasm by cargo-leptos): takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazily: a lazy route's code (the gallery's, in release builds) is
    // fetched before the page it rendered is hydrated.
    leptos::mount::hydrate_lazy(fedora_packages::app::App);
}
