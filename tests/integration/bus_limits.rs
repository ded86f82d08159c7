//! The worker against hostile traffic on the real broker and database: a
//! package the database refuses, a fan-out naming thousands of packages, a
//! copy the broker will not route, two workers on a mixed stream.
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use fedora_packages::bus::message::table_to_json;
use fedora_packages::db;
use fedora_packages::dev::replay::{FaultKind, FaultPlan};
use fedora_packages::model::Tab;
use lapin::options::{BasicGetOptions, QueueDeleteOptions};
use serde_json::{json, Value};
use sqlx::PgPool;

use super::bus::{all_applied, eventually, fixture, unique, Harness, BROKER};
use super::never_stale::refuse_rows_of;

/// The first message of a queue, with its headers as JSON and its body.
async fn first_message(h: &Harness, queue: &str) -> (Value, Value) {
    let m = h
        .channel
        .basic_get(queue.into(), BasicGetOptions::default())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a message in {queue}"));
    let headers = table_to_json(m.properties.headers().as_ref().expect("headers"));
    (headers, serde_json::from_slice(&m.delivery.data).unwrap_or(Value::Null))
}

#[sqlx::test(migrations = "./migrations")]
async fn a_refused_package_is_dead_lettered_and_the_batch_goes_on(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    refuse_rows_of(&h.pool, "colin").await;
    // One batch: the refused package, a message whose agent carries a NUL, a plain one.
    for (name, owner) in [("colin", "spot"), ("packit", "sp\u{0}ot"), ("python-ogr", "spot")] {
        let mut m = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| {
            b["name"] = json!(name);
            b["owner"] = json!(owner);
        });
        m["id"] = json!(unique("refused-"));
        h.publish(&m).await;
    }
    let (stop, worker) = h.start();
    for p in ["packit", "python-ogr"] {
        eventually(&format!("{p} applied"), Duration::from_secs(30), || async {
            h.events(p).await.iter().any(|e| e.topic == "buildsys.build.state.change")
        })
        .await;
    }
    assert_eq!(h.events("packit").await[0].agent.as_deref(), Some("spot"), "the NUL is gone, the rest kept");
    eventually("the refused message dead-lettered", Duration::from_secs(30), || async {
        h.message_count(&h.config.dead_queue()).await == 1
    })
    .await;
    let (headers, body) = first_message(&h, &h.config.dead_queue()).await;
    let reason = headers["fedora_packages_error"].as_str().unwrap_or_default();
    assert!(reason.contains("unsupported Unicode escape"), "{reason}");
    assert_eq!(body["name"], "colin");
    assert!(h.events("colin").await.iter().all(|e| e.topic != "buildsys.build.state.change"));

    // The worker goes on.
    let later = fixture("koji.tag.json", &h.prefix(), |b| b["name"] = json!("packit"));
    h.publish(&later).await;
    eventually("a later message applied", Duration::from_secs(30), || async {
        h.events("packit").await.iter().any(|e| e.topic == "buildsys.tag")
    })
    .await;
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn an_oversized_message_is_dead_lettered_unread(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let mut h = Harness::new(pool).await;
    h.config.max_message_bytes = 64 << 10;
    let mut m = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("colin"));
    m["body"]["padding"] = json!("x".repeat(100 << 10));
    h.publish(&m).await;
    let (stop, worker) = h.start();
    eventually("dead-lettered", Duration::from_secs(30), || async {
        h.message_count(&h.config.dead_queue()).await == 1
    })
    .await;
    let (headers, _) = first_message(&h, &h.config.dead_queue()).await;
    assert!(headers["fedora_packages_error"].as_str().unwrap_or_default().starts_with("too large"), "{headers}");
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

