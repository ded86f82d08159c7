//! The package page: header, tab bar, and the active tab below it.

pub mod bugs;
pub mod builds;
pub mod changelog;
pub mod contents;
pub mod dependencies;
pub mod overview;
pub mod sources;
pub mod updates;

use leptos::prelude::*;
use leptos_meta::{Link, Meta};
use leptos_router::components::Outlet;

use crate::components::{set_status, ErrorPanel, PackageHeading, PageTitle, SearchBox, SiteHeader, TabBar};
use crate::error::AppError;
use crate::hooks::resource::{page_resource, PageResource};
use crate::hooks::tab_cache::TabCache;
use crate::hooks::{active_tab, branch_param, package_name};
use crate::model::{url_query, url_segment, PackageHeader, Tab};
use crate::pages::search::SearchResultList;

/// The package row behind the header.
#[server(endpoint = "package", input = server_fn::codec::GetUrl)]
pub async fn get_package_header(name: String) -> Result<PackageHeader, AppError> {
    let state = crate::read::context()?;
    crate::read::header(&state.pool, &name, &state.site_url).await
}

/// `/packages/{name}` and `/packages/{name}/{tab}`.
#[component]
pub fn PackagePage() -> impl IntoView {
    let name = package_name();
    let header = page_resource(move || name.get(), get_package_header);
    follow_old_fragment(name);
    // Only a header of this very name says what version the page shows.
    let read_at =
        Callback::new(move |name: String| header.get_untracked()?.ok().filter(|h| h.name == name)?.live_version);
    crate::hooks::live::follow_live(name, read_at);
    let cache = TabCache::provide();
    read_ahead(cache, name, header);
    view! {
        <SiteHeader/>
        <main class="package-page">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match header.await {
                        Ok(h) => view! { <PackageMeta header=h.clone()/> <PackageHeading header=h.clone()/> <TabBar name=h.name/> }.into_any(),
                        Err(AppError::NotFound { name, other_case }) => {
                            set_status(404);
                            view! { <PackageNotFound name other_case/> }.into_any()
                        }
                        Err(error) => {
                            set_status(500);
                            view! { <ErrorPanel error retry=move || header.refetch()/> }.into_any()
                        }
                    }
                })}
            </Transition>
            <Outlet/>
        </main>
    }
}

/// How long after the page is shown (hydrated, or opened for another
/// package or release) the other tabs are read ahead: not while the page
/// is still starting, and not alongside the request of a reader who clicks
/// a tab at once.
#[cfg(feature = "hydrate")]
const SETTLE: std::time::Duration = std::time::Duration::from_secs(1);

/// Reads every other tab's rows ahead, once the page has settled, so that
/// switching tabs shows the new one at once (`TabCache`). Marks the
/// document `data-tabs-ahead=ready` when they are all held (the benchmark
/// waits on it). In the browser only, for a package that exists.
fn read_ahead(cache: TabCache, name: Memo<String>, header: PageResource<Result<PackageHeader, AppError>>) {
    #[cfg(not(feature = "hydrate"))]
    let _ = (cache, name, header);
    #[cfg(feature = "hydrate")]
    let (branch, shown) = (branch_param(), active_tab());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (name, branch, shown) = (name.get(), branch.get(), shown.get_untracked());
        // Only for a package that exists (its header has loaded).
        if !header.with(|h| matches!(h, Some(Ok(h)) if h.name == name)) {
            return;
        }
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    let reads = Tab::ALL
                        .into_iter()
                        .filter(|&t| t != shown)
                        .map(|t| ahead(t, cache, name.clone(), branch.clone()));
                    if futures::future::join_all(reads).await.into_iter().all(|held| held) {
                        if let Some(root) = document().document_element() {
                            let _ = root.set_attribute("data-tabs-ahead", "ready");
                        }
                    }
                })
            },
            SETTLE,
        );
    });
}

/// One tab's rows read ahead; true if they are held after.
#[cfg(feature = "hydrate")]
fn ahead(
    tab: Tab,
    cache: TabCache,
    name: String,
    branch: Option<String>,
) -> futures::future::LocalBoxFuture<'static, bool> {
    use futures::FutureExt;
    match tab {
        Tab::Overview => cache.read_ahead(name, branch, overview::fetch).boxed_local(),
        Tab::Builds => cache.read_ahead(name, branch, builds::fetch).boxed_local(),
        Tab::Updates => cache.read_ahead(name, branch, updates::fetch).boxed_local(),
        Tab::Bugs => cache.read_ahead(name, branch, bugs::fetch).boxed_local(),
        Tab::Contents => cache.read_ahead(name, branch, contents::fetch).boxed_local(),
        Tab::Changelog => cache.read_ahead(name, branch, changelog::fetch).boxed_local(),
        Tab::Dependencies => cache.read_ahead(name, branch, dependencies::fetch).boxed_local(),
        Tab::Sources => cache.read_ahead(name, branch, sources::fetch).boxed_local(),
    }
}

/// The static site linked a release page's sections by fragment (`#files`,
/// `#changelog`, `#dependencies`); after its redirect the fragment is only
/// in the browser, which opens the matching tab, in the same release.
fn follow_old_fragment(name: Memo<String>) {
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    let branch = branch_param();
    // Effects run in the browser only: the server never sees the fragment.
    Effect::new(move |_| {
        let Some(tab) = crate::model::old_links::fragment_tab(&location.hash.get()) else {
            return;
        };
        let mut to = tab.href(&name.get_untracked());
        if let Some(b) = branch.get_untracked() {
            to.push_str(&format!("?branch={}", url_query(&b)));
        }
        navigate(&to, leptos_router::NavigateOptions { replace: true, ..Default::default() });
    });
}

/// Title, description and canonical link of the current tab.
#[component]
fn PackageMeta(header: PackageHeader) -> impl IntoView {
    let tab = active_tab();
    let branch = branch_param();
    let name = header.name.clone();
    let title = {
        let name = name.clone();
        move || match tab.get() {
            Tab::Overview => format!("{name} — Fedora Packages"),
            t => format!("{name}: {} — Fedora Packages", t.label()),
        }
    };
    let feed = format!("/packages/{}/feed.atom", url_segment(&header.name));
    let page_url = format!("{}{}", header.site_url, Tab::Overview.href(&header.name));
    let canonical = move || {
        let t = tab.get();
        let mut url = format!("{}{}", header.site_url, t.href(&name));
        if let (true, Some(b)) = (t.per_branch(), branch.get()) {
            url.push_str(&format!("?branch={}", url_query(&b)));
        }
        view! { <Link rel="canonical" href=url/> }
    };
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
        {canonical}
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
