//! Server-rendered pages, requested from the in-process router, parsed as HTML.

use super::common::{get, load_demo, router};
use axum::http::StatusCode;
use fedora_packages::db;
use fedora_packages::model::{Changelog, ChangelogEntry, Tab};
use sqlx::PgPool;

#[sqlx::test(migrations = "./migrations")]
async fn every_tab_renders_its_content_on_the_server(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let expect: [(&str, &str, &str); 8] = [
        ("", ".overview-cards .maintainers", "mfocko"),
        ("/builds", "table.builds", "python-requre-0.5.0-1.fc33"),
        ("/updates", "table.updates", "FEDORA-2021-63331f9029"),
        ("/bugs", ".tab-content", "open bug"),
        ("/contents", ".file-tree", "requre-patch"),
        ("/changelog", ".changelog", "Update to 0.8.6 upstream release"),
        ("/dependencies", ".package-deps", "python3-ogr"),
        ("/sources", ".spec-text", "%changelog"),
    ];
    for (suffix, selector, text) in expect {
        let page = get(&app, &format!("/packages/python-requre{suffix}")).await;
        assert_eq!(page.status, StatusCode::OK, "{suffix}");
        let found = page.texts(selector).join(" ");
        assert!(found.contains(text), "{suffix}: {selector} lacks {text:?}: {found:.300}");
        // The header and tab bar are complete, with the active tab marked.
        assert_eq!(page.texts(".package-heading h1"), ["python-requre"]);
        let active = page.attr(".tab-link[aria-current=page]", "data-tab").unwrap_or_default();
        let tab = if suffix.is_empty() { "overview" } else { &suffix[1..] };
        assert_eq!(active, tab);
        // The refresh time is there, exact and machine-readable.
        let time = page.attr(".updated-at time", "datetime").expect("updated-at time");
        assert!(chrono::DateTime::parse_from_rfc3339(&time).is_ok(), "{time}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn old_urls_keep_working(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let page = get(&app, "/packages/python-requre/builds/").await;
    assert_eq!(page.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(page.location(), Some("/packages/python-requre/builds"));
    let page = get(&app, "/packages/python-requre/overview").await;
    assert_eq!(page.status, StatusCode::OK);
    // Every old site's form (the README's table): one redirect, straight to
    // a page that answers.
    for (form, example, target) in fedora_packages::model::old_links::TABLE {
        let page = get(&app, example).await;
        assert_eq!(page.status, StatusCode::MOVED_PERMANENTLY, "{form}");
        assert_eq!(page.location(), Some(target), "{form}");
        assert_eq!(get(&app, target).await.status, StatusCode::OK, "{form} → {target}");
    }
    // The release the static site's page was about is the one shown.
    let page = get(&app, "/packages/packit?branch=rawhide").await;
    let files = page.attr(".tab-link[data-tab=contents]", "href");
    assert_eq!(files.as_deref(), Some("/packages/packit/contents?branch=rawhide"));
    // Never a redirect to another host.
    let page = get(&app, "//evil.example/").await;
    assert_eq!(page.location(), Some("/evil.example"));
    let page = get(&app, "//pkgs/evil.example/").await;
    assert_eq!(page.location(), Some("/packages/evil.example"));
}

#[sqlx::test(migrations = "./migrations")]
async fn unknown_package_and_unknown_tab_are_404(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let page = get(&app, "/packages/no-such-package").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.attr(".package-not-found input[name=q]", "value").as_deref(), Some("no-such-package"));

    let page = get(&app, "/packages/Python-Requre").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.texts(".other-case a"), ["python-requre"]);

    let page = get(&app, "/packages/python-requre/relationships").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "./migrations")]
async fn sub_packages_link_to_their_source_and_show_its_rows(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let page = get(&app, "/packages/python3-requre").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attr(".source-package a", "href").as_deref(), Some("/packages/python-requre"));
    let page = get(&app, "/packages/python3-requre/builds").await;
    assert!(page.texts(".inherited").join(" ").contains("python-requre"));
    assert!(page.texts("table.builds").join(" ").contains("python-requre-0.5.0-1.fc33"));
    // Its own files, not the doc package's.
    let page = get(&app, "/packages/python3-requre/contents").await;
    assert!(page.texts(".inherited").is_empty());
    assert_eq!(page.texts(".package-files h2").len(), 1);
    // The source lists its sub-packages.
    let page = get(&app, "/packages/python-requre").await;
    let subs = page.texts(".sub-packages li");
    assert_eq!(subs, ["python-requre-doc", "python3-requre"]);
}

