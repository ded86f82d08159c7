//! Integration tests, in one binary: real PostgreSQL (a fresh database per
//! test, `sqlx::test`), the recorded upstream over HTTP, the in-process router.

mod api;
mod bus;
mod bus_limits;
mod common;
mod front_door;
mod live;
mod never_stale;
mod pages;
mod provides;
mod published;
mod refresh;
mod scale_out;
mod search;
mod serving;
mod sync;
mod upstream;
