//! The bus worker on the real RabbitMQ and the real PostgreSQL: real
//! fedora-messaging messages, published with the Python client and with
//! lapin, refresh the rows they name; failures retry or dead-letter; nothing
//! is lost to a crash, a restart or a duplicate.
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fedora_packages::bus::{self, consumer, BusConfig, WorkerStatus};
use fedora_packages::db;
use fedora_packages::dev::replay::{FaultKind, FaultPlan, Faults};
use fedora_packages::model::Tab;
use lapin::options::{BasicGetOptions, QueueDeleteOptions};
use lapin::{Channel, Connection, ConnectionProperties};
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::common::{demo_dir, load_demo, quick_upstream, replay_with_faults};

pub const AMQP: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";

/// Bus tests share one broker and one restarts it: they run one at a time.
pub static BROKER: Mutex<()> = Mutex::const_new(());

/// A fixture message with its topic moved under `prefix` and, where given,
/// its package-name fields re-targeted to a demo package.
pub fn fixture(name: &str, prefix: &str, retarget: impl Fn(&mut Value)) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/messages").join(name);
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    let topic = m["topic"].as_str().expect("topic").to_string();
    // The fixtures were captured in several environments.
    let environments =
        ["org.fedoraproject.prod", "org.fedoraproject.stg", "org.fedoraproject.dev", "io.pagure.prod", "io.pagure.dev"];
    let config = BusConfig { prefixes: environments.map(String::from).to_vec(), ..BusConfig::default() };
    let suffix = config.strip_prefix(&topic).expect("known prefix");
    m["topic"] = json!(format!("{prefix}.{suffix}"));
    retarget(&mut m["body"]);
    m
}

pub fn unique(tag: &str) -> String {
    format!("{tag}{}x{}", std::process::id(), fastrand::u32(..))
}

pub struct Harness {
    pub pool: PgPool,
    pub faults: Faults,
    pub base: String,
    pub config: BusConfig,
    pub channel: Channel,
    _connection: Connection,
}

impl Harness {
    pub async fn new(pool: PgPool) -> Harness {
        load_demo(&pool).await;
        Harness::on(pool, demo_dir()).await
    }

    /// A harness replaying `dir`, with nothing loaded.
    pub async fn on(pool: PgPool, dir: PathBuf) -> Harness {
        let (base, faults) = replay_with_faults(dir).await;
        let name = unique("fp-test-");
        let config = BusConfig {
            amqp_url: AMQP.into(),
            queue: name.clone(),
            prefixes: vec![format!("org.fedoraproject.{}", name.replace('-', ""))],
            retry_delays: vec![Duration::from_millis(300), Duration::from_millis(600)],
            ..BusConfig::default()
        };
        let connection =
            Connection::connect(AMQP, ConnectionProperties::default()).await.expect("RabbitMQ at 127.0.0.1:5672");
        let channel = connection.create_channel().await.expect("channel");
        // Declare first, so messages published before a worker starts are kept.
        consumer::declare(&channel, &config).await.expect("declare");
        Harness { pool, faults, base, config, channel, _connection: connection }
    }

    pub fn prefix(&self) -> String {
        self.config.prefixes[0].clone()
    }

    pub fn start(&self) -> (CancellationToken, tokio::task::JoinHandle<Result<(), bus::BusError>>) {
        self.start_on(self.pool.clone())
    }

    /// A worker with its own connection pool (as a separate process has).
    pub fn start_on(&self, pool: PgPool) -> (CancellationToken, tokio::task::JoinHandle<Result<(), bus::BusError>>) {
        let stop = CancellationToken::new();
        let worker = bus::run_worker(
            pool,
            quick_upstream(&self.base),
            self.config.clone(),
            WorkerStatus::default(),
            stop.clone(),
        );
        (stop, tokio::spawn(worker))
    }

