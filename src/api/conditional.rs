//! Validators for answers the page cache does not keep (search, suggestions,
//! sitemaps, the OpenAPI document, robots.txt): a weak ETag of the body,
//! which also covers the compressed forms the compression layer makes of
//! it, and a 304 when the client already has it.
use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Cache-Control of what changes with any package (search, sitemaps).
pub const SHORT: &str = "public, max-age=60, stale-while-revalidate=300";

/// Cache-Control of what changes only with a new release of the site.
pub const DAILY: &str = "public, max-age=86400";

/// Cache-Control of what changes with a deployment (the OpenAPI document).
pub const HOURLY: &str = "public, max-age=3600";

/// `body` with its validator, or a 304 when `request` names it.
pub fn respond(
    request: &HeaderMap,
    status: StatusCode,
    content_type: &'static str,
    cache_control: &'static str,
    body: impl Into<axum::body::Bytes>,
) -> Response {
    let body = body.into();
    let tag = format!("W/\"{:016x}\"", xxhash_rust::xxh3::xxh3_64(&body));
    let etag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"0\""));
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (CACHE_CONTROL, HeaderValue::from_static(cache_control)),
    ];
    if status == StatusCode::OK && matches(request, &tag) {
        return (StatusCode::NOT_MODIFIED, headers, [(ETAG, etag)], Body::empty()).into_response();
    }
    (status, headers, [(ETAG, etag)], body).into_response()
}

/// Whether `If-None-Match` lists `tag` (weak comparison, RFC 9110 13.1.2) or is `*`.
fn matches(request: &HeaderMap, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    request.get_all(IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|t| {
        let t = t.trim();
        t == "*" || bare(t) == bare(tag)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(inm: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(IF_NONE_MATCH, HeaderValue::from_str(inm).unwrap());
        h
    }

    #[test]
    fn answers_304_for_its_own_tag_only() {
        let first = respond(&HeaderMap::new(), StatusCode::OK, "text/plain", SHORT, "hello");
        let tag = first.headers()[ETAG].to_str().unwrap().to_string();
        assert!(tag.starts_with("W/\""));
        assert_eq!(
            respond(&with(&tag), StatusCode::OK, "text/plain", SHORT, "hello").status(),
            StatusCode::NOT_MODIFIED
        );
        let strong = tag.trim_start_matches("W/");
        let listed = format!("\"x\", {strong}");
        assert_eq!(respond(&with(&listed), StatusCode::OK, "text/plain", SHORT, "hello").status(), 304);
        assert_eq!(respond(&with(&tag), StatusCode::OK, "text/plain", SHORT, "changed").status(), StatusCode::OK);
        // `*` never turns an error into a 304.
        assert_eq!(respond(&with("*"), StatusCode::NOT_FOUND, "text/plain", SHORT, "no").status(), 404);
    }
}
