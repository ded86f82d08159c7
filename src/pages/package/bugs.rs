use leptos::prelude::*;

use crate::components::tabs::BugsBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Bugs, Tab, TabView};

#[server(endpoint = "tab/bugs", input = server_fn::codec::GetUrl)]
pub async fn get_bugs(name: String) -> Result<TabView<Bugs>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Bugs, None).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, _: Option<String>) -> Result<TabView<Bugs>, AppError> {
    get_bugs(name).await
}

/// Open Bugzilla bugs of the source package, with counts by status and release.
#[component]
pub fn BugsTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Bugs resource render=|bugs: Bugs, ctx| view! { <BugsBody bugs owner=ctx.owner/> }/> }
}
