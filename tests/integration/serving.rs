//! Serving: cached pages with ETags and 304s, compressed variants, the change
//! notice that drops a cached page, static assets, health and metrics, HTTP/2.
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use fedora_packages::db;
use fedora_packages::model::{Builds, Tab};
use sqlx::PgPool;

use super::common::{get, get_with, load_demo, router, router_with_site};

fn decompress(encoding: &str, body: &[u8]) -> String {
    let mut out = Vec::new();
    match encoding {
        "br" => brotli::BrotliDecompress(&mut std::io::Cursor::new(body), &mut out).expect("brotli"),
        "gzip" => {
            use std::io::Read;
            flate2::read::GzDecoder::new(body).read_to_end(&mut out).expect("gzip");
        }
        other => panic!("{other}"),
    };
    String::from_utf8(out).expect("utf-8")
}

#[sqlx::test(migrations = "./migrations")]
async fn etags_answer_304_and_pages_come_compressed(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let first = get(&app, "/packages/python-requre/builds").await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers["etag"].to_str().unwrap().to_string();
    let cc = first.headers["cache-control"].to_str().unwrap();
    assert!(cc.contains("max-age=") && cc.contains("stale-while-revalidate"), "{cc}");
    let again = get_with(&app, "/packages/python-requre/builds", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers["etag"], etag.as_str());

    for encoding in ["br", "gzip"] {
        let page = get_with(&app, "/packages/python-requre/builds", &[("accept-encoding", encoding)]).await;
        assert_eq!(page.headers["content-encoding"], encoding);
        let raw = fedora_packages_body(&app, "/packages/python-requre/builds", encoding).await;
        assert_eq!(decompress(encoding, &raw), first.body);
    }
    // Tab answers (server functions) too.
    let json = ("accept", "application/json");
    let api = get_with(&app, "/api/tab/builds?name=python-requre", &[json]).await;
    assert_eq!(api.status, StatusCode::OK);
    let etag = api.headers["etag"].to_str().unwrap().to_string();
    let api2 = get_with(&app, "/api/tab/builds?name=python-requre", &[json, ("if-none-match", &etag)]).await;
    assert_eq!(api2.status, StatusCode::NOT_MODIFIED);
    // An open tab refetches these when its live stream says so: the browser
    // must revalidate every time, whether the answer was rendered or cached.
    assert_eq!(api.headers["cache-control"], "no-cache");
    assert_eq!(api2.headers["cache-control"], "no-cache");
}

/// The raw (still compressed) body of a response.
async fn fedora_packages_body(app: &axum::Router, uri: &str, encoding: &str) -> Vec<u8> {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(uri)
        .header("accept-encoding", encoding)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    axum::body::to_bytes(response.into_body(), 1 << 24).await.unwrap().to_vec()
}

#[sqlx::test(migrations = "./migrations")]
async fn a_committed_change_drops_the_cached_page(pool: PgPool) {
    load_demo(&pool).await;
    let state_pool = pool.clone();
    let app = router(pool.clone());
    let stop = tokio_util::sync::CancellationToken::new();
    // The test router's cache, told of changes like the server's.
    let cache = super::common::last_cache();
    let live = super::common::last_state().live;
    tokio::spawn(fedora_packages::server::page_cache::follow_changes(state_pool, cache, live, stop.clone()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = get(&app, "/packages/python-requre/builds").await;
    assert!(before.body.contains("python-requre-0.5.0-1.fc33"));

    let mut tx = pool.begin().await.unwrap();
    let mut builds: Builds =
        db::tabs::get(&pool, "python-requre", Tab::Builds, None).await.unwrap().unwrap().decode("b").unwrap();
    builds.builds.truncate(1);
    builds.builds[0].nvr = "python-requre-9.9.9-1.fc99".into();
    let row = db::tabs::NewRow {
        package: "python-requre",
        tab: Tab::Builds,
        branch: None,
        payload: &builds,
        fetched_at: chrono::Utc::now(),
    };
    db::tabs::put(&mut tx, row, i64::MAX / 2).await.unwrap();
    db::notify_changed(&mut tx, &["python-requre".to_string()]).await.unwrap();
    tx.commit().await.unwrap();

    let started = Instant::now();
    loop {
        let page = get(&app, "/packages/python-requre/builds").await;
        if page.body.contains("python-requre-9.9.9-1.fc99") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(3), "cached page outlived its row");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.cancel();
}

#[sqlx::test(migrations = "./migrations")]
async fn health_metrics_and_assets(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("fp-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/app.0123.js"), "console.log('hello, fedora');".repeat(50)).unwrap();
    fedora_packages::cli::commands::precompress(&site.join("pkg")).unwrap();
    let app = router_with_site(pool, site.to_str().unwrap());

    assert_eq!(get(&app, "/healthz").await.status, StatusCode::OK);
    let ready = get(&app, "/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
    get(&app, "/packages/colin").await;
    let _ = fedora_packages::server::metrics::handle();
    get(&app, "/packages/colin").await;
    // Metrics are for the operator: not on the public port, on the admin one.
    assert_eq!(get(&app, "/metrics").await.status, StatusCode::NOT_FOUND);
    let admin = fedora_packages::server::health::admin(super::common::last_state());
    let metrics = get(&admin, "/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.body.contains("http_request_duration_seconds"), "{}", metrics.body);

    let asset = get_with(&app, "/pkg/app.0123.js", &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.headers["content-encoding"], "br");
    assert!(asset.headers["cache-control"].to_str().unwrap().contains("immutable"));
}

#[sqlx::test(migrations = "./migrations")]
async fn http2_without_tls(pool: PgPool) {
    load_demo(&pool).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router(pool)).await });
    let client = reqwest::Client::builder().http2_prior_knowledge().build().unwrap();
    let response = client.get(format!("http://{addr}/packages/colin")).send().await.unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    assert_eq!(response.status(), 200);
}
