use leptos::prelude::*;

use crate::components::tabs::UpdatesBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Tab, TabView, Updates};

#[server(endpoint = "tab/updates", input = server_fn::codec::GetUrl)]
pub async fn get_updates(name: String) -> Result<TabView<Updates>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Updates, None).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, _: Option<String>) -> Result<TabView<Updates>, AppError> {
    get_updates(name).await
}

/// Bodhi updates of the source package, newest first.
#[component]
pub fn UpdatesTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Updates resource render=|updates: Updates, ctx| view! { <UpdatesBody updates owner=ctx.owner/> }/> }
}
