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

use crate::components::{set_status, ErrorPanel, PageTitle, SearchBox, SiteHeader, TabBar};
use crate::error::AppError;
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
    let header = Resource::new(move || name.get(), get_package_header);
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
        <Meta name="description" content=description/>
        {canonical}
    }
}

/// Name, summary, and the link between a source package and its sub-packages.
#[component]
fn PackageHeading(header: PackageHeader) -> impl IntoView {
    let source_link = header.is_sub_package().then(|| {
        let href = Tab::Overview.href(&header.source_name);
        view! {
            <p class="source-package">
                "Sub-package of " <a href=href>{header.source_name.clone()}</a>
            </p>
        }
    });
    let subs = (!header.sub_packages.is_empty()).then(|| {
        let links = header
            .sub_packages
            .iter()
            .map(|s| view! { <li><a href=Tab::Overview.href(s)>{s.clone()}</a></li> })
            .collect_view();
        view! {
            <div class="sub-packages">
                <span>"Sub-packages:"</span>
                <ul>{links}</ul>
            </div>
        }
    });
    let retired = (!header.retired_in.is_empty()).then(|| {
        view! {
            <p class="retired" role="note">
                <strong>{format!("Retired in {}.", header.retired_in.join(", "))}</strong>
                " The package is no longer shipped there; the last data seen is shown."
            </p>
        }
    });
    view! {
        <div class="package-heading">
            <h1>{header.name.clone()}</h1>
            <p class="summary">{header.summary.clone()}</p>
            {retired}
            {source_link}
            {subs}
        </div>
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
