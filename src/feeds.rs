//! What other sites, crawlers and browsers fetch besides pages: a package's
//! Atom feed and version badge (through the page cache, like its pages),
//! and the sitemaps, robots.txt and OpenSearch description that make the
//! site discoverable.

pub mod atom;
pub mod badge;
pub mod discovery;
pub mod sitemap;
mod xml;

use axum::routing::get;
use axum::Router;

use crate::read::ReadContext;

/// Every route of this module.
pub fn router(state: ReadContext) -> Router {
    Router::new()
        .route("/packages/{name}/feed.atom", get(atom::feed))
        .route("/packages/{name}/badge.svg", get(badge::badge))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemaps/{file}", get(sitemap::chunk))
        .route("/robots.txt", get(discovery::robots))
        .route("/opensearch.xml", get(discovery::opensearch))
        .route("/opensearch/suggest", get(discovery::suggest))
        .with_state(state)
}
