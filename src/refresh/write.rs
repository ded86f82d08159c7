//! Writing one refresh's results in a single transaction, each row guarded by
//! the refresh version so an older result never replaces a newer one.
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sqlx::{Postgres, Transaction};

use super::fetch::{Fetched, Slot};
use super::snapshot::Snapshots;
use super::{build, RefreshError};
use crate::db::{self, packages::PackageRow, tabs::NewRow};
use crate::model::release::{choose_branch, order_branches};
use crate::model::{
    BugCounts, Bugs, Builds, Maintainers, Overview, PackageInfo, Part, Release, Sources, Tab, TabPayload, Updates,
};
use crate::upstream::{bodhi, koji, UpstreamError};

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
fn take<T>(slot: &mut Slot<T>, failures: &mut Vec<UpstreamError>) -> Option<T> {
    match slot.take()? {
        Ok(v) => Some(v),
        Err(e) => {
            failures.push(e);
            None
        }
    }
}

/// Like [`take`], but an answer saying "no such thing" becomes the empty
/// payload when that replaces nothing (no row, or an empty one); when a
/// row with data is stored it is a failure and the row stays.
async fn settle<T: TabPayload>(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    slot: &mut Slot<T>,
    failures: &mut Vec<UpstreamError>,
) -> Result<Option<T>, RefreshError> {
    match slot.take() {
        Some(Err(e)) if e.is_absent() => {
            let stored = match db::tabs::get(&mut **tx, package, T::TAB, None).await? {
                Some(row) => !row.decode::<T>(&format!("{package}/{}", T::TAB.slug()))?.is_empty(),
                None => false,
            };
            if stored {
                failures.push(e);
                Ok(None)
            } else {
                Ok(Some(T::default()))
            }
        }
        other => {
            let mut other = other;
            Ok(take(&mut other, failures))
        }
    }
}

/// What a refresh settled on, service by service (`None`: keep the old).
struct Settled {
    snapshots: Option<Snapshots>,
    releases: Option<Vec<bodhi::BodhiRelease>>,
    builds: Option<Builds>,
    updates: Option<Updates>,
    bugs: Option<Bugs>,
    maintainers: Option<Maintainers>,
    sources: Option<Sources>,
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
    let s = Settled {
        builds: settle(tx, source, &mut f.builds, failures).await?,
        updates: settle(tx, source, &mut f.updates, failures).await?,
        sources: settle(tx, source, &mut f.sources, failures).await?,
        bugs: take(&mut f.bugs, failures),
        maintainers: take(&mut f.maintainers, failures),
        releases: take(&mut f.releases, failures),
        snapshots: take(&mut f.snapshots, failures),
    };

    let names = package_names(s.snapshots.as_ref(), source);
    let license = s.sources.as_ref().and_then(|src| src.spec.as_ref()?.license.clone());
    write_packages(tx, source, &names, &s, license, version).await?;
    if tabs.contains(&Tab::Overview) {
        for name in &names {
            let fresh = overview_parts(&s, source, name, version, now);
            out.count(put_overview(tx, name, fresh, version, now).await?);
        }
    }

    if let Some(builds) = s.builds.as_ref().filter(|_| tabs.contains(&Tab::Builds)) {
        out.count(put(tx, source, None, builds, version).await?);
    }
    if let Some(updates) = s.updates.as_ref().filter(|_| tabs.contains(&Tab::Updates)) {
        out.count(put(tx, source, None, updates, version).await?);
    }
    if let Some(bugs) = s.bugs.as_ref().filter(|_| tabs.contains(&Tab::Bugs)) {
        out.count(put(tx, source, None, bugs, version).await?);
    }
    if let Some(sources) = &s.sources {
        out.count(put(tx, source, None, sources, version).await?);
    }

    let per_branch = std::mem::take(&mut f.per_branch);
    for ((name, branch), mut rows) in per_branch {
        if let Some(c) = take(&mut rows.contents, failures) {
            out.count(put(tx, &name, Some(&branch), &c, version).await?);
        }
        if let Some(Some(c)) = take(&mut rows.changelog, failures) {
            out.count(put(tx, &name, Some(&branch), &c, version).await?);
        }
        if let Some(d) = take(&mut rows.dependencies, failures) {
            out.count(put(tx, &name, Some(&branch), &d, version).await?);
        }
    }
    // A release gone from mdapi's branch list and from Bodhi's active
    // releases (end of life) drops out of the selectors. A package missing
    // from a listed branch never loses rows here (see `snapshot::fetch_all`).
    if let Some(snaps) = &s.snapshots {
        let mut keep = snaps.listed.clone();
        keep.extend(db::releases::all(&mut **tx).await?.into_iter().map(|r| r.branch));
        for name in &names {
            for tab in [Tab::Contents, Tab::Changelog, Tab::Dependencies].into_iter().filter(|t| tabs.contains(t)) {
                db::tabs::delete_other_branches(tx, name, tab, &keep, version).await?;
            }
        }
    }
    failures.dedup_by(|a, b| a.to_string() == b.to_string());
    // Delivered at commit to every listener: web replicas drop their cached
    // pages of these packages, benchmarks time event-to-fresh. Sub-packages
    // show their source's builds, updates, bugs and sources: a refresh of
    // those alone (no mdapi snapshot naming them) announces them too.
    let mut announce: BTreeSet<String> = names.iter().cloned().collect();
    announce.extend(db::packages::built_from(&mut **tx, source).await?);
    db::notify_changed(tx, &announce.into_iter().collect::<Vec<_>>()).await?;
    for failure in failures.iter() {
        tracing::warn!(package.name = %source, service = %failure.service, call = %failure.call, error = %failure.reason, "upstream call failed; old data kept");
        db::failures::record(tx, source, failure).await?;
    }
    Ok(out)
}

