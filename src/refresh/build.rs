//! Building each tab's payload from upstream answers. Fetching happens here;
//! the shaping is done by the connectors' pure parsers.
use std::collections::BTreeSet;

use futures::future::{join_all, try_join_all};

use super::snapshot::BranchSnapshot;
use crate::model::{
    Bugs, Builds, Changelog, Contents, Dependencies, Dependency, Maintainers, PackageInfo, ReleaseVersions, Sources,
    Updates,
};
use crate::upstream::mdapi::{self, binary_name, Relation};
use crate::upstream::{bodhi, bugzilla, distgit, koji, Reason, Service, Upstream, UpstreamError};

/// How many builds, updates and bugs a tab keeps (the newest).
pub const BUILDS_LIMIT: i32 = 100;
pub const UPDATES_LIMIT: u32 = 100;
pub const BUGS_LIMIT: u32 = 500;

/// Per branch, the package as shipped: the source's own entry (from its
/// source RPM, versioned like its binaries) and one per binary.
pub fn infos(snapshots: &[BranchSnapshot], source: &str) -> Vec<(String, PackageInfo)> {
    let mut out = Vec::new();
    for snap in snapshots {
        let sub_names = snap.binary_names();
        for (name, pkg) in &snap.binaries {
            out.push((name.clone(), mdapi::to_info(&snap.branch, name, pkg)));
        }
        // A source package's entry: summary and description from the source
        // RPM, version from the binaries (mdapi's /pkg prefers updates).
        let newest = snap.binary(source).or_else(|| snap.binaries.first().map(|(_, p)| p));
        let base = snap.source.as_ref().or(newest);
        if let Some(base) = base {
            let mut info = mdapi::to_info(&snap.branch, source, base);
            if let Some(b) = newest {
                info.epoch = b.epoch.clone();
                info.version = b.version.clone();
                info.release = b.release.clone();
                info.repo = b.repo.clone();
            }
            info.arch = "src".into();
            info.source_name = source.to_string();
            info.sub_packages = sub_names;
            if !out.iter().any(|(n, i): &(String, PackageInfo)| n == source && i.branch == snap.branch) {
                out.push((source.to_string(), info));
            }
        }
    }
    out
}

/// An answer saying the thing does not exist: an error that may replace
/// only an empty row (see `write::settle`).
fn absent(service: Service, call: String, why: &str) -> UpstreamError {
    UpstreamError::new(service, call, Reason::Absent(why.to_string()))
}

pub async fn builds(up: &Upstream, source: &str) -> Result<Builds, UpstreamError> {
    let Some(id) = up.koji.package_id(source).await? else {
        return Err(absent(Service::Koji, format!("getPackageID {source}"), "Koji has no such package"));
    };
    let raw = up.koji.list_builds(id, BUILDS_LIMIT).await?;
    Ok(Builds { package_id: Some(id), builds: koji::to_builds(&raw) })
}

pub async fn updates(up: &Upstream, source: &str) -> Result<Updates, UpstreamError> {
    let page = up.bodhi.updates(source, UPDATES_LIMIT).await?;
    Ok(Updates { total: page.total, updates: bodhi::to_updates(&page.updates) })
}

pub fn release_versions(releases: &[bodhi::BodhiRelease], updates: &Updates) -> Vec<ReleaseVersions> {
    bodhi::release_versions(releases, &updates.updates)
}

pub async fn bugs(up: &Upstream, source: &str) -> Result<Bugs, UpstreamError> {
    let list = up.bugzilla.open_bugs(source, BUGS_LIMIT).await?;
    Ok(Bugs { bugs: bugzilla::to_bugs(&list) })
}

/// The maintainers; `Absent` when dist-git has no such project.
pub async fn maintainers(up: &Upstream, source: &str) -> Result<Maintainers, UpstreamError> {
    match up.distgit.project(source).await? {
        Some(p) => Ok(distgit::to_maintainers(&p)),
        None => Err(absent(Service::DistGit, format!("rpms/{source}"), "no dist-git project")),
    }
}

