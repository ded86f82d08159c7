use leptos::prelude::*;

use crate::components::tabs::SourcesBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::package_name;
use crate::model::{Sources, Tab, TabView};

#[server(endpoint = "tab/sources", input = server_fn::codec::GetUrl)]
pub async fn get_sources(name: String) -> Result<TabView<Sources>, AppError> {
    let state = crate::read::context()?;
    crate::read::sources(&state.pool, &name).await
}

/// dist-git branches and links, the spec file and its patches.
#[component]
pub fn SourcesTab() -> impl IntoView {
    let name = package_name();
    let resource = Resource::new(move || name.get(), get_sources);
    view! { <TabContent tab=Tab::Sources resource render=|sources: Sources, ctx| view! { <SourcesBody sources owner=ctx.owner/> }/> }
}
