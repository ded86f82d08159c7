use leptos::prelude::*;

use crate::components::tabs::BugsBody;
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::package_name;
use crate::model::{Bugs, Tab, TabView};

#[server(endpoint = "tab/bugs", input = server_fn::codec::GetUrl)]
pub async fn get_bugs(name: String) -> Result<TabView<Bugs>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Bugs, None).await
}

/// Open Bugzilla bugs of the source package, with counts by status and release.
#[component]
pub fn BugsTab() -> impl IntoView {
    let name = package_name();
    let resource = Resource::new(move || name.get(), get_bugs);
    view! { <TabContent tab=Tab::Bugs resource render=|bugs: Bugs, ctx| view! { <BugsBody bugs owner=ctx.owner/> }/> }
}
