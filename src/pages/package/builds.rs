use leptos::prelude::*;

use crate::components::tabs::BuildsBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Builds, Tab, TabView};

#[server(endpoint = "tab/builds", input = server_fn::codec::GetUrl)]
pub async fn get_builds(name: String) -> Result<TabView<Builds>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Builds, None).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, _: Option<String>) -> Result<TabView<Builds>, AppError> {
    get_builds(name).await
}

/// Koji builds of the source package, newest first.
#[component]
pub fn BuildsTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Builds resource render=|builds: Builds, _| view! { <BuildsBody builds/> }/> }
}
