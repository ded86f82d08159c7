use sqlx::PgPool;

use crate::read::ReadContext;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// Absolute base of canonical links, e.g. `https://packages.fedoraproject.org`.
    pub site_url: String,
    /// The bus worker of this process, if it runs one (for `/readyz`).
    pub worker: crate::bus::WorkerStatus,
    /// Rendered pages, dropped when their rows change.
    pub cache: super::page_cache::PageCache,
    /// The search index, when this process keeps one.
    pub search: crate::search::SearchIndex,
    /// The live streams' fan-out.
    pub live: crate::live::LiveHub,
    /// "What provides it" lookups' own connections.
    pub lookups: crate::db::lookup_pools::LookupPools,
}

impl AppState {
    /// What server functions get: the pool and the site's base URL.
    pub fn read_context(&self) -> ReadContext {
        ReadContext {
            pool: self.pool.clone(),
            site_url: self.site_url.clone(),
            search: self.search.clone(),
            lookups: self.lookups.clone(),
        }
    }
}
