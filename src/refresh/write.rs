//! Writing one refresh's results in a single transaction, each row guarded by
//! the refresh version so an older result never replaces a newer one.
use std::collections::BTreeSet;

use chrono::Utc;
use serde::Serialize;
use sqlx::{Postgres, Transaction};

use super::fetch::{overview_parts, Fetched};
use super::{build, RefreshError};
use crate::db::{self, packages::PackageRow, releases::ReleaseRow, tabs::NewRow};
use crate::model::{Overview, PackageInfo, Part, Tab};
use crate::server::read::{choose_branch, order_branches};
use crate::upstream::{bodhi, UpstreamError};

/// Rows written, and rows left alone because a later refresh had written them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub written: usize,
    pub stale: usize,
}

impl Outcome {
    fn count(&mut self, written: bool) {
        if written {
            self.written += 1;
        } else {
            self.stale += 1;
        }
    }
}

/// Takes the value of a fetch that succeeded; records the failure of one that did not.
fn take<T>(slot: &mut Option<Result<T, UpstreamError>>, failures: &mut Vec<UpstreamError>) -> Option<T> {
    match slot.take()? {
        Ok(v) => Some(v),
        Err(e) => {
            failures.push(e);
            None
        }
    }
}

pub async fn write(
    tx: &mut Transaction<'_, Postgres>,
    source: &str,
    tabs: &[Tab],
    f: &mut Fetched,
    version: i64,
    failures: &mut Vec<UpstreamError>,
) -> Result<Outcome, RefreshError> {
    let now = Utc::now();
    let mut out = Outcome::default();

    if let Some(Ok(releases)) = &f.releases {
        db::releases::replace(tx, &release_rows(releases)).await?;
    }

    // Overviews first: they need the fetched parts before the tabs take them.
    let license = f.sources.as_ref().and_then(|s| s.as_ref().ok()).and_then(|s| s.spec.as_ref()?.license.clone());
    let names = package_names(f, source);
    let mut mdapi_ok = false;
    if let Some(Ok(snaps)) = &f.snapshots {
        mdapi_ok = true;
        let release_rows = sqlx::query_as::<_, ReleaseRow>("SELECT branch, name, long_name, state, rank FROM releases")
            .fetch_all(&mut **tx)
            .await?;
        let infos = build::infos(snaps, source);
        for name in &names {
            let mine: Vec<PackageInfo> = infos.iter().filter(|(n, _)| n == name).map(|(_, i)| i.clone()).collect();
            let row = package_row(name, source, &mine, &release_rows, license.clone());
            db::packages::upsert(tx, &row, version).await?;
        }
    } else {
        db::packages::ensure(tx, source, license.as_deref()).await?;
    }
    if tabs.contains(&Tab::Overview) {
        for name in &names {
            let fresh = overview_parts(f, source, name, version);
            let written = put_overview(tx, name, fresh, version, now).await?;
            out.count(written);
        }
    }

    if let Some(builds) = take(&mut f.builds, failures).filter(|_| tabs.contains(&Tab::Builds)) {
        let newest = builds.builds.first().map(|b| b.build_id.to_string()).unwrap_or_default();
        out.count(put(tx, source, Tab::Builds, "", &builds, &newest, version).await?);
    }
    if let Some(updates) = take(&mut f.updates, failures).filter(|_| tabs.contains(&Tab::Updates)) {
        let newest = updates.updates.first().map(|u| u.alias.clone()).unwrap_or_default();
        out.count(put(tx, source, Tab::Updates, "", &updates, &newest, version).await?);
    }
    if let Some(bugs) = take(&mut f.bugs, failures).filter(|_| tabs.contains(&Tab::Bugs)) {
        let newest = bugs.bugs.iter().filter_map(|b| b.last_change).max().map(|t| t.to_rfc3339()).unwrap_or_default();
        out.count(put(tx, source, Tab::Bugs, "", &bugs, &newest, version).await?);
    }
    if let Some(sources) = take(&mut f.sources, failures) {
        let spec_branch = sources.spec.as_ref().map(|s| s.branch.clone()).unwrap_or_default();
        out.count(put(tx, source, Tab::Sources, "", &sources, &spec_branch, version).await?);
    }
    take(&mut f.releases, failures);
    take(&mut f.maintainers, failures);
    take(&mut f.snapshots, failures);

    let per_branch = std::mem::take(&mut f.per_branch);
    for ((name, branch), mut rows) in per_branch {
        if let Some(c) = take(&mut rows.contents, failures) {
            out.count(put(tx, &name, Tab::Contents, &branch, &c, "", version).await?);
        }
        if let Some(Some(c)) = take(&mut rows.changelog, failures) {
            let newest = c.entries.first().and_then(|e| e.version.clone()).unwrap_or_default();
            out.count(put(tx, &name, Tab::Changelog, &branch, &c, &newest, version).await?);
        }
        if let Some(d) = take(&mut rows.dependencies, failures) {
            out.count(put(tx, &name, Tab::Dependencies, &branch, &d, "", version).await?);
        }
    }
    // A release that no longer ships the package drops out of its selector.
    if mdapi_ok {
        for name in &names {
            let keep = present_branches(f, name);
            for tab in [Tab::Contents, Tab::Changelog, Tab::Dependencies].into_iter().filter(|t| tabs.contains(t)) {
                db::tabs::delete_other_branches(tx, name, tab, &keep, version).await?;
            }
        }
    }
    failures.dedup_by(|a, b| a.to_string() == b.to_string());
    // Delivered at commit to every listener: web replicas drop their cached
    // pages of these packages, benchmarks time event-to-fresh.
    db::notify_changed(tx, &names).await?;
    for failure in failures.iter() {
        tracing::warn!(package.name = %source, service = %failure.service, call = %failure.call, error = %failure.reason, "upstream call failed; old data kept");
        db::failures::record(tx, source, failure).await?;
    }
    Ok(out)
}

