//! The `site_settings` table: facts about this database itself.
use sqlx::PgPool;

use super::DbError;

/// Whether `load-demo` filled this database (the gallery and the demo's
/// own commands run on it; they refuse a database holding real data).
pub async fn is_demo(pool: &PgPool) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!("SELECT value = 'true' AS \"demo!\" FROM site_settings WHERE key = 'demo'")
        .fetch_optional(pool)
        .await?
        .unwrap_or(false))
}

/// Marks the database as holding the demo.
pub async fn mark_demo(pool: &PgPool) -> Result<(), DbError> {
    sqlx::query!(
        "INSERT INTO site_settings (key, value) VALUES ('demo', 'true')
         ON CONFLICT (key) DO UPDATE SET value = 'true'"
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether the database holds any package at all.
pub async fn has_packages(pool: &PgPool) -> Result<bool, DbError> {
    Ok(sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM packages) AS "any!""#).fetch_one(pool).await?)
}
