use leptos::prelude::*;

use crate::model::links::safe_href;

/// A URL from upstream text: a link when it is a web address, plain text
/// otherwise (a `javascript:` URL in a spec's `URL:` field stays inert).
#[component]
pub fn ExternalLink(url: String) -> impl IntoView {
    match safe_href(&url) {
        Some(href) => view! { <a href=href rel="nofollow noopener" class="external">{url}</a> }.into_any(),
        None => view! { <span class="not-a-link">{url}</span> }.into_any(),
    }
}
