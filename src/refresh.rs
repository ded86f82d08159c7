//! The one refresh path, used by `load-demo`/`sync`, the bus worker and the
//! sweep: fetch what a scope of a source package needs (`fetch`), then
//! replace its rows in a transaction (`write`). A tab whose fetch failed
//! keeps its old row; the overview keeps the old part of a failed service.

mod build;
mod fetch;
mod snapshot;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures::StreamExt;
use sqlx::PgPool;

use crate::db::{self, DbError};
use crate::model::Tab;
use crate::upstream::{Service, Upstream, UpstreamError};
pub use build::latest_build_commit;
pub use fetch::Fetched;
pub use write::Outcome;

/// A refresh that could not run at all (upstream failures are not errors:
/// they are reported and the old rows stay).
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for RefreshError {
    fn from(e: sqlx::Error) -> Self {
        RefreshError::Db(DbError::Sqlx(e))
    }
}

/// What a refresh did.
#[derive(Debug, Default)]
pub struct Report {
    pub source: String,
    pub outcome: Outcome,
    /// Upstream calls that failed; the tabs depending on them kept their old rows.
    pub failures: Vec<UpstreamError>,
    /// No service knows the package (and it was not known before): nothing written.
    pub missing: bool,
}

/// The source package a name belongs to: itself unless it is a known sub-package.
pub async fn source_of(pool: &PgPool, name: &str) -> Result<String, RefreshError> {
    Ok(db::packages::get(pool, name).await?.map(|p| p.source_name).unwrap_or_else(|| name.to_string()))
}

/// What a refresh covers: some tabs and, of the overview, the parts of some
/// services (a Koji event need not refetch Bugzilla's open-bug count).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub tabs: BTreeSet<Tab>,
    /// Overview parts to refetch; empty means all of them.
    pub overview_parts: BTreeSet<Service>,
}

impl Scope {
    pub fn tabs(tabs: &[Tab]) -> Self {
        Scope { tabs: tabs.iter().copied().collect(), overview_parts: BTreeSet::new() }
    }

    /// Everything either scope covers.
    pub fn merge(&mut self, other: &Scope) {
        let all_parts = (self.tabs.contains(&Tab::Overview) && self.overview_parts.is_empty())
            || (other.tabs.contains(&Tab::Overview) && other.overview_parts.is_empty());
        self.tabs.extend(other.tabs.iter().copied());
        self.overview_parts.extend(other.overview_parts.iter().copied());
        if all_parts {
            self.overview_parts.clear();
        }
    }

    fn wants(&self, tab: Tab) -> bool {
        self.tabs.contains(&tab)
    }

    fn wants_part(&self, service: Service) -> bool {
        self.wants(Tab::Overview) && (self.overview_parts.is_empty() || self.overview_parts.contains(&service))
    }
}

/// Refreshes `tabs` of the source package `source` and of its sub-packages.
pub async fn refresh(pool: &PgPool, up: &Upstream, source: &str, tabs: &[Tab]) -> Result<Report, RefreshError> {
    refresh_scope(pool, up, source, &Scope::tabs(tabs)).await
}

/// Refreshes what `scope` covers of `source` and its sub-packages, in its own transaction.
pub async fn refresh_scope(pool: &PgPool, up: &Upstream, source: &str, scope: &Scope) -> Result<Report, RefreshError> {
    // Taken before fetching: a refresh that starts later always wins.
    let version = db::next_version(pool).await?;
    refresh_at(pool, up, source, scope, version).await
}

/// Refreshes as a refresh that started at `version` (taken with
/// `db::next_version`), as if it had been slow: rows and parts written by
/// later-started refreshes stay.
pub async fn refresh_at(
    pool: &PgPool,
    up: &Upstream,
    source: &str,
    scope: &Scope,
    version: i64,
) -> Result<Report, RefreshError> {
    let mut fetched = fetch::fetch(up, source, scope).await;
    let mut tx = pool.begin().await?;
    let report = write_one(&mut tx, source, scope, &mut fetched, version).await?;
    tx.commit().await?;
    Ok(report)
}

/// Refreshes many source packages: fetched concurrently, written in one
/// transaction (one commit for a whole bus batch), in name order so that two
/// workers never deadlock.
pub async fn refresh_batch(
    pool: &PgPool,
    up: &Upstream,
    scopes: BTreeMap<String, Scope>,
    concurrency: usize,
) -> Result<HashMap<String, Report>, RefreshError> {
    if scopes.is_empty() {
        return Ok(HashMap::new());
    }
    // One version per package, all taken before any fetch starts.
    let versions: Vec<i64> = sqlx::query_scalar("SELECT nextval('refresh_version') FROM generate_series(1, $1)")
        .bind(scopes.len() as i64)
        .fetch_all(pool)
        .await?;
    let jobs: Vec<(String, Scope, i64)> =
        scopes.into_iter().zip(versions).map(|((s, scope), v)| (s, scope, v)).collect();
    let mut fetched: Vec<(String, Scope, i64, Fetched)> = futures::stream::iter(jobs)
        .map(|(source, scope, version)| async move {
            let f = fetch::fetch(up, &source, &scope).await;
            (source, scope, version, f)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    // A few transactions side by side, each taking its rows in name order:
    // every transaction locks in the same global order, so none can deadlock.
    fetched.sort_by(|a, b| a.0.cmp(&b.0));
    let chunk = fetched.len().div_ceil(WRITERS).max(1);
    let mut chunks: Vec<Vec<(String, Scope, i64, Fetched)>> = Vec::new();
    let mut rest = fetched.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(chunk).collect());
    }
    let written = futures::future::join_all(chunks.into_iter().map(|jobs| async move {
        let mut tx = pool.begin().await?;
        let mut reports = Vec::with_capacity(jobs.len());
        for (source, scope, version, mut f) in jobs {
            let report = write_one(&mut tx, &source, &scope, &mut f, version).await?;
            reports.push((source, report));
        }
        tx.commit().await?;
        Ok::<_, RefreshError>(reports)
    }))
    .await;
    let mut reports = HashMap::new();
    for chunk in written {
        reports.extend(chunk?);
    }
    Ok(reports)
}

/// Transactions a batch is written in, side by side.
const WRITERS: usize = 8;

async fn write_one(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    source: &str,
    scope: &Scope,
    f: &mut Fetched,
    version: i64,
) -> Result<Report, RefreshError> {
    let mut report = Report { source: source.to_string(), ..Default::default() };
    if !f.exists_upstream() && !db::packages::exists(tx, source).await? {
        // Nothing upstream knows this name: never invent a package row for it.
        report.missing = true;
        report.failures = f.failures();
        return Ok(report);
    }
    let tabs: Vec<Tab> = scope.tabs.iter().copied().collect();
    report.outcome = write::write(tx, source, &tabs, f, version, &mut report.failures).await?;
    Ok(report)
}
