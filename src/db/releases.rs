//! The `releases` table: active releases, lining Bodhi up with mdapi branches.
use sqlx::{PgPool, Postgres, Transaction};

use super::DbError;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReleaseRow {
    pub branch: String,
    pub name: String,
    pub long_name: String,
    pub state: String,
    pub rank: i32,
}

/// Active releases, newest first (rawhide leads).
pub async fn all(pool: &PgPool) -> Result<Vec<ReleaseRow>, DbError> {
    Ok(sqlx::query_as("SELECT branch, name, long_name, state, rank FROM releases ORDER BY rank DESC")
        .fetch_all(pool)
        .await?)
}

/// Replaces the whole list in one transaction.
pub async fn replace(tx: &mut Transaction<'_, Postgres>, rows: &[ReleaseRow]) -> Result<(), DbError> {
    sqlx::query("DELETE FROM releases").execute(&mut **tx).await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO releases (branch, name, long_name, state, rank) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (branch) DO NOTHING",
        )
        .bind(&r.branch)
        .bind(&r.name)
        .bind(&r.long_name)
        .bind(&r.state)
        .bind(r.rank)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