/// The package rows, described as the default release ships each. A name
/// no branch ships (retired, or an error) keeps its row as it is.
async fn write_packages(
    tx: &mut Transaction<'_, Postgres>,
    source: &str,
    names: &[String],
    s: &Settled,
    license: Option<String>,
    version: i64,
) -> Result<(), RefreshError> {
    let Some(snaps) = &s.snapshots else {
        db::packages::ensure(tx, source, license.as_deref()).await?;
        return Ok(());
    };
    let release_rows = db::releases::all(&mut **tx).await?;
    let infos = build::infos(&snaps.present, source);
    for name in names {
        let mine: Vec<PackageInfo> = infos.iter().filter(|(n, _)| n == name).map(|(_, i)| i.clone()).collect();
        if mine.is_empty() {
            if name == source {
                db::packages::ensure(tx, source, license.as_deref()).await?;
            }
            continue;
        }
        let row = package_row(name, source, &mine, &release_rows, license.clone());
        db::packages::upsert(tx, &row, version).await?;
    }
    db::packages::set_retired(tx, source, &snaps.retired, version).await?;
    Ok(())
}

/// The overview parts this refresh has fresh values for; the writer keeps
/// the stored part of everything else.
fn overview_parts(s: &Settled, source: &str, name: &str, version: i64, now: DateTime<Utc>) -> Overview {
    let part = |value| Part { fetched_at: now, version, value };
    let mut o = Overview::default();
    if let Some(snaps) = &s.snapshots {
        let infos: Vec<PackageInfo> =
            build::infos(&snaps.present, source).into_iter().filter(|(n, _)| n == name).map(|(_, i)| i).collect();
        // No branch ships it any more (retired): the last description stays.
        if !infos.is_empty() {
            o.info = Some(part(infos));
        }
    }
    if name != source {
        return o;
    }
    if let (Some(releases), Some(updates)) = (&s.releases, &s.updates) {
        o.releases = Some(Part { fetched_at: now, version, value: build::release_versions(releases, updates) });
    }
    if let Some(builds) = &s.builds {
        o.latest_build = Some(Part { fetched_at: now, version, value: koji::latest(&builds.builds) });
    }
    if let Some(bugs) = &s.bugs {
        o.bugs = Some(Part { fetched_at: now, version, value: BugCounts { open: bugs.bugs.len() as u32 } });
    }
    if let Some(m) = &s.maintainers {
        o.maintainers = Some(Part { fetched_at: now, version, value: m.clone() });
    }
    o
}

/// Writes a tab row, its tab known from the payload's type.
async fn put<T: TabPayload>(
    tx: &mut Transaction<'_, Postgres>,
    package: &str,
    branch: Option<&str>,
    payload: &T,
    version: i64,
) -> Result<bool, RefreshError> {
    let row = NewRow { package, tab: T::TAB, branch, payload, fetched_at: Utc::now() };
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
    // A stored overview that does not decode fails this refresh (logged,
    // counted): replacing it with an empty one would drop its other parts.
    let (old, old_version) = match db::tabs::get_for_update(tx, name, Tab::Overview).await? {
        Some(row) => {
            let v = row.version;
            (row.decode::<Overview>(&format!("{name}/overview"))?, v)
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
    let row = NewRow { package: name, tab: Tab::Overview, branch: None, payload: &merged, fetched_at: now };
    // Holding the row lock, the merge is always at least as new as what is stored.
    Ok(db::tabs::put_locked(tx, row, version.max(old_version)).await?)
}

/// The source and every binary seen in any branch.
fn package_names(snapshots: Option<&Snapshots>, source: &str) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::from([source.to_string()]);
    if let Some(snaps) = snapshots {
        names.extend(snaps.present.iter().flat_map(|s| s.binary_names()));
    }
    names.into_iter().collect()
}

/// The package row, described as the default release ships it.
fn package_row(
    name: &str,
    source: &str,
    infos: &[PackageInfo],
    releases: &[Release],
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
