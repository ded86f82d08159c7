use leptos::prelude::*;

use crate::components::tabs::ChangelogBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::{branch_param, package_name};
use crate::model::{Changelog, Tab, TabView};

#[server(endpoint = "tab/changelog", input = server_fn::codec::GetUrl)]
pub async fn get_changelog(name: String, branch: Option<String>) -> Result<TabView<Changelog>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Changelog, branch.as_deref()).await
}

/// The RPM changelog, newest first, per release. Entry text is untrusted and
/// always rendered as text.
#[component]
pub fn ChangelogTab() -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let resource = Resource::new(move || (name.get(), branch.get()), |(n, b)| get_changelog(n, b));
    view! { <TabContent tab=Tab::Changelog resource render=|log: Changelog, _| view! { <ChangelogBody log/> }/> }
}
