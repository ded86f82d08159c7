//! `/packages/{name}/badge.svg[?branch=]`: a shields-style badge with the
//! package's version in a release (default: the newest stable release that
//! ships it), or "not packaged". Served through the page cache, so it is
//! rebuilt when the package changes.
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::xml;
use crate::error::AppError;
use crate::model::route::query_param;
use crate::read;
use crate::read::ReadContext;

/// Badges are embedded in other sites' pages, which their proxies cache.
const CACHE_CONTROL: &str = "public, max-age=600, stale-while-revalidate=3600";
const CONTENT_TYPE: &str = "image/svg+xml; charset=utf-8";
const NOT_PACKAGED: &str = "not packaged";
/// Longest `branch` value looked up.
const MAX_BRANCH_BYTES: usize = 64;

pub async fn badge(State(state): State<ReadContext>, Path(name): Path<String>, RawQuery(query): RawQuery) -> Response {
    let requested = query.as_deref().and_then(|q| query_param(q, "branch")).filter(|b| !b.is_empty());
    let requested = requested.filter(|b| b.len() <= MAX_BRANCH_BYTES);
    let (status, label, value) = match version(&state, &name, requested.as_deref()).await {
        Ok((label, Some(version))) => (StatusCode::OK, label, version),
        Ok((label, None)) => (StatusCode::OK, label, NOT_PACKAGED.to_string()),
        Err(AppError::NotFound { .. }) => (StatusCode::NOT_FOUND, "Fedora".to_string(), NOT_PACKAGED.to_string()),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "the badge could not be made\n").into_response(),
    };
    match svg(&label, &value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, CONTENT_TYPE), (header::CACHE_CONTROL, CACHE_CONTROL)], body)
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The release's name and the package's version in it, if it ships there.
async fn version(
    state: &ReadContext,
    name: &str,
    requested: Option<&str>,
) -> Result<(String, Option<String>), AppError> {
    let view = read::overview(&state.pool, name, requested).await?;
    let releases = read::releases(&state.pool).await?;
    let branch = requested.map(String::from).or(view.branch.clone());
    let label = match &branch {
        Some(b) => releases.iter().find(|r| &r.branch == b).map(|r| r.long_name.clone()).unwrap_or_else(|| b.clone()),
        None => "Fedora".to_string(),
    };
    let version = branch.as_deref().and_then(|b| {
        let info = view.data.as_ref()?.info.as_ref()?;
        info.value
            .iter()
            .find(|i| i.branch == b && i.name == name)
            .or_else(|| info.value.iter().find(|i| i.branch == b))
    });
    Ok((label, version.map(|i| i.evr())))
}

/// The badge: a grey label and a coloured value, widths from the text.
pub fn svg(label: &str, value: &str) -> std::io::Result<Vec<u8>> {
    let label: String = xml::clean(label).chars().take(40).collect();
    let value: String = xml::clean(value).chars().take(60).collect();
    let colour = if value == NOT_PACKAGED { "#9f9f9f" } else { "#3c6eb4" };
    let (lw, vw) = (text_width(&label) + 10, text_width(&value) + 10);
    let width = lw + vw;
    let title = format!("{label}: {value}");
    let n = |v: u32| v.to_string();
    let half = |v: u32| format!("{:.1}", f64::from(v) / 2.0);
    xml::document(|w| {
        w.create_element("svg")
            .with_attributes([
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("width", n(width).as_str()),
                ("height", "20"),
                ("role", "img"),
                ("aria-label", title.as_str()),
            ])
            .write_inner_content(|w| {
                xml::text(w, "title", &title)?;
                w.create_element("linearGradient")
                    .with_attributes([("id", "s"), ("x2", "0"), ("y2", "100%")])
                    .write_inner_content(|w| {
                        w.create_element("stop")
                            .with_attributes([("offset", "0"), ("stop-color", "#bbb"), ("stop-opacity", ".1")])
                            .write_empty()?;
                        w.create_element("stop")
                            .with_attributes([("offset", "1"), ("stop-opacity", ".1")])
                            .write_empty()?;
                        Ok(())
                    })?;
                w.create_element("clipPath").with_attribute(("id", "r")).write_inner_content(|w| {
                    w.create_element("rect")
                        .with_attributes([
                            ("width", n(width).as_str()),
                            ("height", "20"),
                            ("rx", "3"),
                            ("fill", "#fff"),
                        ])
                        .write_empty()?;
                    Ok(())
                })?;
                w.create_element("g").with_attribute(("clip-path", "url(#r)")).write_inner_content(|w| {
                    let rect = |w: &mut xml::Xml, x: u32, width: u32, fill: &str| {
                        w.create_element("rect")
                            .with_attributes([
                                ("x", n(x).as_str()),
                                ("width", n(width).as_str()),
                                ("height", "20"),
                                ("fill", fill),
                            ])
                            .write_empty()
                            .map(|_| ())
                    };
                    rect(w, 0, lw, "#555")?;
                    rect(w, lw, vw, colour)?;
                    rect(w, 0, width, "url(#s)")
                })?;
                w.create_element("g")
                    .with_attributes([
                        ("fill", "#fff"),
                        ("text-anchor", "middle"),
                        ("font-family", "Verdana,Geneva,DejaVu Sans,sans-serif"),
                        ("font-size", "11"),
                    ])
                    .write_inner_content(|w| {
                        for (x, text) in [(half(lw), &label), (half(2 * lw + vw), &value)] {
                            // A faint shadow one pixel down, then the text.
                            w.create_element("text")
                                .with_attributes([
                                    ("x", x.as_str()),
                                    ("y", "15"),
                                    ("fill", "#010101"),
                                    ("fill-opacity", ".3"),
                                ])
                                .write_text_content(quick_xml::events::BytesText::new(text))?;
                            w.create_element("text")
                                .with_attributes([("x", x.as_str()), ("y", "14")])
                                .write_text_content(quick_xml::events::BytesText::new(text))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}

/// About how wide `text` is in 11px Verdana, in pixels.
fn text_width(text: &str) -> u32 {
    let tenths: u32 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' => 35,
            'f' | 't' | 'r' | 'I' | ' ' | '(' | ')' | '[' | ']' | '-' => 45,
            'm' | 'w' | 'M' | 'W' => 100,
            '0'..='9' => 70,
            'A'..='Z' => 75,
            'a'..='z' => 65,
            _ => 75,
        })
        .sum();
    tenths.div_ceil(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_escape_and_grow_with_their_text() {
        let short = String::from_utf8(svg("Fedora 43", "1.0-1.fc43").unwrap()).unwrap();
        let long = String::from_utf8(svg("Fedora 43", "1.0.0.0.0.0-1.fc43").unwrap()).unwrap();
        let width = |s: &str| s.split("width=\"").nth(1).and_then(|w| w.split('"').next()?.parse::<u32>().ok());
        assert!(width(&long) > width(&short));
        let hostile = String::from_utf8(svg("<script>", "\"><a href=\"javascript:x\">").unwrap()).unwrap();
        assert!(!hostile.contains("<script>") && !hostile.contains("<a "), "{hostile}");
        assert!(hostile.contains("aria-label=\"&lt;script&gt;: &quot;&gt;&lt;a"), "{hostile}");
    }
}
