use leptos::prelude::*;

use crate::model::{url_query, Branch};

/// The releases a tab has data for, as links (`?branch=f42`) so a choice can
/// be shared; works with and without JavaScript.
#[component]
pub fn ReleaseSelector(branches: Vec<Branch>, selected: Option<String>, path: String) -> impl IntoView {
    let links = branches
        .into_iter()
        .map(|b| {
            let current = (selected.as_deref() == Some(b.branch.as_str())).then_some("true");
            let href = format!("{path}?branch={}", url_query(&b.branch));
            view! {
                <li>
                    <a href=href class="release" aria-current=current data-branch=b.branch.clone()>
                        {b.label}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="release-selector" aria-label="Release">
            <span class="label">"Release:"</span>
            <ul>{links}</ul>
        </nav>
    }
}
