//! What other sites, crawlers and browsers fetch: Atom feeds (parsed with
//! a real feed parser), sitemaps, robots.txt, OpenSearch, badges, and the
//! `<head>` tags that point at them.

use super::common::{demo_upstream, get, get_with, load_demo, router};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use fedora_packages::db::events::EventRow;
use fedora_packages::model::Tab;
use sqlx::PgPool;

const SITE: &str = "https://packages.example.org";

async fn record(pool: &PgPool, package: &str, events: &[(&str, &str, i64)]) {
    let rows: Vec<(EventRow, String)> = events
        .iter()
        .enumerate()
        .map(|(i, (topic, summary, minutes_ago))| {
            let row = EventRow {
                package: package.into(),
                at: Utc::now() - Duration::minutes(*minutes_ago),
                topic: (*topic).into(),
                agent: Some("mfocko".into()),
                summary: (*summary).into(),
            };
            (row, format!("msg-{package}-{i}"))
        })
        .collect();
    fedora_packages::db::events::record_many(pool, &rows).await.expect("record events");
}

fn header<'a>(page: &'a super::common::Page, name: &str) -> &'a str {
    page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[sqlx::test(migrations = "./migrations")]
async fn a_package_feed_is_valid_atom_of_its_events(pool: PgPool) {
    load_demo(&pool).await;
    record(
        &pool,
        "python-requre",
        &[
            ("buildsys.build.state.change", "python-requre-0.8.6-1.fc43 completed", 40),
            ("bodhi.update.request.testing", "FEDORA-2026-1 submitted to testing", 30),
            ("bugzilla.bug.update", "Bug 1 </title><script>alert(1)</script> \u{1}changed", 20),
            ("git.receive", "mfocko pushed 1 commit to rpms/python-requre", 10),
        ],
    )
    .await;
    let app = router(pool.clone());
    let page = get(&app, "/packages/python-requre/feed.atom").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(header(&page, "content-type").starts_with("application/atom+xml"));
    let feed = feed_rs::parser::parse(page.body_bytes.as_slice()).expect("a feed parser reads it");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    // What RFC 4287 requires of a feed and of each entry.
    assert_eq!(feed.id, format!("{SITE}/packages/python-requre/feed.atom"));
    assert!(feed.title.as_ref().is_some_and(|t| t.content.contains("python-requre")));
    assert!(feed.updated.is_some());
    assert!(!feed.authors.is_empty());
    assert!(feed.links.iter().any(|l| l.rel.as_deref() == Some("self")));
    assert_eq!(feed.entries.len(), 4);
    let mut ids = std::collections::HashSet::new();
    for entry in &feed.entries {
        assert!(ids.insert(entry.id.clone()), "ids are unique: {}", entry.id);
        assert!(entry.title.is_some() && entry.updated.is_some(), "{}", entry.id);
    }
    // Newest first, each linking to the tab that shows it.
    let links: Vec<&str> = feed.entries.iter().map(|e| e.links[0].href.as_str()).collect();
    let expect: Vec<String> = [Tab::Sources, Tab::Bugs, Tab::Updates, Tab::Builds]
        .iter()
        .map(|t| format!("{SITE}{}", t.href("python-requre")))
        .collect();
    assert_eq!(links, expect);
    // Upstream text stays text, and what XML cannot carry is dropped.
    let bug = feed.entries[1].title.as_ref().map(|t| t.content.clone()).unwrap_or_default();
    assert!(bug.contains("</title><script>alert(1)</script> changed"), "{bug}");
    assert!(!page.body.contains("<script>"));

    // A sub-package's feed is its source package's activity.
    let sub = get(&app, "/packages/python3-requre/feed.atom").await;
    assert_eq!(feed_rs::parser::parse(sub.body_bytes.as_slice()).expect("atom").entries.len(), 4);
    // Revalidation, and a 404 for names that are not packages.
    let etag = header(&page, "etag").to_string();
    let again = get_with(&app, "/packages/python-requre/feed.atom", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(get(&app, "/packages/no-such-package/feed.atom").await.status, StatusCode::NOT_FOUND);
    // A package without events still has a valid (empty) feed.
    let colin = get(&app, "/packages/colin/feed.atom").await;
    let colin = feed_rs::parser::parse(colin.body_bytes.as_slice()).expect("atom");
    assert!(colin.entries.is_empty() && colin.updated.is_some());

    // Every package page links it from `<head>`.
    for uri in ["/packages/python-requre", "/packages/python-requre/builds", "/packages/python3-requre/contents"] {
        let page = get(&app, uri).await;
        let name = uri.split('/').nth(2).unwrap_or_default();
        let href = page.attr("head link[rel=alternate][type='application/atom+xml']", "href");
        assert_eq!(href, Some(format!("/packages/{name}/feed.atom")), "{uri}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn sitemaps_list_every_package_with_when_its_data_changed(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool.clone());
    let index = get(&app, "/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.body.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert_eq!(texts(&index.body, "loc"), [format!("{SITE}/sitemaps/packages-0.xml")]);
    let chunk = get(&app, "/sitemaps/packages-0.xml").await;
    assert_eq!(chunk.status, StatusCode::OK);
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM packages ORDER BY name").fetch_all(&pool).await.expect("names");
    let expect: Vec<String> = names.iter().map(|n| format!("{SITE}{}", Tab::Overview.href(n))).collect();
    assert_eq!(texts(&chunk.body, "loc"), expect);
    let lastmods = texts(&chunk.body, "lastmod");
    assert_eq!(lastmods.len(), names.len());
    for l in &lastmods {
        assert!(chrono::DateTime::parse_from_rfc3339(l).is_ok(), "{l}");
    }
    // lastmod is when the data changed: a refresh that finds nothing new keeps it.
    let before = texts(&get(&app, "/sitemaps/packages-0.xml").await.body, "lastmod");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let upstream = demo_upstream().await;
    fedora_packages::refresh::refresh(&pool, &upstream, "python-requre", &Tab::ALL).await.expect("refresh");
    let after = texts(&get(&app, "/sitemaps/packages-0.xml").await.body, "lastmod");
    assert_eq!(before, after);
    // ...and a change moves it.
    sqlx::query(
        "UPDATE tab_rows SET payload = payload || '{\"changed\": 1}' WHERE package = 'colin' AND tab <> 'overview'",
    )
    .execute(&pool)
    .await
    .expect("change colin's rows");
    let changed = texts(&get(&app, "/sitemaps/packages-0.xml").await.body, "lastmod");
    let colin = names.iter().position(|n| n == "colin").expect("colin");
    assert!(changed[colin] > before[colin], "{} > {}", changed[colin], before[colin]);
    // Past the last chunk, and names that are not ours.
    for uri in ["/sitemaps/packages-1.xml", "/sitemaps/packages-x.xml", "/sitemaps/other.xml"] {
        assert_eq!(get(&app, uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // The static site's sitemaps point at ours.
    let old = get(&app, "/sitemaps/sitemap3.xml").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), Some("/sitemap.xml"));
    // robots.txt names the index.
    let robots = get(&app, "/robots.txt").await;
    assert!(robots.body.contains(&format!("Sitemap: {SITE}/sitemap.xml")), "{}", robots.body);
    // Conditional requests (the index changed with colin's data: ask again).
    let index = get(&app, "/sitemap.xml").await;
    let etag = header(&index, "etag").to_string();
    assert_eq!(get_with(&app, "/sitemap.xml", &[("if-none-match", &etag)]).await.status, StatusCode::NOT_MODIFIED);
}

#[sqlx::test(migrations = "./migrations")]
async fn sitemaps_are_chunked_at_fifty_thousand(pool: PgPool) {
    sqlx::query(
        "INSERT INTO packages (name, source_name, version)
         SELECT 'pkg-' || lpad(i::text, 6, '0'), 'pkg-' || lpad(i::text, 6, '0'), 0 FROM generate_series(1, 50001) i",
    )
    .execute(&pool)
    .await
    .expect("many packages");
    let app = router(pool);
    let index = get(&app, "/sitemap.xml").await;
    let locs = texts(&index.body, "loc");
    assert_eq!(locs, [format!("{SITE}/sitemaps/packages-0.xml"), format!("{SITE}/sitemaps/packages-1.xml")]);
    let first = get(&app, "/sitemaps/packages-0.xml").await;
    assert_eq!(texts(&first.body, "loc").len(), 50_000);
    let second = get(&app, "/sitemaps/packages-1.xml").await;
    assert_eq!(texts(&second.body, "loc"), [format!("{SITE}/packages/pkg-050001")]);
}

#[sqlx::test(migrations = "./migrations")]
async fn opensearch_lets_a_browser_search_the_site(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let description = get(&app, "/opensearch.xml").await;
    assert_eq!(description.status, StatusCode::OK);
    assert!(header(&description, "content-type").starts_with("application/opensearchdescription+xml"));
    assert!(description.body.contains("<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">"));
    assert!(description.body.contains(&format!("template=\"{SITE}/search?q={{searchTerms}}\"")));
    assert!(description.body.contains("type=\"application/x-suggestions+json\""));
    let suggest = get(&app, "/opensearch/suggest?q=python-req").await;
    let value: serde_json::Value = serde_json::from_str(&suggest.body).expect("json");
    assert_eq!(value[0], "python-req");
    assert_eq!(value[1][0], "python-requre");
    assert_eq!(value[3][0], format!("{SITE}/packages/python-requre"));
    for uri in ["/", "/search?q=x", "/packages/colin", "/packages/no-such-package"] {
        let page = get(&app, uri).await;
        let href = page.attr("head link[rel=search][type='application/opensearchdescription+xml']", "href");
        assert_eq!(href.as_deref(), Some("/opensearch.xml"), "{uri}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn badges_show_the_version_in_a_release(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool.clone());
    let api = get(&app, "/api/v1/packages/python-requre").await;
    let doc: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    let branch = doc["branch"].as_str().expect("a default release").to_string();
    let info = doc["overview"]["info"]["value"].as_array().expect("info");
    let shipped = info.iter().find(|i| i["branch"] == branch.as_str() && i["name"] == "python-requre").expect("info");
    let version =
        format!("{}-{}", shipped["version"].as_str().unwrap_or(""), shipped["release"].as_str().unwrap_or(""));

    let badge = get(&app, "/packages/python-requre/badge.svg").await;
    assert_eq!(badge.status, StatusCode::OK);
    assert!(header(&badge, "content-type").starts_with("image/svg+xml"));
    assert!(header(&badge, "cache-control").contains("max-age"));
    assert!(badge.body.contains(&format!(">{version}</text>")), "{version}: {}", badge.body);
    let in_release = get(&app, &format!("/packages/python-requre/badge.svg?branch={branch}")).await;
    assert!(in_release.body.contains(&format!(">{version}</text>")));
    // A release the package is not in, and a package that does not exist.
    let absent = get(&app, "/packages/python-requre/badge.svg?branch=epel7").await;
    assert_eq!(absent.status, StatusCode::OK);
    assert!(absent.body.contains(">not packaged</text>"), "{}", absent.body);
    let unknown = get(&app, "/packages/no-such-package/badge.svg").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains(">not packaged</text>"));
    let etag = header(&badge, "etag").to_string();
    let again = get_with(&app, "/packages/python-requre/badge.svg", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // The overview offers it as Markdown for a README.
    let page = get(&app, "/packages/python-requre").await;
    let snippet = page.texts(".badge-snippet code").join("");
    assert_eq!(
        snippet,
        format!("[![python-requre in Fedora]({SITE}/packages/python-requre/badge.svg)]({SITE}/packages/python-requre)")
    );
    assert_eq!(page.attr(".badge-snippet img", "src").as_deref(), Some("/packages/python-requre/badge.svg"));
}

#[sqlx::test(migrations = "./migrations")]
async fn pages_carry_a_description_and_link_preview_tags(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let page = get(&app, "/packages/python-requre/builds").await;
    assert!(page.attr("head meta[name=description]", "content").is_some_and(|d| d.starts_with("python-requre")));
    assert_eq!(
        page.attr("head meta[property='og:title']", "content").as_deref(),
        Some("python-requre — Fedora Packages")
    );
    assert_eq!(page.attr("head meta[property='og:url']", "content"), Some(format!("{SITE}/packages/python-requre")));
    assert!(page.attr("head meta[property='og:description']", "content").is_some());
    let home = get(&app, "/").await;
    assert!(home.attr("head meta[property='og:description']", "content").is_some());
    // A hostile query stays inside its attribute.
    let search = get(&app, "/search?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    let description = search.attr("head meta[name=description]", "content").unwrap_or_default();
    assert!(description.contains("\"><script>alert(1)</script>"), "{description}");
    assert!(!search.body.contains("<script>alert(1)"));
}

/// The text of every `<tag>` element (enough for sitemaps: no nesting, no attributes).
fn texts(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(&open).skip(1).filter_map(|s| s.split(&close).next()).map(|s| s.replace("&amp;", "&")).collect()
}
