//! Server-only database access, grouped by table. Pages read through here;
//! only the refresh path writes.

pub mod events;
pub mod failures;
pub mod packages;
pub mod releases;
pub mod search;
pub mod sync_runs;
pub mod tabs;

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

/// A database failure, as the layers above see it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("stored {what} is unreadable: {source}")]
    Payload { what: String, source: serde_json::Error },
}

/// Opens the pool with short timeouts, so a database outage answers 500s
/// quickly instead of piling up waiting requests.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    // Random reads cost about what sequential ones do on SSDs; at the default
    // (4) the planner sorts every name a short prefix matches instead of
    // walking the prefix index in order (30 ms instead of 0.5 ms for `lib`).
    let options = url.parse::<sqlx::postgres::PgConnectOptions>()?.options([("random_page_cost", "1.1")]);
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

/// Takes the version of a refresh that is starting (see `tab_rows.version`).
pub async fn next_version(pool: &PgPool) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar("SELECT nextval('refresh_version')").fetch_one(pool).await?)
}

/// The channel on which every committed change of a package's rows is announced.
pub const CHANGED_CHANNEL: &str = "fedora_packages_changed";

/// Announces (at commit) that these packages' rows changed; one
/// notification per package, its name as the payload.
pub async fn notify_changed(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    packages: &[String],
) -> Result<(), DbError> {
    sqlx::query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p")
        .bind(CHANGED_CHANNEL)
        .bind(packages)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