    pub async fn publish(&self, m: &Value) {
        let id = m["id"].as_str().map(String::from).unwrap_or_else(|| unique("id-"));
        consumer::publish(&self.channel, m["topic"].as_str().unwrap(), &id, &m["headers"], &m["body"])
            .await
            .expect("publish");
    }

    /// Publishes with the real `fedora-messaging` command-line client.
    pub async fn publish_python(&self, messages: &[Value]) {
        let dir = tempdir();
        let conf = dir.join("fedora-messaging.toml");
        std::fs::write(&conf, format!("amqp_url = \"{AMQP}\"\npublish_exchange = \"amq.topic\"\n")).unwrap();
        let file = dir.join("messages.jsonl");
        let lines: Vec<String> = messages.iter().map(|m| serde_json::to_string(m).unwrap()).collect();
        std::fs::write(&file, lines.join("\n") + "\n").unwrap();
        let out = tokio::process::Command::new(fedora_messaging_cli())
            .arg("--conf")
            .arg(&conf)
            .args(["publish", "--exchange", "amq.topic"])
            .arg(&file)
            .output()
            .await
            .expect("run fedora-messaging (scripts/test installs it into .tools/venv)");
        assert!(out.status.success(), "fedora-messaging publish: {}", String::from_utf8_lossy(&out.stderr));
    }

    pub async fn events(&self, package: &str) -> Vec<db::events::EventRow> {
        db::events::recent(&self.pool, package, 50).await.unwrap()
    }

    pub async fn row_version(&self, package: &str, tab: Tab) -> i64 {
        db::tabs::get(&self.pool, package, tab, None).await.unwrap().map(|r| r.version).unwrap_or(0)
    }

    pub async fn message_count(&self, queue: &str) -> u32 {
        let q = self
            .channel
            .queue_declare(
                queue.into(),
                lapin::options::QueueDeclareOptions { passive: true, ..Default::default() },
                Default::default(),
            )
            .await
            .expect("queue exists");
        q.message_count()
    }

