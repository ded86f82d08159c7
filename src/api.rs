//! The public JSON API under `/api/v1`: stable documents for other tools
//! (release dashboards, bots, command-line clients), described by the
//! OpenAPI 3.1 document at `/api/v1/openapi.json`, which `openapi.rs`
//! generates from these types, and readable at `/api`.
//!
//! A package's documents go through the page cache like its pages (ETag,
//! 304, dropped when its rows change); search and suggestions carry a weak
//! ETag of their body. Every answer allows any origin to GET it.

pub mod conditional;
pub mod docs;
pub mod documents;
pub mod error;
pub mod handlers;
pub mod openapi;
pub mod reference;

use axum::http::{header, Method};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};

use crate::read::ReadContext;

/// Every `/api/v1` route; anything else under it is a JSON 404.
pub fn router(state: ReadContext) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH])
        .expose_headers([header::ETAG])
        .max_age(std::time::Duration::from_secs(86400));
    Router::new()
        .route("/api/v1/openapi.json", get(handlers::openapi_json))
        .route("/api/v1/search", get(handlers::search))
        .route("/api/v1/suggest", get(handlers::suggest))
        .route("/api/v1/provides", get(handlers::provides))
        .route("/api/v1/packages/{name}", get(handlers::package))
        .route("/api/v1/packages/{name}/events", get(handlers::events))
        .route("/api/v1/packages/{name}/{tab}", get(handlers::tab))
        .route("/api/v1/{*rest}", get(handlers::no_such_document))
        .route("/api/v1", get(handlers::no_such_document))
        .layer(cors)
        .with_state(state)
}
