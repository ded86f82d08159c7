//! "What provides it": the repository metadata connector and its ingest on
//! real PostgreSQL (genuine createrepo_c metadata of the demo, served by the
//! recorded upstream), the query modes on the page and the API, bad input.

use std::path::{Path, PathBuf};

use super::common::{demo_dir, get, load_demo, quick_upstream, replay, replay_with_faults, router};
use fedora_packages::db::lookup_pools::{self, LookupPools};
use fedora_packages::dev::replay::{FaultKind, FaultPlan};
use fedora_packages::refresh::repodata::{refresh_branches, RepoOutcome, RepoStatus};
use fedora_packages::upstream::Upstream;
use serde_json::Value;
use sqlx::PgPool;

fn branches() -> Vec<String> {
    vec!["rawhide".into(), "f42".into()]
}

async fn read_repos(pool: &PgPool, up: &Upstream) -> Vec<RepoOutcome> {
    refresh_branches(pool, up, &branches()).await.expect("repositories written")
}

async fn api(router: &axum::Router, query: &str) -> (u16, Value) {
    let page = get(router, &format!("/api/v1/provides?{query}")).await;
    let json = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{query}: {e}: {}", page.body));
    (page.status.as_u16(), json)
}

/// (package, branch, evr, matched) of every hit.
fn hits(doc: &Value) -> Vec<(String, String, String, String)> {
    doc["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let s = |k: &str| h[k].as_str().unwrap_or_default().to_string();
            (s("package"), s("branch"), s("evr"), s("matched"))
        })
        .collect()
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrations = "./migrations")]
async fn every_mode_finds_the_demo_packages(pool: PgPool) {
    load_demo(&pool).await;
    let up = quick_upstream(&replay(demo_dir()).await);
    let outcomes = read_repos(&pool, &up).await;
    for o in &outcomes {
        assert!(matches!(o.status, RepoStatus::Read { .. }), "{o}");
    }
    let router = router(pool.clone());

    // An exact path, guessed: the newest packit of each branch.
    let (status, doc) = api(&router, "q=/usr/bin/packit").await;
    assert_eq!(status, 200);
    assert_eq!((doc["mode"].as_str(), doc["guessed"].as_bool()), (Some("path"), Some(true)));
    let found = hits(&doc);
    assert!(found.contains(&("packit".into(), "rawhide".into(), "1.3.0-1.fc43".into(), "/usr/bin/packit".into())));
    // f42: 1.2.0 in the release, 1.3.0 in updates-testing: the newer wins.
    assert!(found.contains(&("packit".into(), "f42".into(), "1.3.0-1.fc42".into(), "/usr/bin/packit".into())));
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(doc["hits"][0]["source"], "packit");

    // A command name anywhere.
    let (_, doc) = api(&router, "q=packit&mode=name&branch=rawhide").await;
    let paths: Vec<String> = hits(&doc).into_iter().map(|h| h.3).collect();
    assert!(paths.contains(&"/usr/bin/packit".to_string()), "{paths:?}");
    assert!(paths.iter().all(|p| p.ends_with("/packit")), "{paths:?}");

    // A capability, with its version; f42's python3-requre comes from updates.
    let (_, doc) = api(&router, "q=python3dist(requre)").await;
    let found = hits(&doc);
    assert!(found.iter().all(|h| h.0 == "python3-requre"), "{found:?}");
    assert!(found.iter().any(|h| h.1 == "f42" && h.2 == "0.8.6-1.fc42"), "{found:?}");
    assert!(found.iter().any(|h| h.1 == "rawhide" && h.3.starts_with("python3dist(requre) = 0.8.6")), "{found:?}");
    assert_eq!(doc["hits"][0]["source"], "python-requre");

    // Words mapping to a capability.
    let (_, doc) = api(&router, "q=python+module+requre&branch=rawhide").await;
    assert_eq!((doc["mode"].as_str(), doc["lookup"].as_str()), (Some("capability"), Some("python3dist(requre)")));
    assert_eq!(hits(&doc).len(), 1);

    // A substring of paths, across a directory boundary.
    let (_, doc) = api(&router, "q=bin/pack&mode=contains&branch=rawhide").await;
    assert!(hits(&doc).iter().any(|h| h.3 == "/usr/bin/packit"), "{doc}");
    let (_, doc) = api(&router, "q=requre&mode=contains&branch=f42").await;
    assert!(hits(&doc).iter().all(|h| h.3.contains("requre")));
    assert!(!hits(&doc).is_empty());

    // Paged: a hundred a page, "100+" while more exist, no row on two pages.
    let (_, first) = api(&router, "q=%2Fusr%2F&mode=contains").await;
    assert_eq!((first["total"].as_i64(), first["total_at_least"].as_bool()), (Some(100), Some(true)), "{first}");
    let next = first["next"].as_str().expect("a next page").to_string();
    let (_, second) = api(&router, next.split_once('?').expect("a query").1).await;
    assert_eq!(second["page"], 2);
    let one: std::collections::BTreeSet<_> = hits(&first).into_iter().collect();
    let two: std::collections::BTreeSet<_> = hits(&second).into_iter().collect();
    assert_eq!(one.len(), 100);
    assert!(!two.is_empty() && one.is_disjoint(&two), "{two:?}");

    // Nothing found is an empty page, not an error.
    let (status, doc) = api(&router, "q=/usr/bin/no-such-command").await;
    assert_eq!((status, doc["total"].as_i64()), (200, Some(0)));

    // The page: works without JavaScript, links binary and source packages.
    let page = get(&router, "/provides?q=%2Fusr%2Fbin%2Fpackit").await;
    assert_eq!(page.status, 200);
    let links: Vec<String> = page
        .html()
        .select(&scraper::Selector::parse("table.provides a").unwrap())
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(links.contains(&"/packages/packit?branch=rawhide".to_string()), "{links:?}");
    assert!(links.contains(&"/packages/packit".to_string()), "{links:?}");
    assert!(page.texts("table.provides code").iter().all(|t| t == "/usr/bin/packit"));
    let page = get(&router, "/provides?q=python3dist(requre)").await;
    assert!(page.texts("table.provides td").iter().any(|t| t == "python-requre"), "{}", page.body);

    // /search shows who provides a path.
    let page = get(&router, "/search?q=%2Fusr%2Fbin%2Fpackit").await;
    assert_eq!(page.texts(".provided-by h2"), ["Provided by"], "{}", page.body);
    assert!(page.texts(".provided-by li a").contains(&"packit".to_string()));
    let page = get(&router, "/search?q=packit").await;
    assert!(page.texts(".provided-by h2").is_empty(), "a plain name asks no provides");
}

