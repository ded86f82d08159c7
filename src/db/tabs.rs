//! The `tab_rows` table: each (package, tab, branch)'s ready-to-render payload.
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::types::Json;
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};

use super::DbError;
use crate::model::Tab;

/// How the table spells "no branch": tabs that do not differ per release.
const WHOLE: &str = "";

/// A stored tab row, its payload still JSON.
#[derive(Debug, Clone)]
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

/// A row: `branch` is `None` for tabs that do not differ per release.
pub async fn get<'e>(
    db: impl PgExecutor<'e>,
    package: &str,
    tab: Tab,
    branch: Option<&str>,
) -> Result<Option<StoredRow>, DbError> {
    Ok(sqlx::query_as!(
        StoredRow,
        r#"SELECT payload AS "payload: Json<serde_json::Value>", fetched_at, version
           FROM tab_rows WHERE package = $1 AND tab = $2 AND branch = $3"#,
        package,
        tab.slug(),
        branch.unwrap_or(WHOLE),
    )
    .fetch_optional(db)
    .await?)
}

/// Per package, the release branches its per-release rows exist for: a
/// refresh does not read mdapi's "no such package" there as "gone".
pub async fn known_branches(pool: &PgPool, packages: &[String]) -> Result<HashMap<String, BTreeSet<String>>, DbError> {
    let rows = sqlx::query!(
        "SELECT DISTINCT package, branch FROM tab_rows
         WHERE package = ANY($1) AND tab IN ('contents', 'changelog', 'dependencies') AND branch <> ''",
        packages,
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for row in rows {
        out.entry(row.package).or_default().insert(row.branch);
    }
    Ok(out)
}

/// The branches a per-release tab has rows for.
pub async fn branches(pool: &PgPool, package: &str, tab: Tab) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT branch FROM tab_rows WHERE package = $1 AND tab = $2 AND branch <> ''",
        package,
        tab.slug(),
    )
    .fetch_all(pool)
    .await?)
}

/// The whole-package row as the refresh path reads it before merging, locked until commit.
pub async fn get_for_update(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    tab: Tab,
) -> Result<Option<StoredRow>, DbError> {
    Ok(sqlx::query_as!(
        StoredRow,
        r#"SELECT payload AS "payload: Json<serde_json::Value>", fetched_at, version
           FROM tab_rows WHERE package = $1 AND tab = $2 AND branch = '' FOR UPDATE"#,
        package,
        tab.slug(),
    )
    .fetch_optional(&mut **tx)
    .await?)
}

/// A tab payload ready to be written.
pub struct NewRow<'a, T> {
    pub package: &'a str,
    pub tab: Tab,
    /// `None` for tabs that do not differ per release.
    pub branch: Option<&'a str>,
    pub payload: &'a T,
    pub fetched_at: DateTime<Utc>,
}

impl<T: Serialize> NewRow<'_, T> {
    /// The payload as stored: JSON, with no NUL whatever its source (the
    /// last check before SQL; see `model::storable`).
    fn json(&self) -> Result<Json<serde_json::Value>, DbError> {
        let mut payload = serde_json::to_value(self.payload).map_err(|source| DbError::Payload {
            what: format!("{}/{} (serializing)", self.package, self.tab.slug()),
            source,
        })?;
        crate::model::storable::clean_json(&mut payload);
        Ok(Json(payload))
    }
}

/// Replaces a row, unless a refresh that started later already wrote it.
/// Returns whether the row was written.
pub async fn put<T: Serialize>(
    tx: &mut Transaction<'_, Postgres>,
    row: NewRow<'_, T>,
    version: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "INSERT INTO tab_rows (package, tab, branch, payload, fetched_at, version)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (package, tab, branch) DO UPDATE SET
            payload = EXCLUDED.payload, fetched_at = EXCLUDED.fetched_at, version = EXCLUDED.version
         WHERE tab_rows.version < EXCLUDED.version",
        row.package,
        row.tab.slug(),
        row.branch.unwrap_or(WHOLE),
        row.json()? as _,
        row.fetched_at,
        version,
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a row the caller holds locked (`get_for_update`) and has merged.
pub async fn put_locked<T: Serialize>(
    tx: &mut Transaction<'_, Postgres>,
    row: NewRow<'_, T>,
    version: i64,
) -> Result<bool, DbError> {
    let done = sqlx::query!(
        "INSERT INTO tab_rows (package, tab, branch, payload, fetched_at, version)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (package, tab, branch) DO UPDATE SET
            payload = EXCLUDED.payload, fetched_at = EXCLUDED.fetched_at, version = EXCLUDED.version",
        row.package,
        row.tab.slug(),
        row.branch.unwrap_or(WHOLE),
        row.json()? as _,
        row.fetched_at,
        version,
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Drops a package's per-release rows of branches not in `keep`.
pub async fn delete_other_branches(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    tab: Tab,
    keep: &[String],
    version: i64,
) -> Result<(), DbError> {
    sqlx::query!(
        "DELETE FROM tab_rows WHERE package = $1 AND tab = $2 AND branch <> ''
         AND NOT (branch = ANY($3)) AND version < $4",
        package,
        tab.slug(),
        keep,
        version,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Age of the oldest row per tab, in seconds (stale data cannot hide).
pub async fn oldest_age_by_tab(pool: &PgPool) -> Result<Vec<(String, f64)>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT tab, EXTRACT(EPOCH FROM now() - min(fetched_at))::float8 AS "age!"
           FROM tab_rows GROUP BY tab ORDER BY tab"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.tab, r.age)).collect())
}
