use leptos::prelude::*;

use crate::components::tabs::ContentsBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Contents, Tab, TabView};

#[server(endpoint = "tab/contents", input = server_fn::codec::GetUrl)]
pub async fn get_contents(name: String, branch: Option<String>) -> Result<TabView<Contents>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Contents, branch.as_deref()).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, branch: Option<String>) -> Result<TabView<Contents>, AppError> {
    get_contents(name, branch).await
}

/// The files each binary package installs, as a tree, per release.
#[component]
pub fn ContentsTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Contents resource render=|contents: Contents, _| view! { <ContentsBody contents/> }/> }
}
