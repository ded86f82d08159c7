//! The `releases` table: active releases, lining Bodhi up with mdapi branches.
use sqlx::{PgPool, Postgres, Transaction};

use super::DbError;
use crate::model::Release;

/// Active releases, newest first (rawhide leads).
pub async fn all<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<Vec<Release>, DbError> {
    Ok(sqlx::query_as!(Release, "SELECT branch, name, long_name, state, rank FROM releases ORDER BY rank DESC, branch")
        .fetch_all(db)
        .await?)
}

/// Replaces the whole list, in its own short transaction and only when it
/// changed: refreshes never hold locks on it while they write tab rows, so
/// two workers cannot take it and those rows in opposite orders.
pub async fn replace(pool: &PgPool, rows: &[Release]) -> Result<(), DbError> {
    if all(pool).await?.iter().eq(sorted(rows).iter()) {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    // One writer at a time; others wait, then find the list already current.
    sqlx::query!("LOCK TABLE releases IN EXCLUSIVE MODE").execute(&mut *tx).await?;
    write(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(())
}

fn sorted(rows: &[Release]) -> Vec<Release> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| b.rank.cmp(&a.rank).then_with(|| a.branch.cmp(&b.branch)));
    rows.dedup_by(|a, b| a.branch == b.branch);
    rows
}

async fn write(tx: &mut Transaction<'_, Postgres>, rows: &[Release]) -> Result<(), DbError> {
    sqlx::query!("DELETE FROM releases").execute(&mut **tx).await?;
    for r in rows {
        sqlx::query!(
            "INSERT INTO releases (branch, name, long_name, state, rank) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (branch) DO NOTHING",
            r.branch,
            r.name,
            r.long_name,
            r.state,
            r.rank,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
