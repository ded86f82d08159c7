//! The changelog tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/changelog.rs`).
use leptos::prelude::*;

use crate::components::time::{day, iso};
use crate::model::{Changelog, ChangelogEntry};

/// The RPM changelog, newest first. Entry text is untrusted and always rendered as text.
#[component]
pub fn ChangelogBody(log: Changelog) -> impl IntoView {
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
