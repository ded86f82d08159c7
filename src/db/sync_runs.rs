//! The `sync_runs` table: resumable backfills.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::DbError;

/// The unfinished run of this scope if there is one (a rerun resumes it), else a new run.
pub async fn resume_or_start(pool: &PgPool, scope: &str) -> Result<(i64, DateTime<Utc>, bool), DbError> {
    let open = sqlx::query!(
        "SELECT id, started_at FROM sync_runs WHERE scope = $1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
        scope,
    )
    .fetch_optional(pool)
    .await?;
    if let Some(run) = open {
        return Ok((run.id, run.started_at, true));
    }
    let run = sqlx::query!("INSERT INTO sync_runs (scope) VALUES ($1) RETURNING id, started_at", scope)
        .fetch_one(pool)
        .await?;
    Ok((run.id, run.started_at, false))
}

pub async fn finish(pool: &PgPool, id: i64) -> Result<(), DbError> {
    sqlx::query!("UPDATE sync_runs SET finished_at = now() WHERE id = $1", id).execute(pool).await?;
    Ok(())
}

/// Packages this run already refreshed without failure.
pub async fn done(pool: &PgPool, id: i64) -> Result<HashSet<String>, DbError> {
    let names = sqlx::query_scalar!("SELECT package FROM sync_run_done WHERE run_id = $1", id).fetch_all(pool).await?;
    Ok(names.into_iter().collect())
}

pub async fn mark_done(pool: &PgPool, id: i64, package: &str) -> Result<(), DbError> {
    sqlx::query!("INSERT INTO sync_run_done (run_id, package) VALUES ($1, $2) ON CONFLICT DO NOTHING", id, package)
        .execute(pool)
        .await?;
    Ok(())
}
