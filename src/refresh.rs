//! The one refresh path, used by `load-demo`/`sync`, the bus worker and the
//! sweep: fetch what a scope of a source package needs (`fetch`), then
//! replace its rows in a transaction (`write`). A tab whose fetch failed
//! keeps its old row; the overview keeps the old part of a failed service.

mod build;
mod fetch;
pub mod repodata;
mod snapshot;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures::StreamExt;
use sqlx::{Acquire, PgPool};

use crate::db::{self, DbError};
use crate::model::Tab;
use crate::upstream::{Service, Upstream, UpstreamError};
pub use fetch::Fetched;
pub use write::Outcome;

/// A refresh that could not be written. Upstream failures are not errors:
/// they are reported and the old rows stay.
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

impl RefreshError {
    /// Trying again can succeed (a lost race, a lost connection).
    pub fn is_transient(&self) -> bool {
        match self {
            RefreshError::Db(e) => e.is_transient(),
        }
    }

    /// The database itself is unreachable: nothing can be written now.
    pub fn is_unavailable(&self) -> bool {
        match self {
            RefreshError::Db(e) => e.is_unavailable(),
        }
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
#[tracing::instrument(skip(pool, up, scope), fields(package.name = %source))]
pub async fn refresh_at(
    pool: &PgPool,
    up: &Upstream,
    source: &str,
    scope: &Scope,
    version: i64,
) -> Result<Report, RefreshError> {
    let batch = BTreeMap::from([(source.to_string(), scope.clone())]);
    let fetched = fetch_many(pool, up, batch, &mut vec![version], 1).await?;
    let mut results = write_chunk(pool, fetched).await?;
    results.pop().map(|(_, r)| r).unwrap_or_else(|| Ok(Report { source: source.to_string(), ..Report::default() }))
}

/// What a batch did, package by package: one package's refused write
/// (a value PostgreSQL rejects, a stored row that does not decode) fails
/// that package alone.
pub type BatchResults = HashMap<String, Result<Report, RefreshError>>;

/// Refreshes many source packages: fetched concurrently, written in a few
/// transactions side by side, each package inside its own savepoint. Every
/// transaction takes its rows in name order, so two workers never deadlock
/// on tab rows; a transaction that still loses a race (40001, 40P01) is
/// written again. Errs only when the database is unreachable.
#[tracing::instrument(skip_all, fields(packages = scopes.len()))]
pub async fn refresh_batch(
    pool: &PgPool,
    up: &Upstream,
    scopes: BTreeMap<String, Scope>,
    concurrency: usize,
) -> Result<BatchResults, RefreshError> {
    if scopes.is_empty() {
        return Ok(HashMap::new());
    }
    // One version per package, all taken before any fetch starts.
    let mut versions = db::next_versions(pool, scopes.len()).await?;
    let mut fetched = fetch_many(pool, up, scopes, &mut versions, concurrency).await?;
    fetched.sort_by(|a, b| a.source.cmp(&b.source));
    let chunk = fetched.len().div_ceil(WRITERS).max(1);
    let mut chunks: Vec<Vec<Job>> = Vec::new();
    let mut rest = fetched.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(chunk).collect());
    }
    let written = futures::future::join_all(chunks.into_iter().map(|jobs| write_chunk(pool, jobs))).await;
    let mut results = HashMap::new();
    for chunk in written {
        results.extend(chunk?);
    }
    Ok(results)
}

/// Transactions a batch is written in, side by side.
const WRITERS: usize = 8;

/// Attempts at a chunk that keeps losing races before its packages fail.
const WRITE_ATTEMPTS: u32 = 5;

/// One package's fetched data, waiting to be written.
struct Job {
    source: String,
    scope: Scope,
    version: i64,
    fetched: Fetched,
}

/// Fetches every package of a batch (with the branches each has rows for),
/// and writes Bodhi's release list, once, in its own transaction.
async fn fetch_many(
    pool: &PgPool,
    up: &Upstream,
    scopes: BTreeMap<String, Scope>,
    versions: &mut Vec<i64>,
    concurrency: usize,
) -> Result<Vec<Job>, RefreshError> {
    let sources: Vec<String> = scopes.keys().cloned().collect();
    let known = db::tabs::known_branches(pool, &sources).await?;
    let none = BTreeSet::new();
    let jobs: Vec<(String, Scope, i64)> =
        scopes.into_iter().zip(versions.drain(..)).map(|((s, scope), v)| (s, scope, v)).collect();
    let mut fetched: Vec<Job> = futures::stream::iter(jobs)
        .map(|(source, scope, version)| {
            let known = known.get(&source).unwrap_or(&none);
            async move {
                let fetched = fetch::fetch(up, &source, &scope, known, up.refresh_deadline).await;
                Job { source, scope, version, fetched }
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    for job in &mut fetched {
        job.fetched.complete_dependencies(pool, &job.source).await?;
    }
    if let Some(releases) = fetched.iter().find_map(|j| j.fetched.releases()) {
        match db::releases::replace(pool, &crate::upstream::bodhi::to_releases(releases)).await {
            Err(e) if e.is_unavailable() => return Err(e.into()),
            Err(e) => tracing::error!(error = %e, "release list not written; the old one stays"),
            Ok(()) => {}
        }
    }
    Ok(fetched)
}

/// Writes a chunk in one transaction, a savepoint per package; the whole
/// chunk is written again when the transaction loses a race.
async fn write_chunk(
    pool: &PgPool,
    mut jobs: Vec<Job>,
) -> Result<Vec<(String, Result<Report, RefreshError>)>, RefreshError> {
    let mut attempt = 1;
    loop {
        match write_chunk_once(pool, &mut jobs).await {
            Ok(results) => return Ok(results),
            Err(e) if e.is_unavailable() => return Err(e),
            Err(e) if e.is_transient() && attempt < WRITE_ATTEMPTS => {
                tracing::info!(error = %e, attempt, "write lost a race; writing again");
                tokio::time::sleep(std::time::Duration::from_millis(20 * u64::from(attempt))).await;
                attempt += 1;
            }
            // Still losing, or refused outside any package: every package of it fails.
            Err(e) => {
                let (reason, transient) = (e.to_string(), e.is_transient());
                let failed =
                    |j: &Job| (j.source.clone(), Err(DbError::Chunk { reason: reason.clone(), transient }.into()));
                return Ok(jobs.iter().map(failed).collect());
            }
        }
    }
}

async fn write_chunk_once(
    pool: &PgPool,
    jobs: &mut [Job],
) -> Result<Vec<(String, Result<Report, RefreshError>)>, RefreshError> {
    let mut tx = pool.begin().await?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs.iter_mut() {
        // Written from a copy: a retried chunk writes the same data again.
        let mut fetched = job.fetched.clone();
        let mut savepoint = (&mut *tx).begin().await?;
        match write_one(&mut savepoint, &job.source, &job.scope, &mut fetched, job.version).await {
            Ok(report) => {
                savepoint.commit().await?;
                results.push((job.source.clone(), Ok(report)));
            }
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => {
                savepoint.rollback().await?;
                tracing::error!(package.name = %job.source, error = %e, sqlstate = ?sqlstate(&e), "package not written; the rest of the batch goes on");
                metrics::counter!("refresh_refused_total").increment(1);
                results.push((job.source.clone(), Err(e)));
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}

fn sqlstate(e: &RefreshError) -> Option<String> {
    match e {
        RefreshError::Db(e) => e.sqlstate(),
    }
}

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
