//! Rendered package pages and tab answers kept in memory, compressed
//! variants and every response header included, so a hot page is served
//! like a static file. An entry is dropped the moment the refresh that
//! changes its rows commits: every web replica LISTENs for the refresh's
//! NOTIFY (see `db::CHANGED_CHANNEL`). Bounded by bytes; quick_cache's
//! S3-FIFO policy picks what goes (a hit only sets a bit, where an LRU
//! would record every read).
//!
//! What is kept: 200s only, keyed by the package and what the page reads
//! of the URL (the tab and `?branch=`; any other parameter changes nothing
//! and is ignored), at most [`MAX_VARIANTS`] per package. Unknown names'
//! 404s go to a small store of their own, for [`NOT_FOUND_TTL`].
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH,
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use quick_cache::sync::Cache;
use quick_cache::Weighter;

use super::security::SecurityHeaders;
use crate::model::route::{query_param, Route};

/// `Cache-Control` of HTML pages and tab answers: browsers and proxies may
/// reuse them briefly and revalidate (ETag) in the background.
const HTML_CACHE_CONTROL: &str = "public, max-age=10, stale-while-revalidate=60";

/// Cached variants of one package's pages (tabs × releases); more are
/// rendered but not kept, so random `?branch=` values cannot flush the cache.
pub const MAX_VARIANTS: usize = 48;

/// How long an unknown name's 404 is kept (a new package's NOTIFY drops it sooner).
pub const NOT_FOUND_TTL: Duration = Duration::from_secs(30);

/// Longest `?branch=` value a cached page may carry.
const MAX_BRANCH_BYTES: usize = 64;

/// One rendered answer: per encoding, the body and its complete headers.
pub struct Page {
    status: StatusCode,
    variants: [Variant; 3],
}

struct Variant {
    headers: HeaderMap,
    etag: HeaderValue,
    body: Bytes,
}

/// The pages of one package: invalidated together. Every refresh announces
/// each package whose pages it changes (a source and all its sub-packages).
/// Never changed in place: a new page replaces the whole bucket (stores are
/// rare, hits are not, and a hit then takes no lock of its own). Two pages
/// of one package stored at the same instant may keep only one; the other
/// is rendered again on its next request.
struct Bucket {
    pages: HashMap<String, Arc<Page>, foldhash::fast::RandomState>,
    /// When an unknown name's 404s stop counting; `None` for real pages.
    expires: Option<Instant>,
    /// Bytes held, counted once: the cache weighs a bucket on every insert.
    bytes: u64,
}

impl Bucket {
    fn live(self: Arc<Self>, now: impl FnOnce() -> Instant) -> Option<Arc<Self>> {
        match self.expires {
            Some(at) if at <= now() => None,
            _ => Some(self),
        }
    }
}

/// A bucket weighs its bodies, plus a little for its headers.
#[derive(Clone)]
struct ByBytes;

impl Weighter<String, Arc<Bucket>> for ByBytes {
    fn weight(&self, _package: &String, bucket: &Arc<Bucket>) -> u64 {
        bucket.bytes
    }
}

type Store = Cache<String, Arc<Bucket>, ByBytes>;

#[derive(Clone)]
pub struct PageCache {
    pages: Arc<Store>,
    not_found: Arc<Store>,
    /// Bumped by every invalidation; a render that began before one is not stored.
    generation: Arc<AtomicU64>,
    security: SecurityHeaders,
}

fn store(max_bytes: u64) -> Arc<Store> {
    // A package's pages weigh some tens of kilobytes; the estimate only sizes tables.
    let estimated_packages = usize::try_from(max_bytes / (32 << 10)).unwrap_or(usize::MAX).clamp(16, 1 << 20);
    Arc::new(Cache::with_weighter(estimated_packages, max_bytes, ByBytes))
}