/// The sources tab's row: dist-git branches and the default branch's spec,
/// or its retirement (`dead.package` instead of a spec). The newest build's
/// commit is added when the page is read (from the builds row), so a build
/// event need not rewrite it.
pub async fn sources(up: &Upstream, source: &str) -> Result<Sources, UpstreamError> {
    let Some(branches) = up.distgit.branches(source).await? else {
        return Err(absent(Service::DistGit, format!("rpms/{source}/git/branches"), "no dist-git project"));
    };
    let default = branches.default.clone().unwrap_or_else(|| "rawhide".into());
    let file = format!("{source}.spec");
    let (spec, retired) = match up.distgit.spec(source, &default).await? {
        Some(text) => (Some(distgit::parse_spec(&text, &default, &file, up.distgit.spec_limits())), false),
        None if up.distgit.retired(source, &default).await? => (None, true),
        None => {
            return Err(absent(Service::DistGit, format!("raw {default}/{file}"), "no spec file in the default branch"))
        }
    };
    Ok(Sources {
        git_url: distgit::DistGit::web_url(source),
        default_branch: Some(default),
        branches: distgit::sort_branches(branches.branches),
        spec,
        latest_build_commit: None,
        retired,
    })
}

/// Files of the given binaries in one branch.
pub async fn contents(up: &Upstream, branch: &str, names: &[String]) -> Result<Contents, UpstreamError> {
    let files = try_join_all(names.iter().map(|n| up.mdapi.files(branch, n))).await?;
    let mut packages = Vec::with_capacity(names.len());
    for (name, f) in names.iter().zip(files) {
        // mdapi has the package but not its files: an error, not "no files".
        let f = f.ok_or_else(|| absent(Service::Mdapi, format!("files {branch}/{name}"), "no file list"))?;
        packages.push(mdapi::to_files(name, &f));
    }
    Ok(Contents { packages })
}

/// The changelog of `name` in one branch; a source package reads its source RPM's.
pub async fn changelog(
    up: &Upstream,
    branch: &str,
    name: &str,
    is_source: bool,
) -> Result<Option<Changelog>, UpstreamError> {
    let repo_branch = if is_source { format!("src_{branch}") } else { branch.to_string() };
    let log = up.mdapi.changelog(&repo_branch, name).await?;
    Ok(log.map(|l| Changelog { package: name.to_string(), repo: l.repo.clone(), entries: mdapi::to_changelog(&l) }))
}

/// Dependencies of the given binaries in one branch, each capability resolved
/// to its providers, and the packages requiring any of their provides.
pub async fn dependencies(
    up: &Upstream,
    snap: &BranchSnapshot,
    names: &[String],
) -> Result<Dependencies, UpstreamError> {
    let mut packages = Vec::new();
    for name in names {
        let Some(pkg) = snap.binary(name) else { continue };
        let mut deps = mdapi::to_deps(name, pkg);
        for list in
            [&mut deps.requires, &mut deps.recommends, &mut deps.suggests, &mut deps.supplements, &mut deps.enhances]
        {
            resolve(up, &snap.branch, list).await?;
        }
        deps.required_by = required_by(up, &snap.branch, name, &deps.provides).await?;
        packages.push(deps);
    }
    Ok(Dependencies { packages, build_requires: Vec::new() })
}

/// Fills `providers` of each capability; rich dependencies (`(a with b)`) stay unresolved.
async fn resolve(up: &Upstream, branch: &str, deps: &mut [Dependency]) -> Result<(), UpstreamError> {
    let lookups = deps.iter().map(|d| async move {
        if d.name.starts_with('(') {
            return Ok(Vec::new());
        }
        up.mdapi.relation(branch, Relation::Provides, &d.name).await
    });
    let results: Vec<_> = join_all(lookups).await;
    for (dep, found) in deps.iter_mut().zip(results) {
        let mut names: Vec<String> = found?.iter().map(binary_name).collect();
        names.sort();
        names.dedup();
        dep.providers = names;
    }
    Ok(())
}

async fn required_by(
    up: &Upstream,
    branch: &str,
    own: &str,
    provides: &[Dependency],
) -> Result<Vec<String>, UpstreamError> {
    let found = try_join_all(provides.iter().map(|p| up.mdapi.relation(branch, Relation::Requires, &p.name))).await?;
    let names: BTreeSet<String> = found.iter().flatten().map(binary_name).filter(|n| n != own).collect();
    Ok(names.into_iter().collect())
}
