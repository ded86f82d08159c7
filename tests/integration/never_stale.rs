//! The data path against hostile upstream answers: NUL characters, "not
//! found" answers, refused writes, huge bodies, macro bombs, outages. Old
//! data is never blanked, one bad package never stops the others.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::common::{demo_dir, quick_upstream, replay, replay_with_faults, DEMO_PACKAGES};
use fedora_packages::bus::sweep::{self, SweepConfig};
use fedora_packages::db;
use fedora_packages::dev::replay::{FaultKind, FaultPlan};
use fedora_packages::model::{Bugs, Changelog, Contents, Dependencies, Overview, Sources, Tab, Updates};
use fedora_packages::refresh::refresh;
use fedora_packages::sync::{run, SyncPlan};
use fedora_packages::upstream::{Reason, Upstream};
use sqlx::PgPool;

/// A copy of the demo recordings to alter.
pub fn demo_copy() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fp-demo-{}-{}", std::process::id(), fastrand::u64(..)));
    copy_dir(&demo_dir(), &dir);
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy file");
        }
    }
}

fn edit(dir: &Path, file: &str, change: impl Fn(String) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("recording");
    std::fs::write(&path, change(text)).expect("write recording");
}

async fn payload<T: serde::de::DeserializeOwned>(pool: &PgPool, package: &str, tab: Tab, branch: &str) -> T {
    db::tabs::get(pool, package, tab, (!branch.is_empty()).then_some(branch))
        .await
        .expect("read row")
        .unwrap_or_else(|| panic!("no {package}/{}/{branch} row", tab.slug()))
        .decode(package)
        .expect("decode")
}

async fn refresh_all(pool: &PgPool, up: &Upstream) {
    for name in DEMO_PACKAGES {
        refresh(pool, up, name, &Tab::ALL).await.unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Every stored row of a package, with its version (what "nothing blanked" compares).
async fn snapshot(pool: &PgPool, package: &str) -> Vec<(String, String, serde_json::Value)> {
    sqlx::query_as("SELECT tab, branch, payload FROM tab_rows WHERE package = $1 ORDER BY tab, branch")
        .bind(package)
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(t, b, p): (String, String, sqlx::types::Json<serde_json::Value>)| (t, b, p.0))
        .collect()
}

/// Overview parts with their fetch times removed, to compare content.
fn without_times(mut rows: Vec<(String, String, serde_json::Value)>) -> Vec<(String, String, serde_json::Value)> {
    for (_, _, p) in rows.iter_mut() {
        if let Some(map) = p.as_object_mut() {
            for part in map.values_mut() {
                if let Some(part) = part.as_object_mut() {
                    part.remove("fetched_at");
                    part.remove("version");
                }
            }
        }
    }
    rows
}

#[sqlx::test(migrations = "./migrations")]
async fn nul_characters_are_stored_cleaned(pool: PgPool) {
    let dir = demo_copy();
    edit(&dir, "bugzilla/rest/bug/component=python-bugzilla.json", |t| {
        t.replacen("bugzilla query --outputformat", "bugzilla\\u0000query --outputformat", 1)
    });
    edit(&dir, "distgit/rpms/python-requre/raw/rawhide/f/python-requre.spec", |t| {
        t.replacen("Name:", "# a raw \0 byte\nName:", 1)
    });
    edit(&dir, "mdapi/rawhide/changelog/python3-requre.json", |t| {
        t.replacen("Update to 0.8.6", "Update\\u0000 to 0.8.6", 1).replacen("Packit <", "Pack\\u0000it <", 1)
    });
    let up = quick_upstream(&replay(dir).await);

    // `sync --all` finishes, nothing failed: the NULs are gone, the rest stored.
    let plan = SyncPlan { packages: None, tabs: Tab::ALL.to_vec(), concurrency: 3, progress_bar: false };
    let summary = run(&pool, &up, &plan).await.expect("sync --all finishes");
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.refreshed, DEMO_PACKAGES.len());

    let bugs: Bugs = payload(&pool, "python-bugzilla", Tab::Bugs, "").await;
    assert!(bugs.bugs.iter().any(|b| b.summary.starts_with("bugzillaquery --outputformat")));
    let sources: Sources = payload(&pool, "python-requre", Tab::Sources, "").await;
    let spec = sources.spec.expect("spec");
    assert!(spec.text.contains("# a raw  byte") && !spec.text.contains('\0'));
    let log: Changelog = payload(&pool, "python3-requre", Tab::Changelog, "rawhide").await;
    assert_eq!(log.entries[0].text.lines().next(), Some("- Update to 0.8.6 upstream release"));
    assert_eq!(log.entries[0].author, "Packit <hello@packit.dev>");

    // And the sweep, over the same answers, sweeps every package.
    let config = SweepConfig { batch: 50, ..SweepConfig::default() };
    let round = sweep::round(&pool, &up, &config).await.expect("sweep round");
    assert_eq!(round.swept.len(), DEMO_PACKAGES.len());
    assert!(round.failed.is_empty(), "{:?}", round.failed);
}

