//! Fetching everything a refresh's scope needs, from every service at once.
//! Nothing here writes; a failed call is kept as an error for its tabs.
use std::collections::BTreeMap;

use chrono::Utc;

use super::build;
use super::snapshot::{self, BranchSnapshot};
use super::Scope;
use crate::model::{Contents, Dependencies, Overview, Part, Tab};
use crate::upstream::{Service, Upstream, UpstreamError};

/// Everything fetched for one refresh; `None` where not asked for, `Err` where it failed.
#[derive(Default)]
pub struct Fetched {
    pub(super) snapshots: Option<Result<Vec<BranchSnapshot>, UpstreamError>>,
    pub(super) releases: Option<Result<Vec<crate::upstream::bodhi::BodhiRelease>, UpstreamError>>,
    pub(super) builds: Option<Result<crate::model::Builds, UpstreamError>>,
    pub(super) updates: Option<Result<crate::model::Updates, UpstreamError>>,
    pub(super) bugs: Option<Result<crate::model::Bugs, UpstreamError>>,
    /// `None` inside: dist-git has no such project.
    pub(super) maintainers: Option<Result<Option<crate::model::Maintainers>, UpstreamError>>,
    pub(super) sources: Option<Result<crate::model::Sources, UpstreamError>>,
    /// Per (package, branch): the per-release tabs.
    pub(super) per_branch: BTreeMap<(String, String), BranchRows>,
}

impl Fetched {
    /// Whether any service answered that the package exists.
    pub fn exists_upstream(&self) -> bool {
        fn says<T>(slot: &Option<Result<T, UpstreamError>>, yes: impl Fn(&T) -> bool) -> bool {
            matches!(slot, Some(Ok(v)) if yes(v))
        }
        says(&self.snapshots, |s| !s.is_empty())
            || says(&self.builds, |b| b.package_id.is_some())
            || says(&self.maintainers, |m| m.is_some())
            || says(&self.sources, |s| !s.branches.is_empty())
    }

    /// Counts each service's fetch for `/metrics` (tab_refreshes_total).
    fn count_outcomes(&self) {
        fn count<T>(service: Service, slot: &Option<Result<T, UpstreamError>>) {
            let outcome = match slot {
                Some(Ok(_)) => "ok",
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
pub struct BranchRows {
    pub(super) contents: Option<Result<Contents, UpstreamError>>,
    pub(super) changelog: Option<Result<Option<crate::model::Changelog>, UpstreamError>>,
    pub(super) dependencies: Option<Result<Dependencies, UpstreamError>>,
}

/// Fetches what `scope` covers of `source` and its sub-packages.
pub async fn fetch(up: &Upstream, source: &str, scope: &Scope) -> Fetched {
    let wants = |t: Tab| scope.wants(t);
    let needs_mdapi = [Tab::Contents, Tab::Changelog, Tab::Dependencies].iter().any(|t| wants(*t))
        || scope.wants_part(Service::Mdapi);
    let needs_koji = wants(Tab::Builds) || scope.wants_part(Service::Koji);
    let (snapshots, releases, builds, updates, bugs, maintainers, dist_git) = futures::join!(
        optional(needs_mdapi, async {
            let branches = snapshot::binary_branches(&up.mdapi.branches().await?);
            snapshot::fetch_all(&up.mdapi, &branches, source).await
        }),
        optional(scope.wants_part(Service::Bodhi), up.bodhi.releases()),
        optional(needs_koji, build::builds(up, source)),
        optional(wants(Tab::Updates) || scope.wants_part(Service::Bodhi), build::updates(up, source)),
        optional(wants(Tab::Bugs) || scope.wants_part(Service::Bugzilla), build::bugs(up, source)),
        optional(scope.wants_part(Service::DistGit), build::maintainers(up, source)),
        optional(wants(Tab::Sources), build::distgit_sources(up, source)),
    );
    let mut f = Fetched {
        snapshots,
        releases,
        builds,
        updates,
        bugs,
        maintainers,
        sources: dist_git.map(|r| r.map(|dg| build::sources(source, dg))),
        per_branch: BTreeMap::new(),
    };
    if let Some(Ok(snaps)) = &f.snapshots {
        let tabs: Vec<Tab> = scope.tabs.iter().copied().collect();
        f.per_branch = per_branch(up, source, snaps, &tabs).await;
    }
    f.count_outcomes();
    f
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
pub fn overview_parts(f: &Fetched, source: &str, name: &str, version: i64) -> Overview {
    let is_source = name == source;
    let now = Utc::now();
    let part = |v| Part { fetched_at: now, version, value: v };
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
        o.releases = Some(Part { fetched_at: now, version, value: build::release_versions(releases, updates) });
    }
    if let Some(Ok(builds)) = &f.builds {
        o.latest_build = Some(Part { fetched_at: now, version, value: crate::upstream::koji::latest(&builds.builds) });
    }
    if let Some(Ok(bugs)) = &f.bugs {
        o.bugs =
            Some(Part { fetched_at: now, version, value: crate::model::BugCounts { open: bugs.bugs.len() as u32 } });
    }
    if let Some(Ok(m)) = &f.maintainers {
        o.maintainers = Some(Part { fetched_at: now, version, value: m.clone().unwrap_or_default() });
    }
    o
}
