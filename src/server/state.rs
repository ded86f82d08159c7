use sqlx::PgPool;

/// What every request and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// Absolute base of canonical links, e.g. `https://packages.fedoraproject.org`.
    pub site_url: String,
    /// The bus worker of this process, if it runs one (for `/readyz`).
    pub worker: crate::bus::WorkerStatus,
    /// Rendered pages, dropped when their rows change.
    pub cache: super::page_cache::PageCache,
}

/// The state inside a server function, or `Internal` if the context is missing.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        crate::error::AppError::Internal
    })
}
