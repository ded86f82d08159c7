//! Reading the mirrors' repository metadata into the `repo_*` tables, for
//! `repos`, `sync --all` and the worker. Per repository: skip it when its
//! repomd.xml is unchanged; otherwise insert only the packages whose pkgid
//! is new, delete the vanished ones and mark the newest builds, all in one
//! transaction. A download or parse that fails leaves the stored rows as
//! they were.
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use sqlx::PgPool;

use super::RefreshError;
use crate::db::repodata::{self as db, FileRows};
use crate::model::evr::compare_evr;
use crate::upstream::repodata::{
    filelists_items, primary_items, repos_of, stream, RepoPackage, RepoSpec, Repodata, Streamed,
};
use crate::upstream::Upstream;

/// Packages inserted per statement.
const PACKAGE_BATCH: usize = 1000;
/// File rows inserted per statement.
const FILE_BATCH: usize = 20_000;

/// How reading one repository went.
#[derive(Debug, Clone, PartialEq)]
pub enum RepoStatus {
    /// repomd.xml is the one read last time.
    Unchanged,
    /// The mirror has no such repository (404); nothing stored changed.
    Absent,
    Read {
        added: usize,
        removed: usize,
        packages: usize,
        /// Source packages with a build added or removed.
        changed_sources: BTreeSet<String>,
    },
    /// Upstream or the file failed; the stored rows stay.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RepoOutcome {
    pub branch: String,
    pub repo: &'static str,
    pub status: RepoStatus,
}

impl fmt::Display for RepoOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: ", self.branch, self.repo)?;
        match &self.status {
            RepoStatus::Unchanged => f.write_str("unchanged"),
            RepoStatus::Absent => f.write_str("not on the mirror"),
            RepoStatus::Read { added, removed, packages, .. } => {
                write!(f, "{packages} packages ({added} new, {removed} gone)")
            }
            RepoStatus::Failed(why) => write!(f, "failed: {why}"),
        }
    }
}

/// The active branches whose repositories can be read (from Bodhi's releases).
pub async fn active_branches(pool: &PgPool, arch: &str) -> Result<Vec<String>, RefreshError> {
    let releases = crate::db::releases::all(pool).await?;
    Ok(releases.into_iter().map(|r| r.branch).filter(|b| repos_of(b, arch).is_some()).collect())
}

/// Reads every repository of each branch.
pub async fn refresh_branches(
    pool: &PgPool,
    upstream: &Upstream,
    branches: &[String],
) -> Result<Vec<RepoOutcome>, RefreshError> {
    let mut dirs = HashMap::new();
    let mut all = Vec::new();
    for branch in branches {
        let Some(repos) = repos_of(branch, &upstream.repos.arch) else {
            all.push(RepoOutcome {
                branch: branch.clone(),
                repo: "-",
                status: RepoStatus::Failed("not a release branch (rawhide or f<N>)".into()),
            });
            continue;
        };
        for repo in repos {
            let status = refresh_repo(pool, &upstream.repos, branch, &repo, &mut dirs).await;
            if !matches!(status, Ok(RepoStatus::Read { .. })) {
                // A rolled-back transaction's new directories are not in the table.
                dirs.clear();
            }
            let status = status?;
            match &status {
                RepoStatus::Failed(why) => {
                    tracing::warn!(branch, repo = repo.name, error = %why, "repository not read")
                }
                status => tracing::info!(branch, repo = repo.name, ?status, "repository read"),
            }
            all.push(RepoOutcome { branch: branch.clone(), repo: repo.name, status });
        }
    }
    if all.iter().any(|o| matches!(o.status, RepoStatus::Read { .. })) {
        db::merge_pending(pool).await?;
    }
    Ok(all)
}

