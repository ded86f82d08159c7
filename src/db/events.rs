//! `package_events` (recent bus events per package) and `bus_seen` (applied
//! message ids, so duplicates change nothing).
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::DbError;

/// How many events a package keeps.
pub const KEEP_PER_PACKAGE: i64 = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub package: String,
    pub at: DateTime<Utc>,
    pub topic: String,
    pub agent: Option<String>,
    pub summary: String,
}

pub async fn recent(pool: &PgPool, package: &str, limit: i64) -> Result<Vec<EventRow>, DbError> {
    Ok(sqlx::query_as!(
        EventRow,
        "SELECT package, at, topic, agent, summary FROM package_events WHERE package = $1 ORDER BY at DESC, id DESC LIMIT $2",
        package,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

/// Records a batch of events (keeping each package's newest
/// [`KEEP_PER_PACKAGE`]) in one transaction, and announces the packages.
pub async fn record_many(pool: &PgPool, events: &[(EventRow, String)]) -> Result<(), DbError> {
    if events.is_empty() {
        return Ok(());
    }
    // A burst of thousands of events for a few packages: only the newest count.
    let mut kept: Vec<&(EventRow, String)> = events.iter().collect();
    kept.sort_by(|a, b| a.0.package.cmp(&b.0.package).then(b.0.at.cmp(&a.0.at)));
    let mut per_package: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    kept.retain(|(e, _)| {
        let n = per_package.entry(e.package.as_str()).or_default();
        *n += 1;
        *n <= KEEP_PER_PACKAGE
    });
    let col = |f: fn(&EventRow) -> &str| kept.iter().map(|(e, _)| bounded(f(e))).collect::<Vec<_>>();
    let ats: Vec<DateTime<Utc>> = kept.iter().map(|(e, _)| e.at).collect();
    let agents: Vec<Option<String>> = kept.iter().map(|(e, _)| e.agent.as_deref().map(bounded)).collect();
    let ids: Vec<String> = kept.iter().map(|(_, id)| bounded(id)).collect();
    let packages: Vec<String> = per_package.keys().map(|p| p.to_string()).collect();
    let mut tx = pool.begin().await?;
    // Pruning locks other workers' rows of the same packages: one recorder
    // at a time, so two workers never take them in opposite orders.
    sqlx::query!("SELECT pg_advisory_xact_lock($1)", EVENTS_LOCK).execute(&mut *tx).await?;
    sqlx::query!(
        "INSERT INTO package_events (package, at, topic, agent, summary, message_id)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])",
        &col(|e| &e.package),
        &ats,
        &col(|e| &e.topic),
        &agents as &[Option<String>],
        &col(|e| &e.summary),
        &ids,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM package_events e USING (
            SELECT id, row_number() OVER (PARTITION BY package ORDER BY at DESC, id DESC) AS n
            FROM package_events WHERE package = ANY($1)) old
         WHERE e.id = old.id AND old.n > $2",
        &packages,
        KEEP_PER_PACKAGE,
    )
    .execute(&mut *tx)
    .await?;
    // Sub-packages show their source's recent activity: announce them too.
    let affected: Vec<String> = sqlx::query_scalar!("SELECT name FROM packages WHERE source_name = ANY($1)", &packages)
        .fetch_all(&mut *tx)
        .await?;
    super::notify_changed(&mut tx, &affected).await?;
    tx.commit().await?;
    Ok(())
}

/// The advisory lock key serializing event recording (any constant will do).
const EVENTS_LOCK: i64 = 0x6670_6576_656e_7473;

/// Bus text as stored: storable, and at most [`MAX_EVENT_TEXT`] characters.
fn bounded(s: &str) -> String {
    crate::model::storable::text(s).chars().take(MAX_EVENT_TEXT).collect()
}

/// Longest summary, topic or agent name kept from a bus message.
pub const MAX_EVENT_TEXT: usize = 500;

/// Which of these message ids were applied already.
pub async fn seen(pool: &PgPool, ids: &[String]) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!("SELECT message_id FROM bus_seen WHERE message_id = ANY($1)", ids).fetch_all(pool).await?)
}

pub async fn mark_seen(pool: &PgPool, ids: &[String]) -> Result<(), DbError> {
    sqlx::query!("INSERT INTO bus_seen (message_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", ids)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn prune_seen(pool: &PgPool, older_than: chrono::Duration) -> Result<u64, DbError> {
    let done = sqlx::query!(
        "DELETE FROM bus_seen WHERE seen_at < now() - make_interval(secs => $1)",
        older_than.num_seconds() as f64
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
