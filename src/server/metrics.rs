//! `/metrics` in Prometheus text format: request durations per route, tab
//! refreshes by service and outcome, bus messages by topic and outcome, queue
//! lag, the page cache, and the age of the oldest row per tab (so a stalled
//! worker cannot go unnoticed).
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::state::AppState;

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
        for route in ROUTES {
            for code in [200u16, 301, 302, 304, 404, 500, 503] {
                let h = metrics::histogram!("http_request_duration_seconds", "route" => route, "status" => code.to_string());
                all.push((route, code, h));
            }
        }
        all
    });
    let elapsed = started.elapsed().as_secs_f64();
    match handles.iter().find(|(r, c, _)| *r == route && *c == status.as_u16()) {
        Some((_, _, h)) => h.record(elapsed),
        None => metrics::histogram!("http_request_duration_seconds", "route" => route, "status" => status.as_u16().to_string())
            .record(elapsed),
    }
}

/// Every label `route_of` gives.
const ROUTES: [&str; 13] = [
    "/packages/s/{query}",
    "/packages/{name}",
    "/packages/{name}/{tab}",
    "/api/tab/{tab}",
    "/api/{fn}",
    "/search",
    "/pkg/{asset}",
    "/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/pkgs/{source}/{package}",
    "other",
];

/// A low-cardinality label for a path.
pub fn route_of(path: &str) -> &'static str {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("packages"), Some("s"), _) => "/packages/s/{query}",
        (Some("packages"), Some(_), None) => "/packages/{name}",
        (Some("packages"), Some(_), Some(_)) => "/packages/{name}/{tab}",
        (Some("api"), Some("tab"), Some(_)) => "/api/tab/{tab}",
        (Some("api"), Some(_), _) => "/api/{fn}",
        (Some("search"), _, _) => "/search",
        (Some("pkg"), _, _) => "/pkg/{asset}",
        (Some(""), None, _) => "/",
        (Some("healthz"), _, _) => "/healthz",
        (Some("readyz"), _, _) => "/readyz",
        (Some("metrics"), _, _) => "/metrics",
        (Some("pkgs"), _, _) => "/pkgs/{source}/{package}",
        _ => "other",
    }
}

/// Renders all metrics; row ages and worker state are read at scrape time.
pub async fn render(State(state): State<AppState>) -> Response {
    match crate::db::tabs::oldest_age_by_tab(&state.pool).await {
        Ok(ages) => {
            for (tab, age) in ages {
                metrics::gauge!("tab_oldest_row_age_seconds", "tab" => tab).set(age);
            }
        }
        Err(e) => tracing::warn!(error = %e, "row ages unavailable for /metrics"),
    }
    metrics::gauge!("page_cache_bytes").set(state.cache.weighted_size() as f64);
    if state.worker.running() {
        metrics::gauge!("bus_connected").set(if state.worker.connected() { 1.0 } else { 0.0 });
    }
    match handle() {
        Some(h) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], h.render()).into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "metrics recorder unavailable").into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn routes_are_labelled_by_shape() {
        assert_eq!(super::route_of("/packages/gtk+"), "/packages/{name}");
        assert_eq!(super::route_of("/packages/gtk+/builds"), "/packages/{name}/{tab}");
        assert_eq!(super::route_of("/api/tab/builds"), "/api/tab/{tab}");
        assert_eq!(super::route_of("/"), "/");
        assert_eq!(super::route_of("/nope/x"), "other");
        for path in ["/packages/s/q", "/search", "/pkg/a.js", "/healthz", "/readyz", "/metrics", "/pkgs/a/b", "/api/x"]
        {
            assert!(super::ROUTES.contains(&super::route_of(path)), "{path}");
        }
    }
}
