//! The web side under hostile traffic: upstream text that tries to become
//! markup or a script link, security headers on every answer, a cache that
//! random URLs cannot flush and that never keeps an error, limits on what
//! costs work, odd names and URIs.
use std::path::Path;
use std::time::Duration;

use axum::http::StatusCode;
use fedora_packages::model::Tab;
use fedora_packages::server::limits::Limits;
use serde_json::Value;
use sqlx::PgPool;

use super::common::{get, get_with, load_demo, quick_upstream, replay, router, router_with};
use super::never_stale::demo_copy;

/// What no upstream should send.
const HOSTILE: [&str; 4] = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(2)</script>",
    "\"><script>alert(3)</script>",
    "</title><script>alert(4)</script>",
];

/// Every string of a JSON recording that is shown on a page (not a name
/// the connectors look things up by) replaced by hostile text, in turn.
fn poison(value: &mut Value, n: &mut usize) {
    const SHOWN: [&str; 14] = [
        "summary",
        "description",
        "url",
        "changelog",
        "author",
        "title",
        "notes",
        "assigned_to",
        "creator",
        "severity",
        "priority",
        "resolution",
        "name",
        "whiteboard",
    ];
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if SHOWN.contains(&k.as_str()) && k != "name" => {
                        *s = HOSTILE[*n % HOSTILE.len()].to_string();
                        *n += 1;
                    }
                    // Names of people (a Bodhi user, a Bugzilla component object) but not of packages.
                    Value::Object(inner) if k == "user" => {
                        if let Some(Value::String(s)) = inner.get_mut("name") {
                            *s = HOSTILE[*n % HOSTILE.len()].to_string();
                            *n += 1;
                        }
                    }
                    other => poison(other, n),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| poison(i, n)),
        _ => {}
    }
}

fn poison_file(path: &Path) {
    let Ok(text) = std::fs::read_to_string(path) else { return };
    let Ok(mut json) = serde_json::from_str::<Value>(&text) else { return };
    let mut n = 0;
    poison(&mut json, &mut n);
    std::fs::write(path, json.to_string()).unwrap();
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            walk(&p, f);
        } else {
            f(&p);
        }
    }
}

/// Checks a page for anything hostile text could have become.
fn assert_inert(url: &str, html: &str) {
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("*").unwrap();
    for element in doc.select(&all) {
        let e = element.value();
        if e.name() == "script" {
            // Upstream text reaches scripts only as JSON data, `<` escaped:
            // it can neither end the script nor open another.
            let text: String = element.text().collect();
            assert!(!text.contains("<script") && !text.contains("</"), "{url}: a script broken open: {text}");
            if let Some(src) = e.attr("src") {
                assert!(src.starts_with("/pkg/"), "{url}: a script from {src}");
            }
        }
        for (attr, value) in e.attrs() {
            assert!(!attr.starts_with("on"), "{url}: an event handler attribute {attr}");
            let v = value.trim().to_ascii_lowercase();
            if ["href", "src", "action", "formaction"].contains(&attr) {
                assert!(!v.starts_with("javascript:") && !v.starts_with("data:"), "{url}: {attr}={value}");
            }
        }
    }
    let title: String = doc.select(&scraper::Selector::parse("title").unwrap()).flat_map(|t| t.text()).collect();
    assert!(!title.contains("<script"), "{url}: the title closed early: {title}");
}

#[sqlx::test(migrations = "./migrations")]
async fn hostile_upstream_text_stays_text_on_every_tab_and_the_header(pool: PgPool) {
    let dir = demo_copy();
    walk(&dir.join("mdapi"), &mut |p| poison_file(p));
    walk(&dir.join("bodhi/updates"), &mut |p| poison_file(p));
    walk(&dir.join("bugzilla"), &mut |p| poison_file(p));
    walk(&dir.join("distgit/rpms"), &mut |p| {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let text = text.replace("URL:            https://github.com/packit/requre", "URL: javascript:alert(5)");
        std::fs::write(p, text.replace("License:", &format!("License: {}\nLicense:", HOSTILE[3]))).unwrap();
    });
    let up = quick_upstream(&replay(dir).await);
    for name in super::common::DEMO_PACKAGES {
        fedora_packages::refresh::refresh(&pool, &up, name, &Tab::ALL).await.unwrap();
    }
    let app = router(pool.clone());
    let mut pages = 0;
    for name in ["python-requre", "python3-requre", "colin", "python-bugzilla"] {
        for tab in Tab::ALL {
            let url = tab.href(name);
            let page = get(&app, &url).await;
            assert_eq!(page.status, StatusCode::OK, "{url}");
            assert_inert(&url, &page.body);
            pages += 1;
        }
    }
    assert_eq!(pages, 32);
    // The poison did land: the hostile upstream URL is on the page, as text, not a link.
    let overview = get(&app, "/packages/python3-requre").await;
    assert!(overview.texts(".upstream .not-a-link").iter().any(|t| t.contains("alert(")), "{}", overview.body);
    assert!(overview.texts(".upstream a").is_empty());
}