/// Makes PostgreSQL refuse every tab row of `package`, as it refuses a NUL
/// (SQLSTATE 22P05): a real refusal by the real database, for one package.
pub async fn refuse_rows_of(pool: &PgPool, package: &str) {
    sqlx::query(&format!(
        "CREATE FUNCTION refuse_{0}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           IF NEW.package = '{1}' THEN
             RAISE EXCEPTION 'unsupported Unicode escape sequence (test refusal)' USING ERRCODE = '22P05';
           END IF;
           RETURN NEW;
         END $$",
        package.replace('-', "_"),
        package
    ))
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(&format!(
        "CREATE TRIGGER refuse_{0} BEFORE INSERT OR UPDATE ON tab_rows FOR EACH ROW EXECUTE FUNCTION refuse_{0}()",
        package.replace('-', "_")
    ))
    .execute(pool)
    .await
    .unwrap();
}

#[sqlx::test(migrations = "./migrations")]
async fn a_refused_package_fails_alone_in_sync_and_sweep(pool: PgPool) {
    let up = quick_upstream(&replay(demo_dir()).await);
    refresh_all(&pool, &up).await;
    refuse_rows_of(&pool, "colin").await;
    let plan = SyncPlan { packages: None, tabs: Tab::ALL.to_vec(), concurrency: 3, progress_bar: false };
    let summary = run(&pool, &up, &plan).await.expect("sync --all goes on past a refused package");
    assert_eq!(summary.refreshed, DEMO_PACKAGES.len() - 1);
    assert_eq!(summary.failed.len(), 1);
    assert_eq!(summary.failed[0].0, "colin");
    assert!(summary.failed[0].1.contains("unsupported Unicode escape"), "{:?}", summary.failed);
    for name in DEMO_PACKAGES.iter().filter(|n| **n != "colin") {
        assert!(db::tabs::get(&pool, name, Tab::Builds, None).await.unwrap().is_some(), "{name}");
    }

    // The sweep: every package swept, the refused one recorded and sent to the back.
    let config = SweepConfig { batch: 50, ..SweepConfig::default() };
    let round = sweep::round(&pool, &up, &config).await.expect("sweep round");
    assert_eq!(round.swept.len(), DEMO_PACKAGES.len());
    assert_eq!(round.failed.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["colin"]);
    let swept: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT source, last_error FROM sweep_state WHERE last_swept_at IS NOT NULL ORDER BY source")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(swept.len(), DEMO_PACKAGES.len());
    assert!(swept.iter().all(|(s, e)| e.is_some() == (s == "colin")), "{swept:?}");
}

#[sqlx::test(migrations = "./migrations")]
async fn two_sweepers_take_disjoint_packages(pool: PgPool) {
    let up = quick_upstream(&replay(demo_dir()).await);
    refresh_all(&pool, &up).await;
    let config = SweepConfig { batch: 3, ..SweepConfig::default() };
    let (a, b) = tokio::join!(sweep::round(&pool, &up, &config), sweep::round(&pool, &up, &config));
    let (a, b) = (a.unwrap().swept, b.unwrap().swept);
    assert_eq!(a.len() + b.len(), DEMO_PACKAGES.len(), "{a:?} {b:?}");
    assert!(a.iter().all(|s| !b.contains(s)), "overlap: {a:?} {b:?}");
    // All swept within the hour: nothing is due.
    assert!(sweep::round(&pool, &up, &config).await.unwrap().swept.is_empty());
}

