//! `GET /packages/{name}/live`: the event stream. `change` events carry a
//! [`LiveChange`] as JSON with its id; comments every
//! [`HEARTBEAT`] keep proxies from closing an idle stream. A reconnecting
//! browser sends `Last-Event-ID`, a page opening its first stream sends
//! `?since=` (the version it was read at), and either first gets what it
//! missed.
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use super::hub::LiveHub;
use crate::error::AppError;
use crate::model::live::LiveChange;
use crate::read;

/// How often an idle stream says it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// How long a browser waits before reconnecting after the stream drops.
const RECONNECT: Duration = Duration::from_secs(3);

pub async fn stream(
    State(hub): State<LiveHub>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let version = |v: &str| v.trim().parse::<i64>().ok().filter(|v| *v >= 0);
    let event_id = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(version);
    let since = query.as_deref().and_then(|q| crate::model::route::query_param(q, "since")).and_then(|v| version(&v));
    let last_seen = event_id.max(since);
    // An unknown name is a 404, not a stream that never speaks.
    let newest = match read::live_version(hub.pool(), &name).await {
        Ok(v) => v,
        Err(AppError::NotFound { .. }) => return (StatusCode::NOT_FOUND, "no such package\n").into_response(),
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "try again in a moment\n").into_response(),
    };
    let Ok(subscription) = hub.subscribe(&name, newest) else {
        let mut full = (StatusCode::SERVICE_UNAVAILABLE, "too many open live streams\n").into_response();
        full.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        return full;
    };
    let catch_up = match last_seen {
        Some(seen) if seen < newest => read::live_change(hub.pool(), &name, seen).await.ok().flatten(),
        _ => None,
    };
    let hello = Event::default().retry(RECONNECT).comment("live");
    let missed = catch_up.map(|c| event(&c));
    let live = futures::stream::unfold(subscription, |mut s| async move { s.next().await.map(|c| (event(&c), s)) });
    let events = futures::stream::iter(std::iter::once(hello).chain(missed))
        .chain(live)
        .take_until(hub.stop().cancelled_owned())
        .map(Ok::<Event, Infallible>);
    let mut response = Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT)).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // nginx buffers proxied responses unless told not to.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

fn event(change: &LiveChange) -> Event {
    let data = serde_json::to_string(change).unwrap_or_else(|_| "{}".into());
    Event::default().event("change").id(change.id.to_string()).data(data)
}
