//! Rendered package pages and tab answers kept in memory, compressed
//! variants included, so a hot page is served like a static file. An entry
//! is dropped the moment the refresh that changes its rows commits: every
//! web replica LISTENs for the refresh's NOTIFY (see `db::CHANGED_CHANNEL`).
//! Bounded by bytes; the least recently used pages go first.
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use moka::sync::Cache;

use crate::model::route::Route;

/// `Cache-Control` of HTML pages and tab answers: browsers and proxies may
/// reuse them briefly and revalidate (ETag) in the background.
const HTML_CACHE_CONTROL: &str = "public, max-age=10, stale-while-revalidate=60";

/// One rendered answer, with its compressed variants.
pub struct Page {
    status: StatusCode,
    content_type: HeaderValue,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

/// The pages of one package: invalidated together. Every refresh announces
/// each package whose pages it changes (a source and all its sub-packages).
#[derive(Default)]
struct Bucket {
    pages: HashMap<String, Arc<Page>>,
}

#[derive(Clone)]
pub struct PageCache {
    buckets: Cache<String, Arc<Mutex<Bucket>>>,
    /// Bumped by every invalidation; a render that began before one is not stored.
    generation: Arc<AtomicU64>,
}

impl PageCache {
    pub fn new(max_bytes: u64) -> Self {
        let buckets = Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_k: &String, v: &Arc<Mutex<Bucket>>| {
                let bytes: usize = v
                    .lock()
                    .map(|b| b.pages.values().map(|p| p.identity.len() + p.gzip.len() + p.brotli.len() + 256).sum())
                    .unwrap_or(0);
                u32::try_from(bytes).unwrap_or(u32::MAX)
            })
            .build();
        PageCache { buckets, generation: Arc::default() }
    }

    fn get(&self, package: &str, key: &str) -> Option<Arc<Page>> {
        let bucket = self.buckets.get(package)?;
        let page = bucket.lock().ok()?.pages.get(key).cloned();
        page
    }

    /// Stores a page unless some rows changed since `generation` was read.
    fn put(&self, package: &str, key: String, page: Page, generation: u64) {
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let bucket = self.buckets.get_with(package.to_string(), Arc::default);
        if let Ok(mut b) = bucket.lock() {
            b.pages.insert(key, Arc::new(page));
        }
        // Re-insert so the cache weighs the bucket with its new page.
        self.buckets.insert(package.to_string(), bucket);
    }

    /// Drops every page of `package`.
    pub fn invalidate(&self, package: &str) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.buckets.invalidate(package);
    }

    /// Drops everything (e.g. when change notices may have been missed).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.buckets.invalidate_all();
    }

    pub fn weighted_size(&self) -> u64 {
        self.buckets.run_pending_tasks();
        self.buckets.weighted_size()
    }
}

/// Serves cacheable GETs from the cache (304 for a matching `If-None-Match`),
/// renders and stores them otherwise. The outermost layer: a hit skips
/// routing and every other middleware, so it costs about what a static file does.
pub async fn serve_cached(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let uri = request.uri().clone();
    let route = Route::parse(uri.path(), uri.query());
    let package = match (request.method(), route.package()) {
        (&Method::GET, Some(p)) => p.to_string(),
        _ => return next.run(request).await,
    };
    let key = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let accepts = Encoding::preferred(request.headers());
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(page) = cache.get(&package, &key) {
        let response = respond(&page, accepts, if_none_match.as_ref());
        super::metrics::record(route.label(), response.status(), started);
        return response;
    }
    let generation = cache.generation.load(Ordering::SeqCst);
    // Rendered uncompressed: the cache keeps its own compressed variants.
    let mut request = request;
    request.headers_mut().remove(header::ACCEPT_ENCODING);
    let response = next.run(request).await;
    let status = response.status();
    if !(status == StatusCode::OK || status == StatusCode::NOT_FOUND) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 32 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
    let page = Page::new(status, content_type, bytes);
    let response = respond(&page, accepts, if_none_match.as_ref());
    cache.put(&package, key, page, generation);
    response
}

