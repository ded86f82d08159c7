//! Server-only plumbing: configuration, shared state, the HTTP router.

pub mod commands;
pub mod config;
pub mod health;
pub mod metrics;
pub mod page_cache;
pub mod read;
pub mod router;
pub mod state;
