//! `fedora-packages-core`: Fedora Packages without its pages (the crate
//! `crates/core` builds from here; `lib.rs` re-exports it, so paths read
//! `crate::model`, `crate::db`, … everywhere). `server/` (plumbing) and
//! `cli/` wire it all; they get the pages from `main` as a
//! `server::router::Pages`.
//!
//! Read path: `read` answers the pages' server functions from the rows `db/`
//! reads. Write path (server only): `upstream/` fetches, `refresh` builds and
//! replaces rows, driven by `bus/` and `sync`. `model/` holds the payload
//! types both sides and the browser share. For other programs: `api/` (the
//! JSON API) and `feeds/` (Atom, sitemaps, robots.txt, OpenSearch, badges).

pub mod error;
pub mod model;

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
