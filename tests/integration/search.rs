//! Search and autocomplete over a realistic corpus (Debian's package lists on
//! this machine, ~60k names), the demo packages and the Fedora names of the
//! cases people reported; odd input never errors.
use axum::http::StatusCode;
use fedora_packages::db::search;
use sqlx::PgPool;

use super::common::{get, load_debian_corpus, load_demo, load_fedora_cases, router};

async fn corpus(pool: &PgPool) {
    load_demo(pool).await;
    let n = load_debian_corpus(pool).await;
    assert!(n > 10_000, "corpus of {n} names");
    load_fedora_cases(pool).await;
}

async fn top(pool: &PgPool, q: &str, n: usize) -> Vec<String> {
    let (hits, _) = search::search(pool, q, 20, 0).await.unwrap();
    hits.into_iter().take(n).map(|h| h.name).collect()
}

#[sqlx::test(migrations = "./migrations")]
async fn finds_what_people_type(pool: PgPool) {
    corpus(&pool).await;
    assert_eq!(top(&pool, "vim", 1).await, ["vim"]);
    for q in ["vim-X11", "vim_x11", "VIM X11", "vim-x11"] {
        let (hits, _) = search::search(&pool, q, 20, 0).await.unwrap();
        assert_eq!(hits[0].name, "vim", "{q}");
        assert!(hits[0].sub_packages.contains(&"vim-X11".to_string()), "{q}: {:?}", hits[0]);
    }
    assert_eq!(top(&pool, "ceres-solver", 1).await, ["ceres-solver"]);
    assert_eq!(top(&pool, "ceres solver", 1).await, ["ceres-solver"]);
    let (hits, _) = search::search(&pool, "restorecond", 20, 0).await.unwrap();
    let policy = hits.iter().find(|h| h.name == "policycoreutils").expect("restorecond finds policycoreutils");
    assert!(policy.sub_packages.contains(&"policycoreutils-restorecond".to_string()));
    // Debian has a `requests`; Fedora names it python-requests, which comes right after.
    assert!(
        top(&pool, "Requests", 3).await.contains(&"python-requests".to_string()),
        "{:?}",
        top(&pool, "Requests", 5).await
    );
    assert_eq!(top(&pool, "python3-requests", 1).await, ["python-requests"]);
    assert_eq!(top(&pool, "bodhi-client", 1).await, ["bodhi"]);
    // Prefix matches come before names that merely contain the query.
    let pyth = top(&pool, "pytho", 10).await;
    assert!(pyth.iter().all(|n| n.to_lowercase().starts_with("pytho")), "{pyth:?}");
    // Summary words find a package whose name does not contain them.
    assert!(top(&pool, "replaying HTTP traffic", 5).await.contains(&"python-requre".to_string()));
}

#[sqlx::test(migrations = "./migrations")]
async fn pages_suggestions_and_similar_names(pool: PgPool) {
    corpus(&pool).await;
    let (first, total) = search::search(&pool, "python", 20, 0).await.unwrap();
    let (second, _) = search::search(&pool, "python", 20, 20).await.unwrap();
    assert!(total > 40, "{total}");
    assert_eq!(first.len(), 20);
    assert!(first.iter().all(|h| !second.iter().any(|s| s.name == h.name)));

    let names: Vec<String> =
        search::suggest(&pool, "python-req", 8).await.unwrap().into_iter().map(|s| s.name).collect();
    assert!(
        names.contains(&"python-requre".to_string()) && names.contains(&"python-requests".to_string()),
        "{names:?}"
    );
    let vim: Vec<_> = search::suggest(&pool, "vim-x", 8).await.unwrap();
    assert_eq!(vim[0].name, "vim-X11");
    assert_eq!(vim[0].source, "vim");
    assert!(search::suggest(&pool, "zz", 8).await.unwrap().len() <= 8);

    let (none, _) = search::search(&pool, "pythn-requre", 20, 0).await.unwrap();
    assert!(none.is_empty());
    let similar = search::similar(&pool, "pythn-requre", 10).await.unwrap();
    assert!(similar.contains(&"python-requre".to_string()), "{similar:?}");
}

#[sqlx::test(migrations = "./migrations")]
async fn odd_input_is_a_normal_page(pool: PgPool) {
    corpus(&pool).await;
    let long = "x".repeat(1000);
    for q in [
        "",
        "   ",
        &long,
        "%",
        "_",
        "\\",
        "'",
        "\"",
        "' OR 1=1 --",
        "(",
        ")",
        "[a-z]*",
        ".*",
        "日本語",
        "%_%",
        "🦀",
        "a:b & c | !d",
        "<script>",
    ] {
        let (hits, _) = search::search(&pool, q, 20, 0).await.unwrap_or_else(|e| panic!("{q:?}: {e}"));
        if q == "%" || q == "_" || q == "%_%" {
            assert!(hits.is_empty(), "{q:?} is literal, not a wildcard: {}", hits.len());
        }
        search::suggest(&pool, q, 8).await.unwrap_or_else(|e| panic!("{q:?}: {e}"));
        search::similar(&pool, q, 8).await.unwrap_or_else(|e| panic!("{q:?}: {e}"));
    }
    let app = router(pool);
    for q in ["%25", "%27%20OR%201%3D1", "%5C", "%3Cscript%3E", &"y".repeat(1000), "%F0%9F%A6%80", ""] {
        let page = get(&app, &format!("/search?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(!page.body.contains("<script>"), "{q}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn search_pages_and_old_urls(pool: PgPool) {
    corpus(&pool).await;
    let app = router(pool);
    let page = get(&app, "/search?q=vim-X11").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts(".hit .hit-name").first().map(String::as_str), Some("vim"));
    assert_eq!(page.attr("main.search input[name=q]", "value").as_deref(), Some("vim-X11"));
    // A literal % stays a %.
    let page = get(&app, "/search?q=100%25").await;
    assert_eq!(page.attr("main.search input[name=q]", "value").as_deref(), Some("100%"));
    let page = get(&app, "/search?q=pythn-requre").await;
    assert!(page.texts(".similar a").contains(&"python-requre".to_string()));
    let page = get(&app, "/packages/s/ceres-solver").await;
    assert_eq!(page.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(page.location(), Some("/search?q=ceres-solver"));
    // The 404 page shows the search results for the name.
    let page = get(&app, "/packages/requre").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.texts(".hit .hit-name").contains(&"python-requre".to_string()), "{:?}", page.texts(".hit .hit-name"));
}