/// `contains` looks up names through an index in which `.`, `-`, `_` and
/// other punctuation are turned into letters (see the migration): what it
/// finds is still exactly the names holding the text, punctuation and
/// wildcard characters taken literally.
#[sqlx::test(migrations = "./migrations")]
async fn contains_takes_punctuation_literally(pool: PgPool) {
    load_demo(&pool).await;
    let up = quick_upstream(&replay(demo_dir()).await);
    read_repos(&pool, &up).await;
    // Beside /usr/bin/packit: the name looked for, one with the index's
    // stand-in letters, one in capitals, one with `x` where the query has
    // `_`, one with `%`.
    sqlx::query(
        "INSERT INTO repo_files (package_id, dir_id, name, is_dir)
         SELECT f.package_id, f.dir_id, n, false
         FROM repo_files f JOIN repo_dirs d ON d.id = f.dir_id JOIN repo_packages p ON p.id = f.package_id,
              unnest(ARRAY['pun-ct_u.at+e', 'PUN-CT_U.AT+E', 'punβctγuαatδe', 'pun-ctxu.at+e', 'pun-ct%u.at+e']) n
         WHERE d.path = '/usr/bin' AND f.name = 'packit' AND p.branch = 'rawhide' AND p.newest",
    )
    .execute(&pool)
    .await
    .unwrap();
    let router = router(pool.clone());
    let found = |q: &'static str| {
        let router = router.clone();
        async move {
            let (status, doc) = api(&router, &format!("q={q}&mode=contains&branch=rawhide")).await;
            assert_eq!(status, 200, "{doc}");
            let mut paths: Vec<String> = hits(&doc).into_iter().map(|h| h.3).collect();
            paths.sort();
            paths
        }
    };
    assert_eq!(found("n-ct_u.at%2Be").await, ["/usr/bin/pun-ct_u.at+e"]);
    assert_eq!(found("ct%25u").await, ["/usr/bin/pun-ct%u.at+e"]);
    assert_eq!(found("n%CE%B2ct").await, ["/usr/bin/punβctγuαatδe"]);
    assert_eq!(found("bin/pun-").await.len(), 3);
    // Case counts, as for LIKE.
    assert_eq!(found("N-CT_U").await, ["/usr/bin/PUN-CT_U.AT+E"]);
}

