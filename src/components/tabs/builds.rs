//! The builds tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/builds.rs`).
use leptos::prelude::*;

use crate::components::time::{duration, iso, utc_minutes};
use crate::model::{links, Build, Builds};

/// Koji builds of the source package, newest first, each linked to Koji.
#[component]
pub fn BuildsBody(builds: Builds) -> impl IntoView {
    if builds.builds.is_empty() {
        return view! { <p class="empty">"Koji has no builds of this package."</p> }.into_any();
    }
    let koji_package =
        builds.package_id.map(|id| view! { <p><a href=links::koji_package(id)>"All builds in Koji"</a></p> });
    view! {
        <table class="builds">
            <thead>
                <tr>
                    <th>"Build"</th>
                    <th>"State"</th>
                    <th>"Owner"</th>
                    <th>"Started"</th>
                    <th>"Finished"</th>
                    <th>"Duration"</th>
                </tr>
            </thead>
            <tbody>{builds.builds.into_iter().map(|b| view! { <BuildRow row=b/> }).collect_view()}</tbody>
        </table>
        {koji_package}
    }
    .into_any()
}

#[component]
fn BuildRow(row: Build) -> impl IntoView {
    let build = row;
    let when =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| view! { <time datetime=iso(&t)>{utc_minutes(&t)}</time> });
    let took = build.duration_secs().map(duration);
    view! {
        <tr class=format!("build state-{}", build.state.label())>
            <td data-label="Build">
                <a href=links::koji_build(build.build_id)>{build.nvr.clone()}</a>
            </td>
            <td data-label="State"><span class="state">{build.state.label()}</span></td>
            <td data-label="Owner">{build.owner.clone()}</td>
            <td data-label="Started">{when(build.started)}</td>
            <td data-label="Finished">{when(build.finished)}</td>
            <td data-label="Duration">{took}</td>
        </tr>
    }
}
