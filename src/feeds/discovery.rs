//! What crawlers and browsers discover the site by: `robots.txt` (naming
//! the sitemap), and an OpenSearch description (`/opensearch.xml`, linked
//! from every page's `<head>`) with suggestions from autocomplete, so a
//! browser can add the site as a search engine.
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::xml;
use crate::api::conditional;
use crate::model::route::query_param;
use crate::model::Tab;
use crate::read;
use crate::read::ReadContext;

/// Suggestions a browser shows under its address bar.
const SUGGESTIONS: i64 = 8;

pub const OPENSEARCH_TYPE: &str = "application/opensearchdescription+xml";

/// Everything may be crawled but what has no end (search results, the
/// API's documents) or is for contributors (the gallery).
pub async fn robots(State(state): State<ReadContext>, headers: HeaderMap) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /search\nDisallow: /api/\nDisallow: /opensearch/\nDisallow: /gallery\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
        state.site_url
    );
    conditional::respond(&headers, StatusCode::OK, "text/plain; charset=utf-8", conditional::DAILY, body)
}

pub async fn opensearch(State(state): State<ReadContext>, headers: HeaderMap) -> Response {
    let site = &state.site_url;
    let body = xml::document(|w| {
        w.create_element("OpenSearchDescription")
            .with_attribute(("xmlns", "http://a9.com/-/spec/opensearch/1.1/"))
            .write_inner_content(|w| {
                xml::text(w, "ShortName", "Fedora Packages")?;
                xml::text(w, "Description", "Search Fedora's packages by name, summary or description")?;
                xml::text(w, "InputEncoding", "UTF-8")?;
                w.create_element("Image")
                    .with_attributes([("width", "16"), ("height", "16"), ("type", "image/svg+xml")])
                    .write_text_content(quick_xml::events::BytesText::new(&format!("{site}/favicon.svg")))?;
                let url = |w: &mut xml::Xml, kind: &str, template: String, rel: Option<&str>| {
                    let mut e =
                        w.create_element("Url").with_attributes([("type", kind), ("template", template.as_str())]);
                    if let Some(rel) = rel {
                        e = e.with_attribute(("rel", rel));
                    }
                    e.write_empty().map(|_| ())
                };
                url(w, "text/html", format!("{site}/search?q={{searchTerms}}"), None)?;
                url(w, "application/x-suggestions+json", format!("{site}/opensearch/suggest?q={{searchTerms}}"), None)?;
                url(w, OPENSEARCH_TYPE, format!("{site}/opensearch.xml"), Some("self"))
            })?;
        Ok(())
    });
    match body {
        Ok(body) => conditional::respond(&headers, StatusCode::OK, OPENSEARCH_TYPE, conditional::DAILY, body),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// OpenSearch suggestions: `[query, [names], [summaries], [page URLs]]`.
pub async fn suggest(State(state): State<ReadContext>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let q = query.as_deref().and_then(|q| query_param(q, "q")).unwrap_or_default();
    let Ok(found) = read::suggest(&state, &q, SUGGESTIONS).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "suggestions failed\n").into_response();
    };
    let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
    let summaries: Vec<&str> = found.iter().map(|s| s.summary.as_str()).collect();
    let urls: Vec<String> =
        found.iter().map(|s| format!("{}{}", state.site_url, Tab::Overview.href(&s.name))).collect();
    let body = serde_json::json!([q, names, summaries, urls]).to_string();
    conditional::respond(&headers, StatusCode::OK, "application/x-suggestions+json", conditional::SHORT, body)
}
