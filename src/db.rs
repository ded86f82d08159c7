//! Server-only database access, grouped by table. Pages read through here;
//! only the refresh path writes.

pub mod events;
pub mod failures;
pub mod live;
pub mod lookup_pools;
pub mod packages;
pub mod published;
pub mod releases;
pub mod repodata;
pub mod search;
pub mod settings;
pub mod sweep;
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
    /// A transaction written with others failed as a whole.
    #[error("the batch's transaction failed: {reason}")]
    Chunk { reason: String, transient: bool },
}

impl DbError {
    /// The SQLSTATE PostgreSQL answered, if it answered one.
    pub fn sqlstate(&self) -> Option<String> {
        match self {
            DbError::Sqlx(sqlx::Error::Database(e)) => e.code().map(|c| c.into_owned()),
            _ => None,
        }
    }

    /// Worth trying again: the connection, the pool, a serialization failure
    /// (40001), a deadlock (40P01), a shutdown (57P), lack of resources (53).
    /// Not worth it: the data itself was refused (22 data exception, 23
    /// integrity, 54 limits) or anything else about the statement, or a
    /// stored payload that cannot be read; those fail one message, not all.
    pub fn is_transient(&self) -> bool {
        match self {
            DbError::Sqlx(e) => match e {
                sqlx::Error::Database(_) => {
                    let code = self.sqlstate().unwrap_or_default();
                    ["40001", "40P01"].contains(&code.as_str())
                        || ["08", "53", "57P"].iter().any(|class| code.starts_with(class))
                }
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => true,
                _ => false,
            },
            DbError::Payload { .. } => false,
            DbError::Chunk { transient, .. } => *transient,
        }
    }

    /// The connection or the server is gone (as opposed to one transaction
    /// losing a race): the worker waits for the database instead of retrying at once.
    pub fn is_unavailable(&self) -> bool {
        self.is_transient() && !matches!(self.sqlstate().as_deref(), Some("40001" | "40P01"))
    }
}

/// Opens the pool with short timeouts, so a database outage answers 500s
/// quickly instead of piling up waiting requests.
pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    // Random reads cost about what sequential ones do on SSDs; at the default
    // (4) the planner sorts every name a short prefix matches instead of
    // walking the prefix index in order (30 ms instead of 0.5 ms for `lib`).
    // Statements are planned for their values each time: a cached generic
    // plan cannot use the prefix index, since it does not know the pattern.
    let options = url
        .parse::<sqlx::postgres::PgConnectOptions>()?
        .options([("random_page_cost", "1.1"), ("plan_cache_mode", "force_custom_plan")]);
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("../../migrations").run(pool).await
}

/// Takes the version of a refresh that is starting (see `tab_rows.version`).
pub async fn next_version(pool: &PgPool) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar!(r#"SELECT nextval('refresh_version') AS "v!""#).fetch_one(pool).await?)
}

/// Takes `n` versions at once, for a batch of refreshes starting together.
pub async fn next_versions(pool: &PgPool, n: usize) -> Result<Vec<i64>, DbError> {
    Ok(sqlx::query_scalar!(r#"SELECT nextval('refresh_version') AS "v!" FROM generate_series(1, $1)"#, n as i32)
        .fetch_all(pool)
        .await?)
}

/// Whether the database answers at all (for `/readyz`).
pub async fn ping(pool: &PgPool) -> Result<(), DbError> {
    sqlx::query!("SELECT 1 AS one").fetch_one(pool).await?;
    Ok(())
}

/// The channel on which every committed change of a package's rows is announced.
pub const CHANGED_CHANNEL: &str = "fedora_packages_changed";

/// Announces (at commit) that these packages' rows changed; one
/// notification per package, its name as the payload.
pub async fn notify_changed(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    packages: &[String],
) -> Result<(), DbError> {
    sqlx::query!("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", CHANGED_CHANNEL, packages)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
