//! The `packages` table: source packages and their binary sub-packages.
use sqlx::{PgPool, Postgres, Transaction};

use super::DbError;
use crate::model::storable::text;

#[derive(Debug, Clone, PartialEq)]
pub struct PackageRow {
    pub name: String,
    pub source_name: String,
    pub summary: String,
    pub description: String,
    pub upstream_url: Option<String>,
    pub license: Option<String>,
    /// Newest version, for search results.
    pub version_label: String,
}

pub async fn get(pool: &PgPool, name: &str) -> Result<Option<PackageRow>, DbError> {
    Ok(sqlx::query_as!(
        PackageRow,
        "SELECT name, source_name, summary, description, upstream_url, license, version_label
         FROM packages WHERE name = $1",
        name,
    )
    .fetch_optional(pool)
    .await?)
}

/// Branches where a source package is retired (see `set_retired`).
pub async fn retired_in(pool: &PgPool, source: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!("SELECT retired_in FROM packages WHERE name = $1", source)
        .fetch_optional(pool)
        .await?
        .unwrap_or_default())
}

/// Names of the binary packages built from a source package, itself excluded.
pub async fn sub_packages(pool: &PgPool, source: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!("SELECT name FROM packages WHERE source_name = $1 AND name <> $1 ORDER BY name", source)
        .fetch_all(pool)
        .await?)
}

/// The same name in another case (`perl-net-dns` → `perl-Net-DNS`), for a 404 page.
pub async fn other_case(pool: &PgPool, name: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT name FROM packages WHERE lower(name) = lower($1) AND name <> $1 ORDER BY name LIMIT 5",
        name,
    )
    .fetch_all(pool)
    .await?)
}

/// Writes a package row unless a newer refresh already wrote it.
pub async fn upsert(tx: &mut Transaction<'_, Postgres>, row: &PackageRow, version: i64) -> Result<bool, DbError> {
    let (summary, description, label) = (text(&row.summary), text(&row.description), text(&row.version_label));
    let url = row.upstream_url.as_deref().map(text);
    let license = row.license.as_deref().map(text);
    let done = sqlx::query!(
        "INSERT INTO packages (name, source_name, summary, description, upstream_url, license, version_label, version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (name) DO UPDATE SET
            source_name = EXCLUDED.source_name, summary = EXCLUDED.summary,
            description = EXCLUDED.description, upstream_url = EXCLUDED.upstream_url,
            license = COALESCE(EXCLUDED.license, packages.license),
            version_label = EXCLUDED.version_label,
            version = EXCLUDED.version, updated_at = now()
         WHERE packages.version <= EXCLUDED.version",
        row.name,
        row.source_name,
        summary.as_ref(),
        description.as_ref(),
        url.as_deref(),
        license.as_deref(),
        label.as_ref(),
        version,
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes sure a source package's row exists (e.g. a package dist-git
/// announced before any repository has it), recording its license if known.
pub async fn ensure(tx: &mut Transaction<'_, Postgres>, source: &str, license: Option<&str>) -> Result<(), DbError> {
    let license = license.map(text);
    sqlx::query!(
        "INSERT INTO packages (name, source_name, license, version) VALUES ($1, $1, $2, 0)
         ON CONFLICT (name) DO UPDATE SET license = EXCLUDED.license
         WHERE EXCLUDED.license IS NOT NULL AND EXCLUDED.license IS DISTINCT FROM packages.license",
        source,
        license.as_deref(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records the branches where the source package is retired (dist-git's
/// `dead.package`, the package gone from the branch's repository).
pub async fn set_retired(
    tx: &mut Transaction<'_, Postgres>,
    source: &str,
    branches: &[String],
    version: i64,
) -> Result<(), DbError> {
    sqlx::query!(
        "UPDATE packages SET retired_in = $2 WHERE name = $1 AND retired_in IS DISTINCT FROM $2 AND version <= $3",
        source,
        branches,
        version,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Source packages with their summaries, by name.
pub async fn browse(pool: &PgPool, limit: i64) -> Result<Vec<(String, String)>, DbError> {
    let rows =
        sqlx::query!("SELECT name, summary FROM packages WHERE name = source_name ORDER BY name LIMIT $1", limit,)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.summary)).collect())
}

/// Source package of each of these names that is known (unknown names are absent).
pub async fn sources_of(pool: &PgPool, names: &[String]) -> Result<Vec<(String, String)>, DbError> {
    let rows =
        sqlx::query!("SELECT name, source_name FROM packages WHERE name = ANY($1)", names).fetch_all(pool).await?;
    Ok(rows.into_iter().map(|r| (r.name, r.source_name)).collect())
}

/// Whether a package row exists (seen inside a refresh's transaction).
pub async fn exists(tx: &mut Transaction<'_, Postgres>, name: &str) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM packages WHERE name = $1) AS "exists!""#, name)
        .fetch_one(&mut **tx)
        .await?)
}

/// Every package built from `source` (itself included when it has a row).
pub async fn built_from<'e>(db: impl sqlx::PgExecutor<'e>, source: &str) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar!("SELECT name FROM packages WHERE source_name = $1", source).fetch_all(db).await?)
}
