//! The one refresh path, used by `load-demo`/`sync`, the bus worker and the
//! sweep: fetch what the asked-for tabs of a source package need, then replace
//! its rows in one transaction. A tab whose fetch failed keeps its old row;
//! the overview keeps the old part of a failed service and replaces the rest.

mod build;
mod snapshot;
mod write;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sqlx::PgPool;

use crate::db::{self, DbError};
use crate::model::{Contents, Dependencies, Overview, Part, Tab};
use crate::upstream::{Service, Upstream, UpstreamError};
use snapshot::BranchSnapshot;
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

/// Everything fetched for one refresh; `None` where not asked for, `Err` where it failed.
#[derive(Default)]
pub(crate) struct Fetched {
    snapshots: Option<Result<Vec<BranchSnapshot>, UpstreamError>>,
    releases: Option<Result<Vec<crate::upstream::bodhi::BodhiRelease>, UpstreamError>>,
    builds: Option<Result<crate::model::Builds, UpstreamError>>,
    updates: Option<Result<crate::model::Updates, UpstreamError>>,
    bugs: Option<Result<crate::model::Bugs, UpstreamError>>,
    /// `None` inside: dist-git has no such project.
    maintainers: Option<Result<Option<crate::model::Maintainers>, UpstreamError>>,
    sources: Option<Result<crate::model::Sources, UpstreamError>>,
    /// Per (package, branch): the per-release tabs.
    per_branch: BTreeMap<(String, String), BranchRows>,
}

impl Fetched {
    /// Whether any service answered that the package exists.
    fn exists_upstream(&self) -> bool {
        fn says<T>(slot: &Option<Result<T, UpstreamError>>, yes: impl Fn(&T) -> bool) -> bool {
            matches!(slot, Some(Ok(v)) if yes(v))
        }
        says(&self.snapshots, |s| !s.is_empty())
            || says(&self.builds, |b| b.package_id.is_some())
            || says(&self.maintainers, |m| m.is_some())
            || says(&self.sources, |s| !s.branches.is_empty())
    }

