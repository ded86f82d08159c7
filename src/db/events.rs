//! `package_events` (recent bus events per package) and `bus_seen` (applied
//! message ids, so duplicates change nothing).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::DbError;

/// How many events a package keeps.
pub const KEEP_PER_PACKAGE: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EventRow {
    pub package: String,
    pub at: DateTime<Utc>,
    pub topic: String,
    pub agent: Option<String>,
    pub summary: String,
}

pub async fn recent(pool: &PgPool, package: &str, limit: i64) -> Result<Vec<EventRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT package, at, topic, agent, summary FROM package_events WHERE package = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(package)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records an event and drops the package's oldest beyond [`KEEP_PER_PACKAGE`].
pub async fn record(pool: &PgPool, event: &EventRow, message_id: &str) -> Result<(), DbError> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO package_events (package, at, topic, agent, summary, message_id) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&event.package)
        .bind(event.at)
        .bind(&event.topic)
        .bind(&event.agent)
        .bind(&event.summary)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM package_events WHERE package = $1 AND id NOT IN
           (SELECT id FROM package_events WHERE package = $1 ORDER BY at DESC, id DESC LIMIT $2)",
    )
    .bind(&event.package)
    .bind(KEEP_PER_PACKAGE)
    .execute(&mut *tx)
    .await?;
    super::notify_changed(&mut tx, &event.package).await?;
    tx.commit().await?;
    Ok(())
}

/// Which of these message ids were applied already.
pub async fn seen(pool: &PgPool, ids: &[String]) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT message_id FROM bus_seen WHERE message_id = ANY($1)").bind(ids).fetch_all(pool).await?)
}

pub async fn mark_seen(pool: &PgPool, ids: &[String]) -> Result<(), DbError> {
    sqlx::query("INSERT INTO bus_seen (message_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING")
        .bind(ids)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn prune_seen(pool: &PgPool, older_than: chrono::Duration) -> Result<u64, DbError> {
    let done = sqlx::query("DELETE FROM bus_seen WHERE seen_at < now() - $1::interval")
        .bind(format!("{} seconds", older_than.num_seconds()))
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
