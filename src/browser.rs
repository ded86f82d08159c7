//! The browser bundle's entry point (the crate `crates/browser`, built for
//! wasm by cargo-leptos). Pages are server-rendered HTML; only their islands
//! (`#[island]`: the package page's tabs, the search box) run here.
// Each island is a wasm export of the pages' crate, which nothing here
// names: this links it, so its exports are the bundle's.
#[cfg(feature = "hydrate")]
extern crate fedora_packages;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Leptos's loader hydrates the islands right after this returns, within
    // the same task: a timeout fires once they all are. Tests and the
    // benchmark wait on the mark.
    leptos::prelude::set_timeout(
        || {
            if let Some(root) = leptos::prelude::document().document_element() {
                let _ = root.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
