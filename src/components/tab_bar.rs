use leptos::prelude::*;

use crate::model::{url_query, Tab};

/// Links to every tab of a package; the `active` one is marked. A chosen
/// release (`?branch=`) travels along to the tabs that read one. Plain
/// links: the package page's island switches them in place.
#[component]
pub fn TabBar(
    name: String,
    #[prop(into)] active: Signal<Tab>,
    #[prop(into)] branch: Signal<Option<String>>,
) -> impl IntoView {
    let links = Tab::ALL
        .into_iter()
        .map(|tab| {
            let base = tab.href(&name);
            let href = move || match branch.get() {
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