    fn failures(&self) -> Vec<UpstreamError> {
        fn err<T>(slot: &Option<Result<T, UpstreamError>>) -> Option<UpstreamError> {
            slot.as_ref().and_then(|r| r.as_ref().err()).cloned()
        }
        [
            err(&self.snapshots),
            err(&self.releases),
            err(&self.builds),
            err(&self.updates),
            err(&self.bugs),
            err(&self.maintainers),
            err(&self.sources),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[derive(Default)]
pub(crate) struct BranchRows {
    contents: Option<Result<Contents, UpstreamError>>,
    changelog: Option<Result<Option<crate::model::Changelog>, UpstreamError>>,
    dependencies: Option<Result<Dependencies, UpstreamError>>,
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

/// Refreshes what `scope` covers of `source` and its sub-packages.
pub async fn refresh_scope(pool: &PgPool, up: &Upstream, source: &str, scope: &Scope) -> Result<Report, RefreshError> {
    // Taken before fetching: a refresh that starts later always wins.
    let version = db::next_version(pool).await?;
    let wants = |t: Tab| scope.wants(t);
    let mut f = Fetched::default();

    let needs_mdapi = [Tab::Contents, Tab::Changelog, Tab::Dependencies].iter().any(|t| wants(*t))
        || scope.wants_part(Service::Mdapi);
    let needs_koji = wants(Tab::Builds) || scope.wants_part(Service::Koji) || wants(Tab::Sources);
    let (snapshots, releases, builds, updates, bugs, maintainers) = futures::join!(
        async {
            if !needs_mdapi {
                return None;
            }
            Some(
                async {
                    let branches = snapshot::binary_branches(&up.mdapi.branches().await?);
                    snapshot::fetch_all(&up.mdapi, &branches, source).await
                }
                .await,
            )
        },
        optional(scope.wants_part(Service::Bodhi), up.bodhi.releases()),
        optional(needs_koji, build::builds(up, source)),
        optional(wants(Tab::Updates) || scope.wants_part(Service::Bodhi), build::updates(up, source)),
        optional(wants(Tab::Bugs) || scope.wants_part(Service::Bugzilla), build::bugs(up, source)),
        optional(scope.wants_part(Service::DistGit), build::maintainers(up, source)),
    );
    f.snapshots = snapshots;
    f.releases = releases;
    f.updates = updates;
    f.bugs = bugs;
    f.maintainers = maintainers;
    if wants(Tab::Sources) {
        let latest = builds.as_ref().and_then(|b| b.as_ref().ok());
        f.sources = Some(build::sources(up, source, latest).await);
    }
    f.builds = builds;
    let tabs: Vec<Tab> = scope.tabs.iter().copied().collect();
    if let Some(Ok(snaps)) = &f.snapshots {
        f.per_branch = per_branch(up, source, snaps, &tabs).await;
    }
    let mut report = Report { source: source.to_string(), ..Default::default() };
    if !f.exists_upstream() && db::packages::get(pool, source).await?.is_none() {
        // Nothing upstream knows this name: never invent a package row for it.
        report.missing = true;
        report.failures = f.failures();
        return Ok(report);
    }
    report.outcome = write::write(pool, source, &tabs, &mut f, version, &mut report.failures).await?;
    Ok(report)
}

async fn optional<T>(
    wanted: bool,
    fut: impl std::future::Future<Output = Result<T, UpstreamError>>,
) -> Option<Result<T, UpstreamError>> {
    if wanted {
        Some(fut.await)
    } else {
        None
    }
}

/// Contents, changelog and dependencies of the source and each binary, per branch.
async fn per_branch(
    up: &Upstream,
    source: &str,
    snapshots: &[BranchSnapshot],
    tabs: &[Tab],
) -> BTreeMap<(String, String), BranchRows> {
    let mut out = BTreeMap::new();
    for snap in snapshots {
        let binaries = snap.binary_names();
        let mut names: Vec<(String, bool)> = binaries.iter().map(|n| (n.clone(), n == source)).collect();
        if !binaries.iter().any(|n| n == source) {
            names.push((source.to_string(), true));
        }
        // Fetched once per branch, then cut per package.
        let all_contents = match tabs.contains(&Tab::Contents) {
            true => Some(build::contents(up, &snap.branch, &binaries).await),
            false => None,
        };
        let all_deps = match tabs.contains(&Tab::Dependencies) {
            true => Some(build::dependencies(up, snap, &binaries).await),
            false => None,
        };
        for (name, is_source) in names {
            let mine = |n: &str| is_source || n == name;
            let mut rows = BranchRows {
                contents: all_contents.as_ref().map(|r| match r {
                    Ok(c) => Ok(Contents { packages: c.packages.iter().filter(|p| mine(&p.name)).cloned().collect() }),
                    Err(e) => Err(e.clone()),
                }),
                dependencies: all_deps.as_ref().map(|r| match r {
                    Ok(d) => {
                        Ok(Dependencies { packages: d.packages.iter().filter(|p| mine(&p.name)).cloned().collect() })
                    }
                    Err(e) => Err(e.clone()),
                }),
                changelog: None,
            };
            if tabs.contains(&Tab::Changelog) {
                let own_srpm = is_source && snap.source.is_some();
                let mut log = build::changelog(up, &snap.branch, &name, own_srpm).await;
                if let (true, Ok(None)) = (is_source, &log) {
                    if let Some(first) = binaries.first() {
                        log = build::changelog(up, &snap.branch, first, false).await;
                    }
                }
                rows.changelog = Some(log);
            }
            out.insert((name, snap.branch.clone()), rows);
        }
    }
    out
}

/// The overview built from whatever parts were fetched; failed parts are `None`
/// and get filled from the old row by the writer.
fn overview_parts(f: &Fetched, source: &str, name: &str) -> Overview {
    let is_source = name == source;
    let now = Utc::now();
    let part = |v| Part { fetched_at: now, value: v };
    let mut o = Overview::default();
    if let Some(Ok(snaps)) = &f.snapshots {
        let infos: Vec<_> =
            build::infos(snaps, source).into_iter().filter(|(n, _)| n == name).map(|(_, i)| i).collect();
        o.info = Some(part(infos));
    }
    if !is_source {
        return o;
    }
    if let (Some(Ok(releases)), Some(Ok(updates))) = (&f.releases, &f.updates) {
        o.releases = Some(Part { fetched_at: now, value: build::release_versions(releases, updates) });
    }
    if let Some(Ok(builds)) = &f.builds {
        o.latest_build = Some(Part { fetched_at: now, value: crate::upstream::koji::latest(&builds.builds) });
    }
    if let Some(Ok(bugs)) = &f.bugs {
        o.bugs = Some(Part { fetched_at: now, value: crate::model::BugCounts { open: bugs.bugs.len() as u32 } });
    }
    if let Some(Ok(m)) = &f.maintainers {
        o.maintainers = Some(Part { fetched_at: now, value: m.clone().unwrap_or_default() });
    }
    o
}