#[sqlx::test(migrations = "./migrations")]
async fn bad_queries_are_answered_400_with_a_reason(pool: PgPool) {
    let up = quick_upstream(&replay(demo_dir()).await);
    read_repos(&pool, &up).await;
    let router = router(pool.clone());
    let long = "a".repeat(5000);
    for query in [
        "q=rg&mode=regex".to_string(),
        "q=rg&branch=f99".to_string(),
        "q=a%01b".to_string(),
        format!("q={long}"),
        "q=ab&mode=contains".to_string(),
        "q=rg&page=11".to_string(),
        "mode=name".to_string(),
    ] {
        let (status, doc) = api(&router, &query).await;
        assert_eq!(status, 400, "{query}: {doc}");
        assert_eq!(doc["error"]["code"], "bad_parameter", "{query}");
        assert!(!doc["error"]["message"].as_str().unwrap_or_default().is_empty());
    }
    let page = get(&router, "/provides?q=rg&mode=regex").await;
    assert_eq!(page.status, 400);
    assert!(page.texts("p.error").iter().any(|t| t.contains("unknown mode")), "{}", page.body);
    let page = get(&router, "/provides?q=rg&branch=f99").await;
    assert_eq!(page.status, 400);
    assert!(page.texts("p.error").iter().any(|t| t.contains("unknown branch")), "{}", page.body);
}

/// A copy of the demo recordings the test may change.
fn scratch_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp").arg("-r").arg(demo_dir()).arg(dir.path()).status().unwrap();
    assert!(status.success());
    let root = dir.path().join("upstream");
    (dir, root)
}

fn repodata(root: &Path, repo: &str) -> PathBuf {
    root.join("dl/pub/fedora/linux").join(repo).join("repodata")
}

