//! Search and autocomplete over a realistic corpus (Debian's package lists on
//! this machine, ~60k names), the demo packages and the Fedora names of the
//! cases people reported; odd input never errors. Every query is answered
//! by both engines, the in-memory index and PostgreSQL, which must agree.
use std::time::Duration;

use axum::http::StatusCode;
use fedora_packages::db;
use fedora_packages::model::{SearchHit, Suggestion};
use fedora_packages::search::{analyze, Index, SearchIndex};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use super::common::{get, load_debian_corpus, load_demo, load_fedora_cases, router, router_with_search};

async fn corpus(pool: &PgPool) {
    load_demo(pool).await;
    let n = load_debian_corpus(pool).await;
    assert!(n > 10_000, "corpus of {n} names");
    load_fedora_cases(pool).await;
}

/// Both engines over one database.
struct Engines {
    pool: PgPool,
    index: Index,
}

impl Engines {
    async fn over_corpus(pool: PgPool) -> Self {
        corpus(&pool).await;
        let index = Index::build(&pool).await.expect("index builds");
        Engines { pool, index }
    }

    /// A page of results, the same from both engines; and PostgreSQL's total.
    async fn search(&self, q: &str, limit: i64, offset: i64) -> (Vec<SearchHit>, i64) {
        let query = analyze(q);
        let (pg, total) =
            db::search::search(&self.pool, &query, limit, offset).await.unwrap_or_else(|e| panic!("{q:?}: {e}"));
        let page = self.index.search(&query, limit as usize, offset as usize).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert_eq!(names(&page.hits), names(&pg), "{q:?}: the index and PostgreSQL rank differently");
        assert_eq!(page.hits, pg, "{q:?}: the index and PostgreSQL show different hits");
        // PostgreSQL counts only when the page has rows.
        match page.at_least {
            true => assert!(pg.is_empty() || total >= page.total as i64, "{q:?}: {total} vs {}+", page.total),
            false => assert!(pg.is_empty() || page.total as i64 == total, "{q:?}: {} vs {total}", page.total),
        }
        (pg, total)
    }

    async fn top(&self, q: &str, n: usize) -> Vec<String> {
        names(&self.search(q, 20, 0).await.0).into_iter().take(n).collect()
    }

    async fn suggest(&self, q: &str, limit: i64) -> Vec<Suggestion> {
        let query = analyze(q);
        let pg = db::search::suggest(&self.pool, &query, limit).await.unwrap_or_else(|e| panic!("{q:?}: {e}"));
        let index = self.index.suggest(&query, limit as usize).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert_eq!(index, pg, "{q:?}: the index and PostgreSQL suggest differently");
        pg
    }
}

fn names(hits: &[SearchHit]) -> Vec<String> {
    hits.iter().map(|h| h.name.clone()).collect()
}

#[sqlx::test(migrations = "./migrations")]
async fn finds_what_people_type(pool: PgPool) {
    let e = Engines::over_corpus(pool).await;
    assert_eq!(e.top("vim", 1).await, ["vim"]);
    for q in ["vim-X11", "vim_x11", "VIM X11", "vim-x11"] {
        let (hits, _) = e.search(q, 20, 0).await;
        assert_eq!(hits[0].name, "vim", "{q}");
        assert!(hits[0].sub_packages.contains(&"vim-X11".to_string()), "{q}: {:?}", hits[0]);
    }
    assert_eq!(e.top("ceres-solver", 1).await, ["ceres-solver"]);
    assert_eq!(e.top("ceres solver", 1).await, ["ceres-solver"]);
    let (hits, _) = e.search("restorecond", 20, 0).await;
    let policy = hits.iter().find(|h| h.name == "policycoreutils").expect("restorecond finds policycoreutils");
    assert!(policy.sub_packages.contains(&"policycoreutils-restorecond".to_string()));
    // Debian has a `requests`; Fedora names it python-requests, which comes right after.
    let requests = e.top("Requests", 3).await;
    assert!(requests.contains(&"python-requests".to_string()), "{requests:?}");
    assert_eq!(e.top("python3-requests", 1).await, ["python-requests"]);
    assert_eq!(e.top("bodhi-client", 1).await, ["bodhi"]);
    // Prefix matches come before names that merely contain the query.
    let pyth = e.top("pytho", 10).await;
    assert!(pyth.iter().all(|n| n.to_lowercase().starts_with("pytho")), "{pyth:?}");
    // Summary words find a package whose name does not contain them.
    assert!(e.top("replaying HTTP traffic", 5).await.contains(&"python-requre".to_string()));
}

