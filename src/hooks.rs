//! Reading the current page's URL: package name, tab and release.
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use crate::model::Tab;

/// The `{name}` of `/packages/{name}/...`, percent-decoded.
pub fn package_name() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("name").unwrap_or_default())
}

/// The `?branch=` the reader chose, if any.
pub fn branch_param() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("branch").filter(|b| !b.is_empty()))
}

/// The tab the URL shows; the bare package URL is the overview.
pub fn active_tab() -> Memo<Tab> {
    let location = use_location();
    Memo::new(move |_| {
        let path = location.pathname.get();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            ["packages", _, tab, ..] => Tab::from_slug(tab).unwrap_or(Tab::Overview),
            _ => Tab::Overview,
        }
    })
}

/// A query-string parameter, percent-decoded exactly once (the router's own
/// query map decodes twice, which mangles a literal `%` someone searches for).
pub fn query_param(key: &'static str) -> Memo<Option<String>> {
    let location = use_location();
    Memo::new(move |_| {
        let search = location.search.get();
        search.trim_start_matches('?').split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == key)
                .then(|| percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8_lossy().into_owned())
        })
    })
}
