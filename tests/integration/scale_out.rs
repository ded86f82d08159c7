//! Two of everything, on this machine: nginx in front of two web processes,
//! two workers on the one durable queue, the real PostgreSQL and RabbitMQ.
//! Under load and a stream of events, one web process and one worker are
//! killed with SIGKILL and restarted. No client sees a failure, every event
//! is applied, and neither replica serves a page older than its rows a
//! second after they change. (`bench/scale.py` is the long form, with figures.)
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fedora_packages::db;
use fedora_packages::model::Tab;
use serde_json::json;
use sqlx::PgPool;

use super::bus::{all_applied, eventually, fixture, worker_process, Harness, BROKER};

const PACKAGES: [&str; 6] = ["python-requre", "python-ogr", "colin", "packit", "python-bugzilla", "python-specfile"];

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn database_url(h: &Harness) -> String {
    let options = h.pool.connect_options();
    let database = options.get_database().expect("test database name");
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    format!("{}/{database}", base.rsplit_once('/').map(|(b, _)| b).unwrap_or(&base))
}

fn web_process(h: &Harness, port: u16) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_fedora-packages"))
        .args(["serve", "--no-worker"])
        .env("DATABASE_URL", database_url(h))
        // Several processes share one PostgreSQL (100 connections) with the
        // tests running beside them.
        .env("DATABASE_MAX_CONNECTIONS", "6")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("METRICS_ADDR", "off")
        // A test build has no hash file of a built site beside it.
        .env("LEPTOS_HASH_FILES", "false")
        .env("RATE_LIMIT", "1000000")
        .env("RATE_LIMIT_BURST", "1000000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start a web process")
}

/// nginx in front of the two web processes; a GET whose upstream fails is
/// tried on the other one.
fn nginx(dir: &PathBuf, port: u16, webs: [u16; 2]) -> tokio::process::Child {
    std::fs::create_dir_all(dir).unwrap();
    let conf = dir.join("nginx.conf");
    let d = dir.display();
    std::fs::write(
        &conf,
        format!(
            "worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log; daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  upstream web {{ server 127.0.0.1:{}; server 127.0.0.1:{}; keepalive 16; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection \"\";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503; proxy_next_upstream_tries 2;
      proxy_connect_timeout 1s; proxy_buffering off;
    }}
  }}
}}",
            webs[0], webs[1]
        ),
    )
    .unwrap();
    tokio::process::Command::new("nginx")
        .arg("-c")
        .arg(&conf)
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("nginx (scripts/test installs Debian's nginx-light)")
}

async fn wait_up(url: &str) {
    let started = Instant::now();
    while reqwest::get(url).await.map(|r| !r.status().is_success()).unwrap_or(true) {
        assert!(started.elapsed() < Duration::from_secs(30), "{url} never answered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The refresh time a page shows: its first `<time datetime>` inside `<main>`.
fn shown_time(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("main time[datetime]").ok()?;
    doc.select(&sel).next()?.value().attr("datetime").map(String::from)
}

#[sqlx::test(migrations = "./migrations")]
async fn two_web_two_workers_lose_nothing_when_one_of_each_is_killed(pool: PgPool) {
    let _broker = BROKER.lock().await;
    let h = Harness::new(pool).await;
    let webs = [free_port(), free_port()];
    let front = free_port();
    let dir = std::env::temp_dir().join(super::bus::unique("fp-scale-"));
    let mut web_a = web_process(&h, webs[0]);
    let _web_b = web_process(&h, webs[1]);
    let _nginx = nginx(&dir, front, webs);
    for port in [webs[0], webs[1], front] {
        wait_up(&format!("http://127.0.0.1:{port}/healthz")).await;
    }
    let mut worker_a = worker_process(&h);
    let _worker_b = worker_process(&h);

    // Clients: cached pages, uncached searches, through the proxy, all along.
    let stop = tokio_util::sync::CancellationToken::new();
    let (served, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut load = Vec::new();
    for c in 0..6 {
        let (stop, served, failed, client) = (stop.clone(), served.clone(), failed.clone(), client.clone());
        load.push(tokio::spawn(async move {
            let mut i = 0usize;
            while !stop.is_cancelled() {
                let package = PACKAGES[(c + i) % PACKAGES.len()];
                let path = match i % 3 {
                    0 => format!("/packages/{package}/builds"),
                    1 => format!("/packages/{package}"),
                    _ => format!("/search?q={package}{i}"),
                };
                match client.get(format!("http://127.0.0.1:{front}{path}")).send().await {
                    Ok(r) if r.status().is_success() => served.fetch_add(1, Ordering::Relaxed),
                    _ => failed.fetch_add(1, Ordering::Relaxed),
                };
                i += 1;
            }
        }));
    }

    // Events, while one web process and one worker die and come back.
    let mut ids = Vec::new();
    let mut last_event = std::collections::HashMap::new();
    for i in 0..300 {
        let package = PACKAGES[i % PACKAGES.len()];
        last_event.insert(package, chrono::Utc::now());
        let mut m = fixture("koji.build.state.change.complete.json", &h.prefix(), |b| b["name"] = json!(package));
        m["id"] = json!(format!("scale-{i}"));
        ids.push(format!("scale-{i}"));
        h.publish(&m).await;
        if i == 100 {
            web_a.kill().await.expect("SIGKILL a web process");
            worker_a.kill().await.expect("SIGKILL a worker");
        }
        if i == 150 {
            web_a = web_process(&h, webs[0]);
            worker_a = worker_process(&h);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    eventually("every event applied", Duration::from_secs(120), || all_applied(&h, &ids)).await;
    wait_up(&format!("http://127.0.0.1:{}/healthz", webs[0])).await;
    stop.cancel();
    for l in load {
        l.await.unwrap();
    }
    let (served, failed) = (served.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    assert!(served > 100, "{served} requests served");
    assert_eq!(failed, 0, "{failed} failed requests seen by clients ({served} served)");

    // Every row reflects the last event for it, and a second after, neither
    // replica serves an older page.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for package in PACKAGES {
        let row = db::tabs::get(&h.pool, package, Tab::Builds, None).await.unwrap().unwrap();
        assert!(row.fetched_at >= last_event[package], "{package}: refreshed before its last event");
        let expected = fedora_packages::components::time::iso(&row.fetched_at);
        for port in webs {
            let page = client.get(format!("http://127.0.0.1:{port}/packages/{package}/builds")).send().await.unwrap();
            let html = page.text().await.unwrap();
            assert_eq!(shown_time(&html).as_deref(), Some(expected.as_str()), "{package} on :{port}");
        }
    }
    worker_a.kill().await.ok();
    h.cleanup().await;
}
