//! What the live streams read: which rows behind a package's page were
//! written since a refresh version (`tab_rows.version` comes from one
//! sequence, so it orders every write).
use sqlx::PgPool;

use super::DbError;

/// A row written since the version asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenRow {
    pub tab: String,
    pub branch: String,
    pub version: i64,
}

/// The rows behind `name`'s page (its own and its source package's)
/// written after refresh version `since`.
pub async fn written_since(pool: &PgPool, name: &str, since: i64) -> Result<Vec<WrittenRow>, DbError> {
    Ok(sqlx::query_as!(
        WrittenRow,
        "SELECT t.tab, t.branch, t.version FROM packages p
         JOIN tab_rows t ON t.package IN (p.name, p.source_name)
         WHERE p.name = $1 AND t.version > $2",
        name,
        since,
    )
    .fetch_all(pool)
    .await?)
}

/// The newest refresh version behind `name`'s page (0 when it has no
/// rows yet); `None` when there is no such package.
pub async fn newest_version(pool: &PgPool, name: &str) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce((SELECT max(t.version) FROM tab_rows t WHERE t.package IN (p.name, p.source_name)), 0) AS "v!"
           FROM packages p WHERE p.name = $1"#,
        name,
    )
    .fetch_optional(pool)
    .await?)
}