async fn refresh_repo(
    pool: &PgPool,
    repos: &Repodata,
    branch: &str,
    repo: &RepoSpec,
    dirs: &mut HashMap<String, i32>,
) -> Result<RepoStatus, RefreshError> {
    let repomd = match repos.repomd(repo).await {
        Ok(Some(r)) => r,
        Ok(None) => return Ok(RepoStatus::Absent),
        Err(e) => return Ok(RepoStatus::Failed(e.to_string())),
    };
    if db::checksum(pool, branch, repo.name).await?.as_deref() == Some(repomd.checksum.as_str()) {
        return Ok(RepoStatus::Unchanged);
    }
    let scratch = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => return Ok(RepoStatus::Failed(format!("no temporary directory: {e}"))),
    };
    let primary = match repos.download(repo, &repomd.primary, scratch.path()).await {
        Ok(p) => p,
        Err(e) => return Ok(RepoStatus::Failed(e.to_string())),
    };
    let filelists = match repos.download(repo, &repomd.filelists, scratch.path()).await {
        Ok(p) => p,
        Err(e) => return Ok(RepoStatus::Failed(e.to_string())),
    };

    let mut tx = db::begin(pool).await?;
    // Another process may have read the same repomd while this one waited.
    if db::checksum(&mut *tx, branch, repo.name).await?.as_deref() == Some(repomd.checksum.as_str()) {
        return Ok(RepoStatus::Unchanged);
    }
    let stored = db::stored(&mut tx, branch, repo.name).await?;
    let mut seen: HashSet<String> = HashSet::with_capacity(stored.len());
    let mut added: HashMap<String, i64> = HashMap::new();
    let mut changed_sources = BTreeSet::new();

    // Packages: insert those with a new pkgid.
    let mut packages = stream(primary, primary_items);
    let mut batch: Vec<RepoPackage> = Vec::with_capacity(PACKAGE_BATCH);
    loop {
        let package = match next_item(&mut packages, "primary").await {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(failed) => return Ok(failed),
        };
        if !seen.insert(package.pkgid.clone()) || stored.contains_key(&package.pkgid) {
            continue;
        }
        batch.push(package);
        if batch.len() >= PACKAGE_BATCH {
            insert_packages(&mut tx, branch, repo, &mut batch, &mut added, &mut changed_sources).await?;
        }
    }
    insert_packages(&mut tx, branch, repo, &mut batch, &mut added, &mut changed_sources).await?;

    // Packages no longer in the repository.
    let vanished: Vec<i64> = stored
        .iter()
        .filter(|(pkgid, _)| !seen.contains(*pkgid))
        .map(|(_, (id, source))| {
            changed_sources.insert(source.clone());
            *id
        })
        .collect();
    db::delete_packages(&mut tx, &vanished).await?;

    // Files of the new packages.
    let mut files = stream(filelists, filelists_items);
    let mut pending: Vec<(i64, String, bool)> = Vec::with_capacity(FILE_BATCH);
    loop {
        let package = match next_item(&mut files, "filelists").await {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(failed) => return Ok(failed),
        };
        let Some(id) = added.get(&package.pkgid) else { continue };
        pending.extend(package.files.into_iter().map(|(path, is_dir)| (*id, path, is_dir)));
        if pending.len() >= FILE_BATCH {
            insert_files(&mut tx, &mut pending, dirs).await?;
        }
    }
    insert_files(&mut tx, &mut pending, dirs).await?;

    if added.len() + vanished.len() > 1000 {
        db::analyze(&mut tx).await?;
    }
    mark_newest(&mut tx, branch).await?;
    db::set_checksum(&mut tx, branch, repo.name, &repomd.checksum, seen.len() as i64).await?;
    tx.commit().await.map_err(crate::db::DbError::from)?;
    Ok(RepoStatus::Read { added: added.len(), removed: vanished.len(), packages: seen.len(), changed_sources })
}

/// The next parsed item; `None` once the whole file was read; the status
/// to report when the parse failed or stopped short.
async fn next_item<T>(
    items: &mut tokio::sync::mpsc::Receiver<Streamed<T>>,
    what: &str,
) -> Result<Option<T>, RepoStatus> {
    match items.recv().await {
        Some(Streamed::Item(item)) => Ok(Some(item)),
        Some(Streamed::Done(_)) => Ok(None),
        Some(Streamed::Failed(e)) => Err(RepoStatus::Failed(format!("{what}: {e}"))),
        None => Err(RepoStatus::Failed(format!("{what}: the parser stopped"))),
    }
}

async fn insert_packages(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    branch: &str,
    repo: &RepoSpec,
    batch: &mut Vec<RepoPackage>,
    added: &mut HashMap<String, i64>,
    changed_sources: &mut BTreeSet<String>,
) -> Result<(), RefreshError> {
    if batch.is_empty() {
        return Ok(());
    }
    changed_sources.extend(batch.iter().map(|p| p.source.clone()));
    added.extend(db::insert_packages(tx, branch, repo.name, batch).await?);
    batch.clear();
    Ok(())
}

async fn insert_files(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    pending: &mut Vec<(i64, String, bool)>,
    dirs: &mut HashMap<String, i32>,
) -> Result<(), RefreshError> {
    if pending.is_empty() {
        return Ok(());
    }
    let parts: Vec<(&str, &str)> = pending.iter().map(|(_, path, _)| db::split_path(path)).collect();
    let dir_paths: Vec<&str> = parts.iter().map(|(dir, _)| *dir).collect();
    db::dir_ids(tx, &dir_paths, dirs).await?;
    let mut rows = FileRows::default();
    for ((id, _, is_dir), (dir, name)) in pending.iter().zip(&parts) {
        let Some(dir_id) = dirs.get(*dir) else { continue };
        if name.is_empty() {
            continue;
        }
        rows.package.push(*id);
        rows.dir.push(*dir_id);
        rows.name.push(name.to_string());
        rows.is_dir.push(*is_dir);
    }
    db::insert_files(tx, &rows).await?;
    pending.clear();
    Ok(())
}

