//! The overview tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/overview.rs`).
use leptos::prelude::*;

use crate::components::time::{iso, utc_minutes};
use crate::components::{ExternalLink, TabContext};
use crate::model::{links, BugCounts, BuildSummary, Maintainers, Overview, PackageEvent, Part, ReleaseLine, Tab};

/// What happened to the package lately, from the bus, newest first.
#[component]
pub fn RecentEvents(events: Vec<PackageEvent>) -> impl IntoView {
    if events.is_empty() {
        return ().into_any();
    }
    let items = events
        .into_iter()
        .map(|e| {
            view! {
                <li data-topic=e.topic.clone()>
                    <time datetime=iso(&e.at)>{utc_minutes(&e.at)}</time>
                    " " <span class="summary">{e.summary}</span>
                    {e.agent.map(|a| view! { " " <span class="agent">{format!("by {a}")}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="recent-events">
            <h2>"Recent activity"</h2>
            <ul>{items}</ul>
        </section>
    }
    .into_any()
}

/// What the package is, who maintains it, and where it stands in each release.
#[component]
pub fn OverviewBody(overview: Overview, ctx: TabContext) -> impl IntoView {
    let info = overview.info_for(ctx.branch.as_deref()).cloned();
    let source = info.as_ref().map(|i| i.source_name.clone()).unwrap_or_else(|| ctx.name.clone());
    let install = info.as_ref().map(|i| {
        let target = if i.arch != "src" || i.sub_packages.contains(&i.name) {
            i.name.clone()
        } else {
            main_binary(&i.name, &i.sub_packages).unwrap_or_else(|| i.name.clone())
        };
        view! { <pre class="install" tabindex="0"><code>{format!("sudo dnf install {target}")}</code></pre> }
    });
    let about = info.map(|i| {
        let url = i.url.clone().map(|u| view! { <p class="upstream">"Upstream: " <ExternalLink url=u/></p> });
        view! {
            <section class="about">
                <p class="description">{i.description.clone()}</p>
                {url}
                <p class="version">{format!("{} {} · {}", i.evr(), i.arch, i.repo)}</p>
            </section>
        }
    });
    let lines = overview.release_lines();
    view! {
        {about}
        {install}
        <div class="overview-cards">
            <ReleaseTable lines/>
            {overview.maintainers.map(|m| view! { <MaintainerList part=m/> })}
            {overview.latest_build.map(|b| view! { <LatestBuild part=b/> })}
            {overview.bugs.map(|b| view! { <OpenBugs part=b source=source.clone()/> })}
        </div>
        <ExternalLinks source/>
    }
}

/// The binary people most likely want: `python3-foo` for `python-foo`, else
/// the first that is not docs, devel or tests.
fn main_binary(source: &str, binaries: &[String]) -> Option<String> {
    let python3 = source.strip_prefix("python-").map(|stem| format!("python3-{stem}"));
    if let Some(p) = python3.filter(|p| binaries.contains(p)) {
        return Some(p);
    }
    let minor = |n: &String| ["-doc", "-docs", "-devel", "-tests", "-debuginfo"].iter().any(|s| n.ends_with(s));
    binaries.iter().find(|n| !minor(n)).or(binaries.first()).cloned()
}

#[cfg(test)]
mod tests {
    use super::main_binary;

    #[test]
    fn install_line_picks_the_library_or_the_first_real_binary() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            main_binary("python-bugzilla", &names(&["python-bugzilla-cli", "python3-bugzilla"])).as_deref(),
            Some("python3-bugzilla")
        );
        assert_eq!(main_binary("foo", &names(&["foo-doc", "foo-libs"])).as_deref(), Some("foo-libs"));
        assert_eq!(main_binary("foo", &names(&["foo-doc"])).as_deref(), Some("foo-doc"));
    }
}

#[component]
fn ReleaseTable(lines: Vec<ReleaseLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <section class="card releases"><h2>"Releases"</h2><p class="empty">"Not in any active release."</p></section> }.into_any();
    }
    let cell = |v: Option<(String, Option<String>)>| match v {
        Some((version, Some(url))) => match links::safe_href(&url) {
            Some(href) => view! { <a href=href>{version}</a> }.into_any(),
            None => view! { <span>{version}</span> }.into_any(),
        },
        Some((version, None)) => view! { <span>{version}</span> }.into_any(),
        None => view! { <span class="none">"—"</span> }.into_any(),
    };
    let rows = lines
        .into_iter()
        .map(|l| view! { <tr data-branch=l.branch.clone()><th>{l.label}</th><td>{cell(l.stable)}</td><td>{cell(l.testing)}</td></tr> })
        .collect_view();
    view! {
        <section class="card releases">
            <h2>"Releases"</h2>
            <table>
                <thead><tr><th>"Release"</th><th>"Stable"</th><th>"Testing"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn MaintainerList(part: Part<Maintainers>) -> impl IntoView {
    let m = part.value;
    let people = |title: &'static str, list: Vec<String>| {
        (!list.is_empty()).then(|| {
            let links = list
                .into_iter()
                .map(|u| {
                    let href = links::distgit_user(&u);
                    view! { <li><a href=href>{u}</a></li> }
                })
                .collect_view();
            view! { <h3>{title}</h3> <ul>{links}</ul> }
        })
    };
    let orphaned = m
        .orphaned()
        .then(|| view! { <p class="orphaned"><strong>"Orphaned:"</strong> " this package has no maintainer."</p> });
    view! {
        <section class="card maintainers">
            <h2>"Maintainers"</h2>
            {orphaned}
            {people("Owner", m.owners.into_iter().filter(|o| o != "orphan").collect())}
            {people("Admins", m.admins)}
            {people("Committers", m.committers)}
            {people("Collaborators", m.collaborators)}
            {people("Groups", m.groups)}
        </section>
    }
}

#[component]
fn LatestBuild(part: Part<Option<BuildSummary>>) -> impl IntoView {
    let body = match part.value {
        Some(b) => view! {
            <p>
                <a href=links::koji_build(b.build_id)>{b.nvr}</a>
                " " <span class=format!("state state-{}", b.state.label())>{b.state.label()}</span>
                {b.finished.map(|t| view! { " " <time datetime=iso(&t)>{utc_minutes(&t)}</time> })}
            </p>
        }
        .into_any(),
        None => view! { <p class="empty">"No builds in Koji."</p> }.into_any(),
    };
    view! { <section class="card latest-build"><h2>"Latest build"</h2>{body}</section> }
}

#[component]
fn OpenBugs(part: Part<BugCounts>, source: String) -> impl IntoView {
    let n = part.value.open;
    view! {
        <section class="card open-bugs">
            <h2>"Open bugs"</h2>
            <p><a href=Tab::Bugs.href(&source)><strong class="count">{n}</strong> {if n == 1 { " open bug" } else { " open bugs" }}</a></p>
        </section>
    }
}

#[component]
fn ExternalLinks(source: String) -> impl IntoView {
    view! {
        <nav class="external-links" aria-label="This package elsewhere">
            <a href=links::koji_search(&source)>"Koji"</a>
            <a href=links::bodhi_updates(&source)>"Bodhi"</a>
            <a href=links::bugzilla_open(&source)>"Bugzilla"</a>
            <a href=links::distgit(&source)>"dist-git"</a>
        </nav>
    }
}
