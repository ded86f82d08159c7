//! The operator's endpoints. `/healthz`: the process answers. `/readyz`: it
//! can serve — the database answers, and the bus worker (when this process
//! runs one) is connected. `/metrics`: Prometheus text.
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub async fn healthz() -> impl IntoResponse {
    "ok\n"
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let db = tokio::time::timeout(Duration::from_secs(2), crate::db::ping(&state.pool)).await;
    if !matches!(db, Ok(Ok(_))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n");
    }
    if state.worker.running() && !state.worker.connected() {
        return (StatusCode::SERVICE_UNAVAILABLE, "bus worker not connected\n");
    }
    (StatusCode::OK, "ready\n")
}

/// All metrics; row ages and worker state are read at scrape time.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match crate::db::tabs::oldest_age_by_tab(&state.pool).await {
        Ok(ages) => {
            for (tab, age) in ages {
                metrics::gauge!("tab_oldest_row_age_seconds", "tab" => tab).set(age);
            }
        }
        Err(e) => tracing::warn!(error = %e, "row ages unavailable for /metrics"),
    }
    metrics::gauge!("page_cache_bytes").set(state.cache.weighted_size() as f64);
    if state.worker.running() {
        metrics::gauge!("bus_connected").set(if state.worker.connected() { 1.0 } else { 0.0 });
    }
    match super::metrics::text() {
        Some(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "metrics recorder unavailable").into_response(),
    }
}
