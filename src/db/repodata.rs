//! The repository metadata tables (`repo_*`): what `refresh::repodata`
//! writes, and the "what provides it" lookups. Rows are written in bulk
//! with `UNNEST` arrays, one repository per transaction.
use std::collections::HashMap;

use sqlx::{PgPool, Postgres, Transaction};

use super::DbError;
use crate::model::provides::ProvidesMode;
use crate::model::repodata::RepoPackage;

/// One lock for every repository write, across processes: two workers never
/// write the shared directory table at once (no deadlocks), and the second
/// finds the repository already current.
const WRITE_LOCK: i64 = 0x7265_706f_6461_7461; // "repodata"

/// Starts a repository's transaction, holding the write lock.
pub async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, DbError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
    // Millions of file names go into the trigram index: a large pending list
    // merges them in bulk instead of one by one (merged again after commit).
    sqlx::query("SET LOCAL gin_pending_list_limit = '256MB'").execute(&mut *tx).await?;
    sqlx::query("SET LOCAL work_mem = '256MB'").execute(&mut *tx).await?;
    Ok(tx)
}

/// Refreshes the planner's statistics of the tables a read just filled
/// (inside its transaction): on statistics of a near-empty table, joins
/// over tens of thousands of ids are planned as one scan per id.
pub async fn analyze(tx: &mut Transaction<'_, Postgres>) -> Result<(), DbError> {
    sqlx::query("ANALYZE repo_packages, repo_dirs").execute(&mut **tx).await?;
    Ok(())
}

/// The file-name trigram index is cut into this many partial indexes, by
/// `package_id % NAME_SLICES` (see their migration, which names them
/// `repo_files_trigram_{slice}`).
pub const NAME_SLICES: i64 = 4;

/// The condition of file-name slice `k`: that of its partial index, which
/// the planner uses only for a query that states it the same way.
pub fn name_slice(k: i64) -> String {
    format!("f.package_id % {NAME_SLICES} = {k}")
}

/// The trigram indexes: the file-name slices and the directories'.
pub fn trigram_indexes() -> Vec<String> {
    (0..NAME_SLICES).map(|k| format!("repo_files_trigram_{k}")).chain(["repo_dirs_trigram".into()]).collect()
}

/// Merges what the trigram indexes hold unsorted into their main trees, so
/// `contains` lookups do not scan a long pending list after a large read.
pub async fn merge_pending(pool: &PgPool) -> Result<(), DbError> {
    for index in trigram_indexes() {
        sqlx::query("SELECT gin_clean_pending_list($1::regclass)").bind(index).execute(pool).await?;
    }
    Ok(())
}

/// The repomd.xml checksum last read for a repository.
pub async fn checksum<'e>(db: impl sqlx::PgExecutor<'e>, branch: &str, repo: &str) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT checksum FROM repo_state WHERE branch = $1 AND repo = $2")
        .bind(branch)
        .bind(repo)
        .fetch_optional(db)
        .await?)
}

pub async fn set_checksum(
    tx: &mut Transaction<'_, Postgres>,
    branch: &str,
    repo: &str,
    checksum: &str,
    packages: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO repo_state (branch, repo, checksum, packages) VALUES ($1, $2, $3, $4)
         ON CONFLICT (branch, repo) DO UPDATE SET checksum = $3, packages = $4, read_at = now()",
    )
    .bind(branch)
    .bind(repo)
    .bind(checksum)
    .bind(packages as i32)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The packages stored for a repository: pkgid → (row id, source name).
pub async fn stored(
    tx: &mut Transaction<'_, Postgres>,
    branch: &str,
    repo: &str,
) -> Result<HashMap<String, (i64, String)>, DbError> {
    let rows: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT pkgid, id, source FROM repo_packages WHERE branch = $1 AND repo = $2")
            .bind(branch)
            .bind(repo)
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows.into_iter().map(|(pkgid, id, source)| (pkgid, (id, source))).collect())
}