    pub async fn cleanup(self) {
        let queues = [
            self.config.queue.clone(),
            self.config.dead_queue(),
            self.config.retry_queue(0),
            self.config.retry_queue(1),
        ];
        for q in queues {
            let _ = self.channel.queue_delete(q.as_str().into(), QueueDeleteOptions::default()).await;
        }
    }
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(unique("fp-bus-"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fedora_messaging_cli() -> PathBuf {
    std::env::var_os("FEDORA_MESSAGING_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools/venv/bin/fedora-messaging"))
}

pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < timeout, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The real messages, each re-targeted to a demo package.
fn real_messages(prefix: &str) -> Vec<(Value, &'static str, &'static str)> {
    vec![
        (
            fixture("koji.build.state.change.complete.json", prefix, |b| b["name"] = json!("python-requre")),
            "python-requre",
            "buildsys.build.state.change",
        ),
        (
            fixture("koji.tag.fedmsg-real.json", prefix, |b| b["name"] = json!("python-ogr")),
            "python-ogr",
            "buildsys.tag",
        ),
        (
            fixture("bodhi.update.comment.json", prefix, |b| {
                b["comment"]["update"]["builds"] = json!([{"nvr": "colin-0.5.2-15.fc43"}])
            }),
            "colin",
            "bodhi.update.comment",
        ),
        (
            fixture("bodhi.update.complete.testing.fedmsg-real.json", prefix, |b| {
                b["update"]["builds"] = json!([{"nvr": "packit-1.3.0-1.fc42"}])
            }),
            "packit",
            "bodhi.update.complete.testing",
        ),
        (
            fixture("bugzilla.bug.update.json", prefix, |b| b["bug"]["component"]["name"] = json!("python-bugzilla")),
            "python-bugzilla",
            "bugzilla.bug.update",
        ),
        (
            fixture("distgit.git.receive.fedmsg-real.json", prefix, |b| b["commit"]["repo"] = json!("python-specfile")),
            "python-specfile",
            "git.receive",
        ),
        (
            fixture("mdapi.repo.update.json", prefix, |b| b["packages"] = json!(["python3-requre"])),
            "python-requre",
            "mdapi.repo.update",
        ),
    ]
}

#[sqlx::test(migrations = "./migrations")]
async fn python_client_messages_refresh_the_rows_they_name(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let before = h.row_version("python-requre", Tab::Builds).await;
    let (stop, worker) = h.start();
    let messages = real_messages(&h.prefix());
    h.publish_python(&messages.iter().map(|m| m.0.clone()).collect::<Vec<_>>()).await;
    for (_, package, topic) in &messages {
        eventually(&format!("{topic} applied to {package}"), Duration::from_secs(20), || async {
            h.events(package).await.iter().any(|e| e.topic == *topic)
        })
        .await;
    }
    assert!(h.row_version("python-requre", Tab::Builds).await > before);
    // The page shows the event in its recent activity.
    let page = super::common::get(&super::common::router(h.pool.clone()), "/packages/python-requre").await;
    let activity = page.texts(".recent-events li").join(" | ");
    assert!(
        activity.contains("build chromium-80.0.3987.132-1.fc33 complete") || activity.contains("python-requre"),
        "{activity}"
    );
    assert!(activity.contains("repository rawhide updated"), "{activity}");
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn lapin_messages_with_identical_headers_do_the_same(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let (stop, worker) = h.start();
    let messages = real_messages(&h.prefix());
    for (m, _, _) in &messages {
        h.publish(m).await;
    }
    for (_, package, topic) in &messages {
        eventually(&format!("{topic} applied to {package}"), Duration::from_secs(20), || async {
            h.events(package).await.iter().any(|e| e.topic == *topic)
        })
        .await;
    }
    // Unknown topics and other products are acknowledged, not applied.
    let repo_done = fixture("koji.repo.done.json", &h.prefix(), |_| {});
    h.publish(&repo_done).await;
    eventually("queue drained", Duration::from_secs(10), || async { h.message_count(&h.config.queue).await == 0 })
        .await;
    assert_eq!(h.message_count(&h.config.dead_queue()).await, 0);
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn a_poison_message_is_dead_lettered_and_the_rest_applied(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let topic = format!("{}.buildsys.build.state.change", h.prefix());
    // Not JSON at all, then JSON without the fields its topic needs.
    let props = lapin::BasicProperties::default().with_message_id("poison-1".into());
    h.channel
        .basic_publish("amq.topic".into(), topic.as_str().into(), Default::default(), b"{not json", props)
        .await
        .unwrap()
        .await
        .unwrap();
    h.publish(&json!({"topic": topic, "id": "poison-2", "headers": {}, "body": {"version": "1"}})).await;
    let good = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("colin"));
    h.publish(&good).await;
    let (stop, worker) = h.start();
    eventually("good message applied", Duration::from_secs(20), || async {
        h.events("colin").await.iter().any(|e| e.topic == "buildsys.build.state.change")
    })
    .await;
    eventually("two dead letters", Duration::from_secs(10), || async {
        h.message_count(&h.config.dead_queue()).await == 2
    })
    .await;
    let dead = h
        .channel
        .basic_get(h.config.dead_queue().as_str().into(), BasicGetOptions::default())
        .await
        .unwrap()
        .expect("a dead letter");
    let headers = fedora_packages::bus::message::table_to_json(dead.properties.headers().as_ref().unwrap());
    assert!(headers["fedora_packages_error"].as_str().unwrap().contains("JSON"), "{headers}");
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn upstream_errors_are_retried_and_old_data_served_meanwhile(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let before = db::tabs::get(&h.pool, "python-requre", Tab::Builds, None).await.unwrap().unwrap();
    h.faults.set(FaultPlan {
        service: "koji".into(),
        kind: FaultKind::ServerError,
        count: 1_000_000,
        ..FaultPlan::default()
    });
    let (stop, worker) = h.start();
    h.publish(&fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("python-requre")))
        .await;
    eventually("first retry scheduled", Duration::from_secs(20), || async { h.faults.requests("koji") > 5 }).await;
    // Meanwhile the page still has the old, complete row.
    let during = db::tabs::get(&h.pool, "python-requre", Tab::Builds, None).await.unwrap().unwrap();
    assert_eq!(during.fetched_at, before.fetched_at);
    h.faults.set(FaultPlan::default());
    eventually("applied once Koji recovered", Duration::from_secs(30), || async {
        h.events("python-requre").await.iter().any(|e| e.topic == "buildsys.build.state.change")
    })
    .await;
    assert!(h.row_version("python-requre", Tab::Builds).await > before.version);
    assert_eq!(h.message_count(&h.config.dead_queue()).await, 0);
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn retries_end_in_the_dead_letter_queue(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    h.faults.set(FaultPlan {
        service: "bugzilla".into(),
        kind: FaultKind::ServerError,
        count: 1_000_000,
        ..FaultPlan::default()
    });
    let (stop, worker) = h.start();
    h.publish(&fixture("bugzilla.bug.update.json", &h.prefix(), |b| {
        b["bug"]["component"]["name"] = json!("python-ogr")
    }))
    .await;
    eventually("dead-lettered after its retries", Duration::from_secs(60), || async {
        h.message_count(&h.config.dead_queue()).await == 1
    })
    .await;
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn a_duplicate_delivery_changes_nothing(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let (stop, worker) = h.start();
    let m = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("packit"));
    h.publish(&m).await;
    eventually("applied", Duration::from_secs(20), || async { !h.events("packit").await.is_empty() }).await;
    let version = h.row_version("packit", Tab::Builds).await;
    let koji_calls = h.faults.requests("koji");
    h.publish(&m).await;
    eventually("queue drained", Duration::from_secs(10), || async { h.message_count(&h.config.queue).await == 0 })
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.row_version("packit", Tab::Builds).await, version);
    assert_eq!(h.faults.requests("koji"), koji_calls, "no refetch for a duplicate");
    assert_eq!(h.events("packit").await.len(), 1);
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn a_burst_for_one_package_is_one_refetch_and_the_last_event_counts(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    for i in 0..200 {
        let mut m =
            fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("python-requre"));
        m["id"] = json!(format!("burst-{i}"));
        h.publish(&m).await;
    }
    let (stop, worker) = h.start();
    eventually("burst applied", Duration::from_secs(30), || async { h.message_count(&h.config.queue).await == 0 })
        .await;
    eventually("events recorded", Duration::from_secs(10), || async { h.events("python-requre").await.len() >= 20 })
        .await;
    let calls = h.faults.requests("koji");
    // getPackageID + listBuilds per refetch: 200 messages, a handful of refetches.
    assert!(calls <= 10, "{calls} Koji calls for 200 messages");
    // A later event is applied too, by a refetch of its own.
    let mut last =
        fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("python-requre"));
    last["id"] = json!("burst-last");
    h.publish(&last).await;
    eventually("last event applied", Duration::from_secs(10), || async { h.faults.requests("koji") > calls }).await;
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn two_workers_on_one_queue_agree(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let (stop_a, a) = h.start();
    let (stop_b, b) = h.start();
    let packages = ["python-requre", "python-ogr", "colin", "packit", "python-bugzilla", "python-specfile"];
    let mut ids = Vec::new();
    for i in 0..120 {
        let name = packages[i % packages.len()];
        let mut m = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!(name));
        m["id"] = json!(format!("pair-{i}"));
        ids.push(format!("pair-{i}"));
        h.publish(&m).await;
    }
    eventually("all applied", Duration::from_secs(30), || all_applied(&h, &ids)).await;
    for p in packages {
        let row = db::tabs::get(&h.pool, p, Tab::Builds, None).await.unwrap().unwrap();
        let builds: fedora_packages::model::Builds = row.decode("builds").unwrap();
        assert!(!builds.builds.is_empty(), "{p} has its complete row");
    }
    stop_a.cancel();
    stop_b.cancel();
    a.await.unwrap().unwrap();
    b.await.unwrap().unwrap();
    h.cleanup().await;
}

/// The worker binary, started as its own process against the test database.
pub fn worker_process(h: &Harness) -> tokio::process::Child {
    let options = h.pool.connect_options();
    let database = options.get_database().expect("test database name");
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let url = format!("{}/{database}", base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base));
    tokio::process::Command::new(env!("CARGO_BIN_EXE_fedora-packages"))
        .arg("worker")
        .env("DATABASE_URL", url)
        // Several processes share one PostgreSQL (100 connections) with the
        // tests running beside them.
        .env("DATABASE_MAX_CONNECTIONS", "6")
        .env("AMQP_URL", AMQP)
        .env("AMQP_QUEUE", &h.config.queue)
        .env("TOPIC_PREFIXES", h.prefix())
        .env("RETRY_DELAYS", "0.3,0.6")
        .env("UPSTREAM_BASE_URL", &h.base)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the worker binary")
}

async fn publish_spread(h: &Harness, tag: &str, n: usize) -> Vec<String> {
    let packages = ["python-requre", "python-ogr", "colin", "packit", "python-bugzilla", "python-specfile"];
    let mut ids = Vec::new();
    for i in 0..n {
        let name = packages[i % packages.len()];
        let mut m = fixture("bodhi.update.request.testing.json", &h.prefix(), |b| {
            b["update"]["builds"] = json!([{"nvr": format!("{name}-1.0-1.fc43")}])
        });
        let id = format!("{tag}-{i}");
        m["id"] = json!(id);
        h.publish(&m).await;
        ids.push(id);
    }
    ids
}

pub async fn all_applied(h: &Harness, ids: &[String]) -> bool {
    let seen = db::events::seen(&h.pool, ids).await.unwrap();
    seen.len() == ids.len()
}

#[sqlx::test(migrations = "./migrations")]
async fn kill_9_loses_nothing(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    // Slow upstream: messages are in flight when the worker dies.
    h.faults.set(FaultPlan { service: "bodhi".into(), delay_ms: 150, ..FaultPlan::default() });
    let ids = publish_spread(&h, "kill", 60).await;
    let mut first = worker_process(&h);
    eventually("some applied", Duration::from_secs(30), || async {
        !db::events::seen(&h.pool, &ids).await.unwrap().is_empty()
    })
    .await;
    first.kill().await.expect("kill -9");
    let mut second = worker_process(&h);
    eventually("every message applied after the restart", Duration::from_secs(60), || all_applied(&h, &ids)).await;
    second.kill().await.ok();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn sigterm_finishes_or_returns_messages(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    h.faults.set(FaultPlan { service: "bodhi".into(), delay_ms: 150, ..FaultPlan::default() });
    let ids = publish_spread(&h, "term", 40).await;
    let mut first = worker_process(&h);
    eventually("some applied", Duration::from_secs(30), || async {
        !db::events::seen(&h.pool, &ids).await.unwrap().is_empty()
    })
    .await;
    let pid = first.id().expect("pid") as i32;
    // SAFETY-free: kill(1) sends SIGTERM.
    let status = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(20), first.wait()).await.expect("exits after SIGTERM").unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut second = worker_process(&h);
    eventually("every message applied", Duration::from_secs(60), || all_applied(&h, &ids)).await;
    second.kill().await.ok();
    h.cleanup().await;
}

#[sqlx::test(migrations = "./migrations")]
async fn the_worker_reconnects_after_a_broker_restart(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let (stop, worker) = h.start();
    let before = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!("colin"));
    h.publish(&before).await;
    eventually("applied before the restart", Duration::from_secs(20), || async { !h.events("colin").await.is_empty() })
        .await;