#[sqlx::test(migrations = "./migrations")]
async fn unchanged_repositories_are_skipped_and_changes_applied_by_pkgid(pool: PgPool) {
    let (_keep, root) = scratch_copy();
    let up = quick_upstream(&replay(root.clone()).await);
    read_repos(&pool, &up).await;
    let files = count(&pool, "repo_files").await;
    let release_ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM repo_packages WHERE branch = 'f42' AND repo = 'release' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();

    // Again, unchanged: nothing read beyond repomd.xml.
    for o in read_repos(&pool, &up).await {
        assert!(matches!(o.status, RepoStatus::Unchanged | RepoStatus::Absent), "{o}");
    }
    assert_eq!(count(&pool, "repo_files").await, files);

    // f42's updates now hold what updates-testing holds: only that
    // repository is read again; its new pkgids are added, the others removed.
    let updates = repodata(&root, "updates/42/Everything/x86_64");
    std::fs::remove_dir_all(&updates).unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(repodata(&root, "updates/testing/42/Everything/x86_64"))
        .arg(&updates)
        .status()
        .unwrap();
    assert!(status.success());
    let outcomes = refresh_branches(&pool, &up, &["f42".to_string()]).await.unwrap();
    let updates = outcomes.iter().find(|o| o.repo == "updates").unwrap();
    match &updates.status {
        RepoStatus::Read { added, removed, packages, changed_sources } => {
            assert_eq!((*added, *removed, *packages), (5, 4, 5), "{updates}");
            assert!(changed_sources.contains("python-requre") && changed_sources.contains("packit"));
        }
        other => panic!("{other:?}"),
    }
    for o in outcomes.iter().filter(|o| o.repo != "updates" && o.repo != "source-updates") {
        assert_eq!(o.status, RepoStatus::Unchanged, "{o}");
    }
    let after: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM repo_packages WHERE branch = 'f42' AND repo = 'release' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(after, release_ids, "other repositories' rows are not rewritten");
    // python3-requre 0.8.6 left f42's updates: the release's 0.8.4 is the newest now.
    let router = router(pool.clone());
    let (_, doc) = api(&router, "q=python3dist(requre)&branch=f42").await;
    assert_eq!(hits(&doc).iter().map(|h| h.2.as_str()).collect::<Vec<_>>(), ["0.8.4-3.fc42"], "{doc}");
    // One newest row per name and architecture.
    let doubles: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT 1 FROM repo_packages WHERE newest GROUP BY branch, name, arch HAVING count(*) > 1) d",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(doubles, 0);
}

/// Replaces a repository's primary with `bytes` (zstd), consistently named
/// and checksummed in repomd.xml, as a mirror would serve it.
fn replace_primary(root: &Path, repo: &str, xml: &[u8]) {
    use sha2::Digest;
    let dir = repodata(root, repo);
    let repomd_path = dir.join("repomd.xml");
    let repomd = std::fs::read_to_string(&repomd_path).unwrap();
    let parsed = fedora_packages::upstream::repodata::parse_repomd(&repomd).unwrap();
    let bytes = zstd::encode_all(xml, 3).unwrap();
    let sum: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    std::fs::remove_file(dir.join(parsed.primary.href.trim_start_matches("repodata/"))).unwrap();
    let href = parsed.primary.href.replace(&parsed.primary.checksum, &sum);
    std::fs::write(dir.join(href.trim_start_matches("repodata/")), bytes).unwrap();
    std::fs::write(&repomd_path, repomd.replace(&parsed.primary.checksum, &sum)).unwrap();
}

fn primary_xml(root: &Path, repo: &str) -> Vec<u8> {
    let dir = repodata(root, repo);
    let repomd = std::fs::read_to_string(dir.join("repomd.xml")).unwrap();
    let parsed = fedora_packages::upstream::repodata::parse_repomd(&repomd).unwrap();
    zstd::decode_all(&std::fs::read(dir.join(parsed.primary.href.trim_start_matches("repodata/"))).unwrap()[..])
        .unwrap()
}

