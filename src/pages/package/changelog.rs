use leptos::prelude::*;

use crate::components::tabs::ChangelogBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::tab_cache::tab_resource;
use crate::model::{Changelog, Tab, TabView};

#[server(endpoint = "tab/changelog", input = server_fn::codec::GetUrl)]
pub async fn get_changelog(name: String, branch: Option<String>) -> Result<TabView<Changelog>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Changelog, branch.as_deref()).await
}

/// The tab's rows (what the tab and the page's reading ahead ask for).
pub async fn fetch(name: String, branch: Option<String>) -> Result<TabView<Changelog>, AppError> {
    get_changelog(name, branch).await
}

/// The RPM changelog, newest first, per release. Entry text is untrusted and
/// always rendered as text.
#[component]
pub fn ChangelogTab() -> impl IntoView {
    let resource = tab_resource(fetch);
    view! { <TabContent tab=Tab::Changelog resource render=|log: Changelog, _| view! { <ChangelogBody log/> }/> }
}
