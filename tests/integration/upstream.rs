//! Connectors against the recorded upstream with injected faults: retries,
//! backoff, Retry-After, timeouts, and failures recorded with old data kept.

use std::time::{Duration, Instant};

use super::common::{demo_dir, quick_upstream, replay_with_faults};
use fedora_packages::db;
use fedora_packages::dev::replay::{FaultKind, FaultPlan};
use fedora_packages::model::{Builds, Tab};
use fedora_packages::refresh::refresh;
use fedora_packages::upstream::Reason;
use sqlx::PgPool;

fn plan(service: &str, kind: FaultKind, count: u32) -> FaultPlan {
    FaultPlan { service: service.into(), kind, count, ..FaultPlan::default() }
}

async fn builds(pool: &PgPool) -> Option<Builds> {
    db::tabs::get(pool, "python-requre", Tab::Builds, None).await.unwrap().map(|r| r.decode("builds").unwrap())
}

#[sqlx::test(migrations = "./migrations")]
async fn transient_faults_are_retried_until_they_pass(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    for kind in [FaultKind::ServerError, FaultKind::Reset, FaultKind::Truncated] {
        faults.set(plan("koji", kind, 2));
        let report = refresh(&pool, &up, "python-requre", &[Tab::Builds]).await.unwrap();
        assert!(report.failures.is_empty(), "{kind:?}: {:?}", report.failures);
        assert_eq!(builds(&pool).await.unwrap().package_id, Some(31141), "{kind:?}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn too_many_requests_waits_for_retry_after(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    faults.set(FaultPlan { retry_after: 1, ..plan("koji", FaultKind::TooManyRequests, 1) });
    let started = Instant::now();
    let report = refresh(&pool, &up, "python-requre", &[Tab::Builds]).await.unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was not honoured");
}

#[sqlx::test(migrations = "./migrations")]
async fn lasting_failures_are_recorded_and_keep_old_rows(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    refresh(&pool, &up, "python-requre", &[Tab::Builds]).await.unwrap();
    let before = db::tabs::get(&pool, "python-requre", Tab::Builds, None).await.unwrap().unwrap();

    faults.set(plan("koji", FaultKind::ServerError, 1000));
    let report = refresh(&pool, &up, "python-requre", &[Tab::Builds]).await.unwrap();
    let failure = report.failures.first().expect("a failure");
    assert_eq!(failure.service.name(), "koji");
    // The package id was looked up (and remembered) by the first refresh.
    assert!(failure.call.starts_with("listBuilds"), "{}", failure.call);
    assert!(matches!(failure.reason, Reason::Status(500)));
    let after = db::tabs::get(&pool, "python-requre", Tab::Builds, None).await.unwrap().unwrap();
    assert_eq!(after.fetched_at, before.fetched_at, "old row kept whole");
    let recorded = db::failures::recent(&pool, "python-requre", 5).await.unwrap();
    assert_eq!(recorded[0].service, "koji");
    assert!(recorded[0].reason.contains("500"));

    // A malformed body is not retried into success: it is reported as such.
    faults.set(plan("bodhi", FaultKind::Malformed, 1000));
    let report = refresh(&pool, &up, "python-requre", &[Tab::Updates]).await.unwrap();
    assert!(report.failures.iter().any(|f| matches!(f.reason, Reason::Parse(_))), "{:?}", report.failures);
}

#[sqlx::test(migrations = "./migrations")]
async fn slow_answers_time_out_and_are_retried(pool: PgPool) {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let up = quick_upstream(&base);
    faults.set(FaultPlan { service: "distgit".into(), delay_ms: 3000, ..FaultPlan::default() });
    let started = Instant::now();
    let report = refresh(&pool, &up, "python-requre", &[Tab::Sources]).await.unwrap();
    assert!(
        report.failures.iter().any(|f| matches!(&f.reason, Reason::Transport(t) if t.contains("timed out"))),
        "{:?}",
        report.failures
    );
    assert!(started.elapsed() < Duration::from_secs(20), "timeouts bound the wait");
}

#[tokio::test]
async fn requests_per_service_are_bounded() {
    let (base, faults) = replay_with_faults(demo_dir()).await;
    let mut config = fedora_packages::upstream::UpstreamConfig::all_under(&base);
    config.http.concurrency = 2;
    let up = fedora_packages::upstream::Upstream::new(&config).unwrap();
    faults.set(FaultPlan { service: "mdapi".into(), delay_ms: 200, ..FaultPlan::default() });
    let started = Instant::now();
    let calls = (0..6).map(|_| up.mdapi.pkg("rawhide", "python3-requre"));
    for r in futures::future::join_all(calls).await {
        assert!(r.unwrap().is_some());
    }
    // 6 calls, 2 at a time, 200 ms each: at least 3 rounds.
    assert!(started.elapsed() >= Duration::from_millis(600), "{:?}", started.elapsed());
}
