use crate::error::AppError;
use crate::model::{PackageEvent, TabPart};

/// What the package is, who maintains it, and where it stands in each
/// release; then the newest bus events that touched it and its badge.
#[leptos::server(endpoint = "tab/overview", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_overview(name: String, branch: Option<String>) -> Result<TabPart, AppError> {
    use crate::components::tabs::{OverviewBody, RecentEvents};
    use crate::components::{tab_part, BadgeSnippet, TabBody};
    use crate::model::Tab;
    use leptos::prelude::*;
    let state = crate::read::context()?;
    let view = crate::read::overview(&state.pool, &name, branch.as_deref()).await?;
    // Events are an extra: the tab shows without them.
    let events = crate::read::events(&state.pool, &name, 10).await.unwrap_or_default();
    let (badge_name, site_url) = (name.clone(), state.site_url);
    Ok(tab_part(|| {
        view! {
            <TabBody tab=Tab::Overview name view render=|o, ctx| view! { <OverviewBody overview=o ctx/> }>
                <RecentEvents events/>
                <BadgeSnippet name=badge_name site_url branch/>
            </TabBody>
        }
    }))
}

/// The newest bus events that touched the package (its source package's).
#[leptos::server(endpoint = "events", input = leptos::server_fn::codec::GetUrl)]
pub async fn get_events(name: String) -> Result<Vec<PackageEvent>, AppError> {
    let state = crate::read::context()?;
    crate::read::events(&state.pool, &name, 10).await
}
