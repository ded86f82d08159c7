//! `/sitemap.xml`, a sitemap index (sitemaps.org 0.9), over
//! `/sitemaps/packages-{N}.xml`: every package page, at most
//! [`CHUNK`] to a file, each with the time its data last changed.
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::xml;
use crate::api::conditional;
use crate::model::Tab;
use crate::read;
use crate::read::ReadContext;

/// URLs per sitemap file (the protocol allows 50,000).
pub const CHUNK: i64 = 50_000;

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// The index: one entry per chunk of package names.
pub async fn index(State(state): State<ReadContext>, headers: HeaderMap) -> Response {
    let chunks = match read::sitemap_chunks(&state.pool, CHUNK).await {
        Ok(c) => c,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "the sitemap could not be read\n").into_response(),
    };
    let site = &state.site_url;
    let body = xml::document(|w| {
        w.create_element("sitemapindex").with_attribute(("xmlns", NS)).write_inner_content(|w| {
            // An empty site still lists its (empty) first file.
            let chunks = if chunks.is_empty() { vec![(0, None)] } else { chunks };
            for (n, changed) in chunks {
                entry(w, "sitemap", &format!("{site}{}", chunk_path(n)), changed)?;
            }
            Ok(())
        })?;
        Ok(())
    });
    respond(&headers, body)
}

/// One chunk: `/sitemaps/packages-{N}.xml`, N from 0.
pub async fn chunk(State(state): State<ReadContext>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(n) = chunk_number(&file) else {
        return (StatusCode::NOT_FOUND, "no such sitemap\n").into_response();
    };
    let packages = match read::sitemap_chunk(&state.pool, n, CHUNK).await {
        Ok(p) => p,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "the sitemap could not be read\n").into_response(),
    };
    if packages.is_empty() && n > 0 {
        return (StatusCode::NOT_FOUND, "no such sitemap\n").into_response();
    }
    let site = &state.site_url;
    let body = xml::document(|w| {
        w.create_element("urlset").with_attribute(("xmlns", NS)).write_inner_content(|w| {
            for (name, changed) in &packages {
                entry(w, "url", &format!("{site}{}", Tab::Overview.href(name)), *changed)?;
            }
            Ok(())
        })?;
        Ok(())
    });
    respond(&headers, body)
}

/// `<sitemap>` or `<url>`: where, and when it last changed.
fn entry(
    w: &mut xml::Xml,
    tag: &str,
    loc: &str,
    changed: Option<chrono::DateTime<chrono::Utc>>,
) -> std::io::Result<()> {
    w.create_element(tag).write_inner_content(|w| {
        xml::text(w, "loc", loc)?;
        match changed {
            Some(at) => xml::text(w, "lastmod", &xml::date(at)),
            None => Ok(()),
        }
    })?;
    Ok(())
}

/// Where chunk `n` is served.
pub fn chunk_path(n: i64) -> String {
    format!("/sitemaps/packages-{n}.xml")
}

/// `packages-{N}.xml` → N.
fn chunk_number(file: &str) -> Option<i64> {
    let n = file.strip_prefix("packages-")?.strip_suffix(".xml")?;
    if n.is_empty() || n.len() > 6 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

fn respond(headers: &HeaderMap, body: std::io::Result<Vec<u8>>) -> Response {
    match body {
        Ok(body) => conditional::respond(headers, StatusCode::OK, CONTENT_TYPE, conditional::SHORT, body),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the sitemap could not be written\n").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_files_are_numbered() {
        assert_eq!(chunk_number("packages-0.xml"), Some(0));
        assert_eq!(chunk_number("packages-12.xml"), Some(12));
        for bad in ["packages-.xml", "packages--1.xml", "packages-1.json", "sitemap1.xml", "packages-9999999.xml"] {
            assert_eq!(chunk_number(bad), None, "{bad}");
        }
        assert_eq!(chunk_path(3), "/sitemaps/packages-3.xml");
    }
}
