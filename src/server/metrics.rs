//! `/metrics` in Prometheus text format: request durations per route, tab
//! refreshes by service and outcome, bus messages by topic and outcome, queue
//! lag, the page cache, and the age of the oldest row per tab (so a stalled
//! worker cannot go unnoticed).
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::model::route::Route;

/// The process-wide recorder (installed once; later calls reuse it).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), &buckets)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// Times every request, labelled by the route it matched.
pub async fn track(request: Request, next: Next) -> Response {
    let route = route_of(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    record(route, response.status(), started);
    response
}

/// Adds one request to the duration histogram. The usual (route, status)
/// pairs go through handles registered once: looking a labelled histogram up
/// by name on every request costs more than answering a cached page.
pub fn record(route: &'static str, status: StatusCode, started: Instant) {
    type Handles = Vec<(&'static str, u16, metrics::Histogram)>;
    static HANDLES: OnceLock<Handles> = OnceLock::new();
    let handles = HANDLES.get_or_init(|| {
        let _ = handle(); // handles taken before the recorder exists would record nothing
        let mut all = Vec::new();
        for route in Route::LABELS {
            for code in [200u16, 301, 302, 304, 404, 500, 503] {
                let h = metrics::histogram!("http_request_duration_seconds", "route" => route, "status" => code.to_string());
                all.push((route, code, h));
            }
        }
        all
    });
    let elapsed = started.elapsed().as_secs_f64();
    match handles.iter().find(|(r, c, _)| *c == status.as_u16() && *r == route) {
        Some((_, _, h)) => h.record(elapsed),
        None => metrics::histogram!("http_request_duration_seconds", "route" => route, "status" => status.as_u16().to_string())
            .record(elapsed),
    }
}

/// A low-cardinality label for a path.
pub fn route_of(path: &str) -> &'static str {
    Route::parse(path, None).label()
}

/// The Prometheus text of every metric recorded so far.
pub fn text() -> Option<String> {
    handle().map(|h| h.render())
}
