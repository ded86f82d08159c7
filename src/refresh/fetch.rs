//! Fetching everything a refresh's scope needs, from every service at once.
//! Nothing here writes; a failed call is kept as an error for its tabs.
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::build;
use super::snapshot::{self, BranchSnapshot, Snapshots};
use super::Scope;
use crate::model::{Contents, Dependencies, Tab};
use crate::upstream::{Reason, Service, Upstream, UpstreamError};

/// A fetch result: `None` where not asked for, `Err` where it failed.
pub type Slot<T> = Option<Result<T, UpstreamError>>;

/// Everything fetched for one refresh.
#[derive(Default, Clone)]
pub struct Fetched {
    pub(super) snapshots: Slot<Snapshots>,
    pub(super) releases: Slot<Vec<crate::upstream::bodhi::BodhiRelease>>,
    pub(super) builds: Slot<crate::model::Builds>,
    pub(super) updates: Slot<crate::model::Updates>,
    pub(super) bugs: Slot<crate::model::Bugs>,
    pub(super) maintainers: Slot<crate::model::Maintainers>,
    pub(super) sources: Slot<crate::model::Sources>,
    /// Per (package, branch): the per-release tabs.
    pub(super) per_branch: BTreeMap<(String, String), BranchRows>,
}

impl Fetched {
    /// Whether any service answered that the package exists.
    pub fn exists_upstream(&self) -> bool {
        fn says<T>(slot: &Slot<T>, yes: impl Fn(&T) -> bool) -> bool {
            matches!(slot, Some(Ok(v)) if yes(v))
        }
        says(&self.snapshots, |s| !s.present.is_empty() || !s.retired.is_empty())
            || says(&self.builds, |b| b.package_id.is_some())
            || says(&self.maintainers, |_| true)
            || says(&self.sources, |s| !s.branches.is_empty())
    }

    /// Completes each fetched dependencies row from the repository metadata
    /// (file requirements, "required by" through files, BuildRequires).
    pub(super) async fn complete_dependencies(
        &mut self,
        pool: &sqlx::PgPool,
        source: &str,
    ) -> Result<(), crate::db::DbError> {
        for ((_, branch), rows) in self.per_branch.iter_mut() {
            if let Some(Ok(deps)) = rows.dependencies.as_mut() {
                super::repodata::complete(pool, branch, source, deps).await?;
            }
        }
        Ok(())
    }

    /// Bodhi's release list, when it was fetched.
    pub fn releases(&self) -> Option<&[crate::upstream::bodhi::BodhiRelease]> {
        self.releases.as_ref()?.as_ref().ok().map(Vec::as_slice)
    }

    /// Counts each service's fetch for `/metrics` (tab_refreshes_total).
    fn count_outcomes(&self) {
        fn count<T>(service: Service, slot: &Slot<T>) {
            let outcome = match slot {
                Some(Ok(_)) => "ok",
                Some(Err(e)) if e.is_absent() => "absent",
                Some(Err(_)) => "failed",
                None => return,
            };
            metrics::counter!("tab_refreshes_total", "service" => service.name(), "outcome" => outcome).increment(1);
        }
        count(Service::Mdapi, &self.snapshots);
        count(Service::Bodhi, &self.updates);
        count(Service::Koji, &self.builds);
        count(Service::Bugzilla, &self.bugs);
        count(Service::DistGit, &self.maintainers);
        count(Service::DistGit, &self.sources);
    }

