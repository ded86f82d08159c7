use leptos::prelude::*;

use crate::components::{PageTitle, SearchBox, SiteHeader};
use crate::error::AppError;
use crate::hooks::query_param;
use crate::model::{url_query, SearchResults, Suggestion, Tab};

/// Source packages per results page.
pub const PER_PAGE: i64 = 20;

/// A page of results for `query`; names like it when nothing matches.
#[server(endpoint = "search", input = server_fn::codec::GetUrl)]
pub async fn search_packages(query: String, page: i64) -> Result<SearchResults, AppError> {
    let state = crate::read::context()?;
    crate::read::search(&state.pool, &query, page, PER_PAGE).await
}

/// Autocomplete: names starting with (then containing) what was typed.
#[server(endpoint = "suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest_packages(query: String) -> Result<Vec<Suggestion>, AppError> {
    let state = crate::read::context()?;
    crate::read::suggest(&state.pool, &query, 8).await
}

/// `/search?q=`: matching packages, grouped by source package.
#[component]
pub fn SearchPage() -> impl IntoView {
    let q = query_param("q");
    let page = query_param("page");
    let query = move || q.get().unwrap_or_default();
    let page_number = move || page.get().and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).clamp(1, 500);
    view! {
        <PageTitle text=move || format!("{} — Search — Fedora Packages", query())/>
        <SiteHeader query=query()/>
        <main class="search">
            <h1>"Search"</h1>
            <SearchBox value=query()/>
            <SearchResultList query=Signal::derive(query) page=Signal::derive(page_number)/>
        </main>
    }
}

/// The results for a query, with paging; also shown on the 404 page.
#[component]
pub fn SearchResultList(#[prop(into)] query: Signal<String>, #[prop(into)] page: Signal<i64>) -> impl IntoView {
    let results = Resource::new(move || (query.get(), page.get()), |(q, p)| search_packages(q, p));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) => view! { <ResultList results=r/> }.into_any(),
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ResultList(results: SearchResults) -> impl IntoView {
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
                {(!results.similar.is_empty()).then(|| view! { <p>"Similar names:"</p> <ul class="similar">{similar}</ul> })}
            </div>
        }
        .into_any();
    }
    let first = (results.page - 1) * results.per_page + 1;
    let last = first + results.hits.len() as i64 - 1;
    let hits = results.hits.into_iter().map(|h| view! { <Hit hit=h/> }).collect_view();
    let pages = (results.total + results.per_page - 1) / results.per_page;
    let link = |p: i64| format!("/search?q={}&page={p}", url_query(&results.query));
    let prev = (results.page > 1).then(|| view! { <a rel="prev" href=link(results.page - 1)>"← Previous"</a> });
    let next = (results.page < pages).then(|| view! { <a rel="next" href=link(results.page + 1)>"Next →"</a> });
    view! {
        <p class="result-count">{format!("{first}–{last} of {} packages", results.total)}</p>
        <ol class="results" start=first>{hits}</ol>
        <nav class="paging">{prev} " " {next}</nav>
    }
    .into_any()
}

#[component]
fn Hit(hit: crate::model::SearchHit) -> impl IntoView {
    let subs = (!hit.sub_packages.is_empty()).then(|| {
        let links =
            hit.sub_packages.iter().map(|s| view! { <a href=Tab::Overview.href(s)>{s.clone()}</a> }).collect_view();
        view! { <div class="matching-subs">"Matching sub-packages: " {links}</div> }
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
