//! The `sync_runs` table: resumable backfills.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::DbError;

/// The unfinished run of this scope if there is one (a rerun resumes it), else a new run.
pub async fn resume_or_start(pool: &PgPool, scope: &str) -> Result<(i64, DateTime<Utc>, bool), DbError> {
    let open: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, started_at FROM sync_runs WHERE scope = $1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(scope)
    .fetch_optional(pool)
    .await?;
    if let Some((id, started)) = open {
        return Ok((id, started, true));
    }
    let (id, started): (i64, DateTime<Utc>) =
        sqlx::query_as("INSERT INTO sync_runs (scope) VALUES ($1) RETURNING id, started_at")
            .bind(scope)
            .fetch_one(pool)
            .await?;
    Ok((id, started, false))
}

pub async fn finish(pool: &PgPool, id: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE sync_runs SET finished_at = now() WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

/// Packages this run already refreshed without failure.
pub async fn done(pool: &PgPool, id: i64) -> Result<HashSet<String>, DbError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT package FROM sync_run_done WHERE run_id = $1").bind(id).fetch_all(pool).await?;
    Ok(names.into_iter().collect())
}

pub async fn mark_done(pool: &PgPool, id: i64, package: &str) -> Result<(), DbError> {
    sqlx::query("INSERT INTO sync_run_done (run_id, package) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(package)
        .execute(pool)
        .await?;
    Ok(())
}
