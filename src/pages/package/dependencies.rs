use leptos::prelude::*;

use crate::components::tabs::DependenciesBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Dependencies, Tab, TabView};

#[server(endpoint = "tab/dependencies", input = server_fn::codec::GetUrl)]
pub async fn get_dependencies(name: String, branch: Option<String>) -> Result<TabView<Dependencies>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Dependencies, branch.as_deref()).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, branch: Option<String>) -> Result<TabView<Dependencies>, AppError> {
    get_dependencies(name, branch).await
}

/// What each binary package requires and provides, resolved to packages, and
/// which packages require it.
#[component]
pub fn DependenciesTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Dependencies resource render=|deps: Dependencies, _| view! { <DependenciesBody deps/> }/> }
}
