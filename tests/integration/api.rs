//! The public API: every documented path answers in its documented shape
//! (validated against the OpenAPI document it serves), errors are JSON with
//! the right status, and answers are cacheable and open to other origins.

use super::common::{get, get_with, load_demo, router, Page};
use axum::http::StatusCode;
use fedora_packages::model::Tab;
use serde_json::{json, Value};
use sqlx::PgPool;

const PACKAGE: &str = "python-requre";

fn json_of(page: &Page) -> Value {
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("not JSON ({e}): {:.300}", page.body))
}

/// Validates `instance` against `schema`, resolving `$ref`s in `doc`.
fn validate(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let mut root = schema.clone();
    if let Some(obj) = root.as_object_mut() {
        obj.insert("components".into(), doc["components"].clone());
    } else {
        root = json!({ "allOf": [schema], "components": doc["components"] });
    }
    let validator = jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{what}: bad schema: {e}"));
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{:.500}", instance.to_string());
}

/// The schema of an operation's answer with `status`.
fn response_schema(doc: &Value, path: &str, status: &str) -> Value {
    let schema = &doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "{path} documents no {status} body");
    schema.clone()
}

#[sqlx::test(migrations = "./migrations")]
async fn every_documented_path_answers_in_its_documented_shape(pool: PgPool) {
    load_demo(&pool).await;
    let mirror = super::common::quick_upstream(&super::common::replay(super::common::demo_dir()).await);
    let branches = ["rawhide".to_string(), "f42".to_string()];
    fedora_packages::refresh::repodata::refresh_branches(&pool, &mirror, &branches).await.expect("repositories read");
    let app = router(pool);
    let doc_page = get(&app, "/api/v1/openapi.json").await;
    assert_eq!(doc_page.status, StatusCode::OK);
    let doc = json_of(&doc_page);
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3.1"), "{}", doc["openapi"]);
    // The document itself is valid JSON Schema where it has schemas.
    for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
        assert!(jsonschema::meta::is_valid(schema), "schema {name}");
    }
    let mut paths: Vec<&str> = doc["paths"].as_object().expect("paths").keys().map(String::as_str).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/api/v1/openapi.json",
            "/api/v1/packages/{name}",
            "/api/v1/packages/{name}/events",
            "/api/v1/packages/{name}/{tab}",
            "/api/v1/provides",
            "/api/v1/search",
            "/api/v1/suggest"
        ],
        "a new path needs its case here"
    );
    let ok = |path: &str| response_schema(&doc, path, "200");
    let answer = |uri: String| {
        let app = app.clone();
        async move {
            let page = get_with(&app, &uri, &[("accept", "application/json")]).await;
            assert_eq!(page.status, StatusCode::OK, "{uri}: {:.300}", page.body);
            let kind = page.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(kind.starts_with("application/json"), "{uri}: {kind}");
            assert_eq!(page.headers.get("access-control-allow-origin").map(|v| v.as_bytes()), Some(&b"*"[..]), "{uri}");
            assert!(page.headers.contains_key("etag"), "{uri}");
            json_of(&page)
        }
    };

    for name in [PACKAGE, "python3-requre"] {
        let package = answer(format!("/api/v1/packages/{name}")).await;
        validate(&doc, &ok("/api/v1/packages/{name}"), &package, name);
        assert_eq!(package["name"], name);
        assert_eq!(package["source_name"], PACKAGE);
        assert!(package["overview"]["info"].is_object(), "{name}: an overview");
        assert_eq!(package["links"]["feed"], format!("https://packages.example.org/packages/{name}/feed.atom"));
    }

    let events = answer(format!("/api/v1/packages/{PACKAGE}/events")).await;
    validate(&doc, &ok("/api/v1/packages/{name}/events"), &events, "events");

    for tab in Tab::ALL {
        let uri = format!("/api/v1/packages/{PACKAGE}/{}", tab.slug());
        let document = answer(uri.clone()).await;
        validate(&doc, &ok("/api/v1/packages/{name}/{tab}"), &document, &uri);
        assert_eq!(document["tab"], tab.slug());
        // `data` is the payload schema named after the tab, not just any.
        let name = fedora_packages::api::documents::payload_schema(tab);
        assert!(!document["data"].is_null(), "{uri}: the demo has data");
        validate(&doc, &json!({ "$ref": format!("#/components/schemas/{name}") }), &document["data"], &uri);
    }
    // A per-release tab in a named release.
    let branch = answer(format!("/api/v1/packages/{PACKAGE}/contents")).await["branches"][0]["branch"].clone();
    let branch = branch.as_str().expect("a release with contents").to_string();
    let contents = answer(format!("/api/v1/packages/{PACKAGE}/contents?branch={branch}")).await;
    assert_eq!(contents["branch"], branch.as_str());

    let search = answer("/api/v1/search?q=requre".into()).await;
    validate(&doc, &ok("/api/v1/search"), &search, "search");
    assert_eq!(search["hits"][0]["name"], PACKAGE);
    let search = answer("/api/v1/search?q=python&per_page=1".into()).await;
    validate(&doc, &ok("/api/v1/search"), &search, "search, paged");
    assert!(search["total"].as_i64().unwrap_or_default() >= 2, "{search}");
    // Paged: `next` leads to page 2, which has other hits.
    let next = search["next"].as_str().expect("a next page").to_string();
    let next = next.strip_prefix("https://packages.example.org").expect("absolute");
    let second = answer(next.to_string()).await;
    assert_eq!(second["page"], 2);
    assert_ne!(second["hits"][0]["name"], search["hits"][0]["name"]);

    let suggest = answer("/api/v1/suggest?q=python-req&limit=3".into()).await;
    validate(&doc, &ok("/api/v1/suggest"), &suggest, "suggest");
    assert_eq!(suggest["suggestions"][0]["name"], PACKAGE);

    let provides = answer("/api/v1/provides?q=/usr/bin/packit".into()).await;
    validate(&doc, &ok("/api/v1/provides"), &provides, "provides");
    assert_eq!(provides["hits"][0]["package"], "packit");
}

