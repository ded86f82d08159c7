//! The refresh path against the real Postgres and the recorded upstream over HTTP.

use super::common::{demo_dir, demo_upstream, load_demo, replay};
use fedora_packages::db;
use fedora_packages::model::{Bugs, Builds, Changelog, Contents, Dependencies, Overview, Sources, Tab, Updates};
use fedora_packages::refresh::refresh;
use fedora_packages::upstream::{Upstream, UpstreamConfig};
use sqlx::PgPool;

async fn payload<T: serde::de::DeserializeOwned>(pool: &PgPool, package: &str, tab: Tab, branch: &str) -> T {
    db::tabs::get(pool, package, tab, (!branch.is_empty()).then_some(branch))
        .await
        .expect("read row")
        .unwrap_or_else(|| panic!("no {package}/{}/{branch} row", tab.slug()))
        .decode(package)
        .expect("decode")
}

#[sqlx::test(migrations = "./migrations")]
async fn demo_fills_every_tab_of_every_package(pool: PgPool) {
    load_demo(&pool).await;
    for source in super::common::DEMO_PACKAGES {
        for tab in [Tab::Overview, Tab::Builds, Tab::Updates, Tab::Bugs, Tab::Sources] {
            assert!(db::tabs::get(&pool, source, tab, None).await.unwrap().is_some(), "{source} {tab:?}");
        }
        for tab in [Tab::Contents, Tab::Changelog, Tab::Dependencies] {
            let branches = db::tabs::branches(&pool, source, tab).await.unwrap();
            assert!(branches.contains(&"rawhide".to_string()), "{source} {tab:?} {branches:?}");
        }
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn python_requre_rows_hold_the_recorded_data(pool: PgPool) {
    load_demo(&pool).await;
    let builds: Builds = payload(&pool, "python-requre", Tab::Builds, "").await;
    assert_eq!(builds.package_id, Some(31141));
    assert!(builds.builds.len() >= 30);
    assert!(builds.builds.iter().any(|b| b.nvr == "python-requre-0.5.0-1.fc33" && b.owner == "jpopelka"));

    let updates: Updates = payload(&pool, "python-requre", Tab::Updates, "").await;
    assert_eq!(updates.total, 29);
    assert!(updates.updates.iter().any(|u| u.alias == "FEDORA-2021-63331f9029"));

    let sources: Sources = payload(&pool, "python-requre", Tab::Sources, "").await;
    assert_eq!(sources.default_branch.as_deref(), Some("rawhide"));
    let spec = sources.spec.expect("spec");
    assert_eq!(spec.license.as_deref(), Some("MIT"));
    assert!(spec.text.contains("Name:           python-requre"));

    let overview: Overview = payload(&pool, "python-requre", Tab::Overview, "").await;
    let maintainers = overview.maintainers.expect("maintainers").value;
    assert_eq!(maintainers.owners, ["mfocko"]);
    let info = overview.info.expect("info").value;
    let rawhide = info.iter().find(|i| i.branch == "rawhide").expect("rawhide info");
    assert_eq!(rawhide.sub_packages, ["python-requre-doc", "python3-requre"]);
    assert_eq!(rawhide.version, "0.8.6");

    // Sub-packages have their own rows and point at their source.
    let sub = db::packages::get(&pool, "python3-requre").await.unwrap().expect("sub-package row");
    assert_eq!(sub.source_name, "python-requre");
    let contents: Contents = payload(&pool, "python3-requre", Tab::Contents, "rawhide").await;
    assert_eq!(contents.packages.len(), 1);
    assert!(contents.packages[0].files.iter().any(|f| f.path == "/usr/bin/requre-patch"));
    let source_contents: Contents = payload(&pool, "python-requre", Tab::Contents, "rawhide").await;
    let names: Vec<_> = source_contents.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["python-requre-doc", "python3-requre"]);

    let log: Changelog = payload(&pool, "python3-requre", Tab::Changelog, "rawhide").await;
    assert_eq!(log.entries[0].version.as_deref(), Some("0.8.6-1"));

    let deps: Dependencies = payload(&pool, "python3-requre", Tab::Dependencies, "rawhide").await;
    let requre = &deps.packages[0];
    let ogr = requre.requires.iter().find(|d| d.name == "python3-ogr").expect("requires python3-ogr");
    assert_eq!(ogr.providers, ["python3-ogr"]);
    assert!(requre.required_by.contains(&"python3-packit".to_string()), "{:?}", requre.required_by);
}

#[sqlx::test(migrations = "./migrations")]
async fn many_open_bugs_and_no_closed_ones(pool: PgPool) {
    load_demo(&pool).await;
    let bugs: Bugs = payload(&pool, "python-bugzilla", Tab::Bugs, "").await;
    assert!(bugs.bugs.len() >= 10);
    assert!(bugs.bugs.iter().all(|b| b.status != "CLOSED"));
    assert!(!bugs.bugs.iter().any(|b| b.id == 1694158));
}

#[sqlx::test(migrations = "./migrations")]
async fn an_older_refresh_never_overwrites_a_newer_one(pool: PgPool) {
    let upstream = demo_upstream().await;
    refresh(&pool, &upstream, "python-requre", &[Tab::Builds]).await.unwrap();
    let newer = db::tabs::get(&pool, "python-requre", Tab::Builds, None).await.unwrap().unwrap();

    // A refresh that took its version before the stored one must not win.
    let mut tx = pool.begin().await.unwrap();
    let empty = Builds::default();
    let row = db::tabs::NewRow {
        package: "python-requre",
        tab: Tab::Builds,
        branch: None,
        payload: &empty,
        fetched_at: chrono::Utc::now(),
    };
    let written = db::tabs::put(&mut tx, row, newer.version - 1).await.unwrap();
    tx.commit().await.unwrap();
    assert!(!written);
    let after: Builds = payload(&pool, "python-requre", Tab::Builds, "").await;
    assert_eq!(after.builds.len(), newer.decode::<Builds>("b").unwrap().builds.len());
}

#[sqlx::test(migrations = "./migrations")]
async fn a_failing_service_keeps_its_old_data(pool: PgPool) {
    load_demo(&pool).await;
    let before: Overview = payload(&pool, "python-bugzilla", Tab::Overview, "").await;
    let old_bugs = before.bugs.clone().expect("bugs part");

    // Bugzilla now refuses connections; everything else answers.
    let mut config = UpstreamConfig::all_under(&replay(demo_dir()).await);
    config.bugzilla_url = "http://127.0.0.1:9".into();
    let broken = Upstream::new(&config).unwrap();
    let report = refresh(&pool, &broken, "python-bugzilla", &Tab::ALL).await.unwrap();
    assert!(report.failures.iter().any(|f| f.service.name() == "bugzilla"), "{:?}", report.failures);

    let after: Overview = payload(&pool, "python-bugzilla", Tab::Overview, "").await;
    assert_eq!(after.bugs, Some(old_bugs), "the failed part keeps its value and age");
    assert!(after.maintainers.unwrap().fetched_at > before.maintainers.unwrap().fetched_at);
    let bugs: Bugs = payload(&pool, "python-bugzilla", Tab::Bugs, "").await;
    assert!(!bugs.bugs.is_empty(), "the bugs tab keeps its old row whole");
}

#[sqlx::test(migrations = "./migrations")]
async fn overview_parts_are_ordered_by_when_their_refresh_started(pool: PgPool) {
    use fedora_packages::refresh::{refresh_at, refresh_scope, Scope};
    use fedora_packages::upstream::Service;
    let up = demo_upstream().await;
    refresh(&pool, &up, "python-requre", &Tab::ALL).await.unwrap();
    let part = |service: Service| {
        let mut s = Scope::tabs(&[Tab::Overview]);
        s.overview_parts.insert(service);
        s
    };
    // A Bugzilla refresh starts, and is slow; meanwhile a Koji refresh starts and finishes.
    let slow = db::next_version(&pool).await.unwrap();
    refresh_scope(&pool, &up, "python-requre", &part(Service::Koji)).await.unwrap();
    let after_koji: Overview = payload(&pool, "python-requre", Tab::Overview, "").await;
    let koji_version = after_koji.latest_build.as_ref().unwrap().version;
    assert!(koji_version > slow);

    // The slow one lands: its Bugzilla part is newer than the stored one, so it is kept,
    // and the Koji part from the later refresh stays.
    refresh_at(&pool, &up, "python-requre", &part(Service::Bugzilla), slow).await.unwrap();
    let merged: Overview = payload(&pool, "python-requre", Tab::Overview, "").await;
    assert_eq!(merged.bugs.as_ref().unwrap().version, slow);
    assert_eq!(merged.latest_build.as_ref().unwrap().version, koji_version);

    // An even older Bugzilla refresh can no longer replace it.
    refresh_at(&pool, &up, "python-requre", &part(Service::Bugzilla), slow - 1).await.unwrap();
    let last: Overview = payload(&pool, "python-requre", Tab::Overview, "").await;
    assert_eq!(last.bugs.as_ref().unwrap().version, slow);
}