#[sqlx::test(migrations = "./migrations")]
async fn typos_and_the_cases_people_filed(pool: PgPool) {
    let e = Engines::over_corpus(pool).await;
    // A typo or two away, below the names that match as typed.
    assert!(e.top("pyhton-requests", 3).await.contains(&"python-requests".to_string()));
    assert!(e.top("libreofice", 3).await.contains(&"libreoffice".to_string()), "{:?}", e.top("libreofice", 5).await);
    assert!(e.top("pythn-requre", 3).await.contains(&"python-requre".to_string()));
    // Debian's browser is firefox-esr.
    let (hits, _) = e.search("firefox", 20, 0).await;
    assert_eq!(hits[0].name, "firefox-esr");
    // `gtk+` is what GTK 2 and 3 were called.
    let gtk = e.top("gtk+", 5).await;
    assert!(gtk.contains(&"gtk2".to_string()) && gtk.contains(&"gtk3".to_string()), "{gtk:?}");
    let (hits, _) = e.search("libstdc++", 20, 0).await;
    assert_eq!(hits[0].name, "gcc");
    assert_eq!(hits[0].sub_packages, ["libstdc++"]);
    assert_eq!(e.top("perl net dns", 1).await, ["perl-Net-DNS"]);
    assert_eq!(e.top("Python3.12", 1).await, ["python3.12"]);
    assert_eq!(e.top("PERL-net-dns", 1).await, ["perl-Net-DNS"]);
    // Nothing matches at all: names that look alike.
    let (none, _) = e.search("requre-pythn", 20, 0).await;
    assert!(none.is_empty(), "{:?}", names(&none));
    let query = analyze("requre-pythn");
    let similar = e.index.similar(&query, 10).unwrap();
    assert!(similar.contains(&"python-requre".to_string()), "index: {similar:?}");
    let similar = db::search::similar(&e.pool, &query, 10).await.unwrap();
    assert!(similar.contains(&"python-requre".to_string()), "PostgreSQL: {similar:?}");
}

#[sqlx::test(migrations = "./migrations")]
async fn both_engines_rank_alike(pool: PgPool) {
    let e = Engines::over_corpus(pool).await;
    // The benchmark's queries and more; each is compared inside `search`.
    for q in [
        "py",
        "vi",
        "gt",
        "ssh",
        "lib",
        "pe",
        "qt",
        "gcc",
        "rb",
        "go",
        "xz",
        "zsh",
        "p",
        "x",
        "python",
        "python3-requests",
        "firefox",
        "openssl",
        "bodhi-client",
        "nodejs",
        "packit",
        "image viewer",
        "python library for sending http requests to web services",
        "tool to convert documents between markup formats like markdown and html",
        "thon",
        "lib64",
        "requests",
        "libreoffice-core-nogui-extension-for-something-long",
        "command line utility",
        "x11",
        "kde",
    ] {
        e.search(q, 20, 0).await;
        e.search(q, 20, 40).await;
        e.suggest(q, 8).await;
    }
    // A one-letter query is counted up to a bound, and pages stay in step.
    let query = analyze("p");
    let page = e.index.search(&query, 20, 0).unwrap();
    assert!(page.at_least && page.total >= fedora_packages::search::MAX_COUNTED, "{page:?}");
}

#[sqlx::test(migrations = "./migrations")]
async fn pages_suggestions_and_similar_names(pool: PgPool) {
    let e = Engines::over_corpus(pool).await;
    let (first, total) = e.search("python", 20, 0).await;
    let (second, _) = e.search("python", 20, 20).await;
    assert!(total > 40, "{total}");
    assert_eq!(first.len(), 20);
    assert!(first.iter().all(|h| !second.iter().any(|s| s.name == h.name)));

    let names: Vec<String> = e.suggest("python-req", 8).await.into_iter().map(|s| s.name).collect();
    assert!(
        names.contains(&"python-requre".to_string()) && names.contains(&"python-requests".to_string()),
        "{names:?}"
    );
    let vim = e.suggest("vim-x", 8).await;
    assert_eq!(vim[0].name, "vim-X11");
    assert_eq!(vim[0].source, "vim");
    assert!(e.suggest("zz", 8).await.len() <= 8);
}

