//! The `tab_rows` table: each (package, tab, branch)'s ready-to-render payload.
use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, Transaction};

use super::DbError;
use crate::model::Tab;

/// A stored tab row, its payload still JSON.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredRow {
    pub payload: Json<serde_json::Value>,
    pub fetched_at: DateTime<Utc>,
    pub version: i64,
}

impl StoredRow {
    /// The payload as its type. A row that does not decode is an error,
    /// logged and counted, never replaced by an empty default.
    pub fn decode<T: DeserializeOwned>(self, what: &str) -> Result<T, DbError> {
        serde_json::from_value(self.payload.0).map_err(|source| {
            tracing::error!(row = what, error = %source, "stored payload does not decode");
            metrics::counter!("payload_decode_failures_total").increment(1);
            DbError::Payload { what: what.to_string(), source }
        })
    }
}

pub async fn get<'e>(
    db: impl sqlx::PgExecutor<'e>,
    package: &str,
    tab: Tab,
    branch: &str,
) -> Result<Option<StoredRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT payload, fetched_at, version FROM tab_rows WHERE package = $1 AND tab = $2 AND branch = $3",
    )
    .bind(package)
    .bind(tab.slug())
    .bind(branch)
    .fetch_optional(db)
    .await?)
}

/// Per package, the release branches its per-release rows exist for: a
/// refresh does not read mdapi's "no such package" there as "gone".
pub async fn known_branches(
    pool: &PgPool,
    packages: &[String],
) -> Result<std::collections::HashMap<String, std::collections::BTreeSet<String>>, DbError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT package, branch FROM tab_rows
         WHERE package = ANY($1) AND tab IN ('contents', 'changelog', 'dependencies') AND branch <> ''",
    )
    .bind(packages)
    .fetch_all(pool)
    .await?;
    let mut out: std::collections::HashMap<String, std::collections::BTreeSet<String>> = Default::default();
    for (package, branch) in rows {
        out.entry(package).or_default().insert(branch);
    }
    Ok(out)
}

/// The branches a per-release tab has rows for.
pub async fn branches(pool: &PgPool, package: &str, tab: Tab) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT branch FROM tab_rows WHERE package = $1 AND tab = $2 AND branch <> ''")
        .bind(package)
        .bind(tab.slug())
        .fetch_all(pool)
        .await?)
}

/// The row as the refresh path reads it before merging, locked until commit.
pub async fn get_for_update(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    tab: Tab,
    branch: &str,
) -> Result<Option<StoredRow>, DbError> {
    Ok(sqlx::query_as(
        "SELECT payload, fetched_at, version FROM tab_rows
         WHERE package = $1 AND tab = $2 AND branch = $3 FOR UPDATE",
    )
    .bind(package)
    .bind(tab.slug())
    .bind(branch)
    .fetch_optional(&mut **tx)
    .await?)
}

/// A tab payload ready to be written.
pub struct NewRow<'a, T> {
    pub package: &'a str,
    pub tab: Tab,
    pub branch: &'a str,
    pub payload: &'a T,
    pub fetched_at: DateTime<Utc>,
    pub source_version: &'a str,
}

/// Replaces a row, unless a refresh that started later already wrote it.
/// Returns whether the row was written.
pub async fn put<T: Serialize>(
    tx: &mut Transaction<'_, Postgres>,
    row: NewRow<'_, T>,
    version: i64,
) -> Result<bool, DbError> {
    upsert(tx, row, version, "WHERE tab_rows.version < EXCLUDED.version").await
}

/// Replaces a row the caller holds locked (`get_for_update`) and has merged.
pub async fn put_locked<T: Serialize>(
    tx: &mut Transaction<'_, Postgres>,
    row: NewRow<'_, T>,
    version: i64,
) -> Result<bool, DbError> {
    upsert(tx, row, version, "").await
}

/// The one row write; `guard` is an optional `WHERE` on the conflict update.
async fn upsert<T: Serialize>(
    tx: &mut Transaction<'_, Postgres>,
    row: NewRow<'_, T>,
    version: i64,
    guard: &'static str,
) -> Result<bool, DbError> {
    let sql = format!(
        "INSERT INTO tab_rows (package, tab, branch, payload, fetched_at, version, source_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (package, tab, branch) DO UPDATE SET
            payload = EXCLUDED.payload, fetched_at = EXCLUDED.fetched_at,
            version = EXCLUDED.version, source_version = EXCLUDED.source_version
         {guard}"
    );
    // The last check before SQL: no NUL reaches jsonb, whatever the source.
    let mut payload = serde_json::to_value(row.payload).map_err(|source| DbError::Payload {
        what: format!("{}/{} (serializing)", row.package, row.tab.slug()),
        source,
    })?;
    crate::model::storable::clean_json(&mut payload);
    let done = sqlx::query(&sql)
        .bind(row.package)
        .bind(row.tab.slug())
        .bind(row.branch)
        .bind(Json(payload))
        .bind(row.fetched_at)
        .bind(version)
        .bind(row.source_version)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Drops the rows of branches a package no longer ships in.
pub async fn delete_other_branches(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    tab: Tab,
    keep: &[String],
    version: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "DELETE FROM tab_rows WHERE package = $1 AND tab = $2 AND branch <> ''
         AND NOT (branch = ANY($3)) AND version < $4",
    )
    .bind(package)
    .bind(tab.slug())
    .bind(keep)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Source packages whose rows are oldest; packages with no rows at all first.
pub async fn oldest_sources(pool: &PgPool, limit: i64) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT p.source_name FROM packages p LEFT JOIN tab_rows t ON t.package = p.name
         GROUP BY p.source_name
         ORDER BY min(t.fetched_at) ASC NULLS FIRST, p.source_name
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Age of the oldest row per tab, in seconds (stale data cannot hide).
pub async fn oldest_age_by_tab(pool: &PgPool) -> Result<Vec<(String, f64)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT tab, EXTRACT(EPOCH FROM now() - min(fetched_at))::float8 FROM tab_rows GROUP BY tab ORDER BY tab",
    )
    .fetch_all(pool)
    .await?)
}
