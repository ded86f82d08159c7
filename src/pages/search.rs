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
    crate::read::suggest(&state, &query, crate::read::SUGGESTIONS).await
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
            <ProvidedBy query=Signal::derive(query)/>
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

/// Packages providing the query, when it looks like a path, a library or a
/// capability (`/usr/bin/rg`, `libssl.so.3`, `python3dist(yaml)`): the
/// first few, and a link to all of them on `/provides`.
#[component]
pub fn ProvidedBy(#[prop(into)] query: Signal<String>) -> impl IntoView {
    use crate::model::provides::looks_provided;
    let found = Resource::new(
        move || query.get(),
        |q| async move {
            match looks_provided(&q) {
                true => crate::pages::provides::find_providers(q, None, None, None).await.ok(),
                false => None,
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                found.await.filter(|r| !r.hits.is_empty()).map(|r| {
                    let all = r.query.href(1);
                    let count = r.count_text();
                    let mut seen = std::collections::BTreeSet::new();
                    let items = r
                        .hits
                        .into_iter()
                        .filter(|h| seen.insert(h.package.clone()))
                        .take(5)
                        .map(|h| {
                            let href = crate::model::Tab::Overview.href(&h.package);
                            view! {
                                <li>
                                    <a href=href>{h.package.clone()}</a> " (" {h.branch.clone()} "): "
                                    <code>{h.matched.clone()}</code>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="provided-by" aria-labelledby="provided-by">
                            <h2 id="provided-by">"Provided by"</h2>
                            <ul>{items}</ul>
                            <p><a href=all>{format!("All {count} on “What provides it”")}</a></p>
                        </section>
                    }
                })
            })}
        </Transition>
    }
}
