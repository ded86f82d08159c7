use leptos::prelude::*;

use crate::components::tabs::UpdatesBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::package_name;
use crate::model::{Tab, TabView, Updates};

#[server(endpoint = "tab/updates", input = server_fn::codec::GetUrl)]
pub async fn get_updates(name: String) -> Result<TabView<Updates>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Updates, None).await
}

/// Bodhi updates of the source package, newest first.
#[component]
pub fn UpdatesTab() -> impl IntoView {
    let name = package_name();
    let resource = Resource::new(move || name.get(), get_updates);
    view! { <TabContent tab=Tab::Updates resource render=|updates: Updates, ctx| view! { <UpdatesBody updates owner=ctx.owner/> }/> }
}
