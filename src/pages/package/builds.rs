use crate::error::AppError;
use crate::model::TabPart;

/// Koji builds of the source package, newest first.
#[leptos::server(endpoint = "tab/builds", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_builds(name: String) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::BuildsBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::tab(&state.pool, &name, Tab::Builds, None).await?;
    Ok(tab_part(|| view! { <TabBody tab=Tab::Builds name view render=|builds, _| view! { <BuildsBody builds/> }/> }))
}
