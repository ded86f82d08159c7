use leptos::prelude::*;

use crate::components::tabs::BuildsBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::package_name;
use crate::model::{Builds, Tab, TabView};

#[server(endpoint = "tab/builds", input = server_fn::codec::GetUrl)]
pub async fn get_builds(name: String) -> Result<TabView<Builds>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Builds, None).await
}

/// Koji builds of the source package, newest first.
#[component]
pub fn BuildsTab() -> impl IntoView {
    let name = package_name();
    let resource = Resource::new(move || name.get(), get_builds);
    view! { <TabContent tab=Tab::Builds resource render=|builds: Builds, _| view! { <BuildsBody builds/> }/> }
}
