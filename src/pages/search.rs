use leptos::prelude::*;
use leptos_meta::Meta;

use crate::components::{set_status, PageTitle, SearchBox, SearchResultsList, SiteHeader};
use crate::error::AppError;
use crate::hooks::query_param;
use crate::model::{SearchResults, Suggestion};

/// Source packages per results page.
pub const PER_PAGE: i64 = 20;

/// A page of results for `query`; names like it when nothing matches.
#[server(endpoint = "search", input = server_fn::codec::GetUrl)]
pub async fn search_packages(query: String, page: i64) -> Result<SearchResults, AppError> {
    let state = crate::read::context()?;
    crate::read::search(&state, &query, page, PER_PAGE).await
}

/// Autocomplete: names starting with (then containing) what was typed.
#[server(endpoint = "suggest", input = server_fn::codec::GetUrl)]
pub async fn suggest_packages(query: String) -> Result<Vec<Suggestion>, AppError> {
    let state = crate::read::context()?;
    crate::read::suggest(&state, &query, 8).await
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
        <Meta name="description" content=move || format!("Fedora packages matching “{}”", query())/>
        <Meta property="og:title" content=move || format!("{} — Search — Fedora Packages", query())/>
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
                    Ok(r) => view! { <SearchResultsList results=r/> }.into_any(),
                    Err(e) => {
                        set_status(500);
                        view! { <p class="error">{e.to_string()}</p> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
