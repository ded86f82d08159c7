//! `/healthz`: the process answers. `/readyz`: it can serve — the database
//! answers, and the bus worker (when this process runs one) is connected.
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::state::AppState;

pub async fn healthz() -> impl IntoResponse {
    "ok\n"
}

pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let db = tokio::time::timeout(Duration::from_secs(2), sqlx::query("SELECT 1").execute(&state.pool)).await;
    if !matches!(db, Ok(Ok(_))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n");
    }
    if state.worker.running() && !state.worker.connected() {
        return (StatusCode::SERVICE_UNAVAILABLE, "bus worker not connected\n");
    }
    (StatusCode::OK, "ready\n")
}
