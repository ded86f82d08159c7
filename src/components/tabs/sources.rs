//! The sources tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/sources.rs`).
use leptos::prelude::*;

use crate::model::{url_segment, Sources, SpecEntry, SpecFile};

/// dist-git branches and links, the spec file and its patches.
#[component]
pub fn SourcesBody(sources: Sources, owner: String) -> impl IntoView {
    let git = sources.git_url.clone();
    let branches = sources
        .branches
        .iter()
        .map(|b| {
            let href = format!("{git}/tree/{}", url_segment(b));
            let default = (sources.default_branch.as_deref() == Some(b.as_str())).then_some(" (default)");
            view! { <li><a href=href>{b.clone()}</a>{default}</li> }
        })
        .collect_view();
    let commit = sources.latest_build_commit.clone().map(|c| {
        let href = format!("{git}/c/{}", url_segment(&c.commit));
        view! { <p class="latest-commit">"Newest build " <code>{c.nvr}</code> " came from commit " <a href=href>{c.commit.chars().take(12).collect::<String>()}</a></p> }
    });
    view! {
        <section class="dist-git">
            <p><a href=git.clone()>"Package sources in dist-git"</a> " · " <code>{format!("fedpkg clone {owner}")}</code></p>
            {commit}
            <h2>"Branches"</h2>
            <ul class="branches">{branches}</ul>
        </section>
        {sources.retired.then(|| {
            let branch = sources.default_branch.clone().unwrap_or_else(|| "rawhide".into());
            view! {
                <p class="retired">
                    <strong>"Retired in " {branch.clone()} ":"</strong>
                    " its dist-git branch holds " <code>"dead.package"</code> " instead of a spec file."
                </p>
            }
        })}
        {sources.spec.map(|spec| view! { <SpecView spec/> })}
    }
}

#[component]
fn SpecView(spec: SpecFile) -> impl IntoView {
    let entries = |title: &'static str, list: Vec<SpecEntry>| {
        (!list.is_empty()).then(|| {
            view! {
                <h3>{title}</h3>
                <ul class="spec-entries">
                    {list.into_iter().map(|e| view! { <li><code>{e.tag}</code> " " <span>{e.value}</span></li> }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <section class="spec">
            <h2>{format!("{} ({} branch)", spec.file_name, spec.branch)}</h2>
            {spec.license.map(|l| view! { <p>"License: " <code>{l}</code></p> })}
            {entries("Sources", spec.sources)}
            {entries("Patches", spec.patches)}
            {spec.expansion_capped.then(|| view! {
                <p class="note">"Some macros are shown unexpanded: expanding them would make them too long."</p>
            })}
            {spec.truncated.then(|| view! {
                <p class="note">"This spec file is too large to show whole: only its beginning is shown."</p>
            })}
            <details open=true>
                <summary>"Spec file"</summary>
                <pre class="spec-text" tabindex="0">{spec.text}</pre>
            </details>
        </section>
    }
}
