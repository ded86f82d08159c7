use leptos::prelude::*;
use leptos_meta::Meta;

use crate::components::{SearchBox, SiteHeader};
use crate::error::AppError;
use crate::model::Tab;

/// A few source packages to browse from the home page.
#[server(endpoint = "packages", input = server_fn::codec::GetUrl)]
pub async fn list_packages() -> Result<Vec<(String, String)>, AppError> {
    let state = crate::read::context()?;
    crate::read::browse(&state.pool, 50).await
}

const DESCRIPTION: &str =
    "Every Fedora package on one page: builds, updates, bugs, files, changelog, dependencies and sources.";

/// `/`: the search box.
#[component]
pub fn HomePage() -> impl IntoView {
    let packages = Resource::new(|| (), |_| list_packages());
    view! {
        <Meta name="description" content=DESCRIPTION/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content="Fedora Packages"/>
        <Meta property="og:title" content="Fedora Packages"/>
        <Meta property="og:description" content=DESCRIPTION/>
        <SiteHeader/>
        <main class="home">
            <h1>"Fedora Packages"</h1>
            <p>"Everything Fedora's packaging services know about a package, on one page."</p>
            <p class="for-programs">"For programs: " <a href="/api">"the JSON API"</a> "."</p>
            <SearchBox autofocus=true/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    packages.await.ok().filter(|p| !p.is_empty()).map(|list| {
                        let items = list
                            .into_iter()
                            .map(|(name, summary)| {
                                    let href = Tab::Overview.href(&name);
                                    view! { <li><a href=href>{name}</a> " — " {summary}</li> }
                                })
                            .collect_view();
                        view! { <h2>"Packages"</h2> <ul class="package-list">{items}</ul> }
                    })
                })}
            </Suspense>
        </main>
    }
}
