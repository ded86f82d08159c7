use leptos::prelude::*;

use crate::model::provides::{ProvidesHit, ProvidesMode, ProvidesResults, PER_PAGE};
use crate::model::Tab;

/// A page of "what provides it" results: one row per package and branch,
/// linking the binary and source packages, with paging.
#[component]
pub fn ProvidesResultsList(results: ProvidesResults) -> impl IntoView {
    let query = &results.query;
    let how = match (query.mode, query.guessed) {
        (ProvidesMode::Capability, true) if query.lookup != query.q => {
            format!("Read as the capability “{}”.", query.lookup)
        }
        (mode, true) => format!("Searched as: {} (choose another mode above).", mode.label().to_lowercase()),
        (mode, false) => format!("Searched as: {}.", mode.label().to_lowercase()),
    };
    if results.hits.is_empty() {
        let hint = match results.branches.is_empty() {
            true => "No repository metadata has been read yet.".to_string(),
            false => format!("Nothing in {} provides “{}”.", where_(query.branch.as_deref()), query.lookup),
        };
        return view! {
            <div class="no-results">
                <p class="provides-how">{how}</p>
                <p>{hint}</p>
            </div>
        }
        .into_any();
    }
    let first = (query.page - 1) * PER_PAGE + 1;
    let last = first + results.hits.len() as i64 - 1;
    let prev = (query.page > 1).then(|| view! { <a rel="prev" href=query.href(query.page - 1)>"← Previous"</a> });
    let next = results.has_next().then(|| view! { <a rel="next" href=query.href(query.page + 1)>"Next →"</a> });
    let count = results.count_text();
    let rows = results.hits.into_iter().map(|hit| view! { <HitRow hit/> }).collect_view();
    view! {
        <p class="provides-how">{how}</p>
        <p class="result-count">{format!("{first}–{last} of {count}")}</p>
        <table class="provides">
            <thead>
                <tr>
                    <th scope="col">"Package"</th>
                    <th scope="col">"Source"</th>
                    <th scope="col">"Release"</th>
                    <th scope="col">"Version"</th>
                    <th scope="col">"Provides"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <nav class="paging" aria-label="Result pages">{prev} " " {next}</nav>
    }
    .into_any()
}

#[component]
fn HitRow(hit: ProvidesHit) -> impl IntoView {
    let package_href = format!("{}?branch={}", Tab::Overview.href(&hit.package), crate::model::url_query(&hit.branch));
    view! {
        <tr>
            <td data-label="Package"><a href=package_href>{hit.package.clone()}</a></td>
            <td data-label="Source"><a href=Tab::Overview.href(&hit.source)>{hit.source.clone()}</a></td>
            <td data-label="Release">{hit.branch.clone()} " " <span class="repo">{format!("({})", hit.repo)}</span></td>
            <td data-label="Version"><span class="version">{hit.evr.clone()}</span> " " <span class="arch">{hit.arch.clone()}</span></td>
            <td data-label="Provides"><code class="matched">{hit.matched.clone()}</code></td>
        </tr>
    }
}

fn where_(branch: Option<&str>) -> String {
    match branch {
        Some(b) => format!("the {b} repositories"),
        None => "the active releases' repositories".into(),
    }
}
