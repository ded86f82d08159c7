use crate::error::AppError;
use crate::model::TabPart;

/// The RPM changelog, newest first, per release. Entry text is untrusted and
/// always rendered as text.
#[leptos::server(endpoint = "tab/changelog", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_changelog(name: String, branch: Option<String>) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::ChangelogBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::tab(&state.pool, &name, Tab::Changelog, branch.as_deref()).await?;
    Ok(tab_part(|| view! { <TabBody tab=Tab::Changelog name view render=|log, _| view! { <ChangelogBody log/> }/> }))
}