#[sqlx::test(migrations = "./migrations")]
async fn every_answer_carries_the_security_headers(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    for (url, expect) in [
        ("/packages/colin", 200),
        ("/packages/colin", 200), // from the cache
        ("/packages/colin/builds/", 301),
        ("/packages/no-such-package", 404),
        ("/search?q=colin", 200),
        ("/api/tab/builds?name=colin", 200),
        ("/healthz", 200),
    ] {
        let accept = if url.starts_with("/api/") { "application/json" } else { "text/html" };
        let page = get_with(&app, url, &[("accept-encoding", "br"), ("accept", accept)]).await;
        assert_eq!(page.status.as_u16(), expect, "{url}");
        for h in ["content-security-policy", "x-content-type-options", "referrer-policy", "strict-transport-security"] {
            assert!(page.headers.contains_key(h), "{url}: no {h}");
        }
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{url}: {csp}");
    }
    // A page's policy allows exactly its own inline scripts, by hash, cached
    // page or not, compressed or not.
    for url in ["/packages/colin/changelog", "/search?q=colin", "/packages/colin/changelog"] {
        let page = get_with(&app, url, &[("accept-encoding", "br")]).await;
        let mut html = Vec::new();
        brotli::BrotliDecompress(&mut page.body_bytes.as_slice(), &mut html).expect("a brotli body");
        let csp = page.headers["content-security-policy"].to_str().unwrap().to_string();
        let hashes = fedora_packages::server::security::inline_script_hashes(&html);
        assert!(!hashes.is_empty(), "{url}");
        for h in hashes {
            assert!(csp.contains(&format!("'sha256-{h}'")), "{url}: {h} missing from {csp}");
        }
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn random_urls_do_not_flush_the_cache_and_errors_are_not_kept(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool.clone());
    let cache = super::common::last_cache();
    get(&app, "/packages/colin").await;
    let size = cache.weighted_size();
    for i in 0..200 {
        get(&app, &format!("/packages/colin?x={i}")).await;
    }
    assert_eq!(cache.weighted_size(), size, "junk parameters share the page's entry");
    for i in 0..200 {
        get(&app, &format!("/packages/colin/contents?branch=b{i}")).await;
    }
    let bounded = cache.weighted_size();
    assert!(bounded < size * (fedora_packages::server::page_cache::MAX_VARIANTS as u64 + 2), "variants are bounded");

    // A tab whose row cannot be read: a real 500, never kept.
    sqlx::query("UPDATE tab_rows SET payload = '{\"nonsense\": 1}' WHERE package = 'colin' AND tab = 'bugs'")
        .execute(&pool)
        .await
        .unwrap();
    let broken = get(&app, "/packages/colin/bugs").await;
    assert_eq!(broken.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!broken.texts(".error-panel").is_empty());
    assert_eq!(get(&app, "/packages/colin/bugs").await.status, StatusCode::INTERNAL_SERVER_ERROR);
    // Repaired (no change notice reaches this router): the page renders anew.
    let up = quick_upstream(&replay(super::common::demo_dir()).await);
    fedora_packages::refresh::refresh(&pool, &up, "colin", &[Tab::Bugs]).await.unwrap();
    let fixed = get(&app, "/packages/colin/bugs").await;
    assert_eq!(fixed.status, StatusCode::OK, "the error was not cached");

    // `If-None-Match: *` validates only a page that exists; HEAD is answered from the cache.
    let missing = get_with(&app, "/packages/no-such-package", &[("if-none-match", "*")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    use tower::ServiceExt;
    let head = axum::http::Request::head("/packages/colin").body(axum::body::Body::empty()).unwrap();
    let head = app.clone().oneshot(head).await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert!(head.headers().contains_key("etag"));
}

#[sqlx::test(migrations = "./migrations")]
async fn odd_names_are_plain_404s_and_long_uris_414(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    for name in ["%00", "a%0Ab", &"x".repeat(300), "%E2%80%AEevil"] {
        let page = get(&app, &format!("/packages/{name}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{name}");
        assert!(page.body.contains("No package named"), "{name}: a normal 404 page");
    }
    let long = get(&app, &format!("/packages/{}", "y".repeat(9000))).await;
    assert_eq!(long.status, StatusCode::URI_TOO_LONG);
}

#[sqlx::test(migrations = "./migrations")]
async fn renders_over_the_bound_are_shed_and_clients_over_their_rate_slowed(pool: PgPool) {
    load_demo(&pool).await;
    let limits = Limits { max_concurrent: 1, rate_per_second: 1000, rate_burst: 1000, ..Limits::default() };
    let app = router_with(pool.clone(), "target/site", &limits);
    let answers = futures::future::join_all((0..24).map(|i| {
        let app = app.clone();
        async move { get(&app, &format!("/search?q=python{i}")).await }
    }))
    .await;
    let shed: Vec<_> = answers.iter().filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE).collect();
    assert!(!shed.is_empty(), "some shed");
    assert!(shed.iter().all(|a| a.headers.contains_key("retry-after")));
    assert!(answers.iter().any(|a| a.status == StatusCode::OK), "some served");

    let limits = Limits { rate_per_second: 1, rate_burst: 3, ..Limits::default() };
    let app = router_with(pool, "target/site", &limits);
    let mut statuses = Vec::new();
    for i in 0..8 {
        statuses.push(get(&app, &format!("/search?q=colin{i}")).await.status);
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    // A cached page is not a render: it is never slowed.
    get(&app, "/healthz").await;
}

#[sqlx::test(migrations = "./migrations")]
async fn a_request_whose_headers_never_finish_is_dropped(pool: PgPool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = router(pool);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::spawn(fedora_packages::server::limits::serve(
        listener,
        app,
        super::common::last_cache(),
        Duration::from_millis(500),
        stop.clone(),
        Duration::from_secs(1),
    ));
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let started = std::time::Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection is closed, not held");
    assert!(started.elapsed() < Duration::from_secs(5));
    stop.cancel();
}

/// Hits are answered by the server before the router: over the wire they
/// carry the same headers, validators and status as the first render.
#[sqlx::test(migrations = "./migrations")]
async fn cache_hits_over_the_wire_answer_like_the_render(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = tokio_util::sync::CancellationToken::new();
    let cache = super::common::last_cache();
    tokio::spawn(fedora_packages::server::limits::serve(
        listener,
        app,
        cache.clone(),
        Duration::from_secs(5),
        stop.clone(),
        Duration::from_secs(1),
    ));
    let client = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let url = |path: &str| format!("http://{addr}{path}");
    let first = client.get(url("/packages/python-requre/builds")).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let rendered = first.headers().clone();
    let body = first.text().await.unwrap();
    assert!(cache.answer(&axum::http::Request::get("/packages/python-requre/builds").body(()).unwrap()).is_some());
    let hit = client.get(url("/packages/python-requre/builds?utm=x")).send().await.unwrap();
    assert_eq!(hit.status(), 200);
    for name in
        ["etag", "content-security-policy", "x-content-type-options", "referrer-policy", "vary", "cache-control"]
    {
        assert_eq!(hit.headers().get(name), rendered.get(name), "{name}");
    }
    let etag = rendered["etag"].to_str().unwrap().to_string();
    assert_eq!(hit.text().await.unwrap(), body);
    let revalidated =
        client.get(url("/packages/python-requre/builds")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(revalidated.status(), 304);
    let head = client.head(url("/packages/python-requre/builds")).send().await.unwrap();
    assert_eq!((head.status(), head.headers().get("etag")), (reqwest::StatusCode::OK, rendered.get("etag")));
    // A cached 404 about a package does not stand in for an old link's redirect.
    let none = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    assert_eq!(none.get(url("/packages/python-requre/nonsense")).send().await.unwrap().status(), 404);
    assert_eq!(none.get(url("/packages/python-requre/nonsense")).send().await.unwrap().status(), 404);
    let old = none.get(url("/packages/python-requre/bugs/all")).send().await.unwrap();
    assert_eq!(old.status(), 301);
    assert_eq!(old.headers()["location"], "/packages/python-requre/bugs");
    stop.cancel();
}

#[sqlx::test(migrations = "./migrations")]
async fn ready_means_can_serve_pages(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool.clone());
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/readyz/worker").await.status, StatusCode::NOT_FOUND, "no worker in this process");
    // The database is gone: not ready, until pages are cached.
    let gone = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_millis(200))
        .connect_lazy("postgres://postgres@127.0.0.1:1/nothing")
        .unwrap();
    let mut state = super::common::last_state();
    state.pool = gone;
    let options =
        leptos::prelude::LeptosOptions::builder().output_name("fedora-packages").site_root("target/site").build();
    let app =
        fedora_packages::server::router::build(state.clone(), options, &Limits::default(), fedora_packages::PAGES);
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
    let warm = router(pool);
    get(&warm, "/packages/colin").await;
    let mut state = super::common::last_state();
    state.pool = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_millis(200))
        .connect_lazy("postgres://postgres@127.0.0.1:1/nothing")
        .unwrap();
    let options =
        leptos::prelude::LeptosOptions::builder().output_name("fedora-packages").site_root("target/site").build();
    let app = fedora_packages::server::router::build(state, options, &Limits::default(), fedora_packages::PAGES);
    assert_eq!(get(&app, "/readyz").await.status, StatusCode::OK, "cached pages can be served");
}

#[sqlx::test(migrations = "./migrations")]
async fn load_demo_refuses_a_database_with_real_data(pool: PgPool) {
    sqlx::query("INSERT INTO packages (name, source_name, version) VALUES ('bash', 'bash', 1)")
        .execute(&pool)
        .await
        .unwrap();
    let refused = fedora_packages::cli::commands::load_demo(&pool, &super::common::demo_dir(), false).await;
    assert!(refused.is_err());
    assert!(!fedora_packages::db::settings::is_demo(&pool).await.unwrap());
    fedora_packages::cli::commands::load_demo(&pool, &super::common::demo_dir(), true).await.unwrap();
    assert!(fedora_packages::db::settings::is_demo(&pool).await.unwrap());
    // Marked: loading again needs no force.
    fedora_packages::cli::commands::load_demo(&pool, &super::common::demo_dir(), false).await.unwrap();
}