#[sqlx::test(migrations = "./migrations")]
async fn errors_are_json_with_the_right_status(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    let doc = json_of(&get(&app, "/api/v1/openapi.json").await);
    let error_schema = json!({ "$ref": "#/components/schemas/ApiError" });
    let cases = [
        ("/api/v1/packages/no-such-package", 404, "not_found"),
        ("/api/v1/packages/no-such-package/builds", 404, "not_found"),
        ("/api/v1/packages/no-such-package/events", 404, "not_found"),
        ("/api/v1/packages/python-requre/relationships", 404, "not_found"),
        ("/api/v1/packages/python-requre/builds/extra", 404, "not_found"),
        ("/api/v1/nothing-here", 404, "not_found"),
        ("/api/v1/packages/%00", 404, "not_found"),
        ("/api/v1/packages/python-requre?branch=f99", 400, "bad_parameter"),
        ("/api/v1/packages/python-requre/contents?branch=f99", 400, "bad_parameter"),
        ("/api/v1/search", 400, "bad_parameter"),
        ("/api/v1/search?q=x&page=0", 400, "bad_parameter"),
        ("/api/v1/search?q=x&page=two", 400, "bad_parameter"),
        ("/api/v1/search?q=x&per_page=1000", 400, "bad_parameter"),
        ("/api/v1/suggest", 400, "bad_parameter"),
        ("/api/v1/suggest?q=x&limit=-1", 400, "bad_parameter"),
        ("/api/v1/provides", 400, "bad_parameter"),
        ("/api/v1/provides?q=x&mode=nope", 400, "bad_parameter"),
    ];
    for (uri, status, code) in cases {
        let page = get_with(&app, uri, &[("accept", "application/json")]).await;
        assert_eq!(page.status.as_u16(), status, "{uri}: {:.200}", page.body);
        let body = json_of(&page);
        validate(&doc, &error_schema, &body, uri);
        assert_eq!(body["error"]["code"], code, "{uri}");
        assert_eq!(body["error"]["status"], status, "{uri}");
    }
    // Every documented error status is one the schema describes.
    for path in ["/api/v1/packages/{name}", "/api/v1/search"] {
        let schema = response_schema(&doc, path, if path.ends_with("search") { "400" } else { "404" });
        assert_eq!(schema["$ref"], "#/components/schemas/ApiError", "{path}");
    }
    // Odd but harmless input is a normal answer.
    for uri in ["/api/v1/search?q=", "/api/v1/search?q=%E2%80%AE%01%7F", "/api/v1/suggest?q=%20"] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK, "{uri}");
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn answers_revalidate_and_allow_other_origins(pool: PgPool) {
    load_demo(&pool).await;
    let app = router(pool);
    for uri in [
        "/api/v1/packages/python-requre",
        "/api/v1/packages/python-requre/builds",
        "/api/v1/search?q=requre",
        "/api/v1/suggest?q=req",
        "/api/v1/openapi.json",
    ] {
        let first = get(&app, uri).await;
        let etag = first.headers.get("etag").and_then(|v| v.to_str().ok()).expect("etag").to_string();
        // Twice: the second may come from the page cache, and keeps its headers.
        for _ in 0..2 {
            let again = get_with(&app, uri, &[("if-none-match", &etag)]).await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
            assert!(again.body.is_empty());
        }
        let cached = get(&app, uri).await;
        assert_eq!(cached.body, first.body, "{uri}");
        assert_eq!(cached.headers.get("access-control-allow-origin").map(|v| v.as_bytes()), Some(&b"*"[..]), "{uri}");
        assert!(cached.headers.get("cache-control").is_some(), "{uri}");
    }
    // A browser's preflight for a conditional request from another site.
    let request = axum::http::Request::builder()
        .method("OPTIONS")
        .uri("/api/v1/packages/python-requre")
        .header("origin", "https://dashboard.example.net")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "if-none-match")
        .body(axum::body::Body::empty())
        .expect("request");
    let response = tower::ServiceExt::oneshot(app.clone(), request).await.expect("response");
    assert!(response.status().is_success(), "{}", response.status());
    let allowed = response.headers().get("access-control-allow-methods").and_then(|v| v.to_str().ok());
    assert!(allowed.is_some_and(|m| m.contains("GET")), "{allowed:?}");
}

#[test]
fn the_document_is_generated_from_the_types() {
    use utoipa::PartialSchema;
    let doc = fedora_packages::api::openapi::value();
    let schemas = &doc["components"]["schemas"];
    // Each payload's schema is its Rust type's, field for field.
    for (name, schema) in [
        ("Build", serde_json::to_value(fedora_packages::model::Build::schema()).expect("schema")),
        ("Builds", serde_json::to_value(fedora_packages::model::Builds::schema()).expect("schema")),
        ("Overview", serde_json::to_value(fedora_packages::model::Overview::schema()).expect("schema")),
        (
            "PackageDocument",
            serde_json::to_value(fedora_packages::api::documents::PackageDocument::schema()).expect("schema"),
        ),
    ] {
        assert_eq!(schemas[name], schema, "{name}");
    }
    // A field added to a type appears in the document with no other change.
    let fields: Vec<&str> =
        schemas["Build"]["properties"].as_object().expect("Build").keys().map(String::as_str).collect();
    let example = serde_json::to_value(fedora_packages::model::Builds::default()).expect("json");
    assert!(example.get("builds").is_some() && fields.contains(&"nvr"), "{fields:?}");
}