impl Page {
    fn new(status: StatusCode, content_type: HeaderValue, identity: Bytes) -> Self {
        let hash = xxhash_rust::xxh3::xxh3_64(&identity);
        let etag = HeaderValue::from_str(&format!("\"{hash:016x}\"")).unwrap_or(HeaderValue::from_static("\"0\""));
        let gzip = Bytes::from(super::compress::gzip(&identity, 6));
        let brotli = Bytes::from(super::compress::brotli(&identity, 5));
        Page { status, content_type, etag, identity, gzip, brotli }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn preferred(headers: &HeaderMap) -> Self {
        let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
        let offers = |name: &str| {
            accept.split(',').any(|part| {
                let mut it = part.trim().split(';');
                it.next().map(str::trim) == Some(name) && !it.any(|p| p.trim() == "q=0")
            })
        };
        if offers("br") {
            Encoding::Brotli
        } else if offers("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

fn respond(page: &Page, encoding: Encoding, if_none_match: Option<&HeaderValue>) -> Response {
    let matches = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || t.trim() == page.etag.to_str().unwrap_or("")));
    let mut builder = Response::builder()
        .header(header::ETAG, page.etag.clone())
        .header(header::CACHE_CONTROL, HTML_CACHE_CONTROL)
        .header(header::VARY, "Accept-Encoding");
    if matches {
        return builder.status(StatusCode::NOT_MODIFIED).body(Body::empty()).unwrap_or_default();
    }
    let body = match encoding {
        Encoding::Brotli => {
            builder = builder.header(header::CONTENT_ENCODING, "br");
            page.brotli.clone()
        }
        Encoding::Gzip => {
            builder = builder.header(header::CONTENT_ENCODING, "gzip");
            page.gzip.clone()
        }
        Encoding::Identity => page.identity.clone(),
    };
    builder
        .status(page.status)
        .header(header::CONTENT_TYPE, page.content_type.clone())
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap_or_default()
}

/// Listens for committed row changes and drops the pages showing them.
/// Notices missed while the connection was down cannot be known, so a
/// reconnect clears the whole cache.
pub async fn follow_changes(pool: sqlx::PgPool, cache: PageCache, stop: tokio_util::sync::CancellationToken) {
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
        backoff = std::time::Duration::from_millis(200);
        loop {
            let notice = tokio::select! {
                _ = stop.cancelled() => return,
                n = listener.try_recv() => n,
            };
            match notice {
                Ok(Some(n)) => cache.invalidate(n.payload()),
                // The connection dropped; try_recv reconnects, but notices may be lost.
                Ok(None) => cache.clear(),
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

    #[test]
    fn encodings_and_conditional_requests() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, deflate, br"));
        assert!(Encoding::preferred(&h) == Encoding::Brotli);
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip, br;q=0"));
        assert!(Encoding::preferred(&h) == Encoding::Gzip);
        let page = Page::new(StatusCode::OK, HeaderValue::from_static("text/html"), Bytes::from_static(b"<p>hi</p>"));
        let hit = respond(&page, Encoding::Identity, Some(&page.etag.clone()));
        assert_eq!(hit.status(), StatusCode::NOT_MODIFIED);
        let miss = respond(&page, Encoding::Gzip, Some(&HeaderValue::from_static("\"other\"")));
        assert_eq!(miss.status(), StatusCode::OK);
        assert_eq!(miss.headers()[header::CONTENT_ENCODING], "gzip");
    }

    #[test]
    fn invalidation_drops_the_package_pages() {
        let cache = PageCache::new(1 << 20);
        let page = || Page::new(StatusCode::OK, HeaderValue::from_static("text/html"), Bytes::from_static(b"x"));
        let g = cache.generation.load(Ordering::SeqCst);
        cache.put("python3-requre", "/packages/python3-requre".into(), page(), g);
        cache.put("python3-requre", "/packages/python3-requre/builds".into(), page(), g);
        cache.put("colin", "/packages/colin".into(), page(), g);
        assert!(cache.get("python3-requre", "/packages/python3-requre").is_some());
        cache.invalidate("python3-requre");
        assert!(cache.get("python3-requre", "/packages/python3-requre/builds").is_none());
        assert!(cache.get("colin", "/packages/colin").is_some());
        // A render that began before an invalidation is not stored.
        cache.put("colin", "/packages/colin/bugs".into(), page(), g);
        assert!(cache.get("colin", "/packages/colin/bugs").is_none());
    }
}
