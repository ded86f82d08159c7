//! What the server answers before the router runs: page-cache hits, and
//! the search box's suggestions from the index. Both cost less than the
//! routing, middleware boxing and Leptos server-function machinery they
//! would otherwise pass through; everything else (and every request these
//! do not fully understand) goes to the router.
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderValue, Method, Request};
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::limits::{ClientIp, Limits};
use super::page_cache::{Encoding, PageCache};
use super::security::SecurityHeaders;
use crate::search::SearchIndex;

/// Where the search box asks (the `suggest_packages` server function).
pub const SUGGEST_PATH: &str = "/api/suggest";

/// Bodies smaller than this go uncompressed: they fit one packet either way.
const COMPRESS_FROM: usize = 1400;

/// The answers given ahead of the router.
#[derive(Clone)]
pub struct Ahead {
    cache: PageCache,
    suggest: Option<Suggest>,
}

impl From<PageCache> for Ahead {
    /// Cache hits only (suggestions go through the router).
    fn from(cache: PageCache) -> Self {
        Ahead { cache, suggest: None }
    }
}

impl Ahead {
    /// Cache hits, and suggestions from `search` once its index is ready.
    /// Suggestions keep a per-client rate of `limits`' size, a budget of
    /// their own (as the API's routes have theirs).
    pub fn new(cache: PageCache, search: SearchIndex, limits: &Limits) -> Self {
        let suggest = Suggest::new(search, limits, cache.security().clone());
        Ahead { cache, suggest: Some(suggest) }
    }

    /// The answer to `request` from `peer`, or `None`: the router's turn.
    pub fn answer<B>(&self, request: &Request<B>, peer: IpAddr) -> Option<Response> {
        if let Some(hit) = self.cache.answer(request) {
            return Some(hit);
        }
        self.suggest.as_ref()?.answer(request, peer)
    }
}

/// Suggestions answered from the index, as the server function would
/// answer them (the same body and headers), without it.
#[derive(Clone)]
struct Suggest {
    search: SearchIndex,
    /// The per-client rate, or `None` when the limits switch it off.
    rate: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    client: ClientIp,
    security: SecurityHeaders,
}

impl Suggest {
    fn new(search: SearchIndex, limits: &Limits, security: SecurityHeaders) -> Self {
        // The quota `limits::guard` sets: one request per period, bursts allowed.
        let rate = Quota::with_period(limits.replenish_period())
            .map(|q| q.allow_burst(NonZeroU32::new(limits.rate_burst.max(1)).unwrap_or(NonZeroU32::MIN)))
            .map(|q| Arc::new(RateLimiter::keyed(q)));
        Suggest { search, rate, client: ClientIp::new(limits), security }
    }

    fn answer<B>(&self, request: &Request<B>, peer: IpAddr) -> Option<Response> {
        let uri = request.uri();
        if request.method() != Method::GET || uri.path() != SUGGEST_PATH {
            return None;
        }
        // Too long a request target is the router's 414.
        if uri.path_and_query().map_or(0, |p| p.as_str().len()) > super::router::MAX_URI_BYTES {
            return None;
        }
        // Until the index is ready, PostgreSQL answers: the router's work
        // (and its rate), not to be counted here as well.
        let index = self.search.ready()?;
        let started = Instant::now();
        let typed = typed(uri.query()?)?;
        let query = crate::search::analyze_name(&typed);
        if let Some(rate) = &self.rate {
            if rate.check_key(&self.client.client(peer, request.headers())).is_err() {
                let response = super::limits::too_many_requests(1);
                return Some(self.finish(response, started));
            }
        }
        let suggestions = crate::read::suggest_indexed(&index, &query, crate::read::SUGGESTIONS)?;
        let body = serde_json::to_vec(&suggestions).ok()?;
        let encoding = match body.len() < COMPRESS_FROM {
            true => Encoding::Identity,
            false => Encoding::preferred(request.headers()),
        };
        let (body, coding) = match encoding {
            Encoding::Brotli => (super::compress::brotli(&body, 4), Some("br")),
            Encoding::Gzip => (super::compress::gzip(&body, 6), Some("gzip")),
            Encoding::Identity => (body, None),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(coding) = coding {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        Some(self.finish(response, started))
    }

    fn finish(&self, mut response: Response, started: Instant) -> Response {
        self.security.apply(response.headers_mut(), None, None);
        super::metrics::record(super::metrics::route_of(SUGGEST_PATH), response.status(), started);
        response
    }
}

/// What was typed, from a query string that is exactly `query=…` (as the
/// search box sends it): `+` a space, percent-escapes decoded, valid
/// UTF-8. Anything else is left to the server function and its errors.
fn typed(query_string: &str) -> Option<String> {
    let value = query_string.strip_prefix("query=")?;
    if value.contains(['&', '=']) {
        return None;
    }
    let spaced = value.replace('+', " ");
    let decoded = percent_encoding::percent_decode_str(&spaced).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_lone_query_parameter_is_read() {
        assert_eq!(typed("query=vim").as_deref(), Some("vim"));
        assert_eq!(typed("query=ceres+solver").as_deref(), Some("ceres solver"));
        assert_eq!(typed("query=gtk%2B").as_deref(), Some("gtk+"));
        assert_eq!(typed("query=").as_deref(), Some(""));
        assert_eq!(typed("query=%C3%A9").as_deref(), Some("é"));
        // Left to the server function: its own answers (errors included).
        assert_eq!(typed("query=%ED%A0%80"), None);
        assert_eq!(typed("query=a&query=b"), None);
        assert_eq!(typed("q=vim"), None);
        assert_eq!(typed("query=a&x=1"), None);
        assert_eq!(typed("query[0]=a"), None);
    }
}
