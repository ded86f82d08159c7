//! The `refresh_failures` table: what went wrong upstream, and when.
use sqlx::{PgPool, Postgres, Transaction};

use super::DbError;
use crate::upstream::UpstreamError;

pub async fn record(tx: &mut Transaction<'_, Postgres>, package: &str, error: &UpstreamError) -> Result<(), DbError> {
    let reason = error.reason.to_string();
    let (call, reason) = (crate::model::storable::text(&error.call), crate::model::storable::text(&reason));
    sqlx::query!(
        "INSERT INTO refresh_failures (package, service, call, reason) VALUES ($1, $2, $3, $4)",
        package,
        error.service.name(),
        call.as_ref(),
        reason.as_ref(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Failure {
    pub at: chrono::DateTime<chrono::Utc>,
    pub package: String,
    pub service: String,
    pub call: String,
    pub reason: String,
}

pub async fn recent(pool: &PgPool, package: &str, limit: i64) -> Result<Vec<Failure>, DbError> {
    Ok(sqlx::query_as!(
        Failure,
        "SELECT at, package, service, call, reason FROM refresh_failures WHERE package = $1 ORDER BY at DESC LIMIT $2",
        package,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

pub async fn prune(pool: &PgPool, older_than: chrono::Duration) -> Result<u64, DbError> {
    let done = sqlx::query!(
        "DELETE FROM refresh_failures WHERE at < now() - make_interval(secs => $1)",
        older_than.num_seconds() as f64
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
