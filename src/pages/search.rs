use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::{SearchBox, SiteHeader};
use crate::error::AppError;
use crate::model::Tab;

/// Longest query the search takes; longer input is cut, not refused.
pub const MAX_QUERY: usize = 200;

#[server]
pub async fn search_packages(query: String) -> Result<Vec<(String, String)>, AppError> {
    let state = crate::server::state::app_state()?;
    let query: String = query.trim().chars().take(MAX_QUERY).collect();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::db::packages::search(&state.pool, &query, 50).await?)
}

/// `/search?q=`: packages whose name or summary matches.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let results = Resource::new(move || q.get(), search_packages);
    view! {
        <Title text=move || format!("{} — Search — Fedora Packages", q.get())/>
        <SiteHeader query=q.get_untracked()/>
        <main class="search">
            <h1>"Search"</h1>
            <SearchBox value=q.get_untracked()/>
            <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No packages match."</p> }.into_any(),
                        Ok(list) => {
                            let items = list
                                .into_iter()
                                .map(|(name, summary)| {
                                    let href = Tab::Overview.href(&name);
                                    view! { <li><a href=href>{name}</a> " — " {summary}</li> }
                                })
                                .collect_view();
                            view! { <ul class="results">{items}</ul> }.into_any()
                        }
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}
