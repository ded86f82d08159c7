//! `sync`: all packages or a list, bounded concurrency, resumption after failure.

use super::common::{demo_dir, quick_upstream, replay_with_faults, DEMO_PACKAGES};
use fedora_packages::db;
use fedora_packages::dev::replay::{FaultKind, FaultPlan};
use fedora_packages::model::Tab;
use fedora_packages::sync::{run, SyncPlan};
use sqlx::PgPool;

fn plan(packages: Option<Vec<String>>, tabs: Vec<Tab>) -> SyncPlan {
    SyncPlan { packages, tabs, concurrency: 3, progress_bar: false }
}

#[sqlx::test(migrations = "./migrations")]
async fn all_packages_come_from_dist_git(pool: PgPool) {
    let (base, _faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    let summary = run(&pool, &up, &plan(None, Tab::ALL.to_vec())).await.unwrap();
    assert_eq!(summary.total, DEMO_PACKAGES.len());
    assert_eq!(summary.refreshed, DEMO_PACKAGES.len());
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    for name in DEMO_PACKAGES {
        assert!(db::packages::get(&pool, name).await.unwrap().is_some(), "{name}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn a_list_and_some_tabs(pool: PgPool) {
    let (base, _faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    // A sub-package name syncs its source package once it is known.
    let summary = run(&pool, &up, &plan(Some(vec!["colin".into()]), vec![Tab::Builds])).await.unwrap();
    assert_eq!((summary.total, summary.refreshed), (1, 1));
    assert!(db::tabs::get(&pool, "colin", Tab::Builds, None).await.unwrap().is_some());
    assert!(db::tabs::get(&pool, "colin", Tab::Bugs, None).await.unwrap().is_none());
}

#[sqlx::test(migrations = "./migrations")]
async fn a_rerun_after_failure_resumes(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    let tabs = vec![Tab::Overview, Tab::Bugs];
    faults.set(FaultPlan {
        service: "bugzilla".into(),
        kind: FaultKind::ServerError,
        count: 1000,
        ..FaultPlan::default()
    });
    let first = run(&pool, &up, &plan(None, tabs.clone())).await.unwrap();
    assert_eq!(first.failed.len(), DEMO_PACKAGES.len());

    // Bugzilla recovers: the rerun resumes the same run and retries them all.
    faults.set(FaultPlan::default());
    let second = run(&pool, &up, &plan(None, tabs.clone())).await.unwrap();
    assert!(second.resumed);
    assert!(second.failed.is_empty(), "{:?}", second.failed);
    assert_eq!(second.refreshed, DEMO_PACKAGES.len());

    // Finished: the next run starts afresh.
    let third = run(&pool, &up, &plan(None, tabs)).await.unwrap();
    assert!(!third.resumed);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_resumed_run_skips_what_it_already_did(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    let tabs = vec![Tab::Bugs];
    // Only one package's bug query fails: the others are done.
    faults.set(FaultPlan {
        service: "bugzilla".into(),
        kind: FaultKind::ServerError,
        count: 5,
        ..FaultPlan::default()
    });
    let one = SyncPlan { concurrency: 1, ..plan(None, tabs.clone()) };
    let first = run(&pool, &up, &one).await.unwrap();
    assert_eq!(first.failed.len(), 1, "{:?}", first.failed);
    let second = run(&pool, &up, &one).await.unwrap();
    assert!(second.resumed);
    assert_eq!(second.skipped, DEMO_PACKAGES.len() - 1);
    assert_eq!(second.refreshed, 1);
}
