//! The operator's endpoints. `/healthz`: the process answers. `/readyz`: it
//! can serve pages — the database answers, or the page cache holds pages.
//! `/readyz/worker`: the bus worker of this process is connected. `/metrics`:
//! Prometheus text, on its own (loopback by default) address, never on the
//! public port.
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub async fn healthz() -> impl IntoResponse {
    "ok\n"
}

/// Ready to serve pages: the database answers, or pages are cached (a
/// web process goes on serving them through a database outage). The bus
/// worker beside it says how it is at `/readyz/worker`.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let db = tokio::time::timeout(Duration::from_secs(2), crate::db::ping(&state.pool)).await;
    if matches!(db, Ok(Ok(_))) {
        return (StatusCode::OK, "ready\n");
    }
    if state.cache.weighted_size() > 0 {
        return (StatusCode::OK, "ready (database unreachable; serving cached pages)\n");
    }
    (StatusCode::SERVICE_UNAVAILABLE, "database unreachable and nothing cached\n")
}

/// The bus worker of this process: connected (200), not (503), or none here (404).
pub async fn worker(State(state): State<AppState>) -> impl IntoResponse {
    match (state.worker.running(), state.worker.connected()) {
        (false, _) => (StatusCode::NOT_FOUND, "no bus worker in this process\n"),
        (true, true) => (StatusCode::OK, "bus worker connected\n"),
        (true, false) => (StatusCode::SERVICE_UNAVAILABLE, "bus worker not connected to the broker\n"),
    }
}

/// How often the gauges that need a query are recomputed (never per scrape).
const GAUGE_EVERY: Duration = Duration::from_secs(15);

/// Serves `/metrics` on `addr`; when the address is taken, says so and
/// goes on without it.
pub async fn serve_metrics(addr: &str, state: AppState, stop: tokio_util::sync::CancellationToken) {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(addr, error = %e, "cannot serve /metrics there; running without it");
            return;
        }
    };
    tracing::info!(addr, "serving /metrics");
    tokio::spawn(update_gauges(state.clone(), stop.clone()));
    let app = admin(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).with_graceful_shutdown(async move { stop.cancelled().await }).await;
    });
}

/// The operator's router: `/metrics`.
pub fn admin(state: AppState) -> axum::Router {
    axum::Router::new().route("/metrics", axum::routing::get(metrics)).with_state(state)
}

/// Keeps the query-backed gauges current, in the background.
async fn update_gauges(state: AppState, stop: tokio_util::sync::CancellationToken) {
    loop {
        refresh_gauges(&state).await;
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(GAUGE_EVERY) => {}
        }
    }
}

/// Row ages (one GROUP BY), cache size and worker state, as gauges.
pub async fn refresh_gauges(state: &AppState) {
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
}

/// All metrics, as last computed.
pub async fn metrics() -> Response {
    match super::metrics::text() {
        Some(text) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "metrics recorder unavailable").into_response(),
    }
}
