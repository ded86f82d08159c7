//! Live streams: a committed refresh reaches every open stream of the
//! package, a reconnect with `Last-Event-ID` (or a first stream with the
//! version its page was read at) catches up, the per-process
//! cap answers 503, and stopping the server ends the streams.

use std::time::Duration;

use super::common::{demo_upstream, get, last_state, load_demo, router};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get as get_route;
use axum::Router;
use fedora_packages::live::LiveHub;
use fedora_packages::model::live::LiveChange;
use fedora_packages::model::Tab;
use futures::StreamExt;
use sqlx::PgPool;
use tower::ServiceExt;

/// An open stream: its frames as text.
struct Stream {
    body: axum::body::BodyDataStream,
    buffer: String,
}

impl Stream {
    async fn open(app: &Router, uri: &str, last_event_id: Option<i64>) -> Result<Stream, StatusCode> {
        let mut request = Request::builder().uri(uri);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = app.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("response");
        if response.status() != StatusCode::OK {
            return Err(response.status());
        }
        let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        assert!(response.headers().get("content-encoding").is_none(), "never compressed (proxies would buffer)");
        Ok(Stream { body: response.into_body().into_data_stream(), buffer: String::new() })
    }

    /// The next `change` event, within `wait`.
    async fn next_change(&mut self, wait: Duration) -> Option<LiveChange> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                if frame.lines().any(|l| l == "event: change") {
                    let data = frame.lines().find_map(|l| l.strip_prefix("data: "))?;
                    let change: LiveChange = serde_json::from_str(data).expect("change JSON");
                    let id = frame.lines().find_map(|l| l.strip_prefix("id: ")).and_then(|i| i.parse::<i64>().ok());
                    assert_eq!(id, Some(change.id), "the event id is the change's");
                    return Some(change);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next()).await.ok()??.ok()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Whether the stream has ended (within `wait`).
    async fn ended(&mut self, wait: Duration) -> bool {
        loop {
            match tokio::time::timeout(wait, self.body.next()).await {
                Ok(None) => return true,
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) => return true,
                Err(_) => return false,
            }
        }
    }
}

/// The router, told of committed changes like a server is.
async fn live_router(pool: &PgPool) -> Router {
    let app = router(pool.clone());
    let state = last_state();
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::spawn(fedora_packages::server::page_cache::follow_changes(pool.clone(), state.cache, state.live, stop));
    tokio::time::sleep(Duration::from_millis(300)).await;
    app
}

async fn refresh(pool: &PgPool, name: &str, tabs: &[Tab]) {
    let upstream = demo_upstream().await;
    fedora_packages::refresh::refresh(pool, &upstream, name, tabs).await.expect("refresh");
}

#[sqlx::test(migrations = "./migrations")]
async fn a_committed_refresh_reaches_every_open_stream(pool: PgPool) {
    load_demo(&pool).await;
    let app = live_router(&pool).await;
    let mut streams = Vec::new();
    for uri in ["/packages/python-requre/live", "/packages/python-requre/live", "/packages/python3-requre/live"] {
        streams.push(Stream::open(&app, uri, None).await.expect("a stream"));
    }
    // Nothing is said before something changes (heartbeats aside).
    assert!(streams[0].next_change(Duration::from_millis(300)).await.is_none());
    // A refresh with the same data still moves the refresh time: it is announced.
    refresh(&pool, "python-requre", &[Tab::Builds]).await;
    for stream in &mut streams {
        let change = stream.next_change(Duration::from_secs(10)).await.expect("a change");
        assert!(change.touches(Tab::Builds, None), "{change:?}");
        assert!(!change.touches(Tab::Bugs, None), "{change:?}");
        assert!(!change.version.is_empty());
    }
    // The stream is not a page: it is not cached, and unknown names are a 404.
    assert!(Stream::open(&app, "/packages/python-requre/live", None).await.is_ok());
    assert_eq!(Stream::open(&app, "/packages/no-such-package/live", None).await.err(), Some(StatusCode::NOT_FOUND));
    assert_eq!(get(&app, "/packages/python-requre").await.status, StatusCode::OK);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_reconnect_catches_up_on_what_it_missed(pool: PgPool) {
    load_demo(&pool).await;
    let app = live_router(&pool).await;
    let mut stream = Stream::open(&app, "/packages/python-requre/live", None).await.expect("a stream");
    refresh(&pool, "python-requre", &[Tab::Builds]).await;
    let seen = stream.next_change(Duration::from_secs(10)).await.expect("a change");
    drop(stream);
    // While no one listens, the changelog is refreshed.
    refresh(&pool, "python-requre", &[Tab::Changelog]).await;
    let mut again = Stream::open(&app, "/packages/python-requre/live", Some(seen.id)).await.expect("a stream again");
    let missed = again.next_change(Duration::from_secs(5)).await.expect("the missed change, at once");
    assert!(missed.id > seen.id);
    assert!(missed.touches(Tab::Changelog, None) && !missed.touches(Tab::Builds, None), "{missed:?}");
    // Up to date: nothing more to catch up on.
    let mut current = Stream::open(&app, "/packages/python-requre/live", Some(missed.id)).await.expect("a stream");
    assert!(current.next_change(Duration::from_millis(300)).await.is_none());
}

#[sqlx::test(migrations = "./migrations")]
async fn a_first_stream_catches_up_from_the_version_the_page_was_read_at(pool: PgPool) {
    load_demo(&pool).await;
    let app = live_router(&pool).await;
    let answer = get(&app, "/api/package?name=python-requre").await;
    let header: fedora_packages::model::PackageHeader = serde_json::from_slice(&answer.body_bytes).expect("the header");
    let read_at = header.live_version.expect("the page says which version it shows");
    // After the page was read, before its script opens the stream.
    refresh(&pool, "python-requre", &[Tab::Changelog]).await;
    let uri = fedora_packages::model::live::live_path_since("python-requre", Some(read_at));
    let mut first = Stream::open(&app, &uri, None).await.expect("a stream");
    let missed = first.next_change(Duration::from_secs(5)).await.expect("the change made since the page was read");
    assert!(missed.id > read_at && missed.touches(Tab::Changelog, None), "{missed:?}");
    // A reconnection's Last-Event-ID is newer than the page's version: it wins.
    let mut again = Stream::open(&app, &uri, Some(missed.id)).await.expect("a stream");
    assert!(again.next_change(Duration::from_millis(300)).await.is_none(), "nothing is sent twice");
}

#[sqlx::test(migrations = "./migrations")]
async fn the_cap_on_open_streams_answers_503(pool: PgPool) {
    load_demo(&pool).await;
    let stop = tokio_util::sync::CancellationToken::new();
    let hub = LiveHub::new(pool.clone(), 3, stop.clone());
    let app = Router::new()
        .route("/packages/{name}/live", get_route(fedora_packages::live::stream::stream))
        .with_state(hub.clone());
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(Stream::open(&app, "/packages/colin/live", None).await.expect("under the cap"));
    }
    assert_eq!(hub.open_streams(), 3);
    assert_eq!(Stream::open(&app, "/packages/colin/live", None).await.err(), Some(StatusCode::SERVICE_UNAVAILABLE));
    // A closed stream frees its place.
    open.pop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(hub.open_streams(), 2);
    open.push(Stream::open(&app, "/packages/colin/live", None).await.expect("a freed place"));
    // Stopping the server (SIGTERM) ends every stream.
    stop.cancel();
    for stream in &mut open {
        assert!(stream.ended(Duration::from_secs(2)).await, "the stream ends on stop");
    }
}
