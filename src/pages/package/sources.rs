use crate::error::AppError;
use crate::model::TabPart;

/// dist-git branches and links, the spec file and its patches.
#[leptos::server(endpoint = "tab/sources", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_sources(name: String) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::SourcesBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::sources(&state.pool, &name).await?;
    Ok(tab_part(
        || view! { <TabBody tab=Tab::Sources name view render=|sources, ctx| view! { <SourcesBody sources owner=ctx.owner/> }/> },
    ))
}
