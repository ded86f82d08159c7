//! The package page: header, then the tab bar and the active tab, which
//! switch and refresh in place in the browser (`live_tabs`, the page's
//! island). Each tab's file holds its server function, which answers the
//! tab's markup.

pub mod bugs;
pub mod builds;
pub mod changelog;
pub mod contents;
pub mod dependencies;
pub mod live_tabs;
pub mod overview;
pub mod sources;
pub mod updates;

use futures::future::BoxFuture;
use leptos::prelude::*;
use leptos::tachys::html::InertElement;
use leptos_meta::{Link, Meta};
use leptos_router::components::Outlet;

use crate::components::{set_status, ErrorPanel, PackageHeading, PageTitle, SearchBox, SiteHeader, TabLoading};
use crate::error::AppError;
use crate::hooks::{active_tab, branch_param, package_name};
use crate::model::{url_query, url_segment, PackageHeader, Tab, TabPart};
use crate::pages::search::SearchResultList;
use live_tabs::LiveTabs;

/// The package row behind the header.
#[server(endpoint = "package", input = server_fn::codec::GetUrl)]
pub async fn get_package_header(name: String) -> Result<PackageHeader, AppError> {
    let state = crate::read::context()?;
    crate::read::header(&state.pool, &name, &state.site_url).await
}

/// A tab's markup, from its server function (for the tabs that read one,
/// in `branch`).
pub fn fetch_tab(tab: Tab, name: String, branch: Option<String>) -> BoxFuture<'static, Result<TabPart, AppError>> {
    use futures::FutureExt;
    match tab {
        Tab::Overview => overview::get_overview(name, branch).boxed(),
        Tab::Builds => builds::get_builds(name).boxed(),
        Tab::Updates => updates::get_updates(name).boxed(),
        Tab::Bugs => bugs::get_bugs(name).boxed(),
        Tab::Contents => contents::get_contents(name, branch).boxed(),
        Tab::Changelog => changelog::get_changelog(name, branch).boxed(),
        Tab::Dependencies => dependencies::get_dependencies(name, branch).boxed(),
        Tab::Sources => sources::get_sources(name).boxed(),
    }
}

/// The `<title>` of `tab` of package `name`.
pub fn tab_title(name: &str, tab: Tab) -> String {
    match tab {
        Tab::Overview => format!("{name} — Fedora Packages"),
        t => format!("{name}: {} — Fedora Packages", t.label()),
    }
}

/// The canonical address of `tab` of package `name` (in `branch`, for the
/// tabs that differ per release).
pub fn canonical_url(site_url: &str, name: &str, tab: Tab, branch: Option<&str>) -> String {
    let mut url = format!("{site_url}{}", tab.href(name));
    if let (true, Some(b)) = (tab.per_branch(), branch) {
        url.push_str(&format!("?branch={}", url_query(b)));
    }
    url
}

/// `/packages/{name}` and `/packages/{name}/{tab}`.
#[component]
pub fn PackagePage() -> impl IntoView {
    let name = package_name();
    let header = Resource::new(move || name.get(), get_package_header);
    let (tab, branch) = (active_tab(), branch_param());
    view! {
        <SiteHeader/>
        <main class="package-page">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match header.await {
                        Ok(h) => view! {
                            <PackageMeta header=h.clone()/>
                            <PackageHeading header=h.clone()/>
                            <LiveTabs
                                name=h.name
                                tab=tab.get_untracked()
                                branch=branch.get_untracked()
                                since=h.live_version
                                site_url=h.site_url
                            >
                                <Outlet/>
                            </LiveTabs>
                        }
                        .into_any(),
                        Err(AppError::NotFound { name, other_case }) => {
                            set_status(404);
                            view! { <PackageNotFound name other_case/> }.into_any()
                        }
                        Err(error) => {
                            set_status(500);
                            view! { <ErrorPanel error retry=|| ()/> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

/// One tab, as the server renders it below the tab bar (in the browser,
/// [`LiveTabs`] switches and refreshes it from then on).
#[component]
pub fn TabPage(tab: Tab) -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let part = Resource::new(move || (name.get(), branch.get()), move |(name, branch)| fetch_tab(tab, name, branch));
    view! {
        <Suspense fallback=move || view! { <TabLoading tab/> }>
            {move || Suspend::new(async move {
                match part.await {
                    Ok(part) => InertElement::new(part.html).into_any(),
                    // The page header already says there is no such package.
                    Err(AppError::NotFound { .. }) => ().into_any(),
                    // A real status: an error panel is never cached or indexed.
                    Err(error) => {
                        set_status(500);
                        view! { <div class="tab-body"><ErrorPanel error retry=|| ()/></div> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Title, description and canonical link of the current tab.
#[component]
fn PackageMeta(header: PackageHeader) -> impl IntoView {
    let (tab, branch) = (active_tab(), branch_param());
    let name = header.name.clone();
    let title = {
        let name = name.clone();
        move || tab_title(&name, tab.get())
    };
    let feed = format!("/packages/{}/feed.atom", url_segment(&header.name));
    let page_url = format!("{}{}", header.site_url, Tab::Overview.href(&header.name));
    let canonical = canonical_url(&header.site_url, &name, tab.get_untracked(), branch.get_untracked().as_deref());
    let description = if header.summary.is_empty() {
        format!("{} in Fedora: builds, updates, bugs, files and dependencies.", header.name)
    } else {
        format!("{}: {}", header.name, header.summary)
    };
    view! {
        <PageTitle text=title/>
        <Meta name="description" content=description.clone()/>
        <Link rel="alternate" type_="application/atom+xml" title=format!("{} — recent activity", header.name) href=feed/>
        // Link previews (chat, social sites) read these.
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content="Fedora Packages"/>
        <Meta property="og:title" content=format!("{} — Fedora Packages", header.name)/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=page_url/>
        <Link rel="canonical" href=canonical/>
    }
}

/// No package of that name: a 404 that helps find the right one.
#[component]
fn PackageNotFound(name: String, other_case: Vec<String>) -> impl IntoView {
    let suggestions = (!other_case.is_empty()).then(|| {
        let links = other_case
            .iter()
            .map(|n| view! { <li><a href=format!("/packages/{}", url_segment(n))>{n.clone()}</a></li> })
            .collect_view();
        view! {
            <div class="other-case">
                <p>"Did you mean:"</p>
                <ul>{links}</ul>
            </div>
        }
    });
    view! {
        <PageTitle text=format!("No package named {name} — Fedora Packages")/>
        <div class="package-not-found">
            <h1>"No package named “" {name.clone()} "”"</h1>
            {suggestions}
            <SearchBox value=name.clone()/>
            <h2>"Packages matching “" {name.clone()} "”"</h2>
            <SearchResultList query=name page=1/>
        </div>
    }
}