#[sqlx::test(migrations = "./migrations")]
async fn release_selector_is_in_the_url(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let page = get(&app, "/packages/python3-requre/changelog?branch=f42").await;
    assert_eq!(page.attr(".release[aria-current=true]", "data-branch").as_deref(), Some("f42"));
    assert!(page
        .attr("link[rel=canonical]", "href")
        .unwrap()
        .ends_with("/packages/python3-requre/changelog?branch=f42"));
    let default = get(&app, "/packages/python3-requre/changelog").await;
    let chosen = default.attr(".release[aria-current=true]", "data-branch").expect("a release is chosen");
    assert!(["f42", "rawhide"].contains(&chosen.as_str()));
    // An unknown branch falls back to the default instead of failing.
    let odd = get(&app, "/packages/python3-requre/changelog?branch=f99").await;
    assert_eq!(odd.status, StatusCode::OK);
    assert_eq!(odd.attr(".release[aria-current=true]", "data-branch"), Some(chosen));
}

#[sqlx::test(migrations = "./migrations")]
async fn head_has_title_description_and_canonical(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let page = get(&app, "/packages/python-requre/builds").await;
    assert_eq!(page.texts("title"), ["python-requre: Builds — Fedora Packages"]);
    assert_eq!(
        page.attr("link[rel=canonical]", "href").as_deref(),
        Some("https://packages.example.org/packages/python-requre/builds")
    );
    let description = page.attr("meta[name=description]", "content").unwrap();
    assert!(description.starts_with("python-requre: "), "{description}");
}

/// Writes a package with one changelog row straight through the db layer.
async fn insert_package(pool: &PgPool, name: &str, text: &str) {
    let mut tx = pool.begin().await.unwrap();
    let row = db::packages::PackageRow {
        name: name.into(),
        source_name: name.into(),
        summary: format!("summary of {name} <b>bold</b>"),
        description: String::new(),
        upstream_url: None,
        license: None,
        version_label: "1.0-1".into(),
    };
    db::packages::upsert(&mut tx, &row, 1).await.unwrap();
    let log = Changelog {
        package: name.into(),
        repo: "release".into(),
        entries: vec![ChangelogEntry {
            author: "Jane <jane@example.org>".into(),
            version: Some("1.0-1".into()),
            date: chrono::Utc::now(),
            text: text.into(),
        }],
    };
    let new = db::tabs::NewRow {
        package: name,
        tab: Tab::Changelog,
        branch: Some("rawhide"),
        payload: &log,
        fetched_at: chrono::Utc::now(),
    };
    db::tabs::put(&mut tx, new, 1).await.unwrap();
    tx.commit().await.unwrap();
}

#[sqlx::test(migrations = "./migrations")]
async fn names_with_punctuation_route(pool: PgPool) {
    let names = ["gtk+", "libstdc++", "python3.12", "perl-Net-DNS", "ocaml-ppx_deriving"];
    for name in names {
        insert_package(&pool, name, "- rebuilt").await;
    }
    let app = router(pool);
    for name in names {
        for url in [format!("/packages/{name}"), format!("/packages/{name}/changelog")] {
            let page = get(&app, &url).await;
            assert_eq!(page.status, StatusCode::OK, "{url}");
            assert_eq!(page.texts(".package-heading h1"), [name], "{url}");
        }
    }
    let page = get(&app, "/packages/gtk%2B").await;
    assert_eq!(page.texts(".package-heading h1"), ["gtk+"]);
    let page = get(&app, "/packages/perl-net-dns").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.texts(".other-case a"), ["perl-Net-DNS"]);
}

#[sqlx::test(migrations = "./migrations")]
async fn upstream_text_is_escaped(pool: PgPool) {
    insert_package(&pool, "xss", "- <script>alert(1)</script> & <img src=x onerror=alert(2)>").await;
    let app = router(pool);
    let page = get(&app, "/packages/xss/changelog").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(!page.body.contains("<img src=x"));
    assert!(!page.body.contains("<b>bold</b>"));
    assert_eq!(page.texts(".changelog-entry pre"), ["- <script>alert(1)</script> & <img src=x onerror=alert(2)>"]);

    // Names and queries end up in the <title> too.
    let page = get(&app, "/packages/%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("<script>alert(1)"), "{}", page.body);
    assert_eq!(page.texts("title"), ["No package named </title><script>alert(1)</script> — Fedora Packages"]);
    let page = get(&app, "/search?q=%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!page.body.contains("<script>alert(1)"));
}

#[sqlx::test(migrations = "./migrations")]
async fn a_tab_never_fetched_says_so(pool: PgPool) {
    insert_package(&pool, "fresh", "- x").await;
    let app = router(pool);
    let page = get(&app, "/packages/fresh/builds").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts(".never-fetched").join(" ").contains("No builds data has been fetched"));
    assert!(page.texts("table.builds").is_empty());
}
