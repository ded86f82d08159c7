//! `/packages/{name}/feed.atom`: an Atom feed (RFC 4287) of the bus events
//! the worker recorded for the package's source package: builds, updates,
//! bug changes and commits, each linking to the tab that shows it.
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::xml::{self, Xml};
use crate::error::AppError;
use crate::model::{tab_for_topic, url_segment, PackageHeader, Tab};
use crate::read;
use crate::read::ReadContext;

/// Entries in a feed (all the events kept).
const ENTRIES: i64 = read::EVENTS_KEPT;

pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

pub async fn feed(State(state): State<ReadContext>, Path(name): Path<String>) -> Response {
    match build(&state, &name).await {
        Ok(body) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response(),
        Err(AppError::NotFound { .. }) => (StatusCode::NOT_FOUND, "no such package\n").into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the feed could not be built\n").into_response(),
    }
}

async fn build(state: &ReadContext, name: &str) -> Result<Vec<u8>, AppError> {
    let header = read::header(&state.pool, name, &state.site_url).await?;
    let events = read::feed_events(&state.pool, name, ENTRIES).await?;
    // With no events yet, the feed dates from when the package's data last changed.
    let updated = match events.first() {
        Some(e) => e.at,
        None => read::changed_at(&state.pool, name).await?.unwrap_or(chrono::DateTime::UNIX_EPOCH),
    };
    write(&header, &state.site_url, updated, &events).map_err(|e| {
        tracing::error!(error = %e, "writing a feed failed");
        AppError::Internal
    })
}

/// The feed document.
pub fn write(
    header: &PackageHeader,
    site: &str,
    updated: chrono::DateTime<chrono::Utc>,
    events: &[read::FeedEvent],
) -> std::io::Result<Vec<u8>> {
    let page = format!("{site}{}", Tab::Overview.href(&header.name));
    let self_url = format!("{site}/packages/{}/feed.atom", url_segment(&header.name));
    xml::document(|w| {
        w.create_element("feed").with_attribute(("xmlns", "http://www.w3.org/2005/Atom")).write_inner_content(|w| {
            xml::text(w, "id", &self_url)?;
            xml::text(w, "title", &format!("{} — Fedora Packages", header.name))?;
            let subtitle = match header.summary.is_empty() {
                true => format!("Builds, updates, bugs and commits of {}", header.name),
                false => header.summary.clone(),
            };
            xml::text(w, "subtitle", &subtitle)?;
            xml::text(w, "updated", &xml::date(updated))?;
            link(w, "self", "application/atom+xml", &self_url)?;
            link(w, "alternate", "text/html", &page)?;
            w.create_element("author").write_inner_content(|w| {
                xml::text(w, "name", "Fedora Packages")?;
                xml::text(w, "uri", site)
            })?;
            xml::text(w, "generator", "fedora-packages")?;
            for e in events {
                entry(w, header, site, &self_url, e)?;
            }
            Ok(())
        })?;
        Ok(())
    })
}

fn entry(w: &mut Xml, header: &PackageHeader, site: &str, feed_url: &str, e: &read::FeedEvent) -> std::io::Result<()> {
    let tab = tab_for_topic(&e.topic);
    w.create_element("entry").write_inner_content(|w| {
        // The event's row id names it for good; the feed's URL makes it global.
        xml::text(w, "id", &format!("{feed_url}#event-{}", e.id))?;
        let title = if e.summary.trim().is_empty() { e.topic.as_str() } else { e.summary.as_str() };
        xml::text(w, "title", title)?;
        xml::text(w, "updated", &xml::date(e.at))?;
        link(w, "alternate", "text/html", &format!("{site}{}", tab.href(&header.name)))?;
        if let Some(agent) = e.agent.as_deref().filter(|a| !xml::clean(a).trim().is_empty()) {
            w.create_element("author").write_inner_content(|w| xml::text(w, "name", agent))?;
        }
        w.create_element("category").with_attribute(("term", xml::clean(&e.topic).as_ref())).write_empty()?;
        xml::text(w, "summary", &format!("{title} ({} tab, {})", tab.label(), e.topic))
    })?;
    Ok(())
}

fn link(w: &mut Xml, rel: &str, kind: &str, href: &str) -> std::io::Result<()> {
    w.create_element("link")
        .with_attributes([("rel", rel), ("type", kind), ("href", xml::clean(href).as_ref())])
        .write_empty()?;
    Ok(())
}
