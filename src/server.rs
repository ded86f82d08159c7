//! Server-only plumbing: configuration, shared state, the HTTP router.

pub mod commands;
pub mod config;
pub mod read;
pub mod router;
pub mod state;