impl PageCache {
    pub fn new(max_bytes: u64, security: SecurityHeaders) -> Self {
        PageCache {
            pages: store(max_bytes),
            not_found: store((max_bytes / 16).max(1 << 20)),
            generation: Arc::default(),
            security,
        }
    }

    fn store_for(&self, status: StatusCode) -> Option<&Store> {
        match status {
            StatusCode::OK => Some(&self.pages),
            StatusCode::NOT_FOUND => Some(&self.not_found),
            _ => None,
        }
    }

    fn get(&self, package: &str, key: &str) -> Option<Arc<Page>> {
        if let Some(page) = self.pages.get(package).and_then(|b| b.pages.get(key).cloned()) {
            return Some(page);
        }
        let bucket = self.not_found.get(package)?.live(Instant::now)?;
        bucket.pages.get(key).cloned()
    }

    /// Stores a page unless some rows changed since `generation` was read,
    /// or the package already has its share of variants.
    fn put(&self, package: &str, key: String, page: Page, generation: u64) {
        self.put_at(package, key, page, generation, Instant::now());
    }

    fn put_at(&self, package: &str, key: String, page: Page, generation: u64, now: Instant) {
        let Some(store) = self.store_for(page.status) else { return };
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let mut pages = store.get(package).and_then(|b| b.live(|| now)).map(|b| b.pages.clone()).unwrap_or_default();
        if pages.len() >= MAX_VARIANTS && !pages.contains_key(&key) {
            return;
        }
        let expires = (page.status == StatusCode::NOT_FOUND).then(|| now + NOT_FOUND_TTL);
        pages.insert(key, Arc::new(page));
        let bytes = pages.values().map(|p| p.variants.iter().map(|v| v.body.len() as u64 + 512).sum::<u64>()).sum();
        store.insert(package.to_string(), Arc::new(Bucket { pages, expires, bytes }));
        // An invalidation between the check above and the insert has already
        // removed what it could: take back what may be stale.
        if self.generation.load(Ordering::SeqCst) != generation {
            store.remove(package);
        }
    }

    /// Drops every page of `package`.
    pub fn invalidate(&self, package: &str) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.pages.remove(package);
        self.not_found.remove(package);
    }

    /// Drops everything (e.g. when change notices may have been missed).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.pages.clear();
        self.not_found.clear();
    }

    pub fn weighted_size(&self) -> u64 {
        self.pages.weight() + self.not_found.weight()
    }

    pub fn security(&self) -> &SecurityHeaders {
        &self.security
    }

    /// The cached answer to a GET or HEAD, if there is one. The server calls
    /// this before the router (see `limits::serve`), so a hit costs a parse,
    /// a lookup and a header-map copy, and nothing else.
    pub fn answer<B>(&self, request: &axum::http::Request<B>) -> Option<Response> {
        let head = request.method() == Method::HEAD;
        if request.method() != Method::GET && !head {
            return None;
        }
        let uri = request.uri();
        if uri.path_and_query().map_or(0, |p| p.as_str().len()) > super::router::MAX_URI_BYTES {
            return None;
        }
        let started = std::time::Instant::now();
        // The router redirects these before routing (`router::canonical_path`):
        // a cached page must not shadow that. Every trailing slash is one;
        // old links are, among cacheable routes, only ever "unknown tab" paths.
        if uri.path().len() > 1 && uri.path().ends_with('/') {
            return None;
        }
        let route = Route::parse(uri.path(), uri.query());
        if matches!(route, Route::PackageUnknown { .. })
            && crate::model::old_links::redirect(uri.path(), uri.query()).is_some()
        {
            return None;
        }
        let (package, key) = key_of(&route, uri.query())?;
        let page = self.get(package, &key)?;
        let headers = request.headers();
        let response = respond(&page, Encoding::preferred(headers), headers.get(IF_NONE_MATCH), head);
        super::metrics::record(route.label(), response.status(), started);
        Some(response)
    }
}