    restart_broker().await;
    let connection = Connection::connect(AMQP, ConnectionProperties::default()).await.expect("broker back");
    let channel = connection.create_channel().await.unwrap();
    let after = fixture("koji.tag.json", &h.prefix(), |b| b["name"] = json!("colin"));
    consumer::publish(&channel, after["topic"].as_str().unwrap(), "after-restart", &after["headers"], &after["body"])
        .await
        .unwrap();
    eventually("applied after the restart", Duration::from_secs(60), || async {
        h.events("colin").await.iter().any(|e| e.topic == "buildsys.tag")
    })
    .await;
    stop.cancel();
    worker.await.unwrap().unwrap();
    let _ = channel.queue_delete(h.config.queue.as_str().into(), QueueDeleteOptions::default()).await;
}

/// Stops and starts the RabbitMQ application (durable queues survive).
async fn restart_broker() {
    for args in [["stop_app"], ["start_app"]] {
        let out = tokio::process::Command::new("rabbitmqctl").args(args).output().await.expect("rabbitmqctl");
        assert!(out.status.success(), "rabbitmqctl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let started = Instant::now();
    while Connection::connect(AMQP, ConnectionProperties::default()).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "broker did not come back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `mdapi.repo.update` names a repository: the worker reads that branch's
/// repository metadata, then refreshes the dependencies of the sources it
/// changed (the real message, published with the fedora-messaging client).
#[sqlx::test(migrations = "./migrations")]
async fn a_repository_update_reads_that_release(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let (stop, worker) = h.start();
    let message = fixture("mdapi.repo.update.json", &h.prefix(), |b| b["packages"] = json!(["python3-requre"]));
    assert_eq!(message["body"]["name"], "rawhide");
    h.publish_python(&[message]).await;
    let read = |branch: &'static str| repositories_read(&h.pool, branch);
    eventually("rawhide's repositories read", Duration::from_secs(30), || async { read("rawhide").await == 2 }).await;
    assert_eq!(read("f42").await, 0, "only the branch the message names");
    eventually("python-requre's dependencies show its BuildRequires", Duration::from_secs(30), || async {
        let row = db::tabs::get(&h.pool, "python-requre", Tab::Dependencies, Some("rawhide")).await.unwrap();
        row.is_some_and(|r| r.payload["build_requires"].as_array().is_some_and(|b| !b.is_empty()))
    })
    .await;
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

/// How many of `branch`'s repositories have been read.
async fn repositories_read(pool: &PgPool, branch: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM repo_state WHERE branch = $1").bind(branch).fetch_one(pool).await.unwrap()
}

/// Bodhi's message that it composed an updates repository (a real capture,
/// its repository renamed to one of the demo's branches) makes the worker
/// read that branch's repositories, and only that branch's.
#[sqlx::test(migrations = "./migrations")]
async fn a_composed_updates_repository_reads_that_release(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let (stop, worker) = h.start();
    let message =
        fixture("bodhi.compose.complete.fedmsg-real.json", &h.prefix(), |b| b["repo"] = json!("f42-updates-testing"));
    h.publish_python(&[message]).await;
    let read = |branch: &'static str| repositories_read(&h.pool, branch);
    eventually("f42's repositories read", Duration::from_secs(30), || async { read("f42").await > 0 }).await;
    assert_eq!(read("rawhide").await, 0, "only the branch the message names");
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}

/// With no message at all, the worker reads every active branch's
/// repositories once per `repos_every` (branches from Bodhi's releases).
#[sqlx::test(migrations = "./migrations")]
async fn every_active_branch_is_read_periodically(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let mut h = Harness::new(pool).await;
    h.config.repos_every = Some(Duration::from_millis(500));
    let (stop, worker) = h.start();
    eventually("rawhide's and f42's repositories read without a message", Duration::from_secs(30), || async {
        sqlx::query_scalar::<_, i64>("SELECT count(DISTINCT branch) FROM repo_state WHERE branch IN ('rawhide', 'f42')")
            .fetch_one(&h.pool)
            .await
            .unwrap()
            == 2
    })
    .await;
    stop.cancel();
    worker.await.unwrap().unwrap();
    h.cleanup().await;
}
