//! Property tests over every parser that reads outside input: upstream
//! answers, bus messages, spec files, URLs and queries, search text.
//! Whatever the input, none panics, and each finishes quickly.
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::Value;

/// Arbitrary JSON, nested a few levels, with odd strings in it.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Object keys: mostly the ones the parsers look for, so the shapes get deep.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "name",
            "packages",
            "bug",
            "product",
            "component",
            "update",
            "builds",
            "nvr",
            "comment",
            "commit",
            "repo",
            "namespace",
            "project",
            "version",
            "release",
            "summary",
            "files",
            "dirname",
            "filenames",
            "filetypes",
            "changelogs",
            "author",
            "date",
            "bugs",
            "releases",
            "branches",
            "default",
            "total",
        ])
        .prop_map(String::from),
        text(),
    ]
}

/// Text with control characters, NUL, markup, right-to-left marks, long runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f<>&\"'%/\\\\ a-z\u{202e}\u{fffd}]{0,40}",
        Just("%{a}%{?b}%{".repeat(30)),
        Just("x".repeat(5000)),
    ]
}

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    assert!(started.elapsed() < Duration::from_secs(2), "{what} took {:?}", started.elapsed());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn upstream_parsers_never_panic(body in prop_oneof![any::<String>(), json().prop_map(|v| v.to_string())]) {
        use crate::upstream::{bodhi, bugzilla, distgit, koji, mdapi};
        quick("parsers", || {
            if let Ok(p) = mdapi::parse_package(&body) {
                let _ = (mdapi::binary_name(&p), mdapi::to_info("rawhide", "x", &p), mdapi::to_deps("x", &p));
            }
            if let Ok(f) = mdapi::parse_files(&body) { let _ = mdapi::to_files("x", &f); }
            if let Ok(c) = mdapi::parse_changelog(&body) { let _ = mdapi::to_changelog(&c); }
            let _ = mdapi::parse_branches(&body);
            let _ = mdapi::parse_packages(&body);
            if let Ok(u) = bodhi::parse_updates(&body) { let _ = bodhi::to_updates(&u.updates); }
            if let Ok(r) = bodhi::parse_releases(&body) { let _ = bodhi::to_releases(&r); }
            if let Ok(b) = bugzilla::parse_bugs(&body) { let _ = bugzilla::to_bugs(&b); }
            if let Ok(p) = distgit::parse_project(&body) { let _ = distgit::to_maintainers(&p); }
            let _ = distgit::parse_branches(&body);
            let _ = distgit::parse_project_page(&body);
            if let Ok(b) = koji::parse_list_builds(&body) { let _ = koji::to_builds(&b); }
            let _ = koji::parse_package_id(&body);
        });
    }

    #[test]
    fn parsed_json_holds_no_nul(v in json()) {
        let parsed: Result<Value, _> = crate::upstream::parse_json(&v.to_string());
        let text = parsed.map(|v| v.to_string()).unwrap_or_default();
        prop_assert!(!text.contains("\\u0000"));
    }

    #[test]
    fn bus_messages_never_panic(topic in "[a-z.#*]{0,40}", body in json(), raw in any::<Vec<u8>>()) {
        use crate::bus::message::BusMessage;
        use crate::bus::topics;
        let topics_handled: Vec<&str> = topics::TOPICS.iter().map(|t| t.binding.trim_end_matches('#')).collect();
        quick("bus", || {
            for t in topics_handled.iter().map(|t| format!("{t}{topic}")).chain([topic.clone()]) {
                let _ = topics::route(&t, &body, &body);
                let _ = topics::summary(&t, &body);
                let _ = topics::agent(&body, &body);
                let _ = topics::narrow(&t, &body, &["x".to_string()].into());
            }
            let props = lapin::BasicProperties::default();
            let m = BusMessage::from_delivery(&topic, &props, &raw, 1 << 20);
            prop_assert!(!m.id.contains('\0'));
            let m = BusMessage::from_delivery(&topic, &props, body.to_string().as_bytes(), 1 << 20);
            if let Ok(b) = &m.body { prop_assert!(!b.to_string().contains("\\u0000")); }
            Ok(())
        })?;
    }

    #[test]
    fn specs_are_bounded(text in prop::collection::vec(text(), 0..60).prop_map(|l| l.join("\n"))) {
        use crate::upstream::distgit::{parse_spec, SpecLimits};
        let limits = SpecLimits { max_bytes: 64 << 10, max_expanded: 4096 };
        let spec = quick("spec", || parse_spec(&text, "rawhide", "x.spec", limits));
        prop_assert!(spec.text.len() <= limits.max_bytes);
        prop_assert!(spec.sources.iter().all(|s| s.value.len() <= limits.max_expanded.max(text.len())));
    }

    #[test]
    fn urls_and_queries_never_panic(path in "(/[^?#]{0,20}){0,6}", query in text()) {
        use crate::model::route::{query_param, Route};
        quick("routes", || {
            let route = Route::parse(&path, Some(&query));
            let _ = (route.href(), route.label(), route.package());
            let _ = query_param(&query, "q");
            let _ = crate::server::page_cache::key_of(&route, Some(&query));
        });
    }

    #[test]
    fn search_text_is_cleaned(query in text()) {
        let cleaned = crate::model::clean_query(&query);
        prop_assert!(!cleaned.chars().any(char::is_control));
        prop_assert!(cleaned.chars().count() <= crate::model::MAX_QUERY_CHARS);
        // Folding is stable, and the analyzed query is safe to quote in a tsquery.
        let folded = crate::model::fold_name(&cleaned);
        prop_assert_eq!(crate::model::fold_name(&folded), folded.clone());
        let analyzed = crate::search::analyze(&query);
        prop_assert_eq!(analyzed.folded, folded);
        prop_assert!(analyzed.words.iter().flatten().all(|f| f.chars().all(char::is_alphanumeric)));
    }

    #[test]
    fn names_pass_only_when_storable(name in text()) {
        if crate::model::storable::valid_name(&name) {
            prop_assert!(!name.contains('\0') && name.len() <= crate::model::storable::MAX_NAME_BYTES);
        }
        let url = crate::model::links::safe_href(&name);
        if let Some(href) = url {
            let lower = href.to_ascii_lowercase();
            prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
        }
    }
}