/// What the cache files a URL under: the package, and what the page reads
/// of the URL. `None` for what is not cached.
pub fn key_of<'r>(route: &'r Route, query: Option<&str>) -> Option<(&'r str, String)> {
    let branch = query.and_then(|q| query_param(q, "branch")).unwrap_or_default();
    if branch.len() > MAX_BRANCH_BYTES {
        return None;
    }
    let (prefix, what) = match route {
        Route::Package { tab, .. } => ("", tab.slug()),
        Route::PackageUnknown { .. } => ("", "(unknown tab)"),
        Route::PackageData { endpoint, .. } => ("", *endpoint),
        Route::ApiPackage { part, .. } => ("v1/", *part),
        Route::Feed { .. } => ("", "feed.atom"),
        Route::Badge { .. } => ("", "badge.svg"),
        _ => return None,
    };
    // Built by hand: `format!` was a tenth of the cache's own work per hit.
    let mut key = String::with_capacity(prefix.len() + what.len() + 1 + branch.len());
    key.push_str(prefix);
    key.push_str(what);
    key.push('|');
    key.push_str(&branch);
    Some((route.package()?, key))
}

/// Serves cacheable GETs and HEADs from the cache (304 for a matching
/// `If-None-Match`), renders and stores them otherwise. The outermost
/// layer: a hit skips every other middleware. (The server answers hits
/// before the router even runs; this catches requests handed to the router
/// in-process, as the tests do.)
pub async fn serve_cached(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if request.uri().path_and_query().map_or(0, |p| p.as_str().len()) > super::router::MAX_URI_BYTES {
        return (StatusCode::URI_TOO_LONG, "URI too long\n").into_response();
    }
    if let Some(hit) = cache.answer(&request) {
        return hit;
    }
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let route = Route::parse(request.uri().path(), request.uri().query());
    let Some((package, key)) = key_of(&route, request.uri().query()) else {
        return next.run(request).await;
    };
    let encoding = Encoding::preferred(request.headers());
    let if_none_match = request.headers().get(IF_NONE_MATCH).cloned();
    let generation = cache.generation.load(Ordering::SeqCst);
    // Rendered uncompressed: the cache keeps its own compressed variants.
    let mut request = request;
    request.headers_mut().remove(axum::http::header::ACCEPT_ENCODING);
    let response = next.run(request).await;
    let status = response.status();
    if cache.store_for(status).is_none() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if matches!(route, Route::PackageData { .. }) && !parts.headers.contains_key(CACHE_CONTROL) {
        // A page refetches these when its live stream says they changed:
        // the browser must ask each time (a 304 when nothing did).
        parts.headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    let Ok(bytes) = axum::body::to_bytes(body, 32 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let security = cache.security.clone();
    // Compressing is CPU work: off the threads that serve requests.
    let page = tokio::task::spawn_blocking(move || Page::new(status, &parts.headers, bytes, &security)).await;
    let Ok(page) = page else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let response = respond(&page, encoding, if_none_match.as_ref(), false);
    cache.put(package, key, page, generation);
    response
}

impl Page {
    fn new(status: StatusCode, rendered: &HeaderMap, identity: Bytes, security: &SecurityHeaders) -> Self {
        let hash = xxhash_rust::xxh3::xxh3_64(&identity);
        let content_type =
            rendered.get(CONTENT_TYPE).cloned().unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
        let policy = rendered.get(CONTENT_SECURITY_POLICY).cloned();
        // The API's CORS answer is part of the response, not of the request.
        let cors: Vec<(HeaderName, HeaderValue)> = [ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS]
            .into_iter()
            .filter_map(|name| Some((name.clone(), rendered.get(&name)?.clone())))
            .collect();
        let cache_control =
            rendered.get(CACHE_CONTROL).cloned().unwrap_or(HeaderValue::from_static(HTML_CACHE_CONTROL));
        let gzip = Bytes::from(super::compress::gzip(&identity, 6));
        let brotli = Bytes::from(super::compress::brotli(&identity, 5));
        let variant = |body: Bytes, encoding: Option<&'static str>| {
            // One validator per representation (RFC 9110 8.8.3).
            let etag = format!("\"{hash:016x}{}\"", encoding.map(|e| format!("-{e}")).unwrap_or_default());
            let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
            let mut headers = HeaderMap::with_capacity(10);
            headers.insert(CONTENT_TYPE, content_type.clone());
            headers.insert(CACHE_CONTROL, cache_control.clone());
            headers.extend(cors.iter().cloned());
            headers.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
            headers.insert(ETAG, etag.clone());
            headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
            if let Some(e) = encoding {
                headers.insert(CONTENT_ENCODING, HeaderValue::from_static(e));
            }
            security.apply(&mut headers, policy.as_ref(), Some(&identity));
            Variant { headers, etag, body }
        };
        let variants = [variant(brotli, Some("br")), variant(gzip, Some("gzip")), variant(identity.clone(), None)];
        Page { status, variants }
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Encoding {
    Brotli = 0,
    Gzip = 1,
    Identity = 2,
}

impl Encoding {
    /// Brotli if offered, else gzip, else none; an offer with `q=0` is a refusal.
    /// One pass over the header's bytes: this runs on every cache hit.
    pub(super) fn preferred(headers: &HeaderMap) -> Self {
        let Some(accept) = headers.get(axum::http::header::ACCEPT_ENCODING) else {
            return Encoding::Identity;
        };
        let (mut br, mut gzip) = (false, false);
        for part in accept.as_bytes().split(|b| *b == b',') {
            let mut params = part.split(|b| *b == b';');
            let name = params.next().unwrap_or_default().trim_ascii();
            if params.any(|p| p.trim_ascii() == b"q=0") {
                continue;
            }
            match name {
                b"br" => br = true,
                b"gzip" => gzip = true,
                _ => {}
            }
        }
        match (br, gzip) {
            (true, _) => Encoding::Brotli,
            (_, true) => Encoding::Gzip,
            _ => Encoding::Identity,
        }
    }
}

fn respond(page: &Page, encoding: Encoding, if_none_match: Option<&HeaderValue>, head: bool) -> Response {
    let variant = &page.variants[encoding as usize];
    let matches = if_none_match.and_then(|v| v.to_str().ok()).is_some_and(|v| {
        v.split(',').map(str::trim).any(|t| {
            // `*` means "any current representation": only a 200 is one.
            (t == "*" && page.status == StatusCode::OK)
                || t.trim_start_matches("W/").as_bytes() == variant.etag.as_bytes()
        })
    });
    let mut response = Response::new(if matches || head { Body::empty() } else { Body::from(variant.body.clone()) });
    *response.headers_mut() = variant.headers.clone();
    if matches {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response.headers_mut().remove(CONTENT_LENGTH);
    } else {
        *response.status_mut() = page.status;
    }
    response
}

/// Adds the security headers to every response the cache does not answer
/// itself (assets, search pages, errors, the first render of a page).
pub async fn secure(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let html =
        response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if !html {
        let (mut parts, body) = response.into_parts();
        cache.security.apply(&mut parts.headers, None, None);
        return Response::from_parts(parts, body);
    }
    // A page's policy lists its inline scripts' hashes: read it whole.
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 32 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    cache.security.apply(&mut parts.headers, None, Some(&bytes));
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Listens for committed row changes and drops the pages showing them.
/// Notices missed while the connection was down cannot be known, so a
/// reconnect clears the whole cache.
pub async fn follow_changes(
    pool: sqlx::PgPool,
    cache: PageCache,
    live: crate::live::LiveHub,
    stop: tokio_util::sync::CancellationToken,
) {
    let mut backoff = std::time::Duration::from_millis(200);
    while !stop.is_cancelled() {
        let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for row changes; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(std::time::Duration::from_secs(10));
                continue;
            }
        };
        if let Err(e) = listener.listen(crate::db::CHANGED_CHANNEL).await {
            tracing::warn!(error = %e, "LISTEN failed; retrying");
            continue;
        }
        // Whatever changed while not listening is unknown: start clean.
        cache.clear();
        live.lost();
        backoff = std::time::Duration::from_millis(200);
        loop {
            let notice = tokio::select! {
                _ = stop.cancelled() => return,
                n = listener.try_recv() => n,
            };
            match notice {
                Ok(Some(n)) => {
                    cache.invalidate(n.payload());
                    live.notice(n.payload());
                }
                // The connection dropped; try_recv reconnects, but notices may be lost.
                Ok(None) => {
                    cache.clear();
                    live.lost();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "row-change listener failed; reconnecting");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tab;

    fn page(status: StatusCode, body: &'static [u8]) -> Page {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        Page::new(status, &headers, Bytes::from_static(body), &SecurityHeaders::new(false))
    }

    #[test]
    fn keys_hold_only_what_the_page_reads() {
        let key = |path: &str, q: Option<&str>| key_of(&Route::parse(path, q), q).map(|(p, k)| (p.to_string(), k));
        assert_eq!(key("/packages/bash", Some("x=1")), key("/packages/bash", None));
        assert_eq!(key("/packages/bash", None), Some(("bash".into(), "overview|".into())));
        assert_ne!(key("/packages/bash/contents", Some("branch=f42")), key("/packages/bash/contents", None));
        assert_eq!(key("/search", Some("q=x")), None);
        assert_eq!(key("/packages/bash", Some(&format!("branch={}", "f".repeat(100)))), None);
        let (_, k) = key("/api/tab/builds", Some("name=bash&junk=1")).unwrap();
        assert_eq!(k, "tab/builds|");
        let _ = Tab::Builds;
    }

    #[test]
    fn one_etag_per_encoding_and_star_only_on_200() {
        let mut h = HeaderMap::new();
        h.insert(axum::http::header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, deflate, br"));
        assert!(Encoding::preferred(&h) == Encoding::Brotli);
        h.insert(axum::http::header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, br;q=0"));
        assert!(Encoding::preferred(&h) == Encoding::Gzip);
        let p = page(StatusCode::OK, b"<p>hi</p>");
        let etags: Vec<_> = p.variants.iter().map(|v| v.etag.clone()).collect();
        assert!(etags[0] != etags[1] && etags[1] != etags[2]);
        let hit = respond(&p, Encoding::Identity, Some(&etags[2]), false);
        assert_eq!(hit.status(), StatusCode::NOT_MODIFIED);
        let other = respond(&p, Encoding::Gzip, Some(&etags[2]), false);
        assert_eq!(other.status(), StatusCode::OK, "the identity etag does not validate the gzip body");
        assert_eq!(other.headers()[CONTENT_ENCODING], "gzip");
        assert_eq!(respond(&p, Encoding::Gzip, Some(&HeaderValue::from_static("*")), false).status(), 304);
        let missing = page(StatusCode::NOT_FOUND, b"no");
        let star = respond(&missing, Encoding::Gzip, Some(&HeaderValue::from_static("*")), false);
        assert_eq!(star.status(), StatusCode::NOT_FOUND);
        assert!(star.headers().contains_key(CONTENT_SECURITY_POLICY), "security headers on a cached answer");
        let head = respond(&p, Encoding::Brotli, None, true);
        assert_eq!(head.status(), StatusCode::OK);
        assert_eq!(head.headers()[CONTENT_ENCODING], "br");
    }

    #[test]
    fn a_cached_404_does_not_shadow_a_redirect() {
        let cache = PageCache::new(1 << 20, SecurityHeaders::new(false));
        let g = cache.generation.load(Ordering::SeqCst);
        cache.put("bash", "(unknown tab)|".into(), page(StatusCode::NOT_FOUND, b"no"), g);
        let get = |path: &str| cache.answer(&axum::http::Request::get(path).body(()).unwrap()).map(|r| r.status());
        assert_eq!(get("/packages/bash/nonsense"), Some(StatusCode::NOT_FOUND));
        assert_eq!(get("/packages/bash/bugs/all"), None, "an old link, redirected by the router");
        assert_eq!(get("/packages/bash/"), None, "a trailing slash, redirected by the router");
        cache.put("bash", "v1/|".into(), page(StatusCode::OK, b"{}"), g);
        assert_eq!(get("/api/v1/packages/bash"), Some(StatusCode::OK));
        assert_eq!(get("/api/v1/packages/bash/"), None, "any trailing slash, not only a package page's");
        assert!(cache.answer(&axum::http::Request::post("/packages/bash/nonsense").body(()).unwrap()).is_none());
    }

    #[test]
    fn invalidation_drops_the_package_pages_and_variants_are_bounded() {
        let cache = PageCache::new(1 << 20, SecurityHeaders::new(false));
        let g = cache.generation.load(Ordering::SeqCst);
        cache.put("python3-requre", "overview|".into(), page(StatusCode::OK, b"x"), g);
        cache.put("python3-requre", "builds|".into(), page(StatusCode::OK, b"x"), g);
        cache.put("colin", "overview|".into(), page(StatusCode::OK, b"x"), g);
        cache.put("nope", "overview|".into(), page(StatusCode::NOT_FOUND, b"x"), g);
        cache.put("colin", "bugs|".into(), page(StatusCode::INTERNAL_SERVER_ERROR, b"x"), g);
        assert!(cache.get("python3-requre", "overview|").is_some());
        assert!(cache.get("nope", "overview|").is_some());
        assert!(cache.get("colin", "bugs|").is_none(), "errors are never kept");
        cache.invalidate("python3-requre");
        cache.invalidate("nope");
        assert!(cache.get("python3-requre", "builds|").is_none());
        assert!(cache.get("nope", "overview|").is_none());
        assert!(cache.get("colin", "overview|").is_some());
        // A render that began before an invalidation is not stored.
        cache.put("colin", "changelog|".into(), page(StatusCode::OK, b"x"), g);
        assert!(cache.get("colin", "changelog|").is_none());
        let g = cache.generation.load(Ordering::SeqCst);
        for i in 0..MAX_VARIANTS + 10 {
            cache.put("bash", format!("contents|b{i}"), page(StatusCode::OK, b"x"), g);
        }
        let kept = (0..MAX_VARIANTS + 10).filter(|i| cache.get("bash", &format!("contents|b{i}")).is_some()).count();
        assert_eq!(kept, MAX_VARIANTS);
    }

    #[test]
    fn unknown_names_are_forgotten_after_their_ttl() {
        let cache = PageCache::new(1 << 20, SecurityHeaders::new(false));
        let g = cache.generation.load(Ordering::SeqCst);
        let long_ago = Instant::now().checked_sub(NOT_FOUND_TTL + Duration::from_secs(1)).unwrap();
        cache.put_at("nope", "overview|".into(), page(StatusCode::NOT_FOUND, b"no"), g, long_ago);
        assert!(cache.get("nope", "overview|").is_none(), "an expired 404");
        cache.put("nope", "builds|".into(), page(StatusCode::NOT_FOUND, b"no"), g);
        assert!(cache.get("nope", "builds|").is_some());
        assert!(cache.get("nope", "overview|").is_none(), "a new 404 does not revive the expired ones");
        // A real page's bucket never expires, whenever it was stored.
        cache.put_at("bash", "overview|".into(), page(StatusCode::OK, b"x"), g, long_ago);
        assert!(cache.get("bash", "overview|").is_some());
    }
}