/// Marks, for each name and architecture of the branch, the newest build
/// among its repositories (release, updates, updates-testing) as the one
/// shown, as dnf with every repository enabled would install it.
async fn mark_newest(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, branch: &str) -> Result<(), RefreshError> {
    let builds = db::builds(&mut **tx, branch).await?;
    let mut best: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, b) in builds.iter().enumerate() {
        best.entry((b.name.as_str(), b.arch.as_str()))
            .and_modify(|j| {
                let other = &builds[*j];
                let newer =
                    compare_evr((b.epoch, &b.version, &b.release), (other.epoch, &other.version, &other.release));
                // Equal builds (one in two repositories): the lower id, stable.
                if newer.is_gt() || (newer.is_eq() && b.id < other.id) {
                    *j = i;
                }
            })
            .or_insert(i);
    }
    let winners: HashSet<usize> = best.into_values().collect();
    let (mut ids, mut flags) = (Vec::new(), Vec::new());
    for (i, b) in builds.iter().enumerate() {
        let newest = winners.contains(&i);
        if newest != b.newest {
            ids.push(b.id);
            flags.push(newest);
        }
    }
    if !ids.is_empty() {
        db::set_newest(tx, &ids, &flags).await?;
    }
    Ok(())
}

/// Completes a dependencies row of `branch` from the repository metadata:
/// requirements mdapi found no provider for (file paths, mostly) get their
/// owners, "required by" gains the packages requiring the package's files
/// or capabilities, and the source package's BuildRequires are added.
/// Without repository data for the branch the row stays as mdapi gave it.
pub async fn complete(
    pool: &PgPool,
    branch: &str,
    source: &str,
    deps: &mut crate::model::Dependencies,
) -> Result<(), crate::db::DbError> {
    use crate::model::Dependency;
    let build = db::build_requires(pool, branch, source).await?;
    let mut wanted: BTreeSet<String> = build.iter().map(|(name, _)| name.clone()).collect();
    for p in &deps.packages {
        for (_, list) in p.relations() {
            wanted.extend(list.iter().filter(|d| d.providers.is_empty()).map(|d| d.name.clone()));
        }
    }
    wanted.retain(|n| !n.starts_with('('));
    let names: Vec<&str> = wanted.iter().map(String::as_str).collect();
    let mut providers: HashMap<String, BTreeSet<String>> = HashMap::new();
    if !names.is_empty() {
        for (capability, package) in db::providers(pool, branch, &names).await? {
            providers.entry(capability).or_default().insert(package);
        }
    }
    let fill = |d: &mut Dependency| {
        if d.providers.is_empty() {
            if let Some(found) = providers.get(&d.name) {
                d.providers = found.iter().cloned().collect();
            }
        }
    };
    for p in &mut deps.packages {
        for list in [&mut p.requires, &mut p.recommends, &mut p.suggests, &mut p.supplements, &mut p.enhances] {
            list.iter_mut().for_each(fill);
        }
        let capabilities: Vec<&str> = p.provides.iter().map(|d| d.name.as_str()).collect();
        let more = db::required_by(pool, branch, &p.name, &capabilities).await?;
        let mut all: BTreeSet<String> = p.required_by.drain(..).collect();
        all.extend(more);
        p.required_by = all.into_iter().collect();
    }
    deps.build_requires = build
        .into_iter()
        .map(|(name, constraint)| {
            let mut d = Dependency { name, constraint, providers: Vec::new() };
            fill(&mut d);
            d
        })
        .collect();
    Ok(())
}

/// Refreshes the dependencies tabs of the sources whose builds a read
/// added or removed (their files, BuildRequires or "required by" may have
/// changed), through the one refresh path; returns how many were refreshed.
pub async fn refresh_dependencies(
    pool: &PgPool,
    upstream: &Upstream,
    outcomes: &[RepoOutcome],
    concurrency: usize,
) -> Result<usize, RefreshError> {
    let changed: BTreeSet<String> = outcomes
        .iter()
        .filter_map(|o| match &o.status {
            RepoStatus::Read { changed_sources, .. } => Some(changed_sources.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect();
    let changed: Vec<String> = changed.into_iter().collect();
    let known = db::known_sources(pool, &changed).await?;
    for chunk in known.chunks(500) {
        let scopes =
            chunk.iter().map(|s| (s.clone(), super::Scope::tabs(&[crate::model::Tab::Dependencies]))).collect();
        super::refresh_batch(pool, upstream, scopes, concurrency).await?;
    }
    Ok(known.len())
}