/// Inserts packages with their provides and requires; returns pkgid → row id.
pub async fn insert_packages(
    tx: &mut Transaction<'_, Postgres>,
    branch: &str,
    repo: &str,
    packages: &[RepoPackage],
) -> Result<Vec<(String, i64)>, DbError> {
    let column = |f: fn(&RepoPackage) -> &str| -> Vec<&str> { packages.iter().map(f).collect() };
    let epochs: Vec<i32> = packages.iter().map(|p| p.epoch).collect();
    let ids: Vec<(String, i64)> = sqlx::query_as(
        "INSERT INTO repo_packages (branch, repo, pkgid, name, arch, epoch, version, release, source)
         SELECT $1, $2, * FROM UNNEST($3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[])
         ON CONFLICT (branch, repo, pkgid) DO NOTHING
         RETURNING pkgid, id",
    )
    .bind(branch)
    .bind(repo)
    .bind(column(|p| &p.pkgid))
    .bind(column(|p| &p.name))
    .bind(column(|p| &p.arch))
    .bind(&epochs)
    .bind(column(|p| &p.version))
    .bind(column(|p| &p.release))
    .bind(column(|p| &p.source))
    .fetch_all(&mut **tx)
    .await?;
    let by_pkgid: HashMap<&str, i64> = ids.iter().map(|(k, id)| (k.as_str(), *id)).collect();
    let (mut owner, mut kind, mut name, mut constraint) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in packages {
        let Some(id) = by_pkgid.get(p.pkgid.as_str()) else { continue };
        for (k, deps) in [(0i16, &p.provides), (1i16, &p.requires)] {
            for d in deps {
                owner.push(*id);
                kind.push(k);
                name.push(d.name.as_str());
                constraint.push(d.constraint.as_deref());
            }
        }
    }
    sqlx::query(
        "INSERT INTO repo_deps (package_id, kind, name, constraint_text)
         SELECT * FROM UNNEST($1::bigint[], $2::smallint[], $3::text[], $4::text[])",
    )
    .bind(&owner)
    .bind(&kind)
    .bind(&name)
    .bind(&constraint)
    .execute(&mut **tx)
    .await?;
    Ok(ids)
}

/// Deletes packages and their files and dependencies.
pub async fn delete_packages(tx: &mut Transaction<'_, Postgres>, ids: &[i64]) -> Result<(), DbError> {
    if ids.is_empty() {
        return Ok(());
    }
    for sql in [
        "DELETE FROM repo_files f USING UNNEST($1::bigint[]) AS v(id) WHERE f.package_id = v.id",
        "DELETE FROM repo_deps r USING UNNEST($1::bigint[]) AS v(id) WHERE r.package_id = v.id",
        "DELETE FROM repo_packages p USING UNNEST($1::bigint[]) AS v(id) WHERE p.id = v.id",
    ] {
        sqlx::query(sql).bind(ids).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The ids of directories, adding the new ones; `known` caches them across batches.
pub async fn dir_ids(
    tx: &mut Transaction<'_, Postgres>,
    paths: &[&str],
    known: &mut HashMap<String, i32>,
) -> Result<(), DbError> {
    let mut missing: Vec<&str> = paths.iter().copied().filter(|p| !known.contains_key(*p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    missing.sort_unstable();
    missing.dedup();
    // One statement gives the ids of new and existing directories alike.
    // (A lookup joined with the array was planned as a scan per element
    // while the table's statistics were those of an empty one: a minute a batch.)
    let rows: Vec<(i32, String)> = sqlx::query_as(
        "INSERT INTO repo_dirs (path) SELECT * FROM UNNEST($1::text[])
         ON CONFLICT (path) DO UPDATE SET path = EXCLUDED.path
         RETURNING id, path",
    )
    .bind(&missing)
    .fetch_all(&mut **tx)
    .await?;
    known.extend(rows.into_iter().map(|(id, path)| (path, id)));
    Ok(())
}

/// Files to insert, as columns.
#[derive(Default)]
pub struct FileRows {
    pub package: Vec<i64>,
    pub dir: Vec<i32>,
    pub name: Vec<String>,
    pub is_dir: Vec<bool>,
}

impl FileRows {
    pub fn len(&self) -> usize {
        self.package.len()
    }

    pub fn is_empty(&self) -> bool {
        self.package.is_empty()
    }
}

pub async fn insert_files(tx: &mut Transaction<'_, Postgres>, rows: &FileRows) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO repo_files (package_id, dir_id, name, is_dir)
         SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::text[], $4::bool[])",
    )
    .bind(&rows.package)
    .bind(&rows.dir)
    .bind(&rows.name)
    .bind(&rows.is_dir)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One build of a branch, to choose the newest among its repositories.
#[derive(Debug, sqlx::FromRow)]
pub struct Build {
    pub id: i64,
    pub name: String,
    pub arch: String,
    pub epoch: i32,
    pub version: String,
    pub release: String,
    pub newest: bool,
}

pub async fn builds<'e>(db: impl sqlx::PgExecutor<'e>, branch: &str) -> Result<Vec<Build>, DbError> {
    Ok(sqlx::query_as("SELECT id, name, arch, epoch, version, release, newest FROM repo_packages WHERE branch = $1")
        .bind(branch)
        .fetch_all(db)
        .await?)
}

/// Sets the `newest` flag of the rows whose flag changes.
pub async fn set_newest(tx: &mut Transaction<'_, Postgres>, ids: &[i64], newest: &[bool]) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE repo_packages p SET newest = v.newest
         FROM UNNEST($1::bigint[], $2::bool[]) AS v(id, newest) WHERE p.id = v.id",
    )
    .bind(ids)
    .bind(newest)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Asks the worker to read these branches' repositories.
pub async fn want(pool: &PgPool, branches: &[String]) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO repo_wanted (branch) SELECT * FROM UNNEST($1::text[])
         ON CONFLICT (branch) DO UPDATE SET wanted_at = now()",
    )
    .bind(branches)
    .execute(pool)
    .await?;
    Ok(())
}

