use crate::error::AppError;
use crate::model::TabPart;

/// Open Bugzilla bugs of the source package, with counts by status and release.
#[leptos::server(endpoint = "tab/bugs", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_bugs(name: String) -> Result<TabPart, AppError> {
    use crate::components::{tab_part, tabs::BugsBody, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::tab(&state.pool, &name, Tab::Bugs, None).await?;
    Ok(tab_part(
        || view! { <TabBody tab=Tab::Bugs name view render=|bugs, ctx| view! { <BugsBody bugs owner=ctx.owner/> }/> },
    ))
}
