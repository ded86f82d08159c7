use leptos::prelude::*;

use crate::components::tabs::DependenciesBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::{branch_param, package_name};
use crate::model::{Dependencies, Tab, TabView};

#[server(endpoint = "tab/dependencies", input = server_fn::codec::GetUrl)]
pub async fn get_dependencies(name: String, branch: Option<String>) -> Result<TabView<Dependencies>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Dependencies, branch.as_deref()).await
}

/// What each binary package requires and provides, resolved to packages, and
/// which packages require it.
#[component]
pub fn DependenciesTab() -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let resource = Resource::new(move || (name.get(), branch.get()), |(n, b)| get_dependencies(n, b));
    view! { <TabContent tab=Tab::Dependencies resource render=|deps: Dependencies, _| view! { <DependenciesBody deps/> }/> }
}