    pub fn failures(&self) -> Vec<UpstreamError> {
        fn err<T>(slot: &Slot<T>) -> Option<UpstreamError> {
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

#[derive(Default, Clone)]
pub struct BranchRows {
    pub(super) contents: Slot<Contents>,
    pub(super) changelog: Slot<Option<crate::model::Changelog>>,
    pub(super) dependencies: Slot<Dependencies>,
}

/// Which calls a scope needs.
struct Wants {
    mdapi: bool,
    releases: bool,
    koji: bool,
    updates: bool,
    bugs: bool,
    maintainers: bool,
    sources: bool,
}

impl Wants {
    fn of(scope: &Scope) -> Self {
        let tab = |t: Tab| scope.wants(t);
        Wants {
            mdapi: [Tab::Contents, Tab::Changelog, Tab::Dependencies].into_iter().any(tab)
                || scope.wants_part(Service::Mdapi),
            releases: scope.wants_part(Service::Bodhi),
            koji: tab(Tab::Builds) || scope.wants_part(Service::Koji),
            updates: tab(Tab::Updates) || scope.wants_part(Service::Bodhi),
            bugs: tab(Tab::Bugs) || scope.wants_part(Service::Bugzilla),
            maintainers: scope.wants_part(Service::DistGit),
            sources: tab(Tab::Sources),
        }
    }
}

/// Fetches what `scope` covers of `source` and its sub-packages, within
/// `deadline`; past it, whatever was asked for fails with `Deadline` (and
/// its stored rows stay). `known` are the branches stored rows exist for.
pub async fn fetch(
    up: &Upstream,
    source: &str,
    scope: &Scope,
    known: &BTreeSet<String>,
    deadline: Duration,
) -> Fetched {
    let f = match tokio::time::timeout(deadline, fetch_all(up, source, scope, known)).await {
        Ok(f) => f,
        Err(_) => {
            tracing::warn!(package.name = %source, deadline_s = deadline.as_secs_f64(), "refresh deadline passed");
            failed(source, scope, Reason::Deadline)
        }
    };
    f.count_outcomes();
    f
}

/// Every asked-for slot failed for the same reason.
fn failed(source: &str, scope: &Scope, reason: Reason) -> Fetched {
    let w = Wants::of(scope);
    fn slot<T>(wanted: bool, service: Service, source: &str, reason: &Reason) -> Slot<T> {
        wanted.then(|| Err(UpstreamError::new(service, format!("refresh {source}"), reason.clone())))
    }
    Fetched {
        snapshots: slot(w.mdapi, Service::Mdapi, source, &reason),
        releases: slot(w.releases, Service::Bodhi, source, &reason),
        builds: slot(w.koji, Service::Koji, source, &reason),
        updates: slot(w.updates, Service::Bodhi, source, &reason),
        bugs: slot(w.bugs, Service::Bugzilla, source, &reason),
        maintainers: slot(w.maintainers, Service::DistGit, source, &reason),
        sources: slot(w.sources, Service::DistGit, source, &reason),
        per_branch: BTreeMap::new(),
    }
}

async fn fetch_all(up: &Upstream, source: &str, scope: &Scope, known: &BTreeSet<String>) -> Fetched {
    let w = Wants::of(scope);
    let (snapshots, releases, builds, updates, bugs, maintainers, sources) = futures::join!(
        optional(w.mdapi, snapshot::fetch_all(&up.mdapi, &up.distgit, source, known)),
        optional(w.releases, up.bodhi.releases()),
        optional(w.koji, build::builds(up, source)),
        optional(w.updates, build::updates(up, source)),
        optional(w.bugs, build::bugs(up, source)),
        optional(w.maintainers, build::maintainers(up, source)),
        optional(w.sources, build::sources(up, source)),
    );
    let mut f =
        Fetched { snapshots, releases, builds, updates, bugs, maintainers, sources, per_branch: BTreeMap::new() };
    if let Some(Ok(snaps)) = &f.snapshots {
        let tabs: Vec<Tab> = scope.tabs.iter().copied().collect();
        f.per_branch = per_branch(up, source, &snaps.present, &tabs).await;
    }
    f
}

async fn optional<T>(wanted: bool, fut: impl std::future::Future<Output = Result<T, UpstreamError>>) -> Slot<T> {
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
                    Ok(d) => Ok(Dependencies {
                        packages: d.packages.iter().filter(|p| mine(&p.name)).cloned().collect(),
                        build_requires: Vec::new(),
                    }),
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
