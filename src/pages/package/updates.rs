use crate::error::AppError;
use crate::model::TabPart;

/// Bodhi updates of the source package, newest first.
#[leptos::server(endpoint = "tab/updates", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_updates(name: String) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::UpdatesBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::tab(&state.pool, &name, Tab::Updates, None).await?;
    Ok(tab_part(
        || view! { <TabBody tab=Tab::Updates name view render=|updates, ctx| view! { <UpdatesBody updates owner=ctx.owner/> }/> },
    ))
}
