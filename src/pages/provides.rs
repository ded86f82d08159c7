use leptos::prelude::*;
use leptos_meta::Meta;

use crate::components::{set_status, PageTitle, ProvidesResultsList, SiteHeader};
use crate::error::AppError;
use crate::hooks::query_param;
use crate::model::provides::{ProvidesMode, ProvidesResults};

/// "What provides it" for the page: the parameters as given in the URL.
#[server(endpoint = "provides", input = server_fn::codec::GetUrl)]
pub async fn find_providers(
    q: String,
    mode: Option<String>,
    branch: Option<String>,
    page: Option<String>,
) -> Result<ProvidesResults, AppError> {
    let query = crate::model::provides::ProvidesQuery::parse(&q, mode.as_deref(), branch.as_deref(), page.as_deref())
        .map_err(AppError::BadRequest)?;
    let state = crate::read::context()?;
    crate::read::provides(&state, query).await
}

/// `/provides?q=&mode=&branch=`: which packages own a path or provide a
/// capability. A plain GET form: it works without JavaScript.
#[component]
pub fn ProvidesPage() -> impl IntoView {
    let (q, mode, branch, page) = (query_param("q"), query_param("mode"), query_param("branch"), query_param("page"));
    let query = move || q.get().unwrap_or_default();
    let params = move || (query(), mode.get(), branch.get(), page.get());
    let results = Resource::new(params, |(q, m, b, p)| async move {
        match q.trim().is_empty() {
            true => None,
            false => Some(find_providers(q, m, b, p).await),
        }
    });
    view! {
        <PageTitle text=move || match query().trim() {
            "" => "What provides it — Fedora Packages".to_string(),
            q => format!("{q} — What provides it — Fedora Packages"),
        }/>
        <Meta name="description" content="Find the Fedora package that provides a file, a command, a library or a language module"/>
        <SiteHeader query=String::new()/>
        <main class="provides">
            <h1>"What provides it"</h1>
            <ProvidesForm q=query() mode=mode.get_untracked().unwrap_or_default() branch=branch.get_untracked().unwrap_or_default()/>
            <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        None => view! {
                            <p class="empty">
                                "Type a path (" <code>"/usr/bin/rg"</code> "), a command or file name (" <code>"rg"</code>
                                ", " <code>"libssl.so.3"</code> "), a capability (" <code>"python3dist(requests)"</code>
                                ") or words like " <code>"python module yaml"</code> "."
                            </p>
                        }
                        .into_any(),
                        Some(Ok(found)) => view! { <ProvidesResultsList results=found/> }.into_any(),
                        Some(Err(AppError::BadRequest(why))) => {
                            set_status(400);
                            view! { <p class="error" role="alert">{why}</p> }.into_any()
                        }
                        Some(Err(e)) => {
                            set_status(500);
                            view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                        }
                    }
                })}
            </Transition>
        </main>
    }
}

/// The query form: what, how (guessed by default), and in which release.
#[component]
fn ProvidesForm(q: String, mode: String, branch: String) -> impl IntoView {
    let modes = ProvidesMode::ALL
        .into_iter()
        .map(|m| view! { <option value=m.slug() selected=mode == m.slug()>{m.label()}</option> })
        .collect_view();
    view! {
        <form class="provides-form" action="/provides" method="get" role="search">
            <label>
                "Path, name or capability"
                <input type="search" name="q" value=q required maxlength="4096" autocomplete="off"/>
            </label>
            <label>
                "Match"
                <select name="mode">
                    <option value="" selected=mode.is_empty()>"Guess"</option>
                    {modes}
                </select>
            </label>
            <label>
                "Release branch"
                <input type="text" name="branch" value=branch placeholder="all" size="8" pattern="[a-z0-9]*"/>
            </label>
            <button type="submit">"Find"</button>
        </form>
    }
}
