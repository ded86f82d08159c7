//! What keeps the front door open under hostile traffic: a bound on how
//! long a request's headers may take to arrive and how long it may run, a
//! bound on renders in flight that sheds the rest with 503 + Retry-After
//! instead of queueing without end, and a per-client rate on what costs
//! work (uncached pages, search, the API). The client is the peer, or the
//! address a trusted proxy says it forwarded for.
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio_util::sync::CancellationToken;
use tower::{BoxError, Service, ServiceBuilder};
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

use super::ahead::Ahead;

/// The limits, all settings of `serve`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a connection may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long one request may run.
    pub request_timeout: Duration,
    /// Uncached renders (and server functions) in flight; more are shed with 503.
    pub max_concurrent: usize,
    /// Requests per second one client may make of what is not cached.
    pub rate_per_second: u32,
    /// Requests one client may make at once before the rate applies.
    pub rate_burst: u32,
    /// Peers whose `X-Forwarded-For` names the client (the reverse proxies).
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_concurrent: 32,
            rate_per_second: 50,
            rate_burst: 200,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Limits {
    /// How often a client's budget gains one request. In nanoseconds: whole
    /// milliseconds would cap every rate above 1,000 per second at 1,000.
    pub fn replenish_period(&self) -> Duration {
        Duration::from_secs(1) / self.rate_per_second.max(1)
    }
}

/// The client a request comes from: the peer, unless the peer is a trusted
/// proxy, whose `X-Forwarded-For` then names it (the address it appended last).
#[derive(Debug, Clone)]
pub struct ClientIp {
    trusted: Arc<Vec<IpAddr>>,
}

impl ClientIp {
    /// Trusting the proxies `limits` names.
    pub fn new(limits: &Limits) -> Self {
        ClientIp { trusted: Arc::new(limits.trusted_proxies.clone()) }
    }

    pub fn of<T>(&self, request: &Request<T>) -> IpAddr {
        // Requests handed to the router in-process (tests) have no peer.
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        self.client(peer, request.headers())
    }

    /// The client behind `peer`, given the request's `headers`.
    pub fn client(&self, peer: IpAddr, headers: &axum::http::HeaderMap) -> IpAddr {
        if !self.trusted.contains(&peer) {
            return peer;
        }
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
            .next_back()
            .unwrap_or(peer)
    }
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(self.of(request))
    }
}

/// Wraps the routes that render: the per-client rate, the concurrency bound
/// with load shedding, and the request timeout.
pub fn guard(routes: Router, limits: &Limits) -> Router {
    let rate = GovernorConfigBuilder::default()
        .period(limits.replenish_period())
        .burst_size(limits.rate_burst.max(1))
        .key_extractor(ClientIp::new(limits))
        .finish();
    let routes = routes.layer(
        ServiceBuilder::new()
            .layer(axum::error_handling::HandleErrorLayer::new(overloaded))
            .load_shed()
            // One bound for every route (a plain concurrency limit would be per route).
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(limits.max_concurrent.max(1)))
            .timeout(limits.request_timeout),
    );
    match rate {
        Some(config) => routes.layer(GovernorLayer::new(config).error_handler(too_many)),
        None => routes,
    }
}

/// The answer to a request shed, or one that ran out of time.
async fn overloaded(error: BoxError) -> Response {
    let timed_out = error.is::<tower::timeout::error::Elapsed>();
    let text = if timed_out { "the request took too long\n" } else { "too busy, try again in a moment\n" };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, text).into_response();
    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// The answer to a client over its rate.
fn too_many(error: GovernorError) -> Response<Body> {
    let wait = match error {
        GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
        _ => 1,
    };
    too_many_requests(wait)
}

/// 429, come back in `wait` seconds.
pub fn too_many_requests(wait: u64) -> Response<Body> {
    let mut response = (StatusCode::TOO_MANY_REQUESTS, "too many requests, slow down\n").into_response();
    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(wait));
    response
}

/// Serves `app` on `listener` (HTTP/1.1 and HTTP/2 without TLS), each
/// connection's headers due within `header_read_timeout`, until `stop`;
/// then finishes what is in flight (for at most `drain`). What `ahead`
/// answers (page-cache hits, suggestions) is answered here, before the
/// router: routing, middleware boxing and the body conversion cost more
/// than those answers themselves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    ahead: impl Into<Ahead>,
    header_read_timeout: Duration,
    stop: CancellationToken,
    drain: Duration,
) -> std::io::Result<()> {
    let ahead = ahead.into();
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            _ = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait a moment, keep serving.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let ahead = ahead.clone();
        let service = hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
            let hit = ahead.answer(&request, peer.ip());
            let mut app = hit.is_none().then(|| app.clone());
            async move {
                let Some(app) = app.as_mut() else {
                    return Ok::<_, Infallible>(hit.unwrap_or_default());
                };
                request.extensions_mut().insert(ConnectInfo(peer));
                Ok(app.call(request.map(Body::new)).await.unwrap_or_else(|e| match e {}))
            }
        });
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(drain, graceful.shutdown()).await.is_err() {
        tracing::warn!(drain_s = drain.as_secs_f64(), "connections still open after the drain time; closing them");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_above_a_thousand_a_second_are_not_rounded_down() {
        let at = |rate_per_second| Limits { rate_per_second, ..Limits::default() }.replenish_period();
        assert_eq!(at(50), Duration::from_millis(20));
        assert_eq!(at(1_000_000), Duration::from_micros(1));
        assert_eq!(at(0), Duration::from_secs(1));
    }

    fn request(peer: &str, forwarded: Option<&str>) -> Request<()> {
        let mut r = Request::builder().uri("/").body(()).unwrap();
        r.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        if let Some(f) = forwarded {
            r.headers_mut().insert("x-forwarded-for", HeaderValue::from_str(f).unwrap());
        }
        r
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let client = ClientIp { trusted: Arc::new(vec!["10.0.0.1".parse().unwrap()]) };
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(client.of(&request("10.0.0.1:5000", Some("1.2.3.4, 5.6.7.8"))), ip("5.6.7.8"));
        assert_eq!(client.of(&request("9.9.9.9:5000", Some("1.2.3.4"))), ip("9.9.9.9"), "not a trusted proxy");
        assert_eq!(client.of(&request("10.0.0.1:5000", Some("garbage"))), ip("10.0.0.1"));
        assert_eq!(client.of(&Request::builder().body(()).unwrap()), ip("127.0.0.1"));
    }
}
