#![recursion_limit = "256"]
//! Fedora Packages: one page per package, with a tab per packaging service.
//!
//! Read path: `pages/` (one file per page, one per package tab) render rows
//! that `db/` reads. Write path (server only): `upstream/` fetches, `refresh`
//! builds and replaces rows. `model/` holds the payload types both share.
//! For other programs: `api/` (the JSON API) and `feeds/` (Atom, sitemaps,
//! robots.txt, OpenSearch, badges) read like pages do.

pub mod app;
pub mod components;
pub mod error;
pub mod hooks;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod bus;
#[cfg(feature = "ssr")]
pub mod cli;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod dev;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod gallery;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod refresh;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod sync;
#[cfg(feature = "ssr")]
pub mod upstream;

#[cfg(all(test, feature = "ssr"))]
mod properties;
#[cfg(all(test, feature = "ssr"))]
mod test_fixtures;

/// Entry point of the browser bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
