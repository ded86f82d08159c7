use leptos::prelude::*;

use crate::model::{url_query, SearchResults, Tab};

/// A page of search results, grouped by source package, with paging;
/// similar names when nothing matched.
#[component]
pub fn SearchResultsList(results: SearchResults) -> impl IntoView {
    if results.query.is_empty() {
        return view! { <p class="empty">"Type a package name, or words from its summary."</p> }.into_any();
    }
    if results.hits.is_empty() {
        let similar = results
            .similar
            .iter()
            .map(|n| view! { <li><a href=Tab::Overview.href(n)>{n.clone()}</a></li> })
            .collect_view();
        return view! {
            <div class="no-results">
                <p>{format!("No package matches “{}”.", results.query)}</p>
                {(!results.similar.is_empty()).then(|| view! { <p>"Did you mean:"</p> <ul class="similar">{similar}</ul> })}
            </div>
        }
        .into_any();
    }
    let first = (results.page - 1) * results.per_page + 1;
    let last = first + results.hits.len() as i64 - 1;
    let hits = results.hits.into_iter().map(|h| view! { <Hit hit=h/> }).collect_view();
    let pages = (results.total + results.per_page - 1) / results.per_page;
    let total = match results.total_at_least {
        true => format!("{}+", thousands(results.total)),
        false => thousands(results.total),
    };
    let link = |p: i64| format!("/search?q={}&page={p}", url_query(&results.query));
    let prev = (results.page > 1).then(|| view! { <a rel="prev" href=link(results.page - 1)>"← Previous"</a> });
    let next = (results.page < pages).then(|| view! { <a rel="next" href=link(results.page + 1)>"Next →"</a> });
    view! {
        <p class="result-count">{format!("{first}–{last} of {total} packages")}</p>
        <ol class="results" start=first>{hits}</ol>
        <nav class="paging">{prev} " " {next}</nav>
    }
    .into_any()
}

/// Matching sub-packages listed by name in one result.
const SUBS_SHOWN: usize = 12;

#[component]
fn Hit(hit: crate::model::SearchHit) -> impl IntoView {
    let subs = (!hit.sub_packages.is_empty()).then(|| {
        // A cross-compiler source has hundreds: the first few, then a count
        // (the source's own page lists them all).
        let links = hit
            .sub_packages
            .iter()
            .take(SUBS_SHOWN)
            .map(|s| view! { <a href=Tab::Overview.href(s)>{s.clone()}</a> })
            .collect_view();
        let more = hit.sub_packages.len().saturating_sub(SUBS_SHOWN);
        let more = (more > 0).then(|| {
            view! { " " <a href=Tab::Overview.href(&hit.name)>{format!("and {} more", thousands(more as i64))}</a> }
        });
        view! { <div class="matching-subs">"Matching sub-packages: " {links} {more}</div> }
    });
    view! {
        <li class="hit">
            <a class="hit-name" href=Tab::Overview.href(&hit.name)>{hit.name.clone()}</a>
            {(!hit.version.is_empty()).then(|| view! { " " <span class="version">{hit.version.clone()}</span> })}
            <p class="hit-summary">{hit.summary.clone()}</p>
            {subs}
        </li>
    }
}

/// `27000` as `27,000`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(super::thousands(7), "7");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(27_000), "27,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