#[sqlx::test(migrations = "./migrations")]
async fn odd_input_is_a_normal_page(pool: PgPool) {
    let e = Engines::over_corpus(pool).await;
    let long = "x".repeat(10_000);
    let lone_surrogate = String::from_utf16_lossy(&[0xD800, 0x61]);
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
        "\u{0}\u{1}\u{7f}",
        "---",
        "+++",
        "!!!",
        &lone_surrogate,
    ] {
        let (hits, _) = e.search(q, 20, 0).await;
        if q == "%" || q == "_" || q == "%_%" {
            assert!(hits.is_empty(), "{q:?} is literal, not a wildcard: {}", hits.len());
        }
        e.suggest(q, 8).await;
        e.index.similar(&analyze(q), 8).unwrap_or_else(|err| panic!("{q:?}: {err}"));
        db::search::similar(&e.pool, &analyze(q), 8).await.unwrap_or_else(|err| panic!("{q:?}: {err}"));
    }
    let app = router(e.pool.clone());
    for q in ["%25", "%27%20OR%201%3D1", "%5C", "%3Cscript%3E", &"y".repeat(1000), "%F0%9F%A6%80", "", "%ED%A0%80"] {
        let page = get(&app, &format!("/search?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert!(!page.body.contains("<script>"), "{q}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn search_pages_and_old_urls(pool: PgPool) {
    corpus(&pool).await;
    // Served by the index this time, once it is ready.
    let stop = CancellationToken::new();
    let search = SearchIndex::start(pool.clone(), stop.clone());
    // A debug build indexing the corpus beside the other tests takes a while.
    wait_for(Duration::from_secs(120), || search.ready().is_some()).await;
    let app = router_with_search(pool, "target/site", &Default::default(), search);
    let page = get(&app, "/search?q=vim-X11").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts(".hit .hit-name").first().map(String::as_str), Some("vim"));
    assert_eq!(page.attr("main.search input[name=q]", "value").as_deref(), Some("vim-X11"));
    // A literal % stays a %.
    let page = get(&app, "/search?q=100%25").await;
    assert_eq!(page.attr("main.search input[name=q]", "value").as_deref(), Some("100%"));
    let page = get(&app, "/search?q=requre-pythn").await;
    assert!(page.texts(".similar a").contains(&"python-requre".to_string()));
    // Too many to count: the count says so, and paging stops where counting did.
    let page = get(&app, "/search?q=p").await;
    assert!(page.texts(".result-count").join("").contains("of 1,000+ packages"), "{:?}", page.texts(".result-count"));
    let page = get(&app, "/search?q=p&page=400").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts(".hit").len(), 20);
    let page = get(&app, "/packages/s/ceres-solver").await;
    assert_eq!(page.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(page.location(), Some("/search?q=ceres-solver"));
    // The 404 page shows the search results for the name.
    let page = get(&app, "/packages/requre").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.texts(".hit .hit-name").contains(&"python-requre".to_string()), "{:?}", page.texts(".hit .hit-name"));
    stop.cancel();
}

/// Any writer's change is searchable on every index within a second: two
/// indexes (two web processes) follow plain SQL writes.
#[sqlx::test(migrations = "./migrations")]
async fn changes_reach_every_index(pool: PgPool) {
    load_fedora_cases(&pool).await;
    let stop = CancellationToken::new();
    let replicas = [SearchIndex::start(pool.clone(), stop.clone()), SearchIndex::start(pool.clone(), stop.clone())];
    wait_until(|| replicas.iter().all(|r| r.ready().is_some())).await;
    let found = |q: &str| {
        let q = analyze(q);
        replicas
            .iter()
            .map(|r| r.ready().unwrap().search(&q, 20, 0).unwrap().hits.into_iter().map(|h| h.name).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    assert_eq!(found("zebrafish"), [Vec::<String>::new(), Vec::new()]);

    sqlx::query("INSERT INTO packages (name, source_name, summary, version) VALUES ('zebrafish', 'zebrafish', 'Striped fish', 0)")
        .execute(&pool)
        .await
        .unwrap();
    wait_until(|| found("zebrafish") == [vec!["zebrafish".to_string()], vec!["zebrafish".to_string()]]).await;
    // A summary rewritten: its new words are found, its old ones not.
    sqlx::query("UPDATE packages SET summary = 'Spotted fish' WHERE name = 'zebrafish'").execute(&pool).await.unwrap();
    wait_until(|| found("spotted") == [vec!["zebrafish".to_string()], vec!["zebrafish".to_string()]]).await;
    assert_eq!(found("striped"), [Vec::<String>::new(), Vec::new()]);
    // A sub-package moving to another source package.
    sqlx::query("UPDATE packages SET source_name = 'zebrafish' WHERE name = 'bodhi-client'")
        .execute(&pool)
        .await
        .unwrap();
    wait_until(|| found("bodhi-client").iter().all(|names| names.first().map(String::as_str) == Some("zebrafish")))
        .await;
    sqlx::query("DELETE FROM packages WHERE name = 'zebrafish'").execute(&pool).await.unwrap();
    wait_until(|| found("spotted") == [Vec::<String>::new(), Vec::new()]).await;
    // Emptied outright: rebuilt.
    sqlx::query("TRUNCATE packages CASCADE").execute(&pool).await.unwrap();
    wait_until(|| replicas.iter().all(|r| r.ready().is_some_and(|i| i.is_empty()))).await;
    stop.cancel();
}

/// Polls `done` for up to ten seconds.
async fn wait_until(done: impl FnMut() -> bool) {
    wait_for(Duration::from_secs(10), done).await
}

async fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "not done within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The search box's suggestions are answered ahead of the router once the
/// index is ready: over the wire they are what the server function answers
/// in-process (body, type, security headers), odd requests still reach
/// the server function, and a client over its rate is slowed.
#[sqlx::test(migrations = "./migrations")]
async fn suggestions_ahead_of_the_router_answer_like_the_server_function(pool: PgPool) {
    use fedora_packages::server::ahead::Ahead;
    use fedora_packages::server::limits::Limits;
    load_demo(&pool).await;
    load_fedora_cases(&pool).await;
    let stop = CancellationToken::new();
    let search = SearchIndex::start(pool.clone(), stop.clone());
    wait_for(Duration::from_secs(60), || search.ready().is_some()).await;
    let limits = Limits { rate_per_second: 1, rate_burst: 40, ..Limits::default() };
    let app = router_with_search(pool, "target/site", &Default::default(), search.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let ahead = Ahead::new(super::common::last_cache(), search, &limits);
    tokio::spawn(fedora_packages::server::limits::serve(
        listener,
        app.clone(),
        ahead,
        Duration::from_secs(5),
        stop.clone(),
        Duration::from_secs(1),
    ));
    let client = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
    let json = [("accept", "application/json")];
    let (long, too_long) = ("y".repeat(1000), "y".repeat(9000));
    let queries = [
        "py",
        "python-requre",
        "gtk%2B",
        "libstdc%2B%2B",
        "ceres+solver",
        "%25",
        "%C3%A9",
        "%3Cscript%3E",
        &long,
        &too_long,
    ];
    let odd = ["query=a&query=b", "q=vim", "query=%ED%A0%80"];
    let paths: Vec<String> =
        queries.iter().map(|q| format!("query={q}")).chain(odd.iter().map(|q| q.to_string())).collect();
    for query in &paths {
        let path = format!("/api/suggest?{query}");
        let wire =
            client.get(format!("http://{addr}{path}")).header("accept", "application/json").send().await.unwrap();
        let local = super::common::get_with(&app, &path, &json).await;
        assert_eq!(wire.status().as_u16(), local.status.as_u16(), "{path}");
        // (`vary` aside: the router's compression names it only on bodies it
        // could compress, from 32 bytes; the fast path always.)
        for name in ["content-type", "content-security-policy", "x-content-type-options", "referrer-policy"] {
            assert_eq!(
                wire.headers().get(name).map(|v| v.as_bytes()),
                local.headers.get(name).map(|v| v.as_bytes()),
                "{path}: {name}"
            );
        }
        assert_eq!(wire.text().await.unwrap(), local.body, "{path}");
    }
    let found: Vec<Suggestion> =
        client.get(format!("http://{addr}/api/suggest?query=python-req")).send().await.unwrap().json().await.unwrap();
    assert_eq!(found.first().map(|s| s.name.as_str()), Some("python-requre"), "{found:?}");
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(client.get(format!("http://{addr}/api/suggest?query=vim")).send().await.unwrap().status());
    }
    assert!(statuses.contains(&reqwest::StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    stop.cancel();
}
