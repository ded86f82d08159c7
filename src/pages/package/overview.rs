use leptos::prelude::*;

use crate::components::tabs::{OverviewBody, RecentEvents};
use crate::components::{BadgeSnippet, TabContent};
use crate::error::AppError;
use crate::hooks::resource::page_resource;
use crate::hooks::tab_cache::tab_resource;
use crate::hooks::{branch_param, package_name};
use crate::model::{Overview, PackageEvent, Tab, TabView};

#[server(endpoint = "tab/overview", input = server_fn::codec::GetUrl)]
pub async fn get_overview(name: String, branch: Option<String>) -> Result<TabView<Overview>, AppError> {
    let state = crate::read::context()?;
    crate::read::overview(&state.pool, &name, branch.as_deref()).await
}

/// The newest bus events that touched the package (its source package's).
#[server(endpoint = "events", input = server_fn::codec::GetUrl)]
pub async fn get_events(name: String) -> Result<Vec<PackageEvent>, AppError> {
    let state = crate::read::context()?;
    crate::read::events(&state.pool, &name, 10).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, branch: Option<String>) -> Result<TabView<Overview>, AppError> {
    get_overview(name, branch).await
}

/// What the package is, who maintains it, and where it stands in each release.
#[component]
pub fn OverviewTab() -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let resource = tab_resource(fetch);
    let events = page_resource(move || name.get(), get_events);
    // The header's site URL makes the badge snippet's links absolute.
    let header = page_resource(move || name.get(), super::get_package_header);
    view! {
        <TabContent tab=Tab::Overview resource render=|o: Overview, ctx| view! { <OverviewBody overview=o ctx/> }/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { events.await.ok().map(|list| view! { <RecentEvents events=list/> }) })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                header.await.ok().map(|h| view! { <BadgeSnippet name=h.name site_url=h.site_url branch=branch.get_untracked()/> })
            })}
        </Suspense>
    }
}