#[sqlx::test(migrations = "./migrations")]
async fn a_cut_corrupt_or_failing_repository_leaves_the_rows_whole(pool: PgPool) {
    let (_keep, root) = scratch_copy();
    let (base, faults) = replay_with_faults(root.clone()).await;
    let up = quick_upstream(&base);
    read_repos(&pool, &up).await;
    let snapshot = || async {
        let rows: Vec<(String, String, String, bool)> =
            sqlx::query_as("SELECT branch, repo, pkgid, newest FROM repo_packages ORDER BY branch, repo, pkgid")
                .fetch_all(&pool)
                .await
                .unwrap();
        (rows, count(&pool, "repo_files").await, count(&pool, "repo_deps").await)
    };
    let before = snapshot().await;
    let rawhide = "development/rawhide/Everything/x86_64/os";
    let whole = primary_xml(&root, rawhide);
    let rawhide_only = vec!["rawhide".to_string()];

    // A file cut in half (its checksum in repomd.xml matching the cut file).
    replace_primary(&root, rawhide, &whole[..whole.len() / 2]);
    let outcomes = refresh_branches(&pool, &up, &rawhide_only).await.unwrap();
    assert!(matches!(&outcomes[0].status, RepoStatus::Failed(why) if why.starts_with("primary")), "{}", outcomes[0]);
    assert_eq!(snapshot().await, before);

    // A file whose bytes do not match repomd.xml.
    replace_primary(&root, rawhide, &whole);
    let dir = repodata(&root, rawhide);
    let parsed =
        fedora_packages::upstream::repodata::parse_repomd(&std::fs::read_to_string(dir.join("repomd.xml")).unwrap())
            .unwrap();
    std::fs::write(dir.join(parsed.primary.href.trim_start_matches("repodata/")), b"not zstd at all").unwrap();
    let outcomes = refresh_branches(&pool, &up, &rawhide_only).await.unwrap();
    assert!(matches!(&outcomes[0].status, RepoStatus::Failed(why) if why.contains("checksum")), "{}", outcomes[0]);
    assert_eq!(snapshot().await, before);

    // A mirror answering 500s.
    replace_primary(&root, rawhide, &whole);
    faults.set(FaultPlan { service: "dl".into(), count: 100, kind: FaultKind::ServerError, ..FaultPlan::default() });
    let outcomes = refresh_branches(&pool, &up, &rawhide_only).await.unwrap();
    assert!(outcomes.iter().all(|o| matches!(o.status, RepoStatus::Failed(_))), "{outcomes:?}");
    assert_eq!(snapshot().await, before);

    // Mended: the same read succeeds, and finds the same packages.
    faults.set(FaultPlan::default());
    let outcomes = refresh_branches(&pool, &up, &rawhide_only).await.unwrap();
    assert!(matches!(outcomes[0].status, RepoStatus::Read { added: 0, removed: 0, .. }), "{}", outcomes[0]);
    assert_eq!(snapshot().await, before);
}

#[sqlx::test(migrations = "./migrations")]
async fn the_dependencies_tab_is_completed_from_the_repositories(pool: PgPool) {
    use fedora_packages::db::repodata as repo_db;
    use fedora_packages::model::{Dependencies, Tab};
    use fedora_packages::upstream::repodata::RepoPackage;
    load_demo(&pool).await;
    let up = quick_upstream(&replay(demo_dir()).await);
    let outcomes = read_repos(&pool, &up).await;
    // The demo has no python3 package: one owning /usr/bin/python3 is
    // written through the ingest's own functions (composed, not recorded).
    let mut tx = repo_db::begin(&pool).await.unwrap();
    let python3 = RepoPackage {
        pkgid: "composed-python3".into(),
        name: "python3".into(),
        arch: "x86_64".into(),
        version: "3.13.1".into(),
        release: "1.fc43".into(),
        source: "python3.13".into(),
        ..RepoPackage::default()
    };
    let ids = repo_db::insert_packages(&mut tx, "rawhide", "release", &[python3]).await.unwrap();
    let mut dirs = std::collections::HashMap::new();
    repo_db::dir_ids(&mut tx, &["/usr/bin"], &mut dirs).await.unwrap();
    let rows = repo_db::FileRows {
        package: vec![ids[0].1],
        dir: vec![dirs["/usr/bin"]],
        name: vec!["python3".into()],
        is_dir: vec![false],
    };
    repo_db::insert_files(&mut tx, &rows).await.unwrap();
    repo_db::set_newest(&mut tx, &[ids[0].1], &[true]).await.unwrap();
    tx.commit().await.unwrap();

    let refreshed = fedora_packages::refresh::repodata::refresh_dependencies(&pool, &up, &outcomes, 2).await.unwrap();
    assert_eq!(refreshed, 6, "every demo source changed on the first read");
    let deps = |name: &'static str| {
        let pool = pool.clone();
        async move {
            let row = fedora_packages::db::tabs::get(&pool, name, Tab::Dependencies, Some("rawhide")).await.unwrap();
            serde_json::from_value::<Dependencies>(row.expect("a dependencies row").payload.0).unwrap()
        }
    };
    let requre = deps("python-requre").await;
    let build: Vec<&str> = requre.build_requires.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(build, ["python3-devel"], "as its spec says");
    assert!(requre.build_requires[0].providers.is_empty(), "nothing in the demo provides python3-devel");

    // A file requirement, resolved to the package owning the file.
    let mut file_requirements = Vec::new();
    for name in super::common::DEMO_PACKAGES {
        for p in deps(name).await.packages {
            file_requirements.extend(p.requires.into_iter().filter(|d| d.name == "/usr/bin/python3"));
        }
    }
    assert!(!file_requirements.is_empty());
    assert!(file_requirements.iter().all(|d| d.providers == ["python3"]), "{file_requirements:?}");

    // The page shows them.
    let router = router(pool.clone());
    let page = get(&router, "/packages/python-requre/dependencies?branch=rawhide").await;
    assert!(page.texts(".build-requires h2").contains(&"BuildRequires".to_string()), "{}", page.body);
    assert!(page.texts(".build-requires code").contains(&"python3-devel".to_string()));
}

