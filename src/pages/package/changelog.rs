use leptos::prelude::*;

use crate::components::time::{day, iso};
use crate::components::TabContent;
use crate::error::AppError;
use crate::hooks::{branch_param, package_name};
use crate::model::{Changelog, ChangelogEntry, Tab, TabView};

#[server(endpoint = "tab/changelog", input = server_fn::codec::GetUrl)]
pub async fn get_changelog(name: String, branch: Option<String>) -> Result<TabView<Changelog>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Changelog, branch.as_deref()).await
}

/// The RPM changelog, newest first, per release. Entry text is untrusted and
/// always rendered as text.
#[component]
pub fn ChangelogTab() -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let resource = Resource::new(move || (name.get(), branch.get()), |(n, b)| get_changelog(n, b));
    view! { <TabContent tab=Tab::Changelog resource render=|log: Changelog, _| view! { <ChangelogEntries log/> }/> }
}

#[component]
fn ChangelogEntries(log: Changelog) -> impl IntoView {
    if log.entries.is_empty() {
        return view! { <p class="empty">"The changelog is empty."</p> }.into_any();
    }
    view! { <ol class="changelog">{log.entries.into_iter().map(|e| view! { <Entry entry=e/> }).collect_view()}</ol> }
        .into_any()
}

#[component]
fn Entry(entry: ChangelogEntry) -> impl IntoView {
    view! {
        <li class="changelog-entry">
            <header>
                <time datetime=iso(&entry.date)>{day(&entry.date)}</time>
                " "
                <span class="author">{entry.author}</span>
                {entry.version.map(|v| view! { " " <span class="version">{v}</span> })}
            </header>
            <pre class="text">{entry.text}</pre>
        </li>
    }
}
