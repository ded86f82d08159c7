use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::hooks::active_tab;
use crate::model::{url_query, Tab};

/// Links to every tab of a package; the current one is marked. A chosen
/// release (`?branch=`) travels along to the tabs that differ per release.
#[component]
pub fn TabBar(name: String) -> impl IntoView {
    let active = active_tab();
    let query = use_query_map();
    let links = Tab::ALL
        .into_iter()
        .map(|tab| {
            let base = tab.href(&name);
            let href = move || match query.read().get("branch") {
                Some(b) if tab.reads_branch() => format!("{base}?branch={}", url_query(&b)),
                _ => base.clone(),
            };
            let current = move || (active.get() == tab).then_some("page");
            view! {
                <li>
                    <a href=href class="tab-link" aria-current=current data-tab=tab.slug()>
                        {tab.label()}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="tab-bar" aria-label="Package tabs">
            <ul>{links}</ul>
        </nav>
    }
}
