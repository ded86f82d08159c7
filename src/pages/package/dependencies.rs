use crate::error::AppError;
use crate::model::TabPart;

/// What each binary package requires and provides, resolved to packages, and
/// which packages require it.
#[leptos::server(endpoint = "tab/dependencies", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_dependencies(name: String, branch: Option<String>) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::DependenciesBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::tab(&state.pool, &name, Tab::Dependencies, branch.as_deref()).await?;
    Ok(tab_part(
        || view! { <TabBody tab=Tab::Dependencies name view render=|deps, _| view! { <DependenciesBody deps/> }/> },
    ))
}
