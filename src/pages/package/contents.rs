use crate::error::AppError;
use crate::model::TabPart;

/// The files each binary package installs, as a tree, per release.
#[leptos::server(endpoint = "tab/contents", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_contents(name: String, branch: Option<String>) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::ContentsBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::tab(&state.pool, &name, Tab::Contents, branch.as_deref()).await?;
    Ok(tab_part(
        || view! { <TabBody tab=Tab::Contents name view render=|contents, _| view! { <ContentsBody contents/> }/> },
    ))
}
