//! Open tabs that update themselves: `/packages/{name}/live` is a
//! Server-Sent Events stream per package. Each web process LISTENs once
//! (the page cache's listener, `server::page_cache::follow_changes`) and
//! hands every notice to the [`hub::LiveHub`], which asks the database
//! what was refreshed behind the pages watched and fans that out in
//! memory: one broadcast channel per watched package, dropped with its
//! last listener. Events name tabs and releases, never the data; the page
//! refetches what it shows (`pages/package/live.rs`).

pub mod hub;
pub mod stream;

pub use hub::{LiveHub, DEFAULT_MAX_STREAMS};
