//! Shared test set-up: the recorded upstream served over HTTP, the demo data
//! loaded through the real refresh path, and requests to the in-process router.
#![allow(dead_code)]

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use fedora_packages::dev::replay::Faults;
use fedora_packages::model::Tab;
use fedora_packages::server::state::AppState;
use fedora_packages::upstream::{Upstream, UpstreamConfig};
use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tower::ServiceExt;

/// The demo recordings bundled with the project.
pub fn demo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("demo/upstream")
}

/// The demo's source packages (every dist-git project recorded).
pub const DEMO_PACKAGES: [&str; 6] =
    ["colin", "packit", "python-bugzilla", "python-ogr", "python-requre", "python-specfile"];

/// Serves `dir` on an ephemeral port; returns its base URL.
pub async fn replay(dir: PathBuf) -> String {
    replay_with_faults(dir).await.0
}

/// A replay server and the handle that injects faults into it.
pub async fn replay_with_faults(dir: PathBuf) -> (String, Faults) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind replay server");
    let addr = listener.local_addr().expect("replay address");
    let faults = Faults::default();
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::spawn(fedora_packages::dev::replay::serve(dir, listener, faults.clone(), stop));
    (format!("http://{addr}"), faults)
}

/// Connectors with short timeouts and backoff, so fault tests run fast.
pub fn quick_upstream(base: &str) -> Upstream {
    let mut config = UpstreamConfig::all_under(base);
    config.http.timeout = std::time::Duration::from_millis(1500);
    config.http.backoff = std::time::Duration::from_millis(20);
    config.http.max_backoff = std::time::Duration::from_secs(2);
    // No rest between failures: tests that fail a service on purpose and
    // then let it recover expect the next call to go through at once.
    config.http.breaker_cooldown = std::time::Duration::ZERO;
    Upstream::new(&config).expect("upstream clients")
}

/// Connectors pointed at a fresh replay server of the demo recordings.
pub async fn demo_upstream() -> Upstream {
    Upstream::new(&UpstreamConfig::all_under(&replay(demo_dir()).await)).expect("upstream clients")
}

/// Loads every demo package through the refresh path; panics on any failure.
pub async fn load_demo(pool: &PgPool) {
    let upstream = demo_upstream().await;
    for name in DEMO_PACKAGES {
        let report = fedora_packages::refresh::refresh(pool, &upstream, name, &Tab::ALL).await.expect("refresh");
        assert!(report.failures.is_empty(), "{name}: {:?}", report.failures);
    }
}

pub fn router(pool: PgPool) -> Router {
    router_with_site(pool, "target/site")
}

/// The router serving its built assets (`/pkg/...`) from `site_root`.
pub fn router_with_site(pool: PgPool, site_root: &str) -> Router {
    router_with(pool, site_root, &fedora_packages::server::limits::Limits::default())
}

/// The router with these limits.
pub fn router_with(pool: PgPool, site_root: &str, limits: &fedora_packages::server::limits::Limits) -> Router {
    router_with_search(pool, site_root, limits, Default::default())
}

/// The router searching with `search` (PostgreSQL alone until it is ready).
pub fn router_with_search(
    pool: PgPool,
    site_root: &str,
    limits: &fedora_packages::server::limits::Limits,
    search: fedora_packages::search::SearchIndex,
) -> Router {
    let options = LeptosOptions::builder().output_name("fedora-packages").site_root(site_root).build();
    let security = fedora_packages::server::security::SecurityHeaders::new(true);
    let cache = fedora_packages::server::page_cache::PageCache::new(16 << 20, security);
    let live = fedora_packages::live::LiveHub::new(pool.clone(), 64, Default::default());
    let lookups = fedora_packages::db::lookup_pools::LookupPools::new(&pool, None);
    let state = AppState {
        pool,
        lookups,
        site_url: "https://packages.example.org".into(),
        worker: Default::default(),
        cache,
        search,
        live,
    };
    LAST_STATE.with(|c| *c.borrow_mut() = Some(state.clone()));
    fedora_packages::server::router::build(state, options, limits, fedora_packages::PAGES)
}

thread_local! {
    static LAST_STATE: std::cell::RefCell<Option<AppState>> = const { std::cell::RefCell::new(None) };
}

/// The state of the router this test built last.
pub fn last_state() -> AppState {
    LAST_STATE.with(|c| c.borrow().clone()).expect("a router was built")
}

/// The page cache of the router this test built last.
pub fn last_cache() -> fedora_packages::server::page_cache::PageCache {
    last_state().cache
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (compressed when asked for).
    pub body_bytes: Vec<u8>,
}

