//! The bugs tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/bugs.rs`).
use leptos::prelude::*;

use crate::components::time::{day, iso};
use crate::model::{links, Bug, Bugs};

/// Open Bugzilla bugs, with counts by status and release.
#[component]
pub fn BugsBody(bugs: Bugs, owner: String) -> impl IntoView {
    let all = links::bugzilla_open(&owner);
    if bugs.bugs.is_empty() {
        return view! { <p class="empty">"No open bugs. " <a href=all>"Search Bugzilla"</a></p> }.into_any();
    }
    let counts = |title: &'static str, rows: Vec<(String, usize)>| {
        view! {
            <div class="counts">
                <h2>{title}</h2>
                <ul>{rows.into_iter().map(|(k, n)| view! { <li><span>{k}</span> " " <strong>{n}</strong></li> }).collect_view()}</ul>
            </div>
        }
    };
    view! {
        <p class="bug-total">{format!("{} open bugs", bugs.bugs.len())} " · " <a href=all>"All in Bugzilla"</a></p>
        <div class="bug-counts">{counts("By status", bugs.by_status())} {counts("By release", bugs.by_release())}</div>
        <table class="bugs">
            <thead>
                <tr>
                    <th>"Bug"</th>
                    <th>"Summary"</th>
                    <th>"Status"</th>
                    <th>"Severity / priority"</th>
                    <th>"Release"</th>
                    <th>"Last change"</th>
                </tr>
            </thead>
            <tbody>{bugs.bugs.into_iter().map(|b| view! { <BugRow bug=b/> }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn BugRow(bug: Bug) -> impl IntoView {
    let changed = bug.last_change.map(|t| view! { <time datetime=iso(&t)>{day(&t)}</time> });
    view! {
        <tr class=format!("bug status-{}", bug.status.to_lowercase())>
            <td data-label="Bug"><a href=links::bugzilla_bug(bug.id)>{bug.id}</a></td>
            <td class="summary" data-label="Summary">{bug.summary.clone()}</td>
            <td data-label="Status">{bug.status.clone()}</td>
            <td data-label="Severity / priority">{format!("{} / {}", bug.severity, bug.priority)}</td>
            <td data-label="Release">{format!("{} {}", bug.product, bug.versions.join(", "))}</td>
            <td data-label="Last change">{changed}</td>
        </tr>
    }
}
