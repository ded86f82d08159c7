//! The maintenance commands: database set-up and loading the demo data.
use std::path::Path;

use anyhow::{bail, Context};
use sqlx::migrate::MigrateDatabase;
use sqlx::{PgPool, Postgres};

use super::config::{DbArgs, WorkerArgs};
use crate::bus::WorkerStatus;
use crate::model::Tab;
use crate::sync::SyncPlan;
use crate::upstream::{Upstream, UpstreamConfig};
use tokio_util::sync::CancellationToken;

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
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => "(an unparsable URL)".to_string(),
    }
}

/// `sync`: refreshes the packages asked for, printing a summary; fails
/// (non-zero exit) when any package had a failing upstream call.
pub async fn sync(
    pool: &PgPool,
    upstream: &Upstream,
    packages: Option<Vec<String>>,
    tabs: Vec<Tab>,
    concurrency: usize,
) -> anyhow::Result<()> {
    let tabs = if tabs.is_empty() { Tab::ALL.to_vec() } else { tabs };
    let all = packages.is_none();
    let plan = SyncPlan { packages, tabs, concurrency, progress_bar: crate::sync::wants_progress_bar() };
    let summary = tokio::select! {
        result = crate::sync::run(pool, upstream, &plan) => result?,
        _ = tokio::signal::ctrl_c() => bail!("interrupted: run the same command again to resume"),
    };
    let message = format!(
        "sync: {} packages, {} refreshed, {} skipped (done earlier in this run), {} failed",
        summary.total,
        summary.refreshed,
        summary.skipped,
        summary.failed.len()
    );
    tracing::info!("{message}");
    eprintln!("{message}");
    if !summary.failed.is_empty() {
        for (name, why) in &summary.failed {
            eprintln!("  failed: {name}: {why}");
        }
        bail!("{} packages failed; run the same command again to retry them", summary.failed.len());
    }
    if all {
        repos(pool, upstream, Vec::new()).await?;
    }
    Ok(())
}

/// `repos`: reads the repository metadata of the branches named, or of
/// every active one; fails when a repository could not be read.
pub async fn repos(pool: &PgPool, upstream: &Upstream, branches: Vec<String>) -> anyhow::Result<()> {
    use crate::refresh::repodata::{active_branches, refresh_branches, refresh_dependencies, RepoStatus};
    let branches = match branches.is_empty() {
        true => active_branches(pool, &upstream.repos.arch).await?,
        false => branches,
    };
    if branches.is_empty() {
        bail!("no active release is known yet: run `sync` first, or name the branches (rawhide, f42, ...)");
    }
    let outcomes = tokio::select! {
        result = refresh_branches(pool, upstream, &branches) => result?,
        _ = tokio::signal::ctrl_c() => bail!("interrupted: nothing of the repository being read was kept; run it again"),
    };
    for outcome in &outcomes {
        eprintln!("repos: {outcome}");
    }
    let refreshed = refresh_dependencies(pool, upstream, &outcomes, 4).await?;
    eprintln!("repos: dependencies tabs refreshed for {refreshed} source packages");
    let failed = outcomes.iter().filter(|o| matches!(o.status, RepoStatus::Failed(_))).count();
    if failed > 0 {
        bail!("{failed} repositories could not be read; their stored data is unchanged");
    }
    Ok(())
}

/// The bus worker until `stop`; the web keeps serving if the broker is away.
pub async fn worker(
    pool: PgPool,
    args: WorkerArgs,
    status: WorkerStatus,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let upstream = Upstream::new(&args.upstream.config())?;
    crate::bus::run_worker(pool, upstream, args.config(), status, stop).await.context("bus worker failed")
}

/// Serves `dir` with the recorded-upstream server on a free local port.
pub async fn start_replay(dir: &Path) -> anyhow::Result<(String, tokio::task::JoinHandle<std::io::Result<()>>)> {
    if !dir.join("distgit/api/0/rpms").is_dir() {
        bail!("{} does not look like a recordings directory (no distgit/api/0/rpms)", dir.display());
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("cannot start the replay server")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(crate::dev::replay::serve(
        dir.to_path_buf(),
        listener,
        crate::dev::replay::Faults::default(),
        CancellationToken::new(),
    ));
    Ok((format!("http://{addr}"), server))
}

/// The demo: `sync --all` against the recorded upstream in `dir`, exactly
/// as a sync against production runs.
/// The database is marked as a demo database first; one that holds real
/// packages is refused unless `force`.
pub async fn load_demo(pool: &PgPool, dir: &Path, force: bool) -> anyhow::Result<()> {
    use crate::db::settings;
    if !force && settings::has_packages(pool).await? && !settings::is_demo(pool).await? {
        bail!(
            "this database holds packages that `load-demo` did not load; \
             point DATABASE_URL at another database, or pass --force to mix the demo into it"
        );
    }
    settings::mark_demo(pool).await?;
    let (base, server) = start_replay(dir).await?;
    let upstream = Upstream::new(&UpstreamConfig::all_under(&base))?;
    let result = sync(pool, &upstream, None, Vec::new(), 4).await;
    server.abort();
    result
}

/// Writes `name.gz` and `name.br` (best compression) beside every file in `dir`.
pub fn precompress(dir: &Path) -> anyhow::Result<()> {
    use crate::server::compress::{brotli, gzip};
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || ext == "gz" || ext == "br" {
            continue;
        }
        let data = std::fs::read(&path)?;
        std::fs::write(path.with_extension(format!("{ext}.gz")), gzip(&data, 9))?;
        std::fs::write(path.with_extension(format!("{ext}.br")), brotli(&data, 11))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden() {
        assert_eq!(super::redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert!(!super::redact("postgres://u:p@ss:w@h/db").contains("ss:w"));
    }
}
