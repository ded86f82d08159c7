use leptos::prelude::*;

use crate::components::tabs::ContentsBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::{branch_param, package_name};
use crate::model::{Contents, Tab, TabView};

#[server(endpoint = "tab/contents", input = server_fn::codec::GetUrl)]
pub async fn get_contents(name: String, branch: Option<String>) -> Result<TabView<Contents>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Contents, branch.as_deref()).await
}

/// The files each binary package installs, as a tree, per release.
#[component]
pub fn ContentsTab() -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let resource = Resource::new(move || (name.get(), branch.get()), |(n, b)| get_contents(n, b));
    view! { <TabContent tab=Tab::Contents resource render=|contents: Contents, _| view! { <ContentsBody contents/> }/> }
}
