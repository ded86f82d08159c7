use leptos::prelude::*;

use crate::components::tabs::SourcesBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Sources, Tab, TabView};

#[server(endpoint = "tab/sources", input = server_fn::codec::GetUrl)]
pub async fn get_sources(name: String) -> Result<TabView<Sources>, AppError> {
    let state = crate::read::context()?;
    crate::read::sources(&state.pool, &name).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, _: Option<String>) -> Result<TabView<Sources>, AppError> {
    get_sources(name).await
}

/// dist-git branches and links, the spec file and its patches.
#[component]
pub fn SourcesTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Sources resource render=|sources: Sources, ctx| view! { <SourcesBody sources owner=ctx.owner/> }/> }
}
