//! Server-only plumbing: the HTTP router, the page cache, metrics, health
//! endpoints, and the state handlers share. Nothing below this layer
//! (read, refresh, db, upstream, model) imports it.

pub mod ahead;
pub mod compress;
pub mod health;
pub mod limits;
pub mod metrics;
pub mod page_cache;
pub mod router;
pub mod security;
pub mod state;