impl Page {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Text of every element matching `selector`, whitespace-collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html().select(&sel).next().and_then(|e| e.value().attr(attr).map(String::from))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }
}

pub async fn get(router: &Router, uri: &str) -> Page {
    get_with(router, uri, &[]).await
}

/// A GET with extra request headers.
pub async fn get_with(router: &Router, uri: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = Request::builder().uri(uri);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("accept")) {
        request = request.header("accept", "text/html");
    }
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let request = request.body(Body::empty()).expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.expect("body");
    Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), body_bytes: bytes.to_vec() }
}

/// A realistic corpus: every binary package Debian's package lists name on
/// this machine (`apt-cache dumpavail`), grouped under its source package,
/// with its one-line description as the summary.
pub async fn load_debian_corpus(pool: &PgPool) -> usize {
    let out =
        std::process::Command::new("apt-cache").arg("dumpavail").output().expect("apt-cache (Debian) lists the corpus");
    let text = String::from_utf8_lossy(&out.stdout);
    let (mut names, mut sources, mut summaries, mut versions) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut seen = std::collections::HashSet::new();
    for record in text.split("\n\n") {
        let field = |key: &str| record.lines().find_map(|l| l.strip_prefix(key).map(|v| v.trim().to_string()));
        let Some(name) = field("Package:") else { continue };
        if !seen.insert(name.clone()) {
            continue;
        }
        let source =
            field("Source:").map(|s| s.split_whitespace().next().unwrap_or("").to_string()).filter(|s| !s.is_empty());
        names.push(name.clone());
        sources.push(source.unwrap_or(name));
        summaries.push(field("Description:").unwrap_or_default());
        versions.push(field("Version:").unwrap_or_default());
    }
    // Source packages Debian lists only through their binaries get a row too.
    for (i, source) in sources.clone().iter().enumerate() {
        if seen.insert(source.clone()) {
            names.push(source.clone());
            sources.push(source.clone());
            summaries.push(summaries[i].clone());
            versions.push(versions[i].clone());
        }
    }
    for chunk in (0..names.len()).collect::<Vec<_>>().chunks(5000) {
        let pick = |v: &Vec<String>| chunk.iter().map(|&i| v[i].clone()).collect::<Vec<_>>();
        sqlx::query(
            "INSERT INTO packages (name, source_name, summary, version_label, version)
             SELECT * , 0 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(pick(&names))
        .bind(pick(&sources))
        .bind(pick(&summaries))
        .bind(pick(&versions))
        .execute(pool)
        .await
        .expect("load corpus");
    }
    names.len()
}

/// Fedora names the cases in the search issue need (Debian lacks them).
pub async fn load_fedora_cases(pool: &PgPool) {
    let rows = [
        ("vim", "vim", "The VIM editor"),
        ("vim-X11", "vim", "The VIM version of the vi editor for the X Window System - GVim"),
        ("ceres-solver", "ceres-solver", "A non-linear least squares minimizer"),
        ("policycoreutils", "policycoreutils", "SELinux policy core utilities"),
        ("policycoreutils-restorecond", "policycoreutils", "SELinux restorecond utilities"),
        ("python-requests", "python-requests", "HTTP library, written in Python, for human beings"),
        ("python3-requests", "python-requests", "HTTP library, written in Python, for human beings"),
        ("bodhi", "bodhi", "A modular framework that facilitates publishing software updates"),
        ("bodhi-client", "bodhi", "Bodhi client"),
        // Cases filed against the old app.
        ("gcc", "gcc", "Various compilers (C, C++, Objective-C, ...)"),
        ("libstdc++", "gcc", "GNU Standard C++ Library"),
        ("gtk2", "gtk2", "GTK+ graphical user interface library"),
        ("gtk3", "gtk3", "GTK+ graphical user interface library"),
        ("perl-Net-DNS", "perl-Net-DNS", "DNS resolver modules for Perl"),
        ("python3.12", "python3.12", "Version 3.12 of the Python interpreter"),
    ];
    for (name, source, summary) in rows {
        sqlx::query(
            "INSERT INTO packages (name, source_name, summary, version) VALUES ($1, $2, $3, 0)
             ON CONFLICT (name) DO UPDATE SET source_name = EXCLUDED.source_name, summary = EXCLUDED.summary",
        )
        .bind(name)
        .bind(source)
        .bind(summary)
        .execute(pool)
        .await
        .expect("insert case");
    }
}