#[sqlx::test(migrations = "./migrations")]
async fn mdapi_saying_not_found_blanks_nothing(pool: PgPool) {
    let dir = demo_copy();
    let (base, faults) = replay_with_faults(dir.clone()).await;
    let up = quick_upstream(&base);
    refresh_all(&pool, &up).await;
    let before = without_times(snapshot(&pool, "python-requre").await);
    let sub_before = without_times(snapshot(&pool, "python3-requre").await);
    let row_before = db::packages::get(&pool, "python-requre").await.unwrap().unwrap();
    assert!(!row_before.summary.is_empty());

    let cases = [
        ("/branches", FaultKind::NotFound),
        ("/branches", FaultKind::BadRequest),
        ("/branches", FaultKind::EmptyList),
        ("requre", FaultKind::NotFound),
        ("requre", FaultKind::BadRequest),
        ("requre", FaultKind::EmptyList),
    ];
    for (path, kind) in cases {
        faults.set(FaultPlan {
            service: "mdapi".into(),
            path: path.into(),
            kind,
            count: 1_000_000,
            ..Default::default()
        });
        let report = refresh(&pool, &up, "python-requre", &Tab::ALL).await.unwrap();
        assert!(report.failures.iter().any(|f| f.service.name() == "mdapi"), "{path} {kind:?}: {:?}", report.failures);
        assert_eq!(without_times(snapshot(&pool, "python-requre").await), before, "{path} {kind:?}");
        assert_eq!(without_times(snapshot(&pool, "python3-requre").await), sub_before, "{path} {kind:?}");
        assert_eq!(db::packages::get(&pool, "python-requre").await.unwrap().unwrap(), row_before, "{path} {kind:?}");
        let contents: Contents = payload(&pool, "python3-requre", Tab::Contents, "rawhide").await;
        assert!(!contents.packages[0].files.is_empty());
        let deps: Dependencies = payload(&pool, "python3-requre", Tab::Dependencies, "rawhide").await;
        assert!(!deps.packages.is_empty());
        let overview: Overview = payload(&pool, "python-requre", Tab::Overview, "").await;
        assert!(!overview.info.expect("info").value.is_empty());
    }

    faults.set(FaultPlan::default());

    // Bodhi's "invalid package" (its real 400) for a package whose updates are stored: kept.
    std::fs::remove_file(dir.join("bodhi/updates/packages=python-requre.json")).unwrap();
    let report = refresh(&pool, &up, "python-requre", &[Tab::Updates]).await.unwrap();
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    assert!(report.failures[0].is_absent());
    let updates: Updates = payload(&pool, "python-requre", Tab::Updates, "").await;
    assert_eq!(updates.total, 29);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_retired_package_shows_retired_and_keeps_its_data(pool: PgPool) {
    let dir = demo_copy();
    let up = quick_upstream(&replay(dir.clone()).await);
    refresh_all(&pool, &up).await;
    let before: Contents = payload(&pool, "colin", Tab::Contents, "rawhide").await;

    // Retired in rawhide: dist-git's dead.package, and gone from the repositories.
    for route in ["pkg", "srcpkg", "files", "changelog"] {
        let _ = std::fs::remove_file(dir.join(format!("mdapi/rawhide/{route}/colin.json")));
    }
    for route in ["pkg", "changelog"] {
        let _ = std::fs::remove_file(dir.join(format!("mdapi/src_rawhide/{route}/colin.json")));
    }
    std::fs::remove_file(dir.join("distgit/rpms/colin/raw/rawhide/f/colin.spec")).unwrap();
    // Composed: dead.package holds the reason, as Fedora's retirement tooling writes it.
    std::fs::write(dir.join("distgit/rpms/colin/raw/rawhide/f/dead.package"), "Orphaned for 6+ weeks\n").unwrap();

    let report = refresh(&pool, &up, "colin", &Tab::ALL).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(db::packages::retired_in(&pool, "colin").await.unwrap(), ["rawhide"]);
    let after: Contents = payload(&pool, "colin", Tab::Contents, "rawhide").await;
    assert_eq!(after, before, "the last contents seen stay");
    let sources: Sources = payload(&pool, "colin", Tab::Sources, "").await;
    assert!(sources.retired);
    let f42: Contents = payload(&pool, "colin", Tab::Contents, "f42").await;
    assert!(!f42.packages.is_empty(), "f42 still ships it");

    let page = super::common::get(&super::common::router(pool.clone()), "/packages/colin").await;
    assert!(page.texts(".package-heading .retired").join(" ").contains("Retired in rawhide"), "{}", page.body);
    let page = super::common::get(&super::common::router(pool.clone()), "/packages/colin/sources").await;
    assert!(page.texts(".retired").join(" ").contains("Retired in rawhide"));
}

#[sqlx::test(migrations = "./migrations")]
async fn a_macro_bomb_spec_is_bounded(pool: PgPool) {
    let dir = demo_copy();
    let mut bomb = String::from("%global a0 0123456789abcdef\n");
    for i in 1..80 {
        bomb.push_str(&format!("%global a{i} %{{a{}}}%{{a{}}}%{{a{}}}\n", i - 1, i - 1, i - 1));
    }
    bomb.push_str("Name: colin\nVersion: 1\nLicense: MIT\nSource0: %{a79}.tar.gz\n");
    std::fs::write(dir.join("distgit/rpms/colin/raw/rawhide/f/colin.spec"), bomb).unwrap();
    let up = quick_upstream(&replay(dir).await);
    let started = Instant::now();
    let report = refresh(&pool, &up, "colin", &[Tab::Sources]).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let sources: Sources = payload(&pool, "colin", Tab::Sources, "").await;
    let spec = sources.spec.unwrap();
    assert!(spec.expansion_capped);
    assert_eq!(spec.license.as_deref(), Some("MIT"));
    assert!(spec.sources[0].value.len() < 10_000);
    let page = super::common::get(&super::common::router(pool.clone()), "/packages/colin/sources").await;
    assert!(page.body.contains("shown unexpanded"));
}

/// Peak resident memory of this process so far, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

#[sqlx::test(migrations = "./migrations")]
async fn huge_bodies_and_gzip_bombs_are_cut_off(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    refresh(&pool, &up, "python-bugzilla", &Tab::ALL).await.unwrap();
    let before: Bugs = payload(&pool, "python-bugzilla", Tab::Bugs, "").await;
    for kind in [FaultKind::Huge, FaultKind::GzipBomb] {
        faults.set(FaultPlan { service: "bugzilla".into(), kind, count: 1_000_000, ..Default::default() });
        let started = Instant::now();
        let report = refresh(&pool, &up, "python-bugzilla", &[Tab::Bugs]).await.unwrap();
        assert!(started.elapsed() < Duration::from_secs(30), "{kind:?} took {:?}", started.elapsed());
        assert!(
            report.failures.iter().any(|f| matches!(f.reason, Reason::TooLarge(_))),
            "{kind:?}: {:?}",
            report.failures
        );
        let after: Bugs = payload(&pool, "python-bugzilla", Tab::Bugs, "").await;
        assert_eq!(after, before, "{kind:?}: old data kept");
    }
    // A gigabyte read whole would show here; the cap keeps the body to 32 MiB.
    assert!(peak_rss() < 768 << 20, "peak RSS {} MiB", peak_rss() >> 20);
    faults.set(FaultPlan::default());
}

#[sqlx::test(migrations = "./migrations")]
async fn an_outage_costs_one_probe_per_cooldown(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let mut config = fedora_packages::upstream::UpstreamConfig::all_under(&base);
    config.http.backoff = Duration::from_millis(5);
    config.http.breaker_cooldown = Duration::from_secs(60);
    let up = Upstream::new(&config).unwrap();
    faults.set(FaultPlan { service: "bugzilla".into(), count: 1_000_000, ..Default::default() });
    for _ in 0..3 {
        for name in DEMO_PACKAGES {
            let report = refresh(&pool, &up, name, &[Tab::Bugs]).await.unwrap();
            assert_eq!(report.failures.len(), 1);
        }
    }
    // Without the breaker: 18 calls of 5 attempts each. With it: the first
    // call's attempts open the circuit, and the rest fail at once.
    let sent = faults.requests("bugzilla");
    assert!(sent <= 5, "{sent} requests to a service that is down");
    faults.set(FaultPlan::default());
}
