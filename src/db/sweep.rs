//! The `sweep_state` table: which source package the sweep refreshes next,
//! and which worker holds it.
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::DbError;

/// A source package a worker has claimed for the sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub source: String,
    /// How many times the sweep has refreshed it before (it picks the tabs).
    pub sweeps: i64,
}

/// Adds every source package not yet known to the sweep (never swept: first in line).
pub async fn enroll(pool: &PgPool) -> Result<u64, DbError> {
    let done = sqlx::query!(
        "INSERT INTO sweep_state (source)
         SELECT name FROM packages WHERE name = source_name
         ON CONFLICT (source) DO NOTHING",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Claims up to `limit` sources not swept since `due_before`, oldest sweep
/// first, for `lease`. Rows another worker is claiming right now are
/// skipped (SKIP LOCKED), and a claimed row is not due again until its
/// lease ends: two workers never sweep the same package at once.
pub async fn claim(
    pool: &PgPool,
    limit: i64,
    due_before: DateTime<Utc>,
    lease: Duration,
) -> Result<Vec<Claim>, DbError> {
    Ok(sqlx::query_as!(
        Claim,
        "UPDATE sweep_state s SET claimed_until = now() + make_interval(secs => $3)
         FROM (SELECT source FROM sweep_state
               WHERE claimed_until < now() AND (last_swept_at IS NULL OR last_swept_at < $2)
               ORDER BY last_swept_at ASC NULLS FIRST, source
               LIMIT $1 FOR UPDATE SKIP LOCKED) due
         WHERE s.source = due.source
         RETURNING s.source, s.sweeps",
        limit,
        due_before,
        lease.as_secs_f64(),
    )
    .fetch_all(pool)
    .await?)
}

/// Records a sweep of `source`, whatever its outcome, and releases it: a
/// source that fails goes to the back of the line like any other.
pub async fn done(pool: &PgPool, source: &str, error: Option<&str>) -> Result<(), DbError> {
    let error: Option<String> = error.map(|e| crate::model::storable::text(e).chars().take(2000).collect());
    sqlx::query!(
        "UPDATE sweep_state SET last_swept_at = now(), claimed_until = '-infinity',
                sweeps = sweeps + 1, last_error = $2
         WHERE source = $1",
        source,
        error,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// When the next source falls due, if any is known.
pub async fn next_due(pool: &PgPool, every: Duration) -> Result<Option<DateTime<Utc>>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT min(coalesce(last_swept_at + make_interval(secs => $1), now())) FROM sweep_state",
        every.as_secs_f64(),
    )
    .fetch_one(pool)
    .await?)
}
