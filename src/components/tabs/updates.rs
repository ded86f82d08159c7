//! The updates tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/updates.rs`).
use leptos::prelude::*;

use crate::components::time::{day, iso};
use crate::model::{Update, Updates};

/// Bodhi updates of the source package, newest first.
#[component]
pub fn UpdatesBody(updates: Updates, owner: String) -> impl IntoView {
    if updates.updates.is_empty() {
        return view! { <p class="empty">"Bodhi has no updates of this package."</p> }.into_any();
    }
    let shown = updates.updates.len() as u32;
    let more = (updates.total > shown).then(|| {
        view! {
            <p class="more">
                {format!("Showing the newest {shown} of {} updates. ", updates.total)}
                <a href=crate::model::links::bodhi_updates(&owner)>"All updates in Bodhi"</a>
            </p>
        }
    });
    view! {
        <table class="updates">
            <thead>
                <tr>
                    <th>"Update"</th>
                    <th>"Release"</th>
                    <th>"Type"</th>
                    <th>"Status"</th>
                    <th>"Karma"</th>
                    <th>"Submitter"</th>
                    <th>"Submitted"</th>
                    <th>"Pushed"</th>
                </tr>
            </thead>
            <tbody>{updates.updates.into_iter().map(|u| view! { <UpdateRow update=u/> }).collect_view()}</tbody>
        </table>
        {more}
    }
    .into_any()
}

#[component]
fn UpdateRow(update: Update) -> impl IntoView {
    let date = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| view! { <time datetime=iso(&t)>{day(&t)}</time> });
    let status = match &update.request {
        Some(r) => format!("{} → {r}", update.status),
        None => update.status.clone(),
    };
    let karma = match (update.stable_karma, update.unstable_karma) {
        (Some(s), Some(u)) => format!("{} ({u}/{s})", update.karma),
        _ => update.karma.to_string(),
    };
    let pushed = update.pushed_stable.or(update.pushed_testing);
    view! {
        <tr class=format!("update status-{}", update.status)>
            <td data-label="Update">
                {match crate::model::links::safe_href(&update.url) {
                    Some(href) => view! { <a href=href>{update.alias.clone()}</a> }.into_any(),
                    None => view! { <span>{update.alias.clone()}</span> }.into_any(),
                }}
                <div class="nvrs">{update.builds.join(", ")}</div>
            </td>
            <td data-label="Release">{update.release.clone()}</td>
            <td data-label="Type"><span class=format!("type type-{}", update.kind)>{update.kind.clone()}</span></td>
            <td data-label="Status">{status}</td>
            <td class="karma" data-label="Karma">{karma}</td>
            <td data-label="Submitter">{update.submitter.clone()}</td>
            <td data-label="Submitted">{date(update.submitted)}</td>
            <td data-label="Pushed">{date(pushed)}</td>
        </tr>
    }
}
