//! Reading the current page's URL on the server: package name, tab and
//! release; and, in the package page's island, (`live`) following the
//! package's live stream and (`tab_cache`) the tabs' markup the page holds.
pub mod live;
pub mod tab_cache;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use crate::model::route::{self, Route};
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
    Memo::new(move |_| match Route::parse(&location.pathname.get(), None) {
        Route::Package { tab, .. } => tab,
        _ => Tab::Overview,
    })
}

/// A query-string parameter, percent-decoded exactly once (the router's own
/// query map decodes twice, which mangles a literal `%` someone searches for).
pub fn query_param(key: &'static str) -> Memo<Option<String>> {
    let location = use_location();
    Memo::new(move |_| route::query_param(&location.search.get(), key))
}