/// `count` composed packages (`bench-pkg-001`...), copies of colin's
/// recordings made by the benchmarks' own script, and their package rows.
async fn composed(pool: &PgPool, count: usize) -> (PathBuf, Vec<String>) {
    let dir = std::env::temp_dir().join(unique("fp-fanout-"));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/make_recordings.py");
    let out = std::process::Command::new("python3").arg(script).arg(&dir).arg(count.to_string()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let names: Vec<String> = (1..=count).map(|i| format!("bench-pkg-{i:03}")).collect();
    sqlx::query("INSERT INTO packages (name, source_name, version) SELECT n, n, 0 FROM unnest($1::text[]) n")
        .bind(&names)
        .execute(pool)
        .await
        .unwrap();
    (dir, names)
}

#[sqlx::test(migrations = "./migrations")]
async fn a_fan_out_of_5000_packages_is_applied_in_parts(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let (dir, names) = composed(&pool, 5000).await;
    let h = Harness::on(pool, dir).await;
    let failing = "bench-pkg-042";
    h.faults.set(FaultPlan {
        service: "mdapi".into(),
        path: format!("/{failing}"),
        kind: FaultKind::ServerError,
        count: u32::MAX,
        ..FaultPlan::default()
    });
    let m = fixture("mdapi.repo.update.json", &h.prefix(), |b| b["packages"] = json!(names));
    h.publish(&m).await;
    let (stop, worker) = h.start();
    let applied = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(DISTINCT package) FROM tab_rows WHERE tab = 'contents' AND package LIKE 'bench-pkg-%'",
        )
        .fetch_one(&h.pool)
        .await
        .unwrap()
    };
    eventually("every other package applied", Duration::from_secs(900), || async { applied().await == 4999 }).await;
    eventually("the failing package alone dead-lettered", Duration::from_secs(60), || async {
        h.message_count(&h.config.dead_queue()).await == 1
    })
    .await;
    let (headers, body) = first_message(&h, &h.config.dead_queue()).await;
    assert_eq!(body["packages"], json!([failing]), "{headers}");
    assert!(headers["fedora_packages_error"].as_str().unwrap_or_default().contains("HTTP status 500"));
    assert!(db::tabs::get(&h.pool, failing, Tab::Contents, Some("rawhide")).await.unwrap().is_none());
    assert_eq!(h.message_count(&h.config.queue).await, 0);
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn a_copy_the_broker_cannot_route_leaves_the_original_unacknowledged(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    h.faults.set(FaultPlan { service: "bugzilla".into(), count: u32::MAX, ..FaultPlan::default() });
    let (stop, worker) = h.start();
    // Give the worker time to declare its queues, then take the first retry queue away.
    tokio::time::sleep(Duration::from_millis(500)).await;
    h.channel.queue_delete(h.config.retry_queue(0).as_str().into(), QueueDeleteOptions::default()).await.unwrap();
    let m = fixture("bugzilla.bug.update.json", &h.prefix(), |b| b["bug"]["component"]["name"] = json!("python-ogr"));
    h.publish(&m).await;
    // The copy to the missing queue comes back unroutable: the original is
    // handed back, delivered again, and once the queues are declared again
    // it goes through its retries to the dead-letter queue. Nothing is lost.
    eventually("the message reaches the dead-letter queue", Duration::from_secs(60), || async {
        h.message_count(&h.config.dead_queue()).await == 1
    })
    .await;
    let (headers, _) = first_message(&h, &h.config.dead_queue()).await;
    assert!(headers["fedora_packages_error"].as_str().unwrap_or_default().contains("gave up"), "{headers}");
    // Five attempts per round, one round more than the first try and its two
    // retries: the delivery whose copy the broker could not route.
    let calls = h.faults.requests("bugzilla");
    assert!(calls >= 20, "{calls} Bugzilla calls");
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

/// The `kind`-th of the kinds of message the worker handles most, about `package`.
fn mixed(h: &Harness, i: usize, kind: usize, package: &str, binary: &str) -> Value {
    let prefix = h.prefix();
    let mut m = match kind % 3 {
        0 => fixture("koji.build.state.change.complete.json", &prefix, |b| b["name"] = json!(package)),
        1 => fixture("bodhi.update.request.testing.json", &prefix, |b| {
            b["update"]["builds"] = json!([{"nvr": format!("{package}-1.0-1.fc43")}])
        }),
        _ => fixture("mdapi.repo.update.json", &prefix, |b| b["packages"] = json!([binary])),
    };
    m["id"] = json!(format!("mixed-{i}"));
    m
}

#[sqlx::test(migrations = "./migrations")]
async fn two_workers_on_a_mixed_stream_never_deadlock(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let packages = [
        ("python-requre", "python3-requre"),
        ("python-ogr", "python3-ogr"),
        ("colin", "colin"),
        ("packit", "python3-packit"),
        ("python-bugzilla", "python3-bugzilla"),
        ("python-specfile", "python3-specfile"),
    ];
    let versions = || async {
        let rows: Vec<(String, String, String, i64)> =
            sqlx::query_as("SELECT package, tab, branch, version FROM tab_rows").fetch_all(&h.pool).await.unwrap();
        rows.into_iter().map(|(p, t, b, v)| ((p, t, b), v)).collect::<HashMap<_, _>>()
    };
    let before = versions().await;
    // Workers with their own pools, as two processes have.
    let options = h.pool.connect_options().as_ref().clone();
    let pool_a = sqlx::postgres::PgPoolOptions::new().max_connections(10).connect_with(options.clone()).await.unwrap();
    let pool_b = sqlx::postgres::PgPoolOptions::new().max_connections(10).connect_with(options).await.unwrap();
    let (stop_a, a) = h.start_on(pool_a.clone());
    let (stop_b, b) = h.start_on(pool_b.clone());
    let mut ids = Vec::new();
    let mut seen = before.clone();
    for i in 0..2000 {
        let (package, binary) = packages[i % packages.len()];
        let m = mixed(&h, i, i / packages.len(), package, binary);
        ids.push(m["id"].as_str().unwrap().to_string());
        h.publish(&m).await;
        if i % 250 == 0 {
            // No row ever goes back to an older version.
            for (key, v) in versions().await {
                let old = seen.insert(key.clone(), v).unwrap_or(0);
                assert!(v >= old, "{key:?} went from {old} back to {v}");
            }
        }
    }
    eventually("every event applied", Duration::from_secs(300), || all_applied(&h, &ids)).await;
    for (key, v) in versions().await {
        let old = seen.get(&key).copied().unwrap_or(0);
        assert!(v >= old, "{key:?} went from {old} back to {v}");
    }
    for (package, _) in packages {
        for tab in [Tab::Builds, Tab::Updates, Tab::Overview] {
            let key = (package.to_string(), tab.slug().to_string(), String::new());
            assert!(versions().await[&key] > before[&key], "{key:?} refreshed by the stream");
        }
    }
    stop_a.cancel();
    stop_b.cancel();
    a.await.unwrap().unwrap();
    b.await.unwrap().unwrap();
    // Closed pools end their sessions, which report their statistics.
    pool_a.close().await;
    pool_b.close().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    sqlx::query("SELECT pg_stat_clear_snapshot()").execute(&h.pool).await.unwrap();
    let deadlocks: i64 =
        sqlx::query_scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(deadlocks, 0, "PostgreSQL detected deadlocks between the two workers");
    h.cleanup().await;
}
