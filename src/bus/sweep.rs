//! The reconciliation sweep: now and then, refresh the packages whose rows
//! are oldest, a few at a time, so an event missed while everything was down
//! (or a reverse dependency that changed without an event) is caught.
use std::time::Duration;

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::db;
use crate::model::Tab;
use crate::refresh;
use crate::upstream::Upstream;

/// Runs until `stop` is cancelled.
pub async fn run(pool: PgPool, upstream: Upstream, every: Duration, batch: i64, stop: CancellationToken) {
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
        if let Err(e) = sweep_once(&pool, &upstream, batch).await {
            tracing::warn!(error = %e, "sweep failed; trying again next time");
        }
    }
}

/// Refreshes the `batch` source packages with the oldest rows (never-fetched first).
pub async fn sweep_once(pool: &PgPool, upstream: &Upstream, batch: i64) -> Result<usize, refresh::RefreshError> {
    let oldest = db::tabs::oldest_sources(pool, batch).await?;
    for source in &oldest {
        let report = refresh::refresh(pool, upstream, source, &Tab::ALL).await?;
        tracing::info!(package.name = %source, rows.written = report.outcome.written, failures = report.failures.len(), "swept");
    }
    db::events::prune_seen(pool, chrono::Duration::days(7)).await?;
    db::failures::prune(pool, chrono::Duration::days(30)).await?;
    Ok(oldest.len())
}