async fn put<T: Serialize>(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    tab: Tab,
    branch: &str,
    payload: &T,
    source_version: &str,
    version: i64,
) -> Result<bool, RefreshError> {
    let row = NewRow { package, tab, branch, payload, fetched_at: Utc::now(), source_version };
    Ok(db::tabs::put(tx, row, version).await?)
}

/// Merges fresh overview parts over the stored ones, part by part: a part
/// is replaced only by one fetched by a later-started refresh, so a failed
/// service keeps its old part and age, and a slow refresh of one service
/// never undoes a quicker, later one of another.
async fn put_overview(
    tx: &mut Transaction<'_, Postgres>,
    name: &str,
    fresh: Overview,
    version: i64,
    now: chrono::DateTime<Utc>,
) -> Result<bool, RefreshError> {
    let (old, old_version) = match db::tabs::get_for_update(tx, name, Tab::Overview, "").await? {
        Some(row) => {
            let v = row.version;
            (row.decode::<Overview>(&format!("{name}/overview")).unwrap_or_default(), v)
        }
        None => (Overview::default(), 0),
    };
    fn newer<T>(fresh: Option<Part<T>>, old: Option<Part<T>>) -> Option<Part<T>> {
        match (fresh, old) {
            (Some(f), Some(o)) if o.version > f.version => Some(o),
            (Some(f), _) => Some(f),
            (None, o) => o,
        }
    }
    let merged = Overview {
        info: newer(fresh.info, old.info),
        releases: newer(fresh.releases, old.releases),
        latest_build: newer(fresh.latest_build, old.latest_build),
        bugs: newer(fresh.bugs, old.bugs),
        maintainers: newer(fresh.maintainers, old.maintainers),
    };
    let row =
        NewRow { package: name, tab: Tab::Overview, branch: "", payload: &merged, fetched_at: now, source_version: "" };
    // Holding the row lock, the merge is always at least as new as what is stored.
    Ok(db::tabs::put_locked(tx, row, version.max(old_version)).await?)
}

/// The source and every binary seen in any branch.
fn package_names(f: &Fetched, source: &str) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::from([source.to_string()]);
    if let Some(Ok(snaps)) = &f.snapshots {
        names.extend(snaps.iter().flat_map(|s| s.binary_names()));
    }
    names.into_iter().collect()
}

fn present_branches(f: &Fetched, name: &str) -> Vec<String> {
    let Some(Ok(snaps)) = &f.snapshots else { return Vec::new() };
    snaps.iter().filter(|s| s.binary(name).is_some() || s.source.is_some()).map(|s| s.branch.clone()).collect()
}

/// The package row, described as the default release ships it.
fn package_row(
    name: &str,
    source: &str,
    infos: &[PackageInfo],
    releases: &[ReleaseRow],
    license: Option<String>,
) -> PackageRow {
    let branches: Vec<String> = infos.iter().map(|i| i.branch.clone()).collect();
    let chosen = choose_branch(None, &order_branches(&branches, releases), releases);
    let info = infos.iter().find(|i| Some(&i.branch) == chosen.as_ref()).or(infos.first());
    PackageRow {
        name: name.to_string(),
        source_name: source.to_string(),
        summary: info.map(|i| i.summary.clone()).unwrap_or_default(),
        description: info.map(|i| i.description.clone()).unwrap_or_default(),
        upstream_url: info.and_then(|i| i.url.clone()),
        license,
        version_label: info.map(|i| i.evr()).unwrap_or_default(),
    }
}

/// Bodhi's active releases as rows, ranked newest first (rawhide on top).
pub fn release_rows(releases: &[bodhi::BodhiRelease]) -> Vec<ReleaseRow> {
    let active = bodhi::active_releases(releases);
    let n = active.len() as i32;
    active
        .iter()
        .enumerate()
        .map(|(i, r)| ReleaseRow {
            branch: r.branch.clone(),
            name: r.name.clone(),
            long_name: r.long_name.clone(),
            state: r.state.clone(),
            rank: n - i as i32,
        })
        .collect()
}