/// Lookups run on pools of their own, each connection set up once with its
/// mode's plan settings (so a lookup is one round trip, no transaction), and
/// contains lookups queue for no more connections than the cores can run.
#[sqlx::test(migrations = "./migrations")]
async fn lookups_run_on_pools_with_their_own_settings(pool: PgPool) {
    let pools = LookupPools::new(&pool, None);
    async fn show(pool: &PgPool, setting: &str) -> String {
        sqlx::query_scalar(&format!("SHOW {setting}")).fetch_one(pool).await.expect(setting)
    }
    assert_eq!(show(&pools.exact, "plan_cache_mode").await, "force_generic_plan");
    assert_eq!(show(&pools.contains, "plan_cache_mode").await, "force_custom_plan");
    assert_eq!(show(&pools.contains, "max_parallel_workers_per_gather").await, "0");
    // The settings are the lookup pools' own: the main pool is untouched.
    assert_ne!(show(&pool, "plan_cache_mode").await, "force_generic_plan");
    assert_ne!(show(&pool, "max_parallel_workers_per_gather").await, "0");
    assert_eq!(pools.contains.options().get_max_connections(), lookup_pools::cores());
    assert_eq!(LookupPools::new(&pool, Some(3)).contains.options().get_max_connections(), 3);
    // Closing the main pool closes them too.
    pool.close().await;
    for _ in 0..100 {
        if pools.exact.is_closed() && pools.contains.is_closed() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the lookup pools outlived the main pool");
}

/// The file-name trigram index is cut into partial indexes by package, and
/// contains lookups ask them slice by slice: each slice's condition, as the
/// query states it, must be one the planner proves its index's by (else
/// lookups would scan millions of rows), and every slice must have one.
#[sqlx::test(migrations = "./migrations")]
async fn every_name_slice_has_its_own_index(pool: PgPool) {
    use fedora_packages::db::repodata::{contains, name_slice, trigram_indexes, NAME_SLICES};
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut *tx).await.unwrap();
    for k in 0..NAME_SLICES {
        let sql = format!(
            "EXPLAIN SELECT 1 FROM repo_files f WHERE {} AND {}",
            name_slice(k),
            contains("f.name", "'%_so.3%'")
        );
        let plan: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&mut *tx).await.unwrap();
        let index = format!("repo_files_trigram_{k}");
        assert!(plan.iter().any(|line| line.contains(&format!("on {index} "))), "{index} unused: {plan:#?}");
    }
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT indexname::text FROM pg_indexes WHERE indexname LIKE 'repo_%_trigram%' ORDER BY 1")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
    let mut wanted = trigram_indexes();
    wanted.sort();
    assert_eq!(existing, wanted);
}