/// The branches waiting to be read, taken off the list.
pub async fn take_wanted(pool: &PgPool) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar("DELETE FROM repo_wanted RETURNING branch").fetch_all(pool).await?)
}

/// Branches whose repositories have been read, newest release first.
pub async fn branches<'e>(db: impl sqlx::PgExecutor<'e>) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT s.branch FROM (SELECT DISTINCT branch FROM repo_state) s
           LEFT JOIN releases r ON r.branch = s.branch
          ORDER BY coalesce(r.rank, 0) DESC, s.branch DESC",
    )
    .fetch_all(db)
    .await?)
}

/// One row found by a lookup.
#[derive(Debug, sqlx::FromRow)]
pub struct Found {
    pub package: String,
    pub source: String,
    pub branch: String,
    pub repo: String,
    pub epoch: i32,
    pub version: String,
    pub release: String,
    pub arch: String,
    /// The matching path, or the capability with its constraint.
    pub matched: String,
    /// Matches up to `offset + limit + 1` (one more than a page needs says there are more).
    pub total: i64,
}

/// `x` for use inside a LIKE pattern, its wildcards taken literally.
fn like_literal(x: &str) -> String {
    x.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A path as (directory, base name): `/usr/bin/rg` → (`/usr/bin`, `rg`).
pub fn split_path(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

/// `column LIKE pattern`, asked of the trigram index first: the index is on
/// `repo_trigram_text(column)` (punctuation made letters, see its migration),
/// and the plain LIKE rechecks the real text. Always written together.
pub fn contains(column: &str, pattern: &str) -> String {
    format!("repo_trigram_text({column}) LIKE repo_trigram_text({pattern}) AND {column} LIKE {pattern}")
}

/// A page of the newest packages matching: the `limit` found after the
/// first `offset` (in the mode's index order, so a page reads no more rows
/// than it shows, plus one to tell whether more exist), ordered by package,
/// branch and match.
pub async fn find(
    pools: &super::lookup_pools::LookupPools,
    mode: ProvidesMode,
    lookup: &str,
    branch: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<Found>, DbError> {
    // Each mode yields (package_id, matched) rows from its own index, joined
    // to the package to check its newest flag and branch before the cap, so
    // the cap counts only real matches.
    let newest = |of: &str| {
        format!(
            "JOIN repo_packages p ON p.id = {of}.package_id AND p.newest AND p.arch <> 'src'
                                     AND ($2::text IS NULL OR p.branch = $2)"
        )
    };
    let (matches, a, b, c): (String, String, Option<String>, Option<String>) = match mode {
        ProvidesMode::Path => {
            let (dir, name) = split_path(lookup);
            (
                format!(
                    "SELECT f.package_id, d.path || '/' || f.name AS matched
                     FROM repo_dirs d JOIN repo_files f ON f.dir_id = d.id {}
                     WHERE d.path = $1 AND f.name = $3",
                    newest("f")
                ),
                dir.to_string(),
                Some(name.to_string()),
                None,
            )
        }
        ProvidesMode::Name => (
            format!(
                "SELECT f.package_id, d.path || '/' || f.name AS matched
                 FROM repo_files f JOIN repo_dirs d ON d.id = f.dir_id {} WHERE f.name = $1",
                newest("f")
            ),
            lookup.to_string(),
            None,
            None,
        ),
        ProvidesMode::Capability => (
            format!(
                "SELECT r.package_id, r.name || coalesce(' ' || r.constraint_text, '') AS matched
                 FROM repo_deps r {} WHERE r.name = $1 AND r.kind = 0",
                newest("r")
            ),
            lookup.to_string(),
            None,
            None,
        ),
        ProvidesMode::Contains => {
            // In a base name, in a directory, or across the last slash.
            let across = lookup
                .rfind('/')
                .map(|i| (format!("%{}", like_literal(&lookup[..i])), format!("{}%", like_literal(&lookup[i + 1..]))));
            let (dir_end, name_start) = match across {
                Some((d, n)) => (Some(d), Some(n)),
                None => (None, None),
            };
            // Three disjoint parts, so UNION ALL can stop at the cap instead
            // of collecting every match to remove duplicates. Each part has
            // its own cap: the planner then picks plans that stop early
            // (index lookups per row) instead of hashing whole tables. The
            // trigram indexes are on repo_trigram_text() (see its migration);
            // the plain LIKE beside each rechecks the real text.
            let n = newest("f");
            let (name_has, path_has, path_ends) =
                (contains("f.name", "$1"), contains("d.path", "$1"), contains("d.path", "$3"));
            // Base names slice by slice, each from its partial index (the
            // condition on package_id is the index's own): a slice's bitmap
            // is built only if the ones before found fewer than the cap.
            let in_names = (0..NAME_SLICES)
                .map(|k| {
                    format!(
                        "(SELECT f.package_id, d.path || '/' || f.name AS matched
                          FROM repo_files f JOIN repo_dirs d ON d.id = f.dir_id {n}
                          WHERE {} AND {name_has}
                          LIMIT $7)",
                        name_slice(k)
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            (
                format!(
                    "{in_names}
                     UNION ALL
                     (SELECT f.package_id, d.path || '/' || f.name AS matched
                      FROM repo_dirs d JOIN repo_files f ON f.dir_id = d.id {n}
                      WHERE {path_has}
                        AND f.name NOT LIKE $1
                      LIMIT $7)
                     UNION ALL
                     (SELECT f.package_id, d.path || '/' || f.name AS matched
                      FROM repo_dirs d JOIN repo_files f ON f.dir_id = d.id {n}
                      WHERE $3::text IS NOT NULL
                        AND {path_ends}
                        AND f.name LIKE $4 AND d.path NOT LIKE $1 AND f.name NOT LIKE $1
                      LIMIT $7)"
                ),
                format!("%{}%", like_literal(lookup)),
                dir_end,
                name_start,
            )
        }
    };
    // Rows are numbered in the order the mode's index yields them, so page
    // n is always the same n-th hundred; each page is then sorted for reading.
    let sql = format!(
        "SELECT * FROM (
             SELECT p.name AS package, p.source, p.branch, p.repo, p.epoch, p.version, p.release, p.arch,
                    m.matched, m.rn, count(*) OVER () AS total
             FROM (SELECT m.package_id, m.matched, row_number() OVER () AS rn
                   FROM ({matches}) m LIMIT $7) m
             JOIN repo_packages p ON p.id = m.package_id
         ) found
         WHERE rn > $5 AND rn <= $5 + $6
         ORDER BY package, branch = 'rawhide' DESC, length(branch) DESC, branch DESC, matched"
    );
    // Each mode's plan settings are on its pool's connections (see lookup_pools).
    let pool = match mode {
        ProvidesMode::Contains => &pools.contains,
        _ => &pools.exact,
    };
    let found = sqlx::query_as(&sql)
        .bind(&a)
        .bind(branch)
        .bind(b.as_deref())
        .bind(c.as_deref())
        .bind(offset)
        .bind(limit)
        .bind(offset + limit + 1)
        .fetch_all(pool)
        .await?;
    Ok(found)
}

/// For each capability or path: the newest binary packages of `branch`
/// providing it (a path: owning it).
pub async fn providers(pool: &PgPool, branch: &str, names: &[&str]) -> Result<Vec<(String, String)>, DbError> {
    let paths: Vec<&str> = names.iter().copied().filter(|n| n.starts_with('/')).collect();
    let (dirs, bases): (Vec<&str>, Vec<&str>) = paths.iter().map(|p| split_path(p)).unzip();
    Ok(sqlx::query_as(
        "SELECT DISTINCT r.name, p.name FROM repo_deps r
           JOIN repo_packages p ON p.id = r.package_id AND p.newest AND p.arch <> 'src' AND p.branch = $1
          WHERE r.kind = 0 AND r.name = ANY($2)
         UNION
         SELECT DISTINCT w.dir || '/' || w.base, p.name
           FROM UNNEST($3::text[], $4::text[]) AS w(dir, base)
           JOIN repo_dirs d ON d.path = w.dir
           JOIN repo_files f ON f.dir_id = d.id AND f.name = w.base
           JOIN repo_packages p ON p.id = f.package_id AND p.newest AND p.arch <> 'src' AND p.branch = $1",
    )
    .bind(branch)
    .bind(names)
    .bind(&dirs)
    .bind(&bases)
    .fetch_all(pool)
    .await?)
}

/// The newest binary packages of `branch` requiring one of `capabilities`
/// or one of the files `package` owns.
pub async fn required_by(
    pool: &PgPool,
    branch: &str,
    package: &str,
    capabilities: &[&str],
) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT q.name FROM repo_deps r
           JOIN repo_packages q ON q.id = r.package_id AND q.newest AND q.arch <> 'src' AND q.branch = $1
          WHERE r.kind = 1 AND q.name <> $2
            AND (r.name = ANY($3) OR r.name IN (
                SELECT d.path || '/' || f.name FROM repo_packages p
                  JOIN repo_files f ON f.package_id = p.id
                  JOIN repo_dirs d ON d.id = f.dir_id
                 WHERE p.branch = $1 AND p.name = $2 AND p.newest AND p.arch <> 'src'))
          ORDER BY 1",
    )
    .bind(branch)
    .bind(package)
    .bind(capabilities)
    .fetch_all(pool)
    .await?)
}

/// The BuildRequires of the newest source package `source` of `branch`.
pub async fn build_requires(
    pool: &PgPool,
    branch: &str,
    source: &str,
) -> Result<Vec<(String, Option<String>)>, DbError> {
    Ok(sqlx::query_as(
        "SELECT r.name, r.constraint_text FROM repo_deps r
           JOIN repo_packages p ON p.id = r.package_id AND p.newest AND p.arch = 'src'
          WHERE p.branch = $1 AND p.name = $2 AND r.kind = 1
          ORDER BY r.name, r.constraint_text",
    )
    .bind(branch)
    .bind(source)
    .fetch_all(pool)
    .await?)
}

/// Of these source packages, the ones the site shows.
pub async fn known_sources(pool: &PgPool, sources: &[String]) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT name FROM packages WHERE name = ANY($1) AND name = source_name ORDER BY name")
        .bind(sources)
        .fetch_all(pool)
        .await?)
}
