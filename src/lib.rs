#![recursion_limit = "256"]
//! Fedora Packages: one page per package, with a tab per packaging service.
//!
//! This crate is the pages: `app` (the shell and the route table), `pages/`
//! (one file per page and per package tab), `components/` (what they are
//! made of), `hooks/`. Everything else — payload types, reading, refreshing,
//! the bus, search, the API, feeds, the HTTP server and the command line —
//! is the crate `fedora-packages-core` (`src/core.rs`), re-exported below,
//! so an edit to a page recompiles the pages alone. The server gets the
//! pages as [`PAGES`]; the browser bundle's entry point is the crate
//! `fedora-packages-browser` (`src/browser.rs`).

#[cfg(feature = "ssr")]
pub use fedora_packages_core::{
    api, bus, cli, db, dev, feeds, gallery, live, read, refresh, search, server, sync, upstream,
};
pub use fedora_packages_core::{error, model};

pub mod app;
pub mod components;
pub mod hooks;
pub mod pages;

/// The pages, as the server (in the core, which cannot name them) renders them.
#[cfg(feature = "ssr")]
pub const PAGES: server::router::Pages = server::router::Pages {
    app: || leptos::prelude::IntoAny::into_any(app::App()),
    shell: |options| leptos::prelude::IntoAny::into_any(app::shell(options)),
};
