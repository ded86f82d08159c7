//! The maintenance commands: database set-up and loading the demo data.
use std::path::Path;

use anyhow::{bail, Context};
use sqlx::migrate::MigrateDatabase;
use sqlx::{PgPool, Postgres};

use super::config::DbArgs;
use crate::model::Tab;
use crate::upstream::{Upstream, UpstreamConfig};

/// Connects (creating the database and applying migrations when asked),
/// explaining plainly what to do when no PostgreSQL answers.
pub async fn open_database(args: &DbArgs, migrate: bool) -> anyhow::Result<PgPool> {
    let url = &args.database_url;
    if migrate {
        let exists = Postgres::database_exists(url).await.map_err(|e| unreachable_db(url, e))?;
        if !exists {
            Postgres::create_database(url)
                .await
                .with_context(|| format!("cannot create the database at {}", redact(url)))?;
            tracing::info!(database = %redact(url), "created the database");
        }
    }
    let pool = crate::db::connect(url, args.database_max_connections).await.map_err(|e| unreachable_db(url, e))?;
    if migrate {
        crate::db::migrate(&pool).await.context("applying migrations failed")?;
    }
    Ok(pool)
}

fn unreachable_db(url: &str, e: sqlx::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "no PostgreSQL answers at {} ({e}).\n\
         Start one (on Debian: `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) \
         or point DATABASE_URL at a running server.",
        redact(url)
    )
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((scheme_user, host)) if scheme_user.contains(':') && scheme_user.matches(':').count() > 1 => {
            let user = scheme_user.rsplit_once(':').map(|(u, _)| u).unwrap_or(scheme_user);
            format!("{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// Replays `dir` through a local recorded-upstream server and refreshes every
/// package found there, exactly as a sync against production would.
pub async fn load_demo(pool: &PgPool, dir: &Path) -> anyhow::Result<()> {
    if !dir.join("distgit/api/0/rpms").is_dir() {
        bail!("{} does not look like a recordings directory (no distgit/api/0/rpms)", dir.display());
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("cannot start the replay server")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(crate::replay::serve(dir.to_path_buf(), listener));
    let upstream = Upstream::new(&UpstreamConfig::all_under(&format!("http://{addr}")))?;

    let mut names: Vec<String> = std::fs::read_dir(dir.join("distgit/api/0/rpms"))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".json").map(String::from))
        .collect();
    names.sort();
    let mut failed = Vec::new();
    for name in &names {
        let report = crate::refresh::refresh(pool, &upstream, name, &Tab::ALL).await?;
        for f in &report.failures {
            tracing::warn!(package.name = %name, error = %f, "upstream call failed");
        }
        if !report.failures.is_empty() {
            failed.push(name.clone());
        }
        tracing::info!(package.name = %name, rows.written = report.outcome.written, "loaded demo package");
    }
    server.abort();
    if !failed.is_empty() {
        bail!("some demo packages had failing upstream calls: {}", failed.join(", "));
    }
    Ok(())
}
