//! The dependencies tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/dependencies.rs`).
use leptos::prelude::*;

use crate::model::{Dependencies, Dependency, PackageDeps, Tab};

/// What each binary package requires and provides, resolved to packages, and what requires it.
#[component]
pub fn DependenciesBody(deps: Dependencies) -> impl IntoView {
    if deps.packages.is_empty() && deps.build_requires.is_empty() {
        return view! { <p class="empty">"No dependency data for this release."</p> }.into_any();
    }
    let build = (!deps.build_requires.is_empty()).then(|| {
        let items = deps.build_requires.into_iter().map(|d| view! { <DependencyItem dep=d/> }).collect_view();
        view! {
            <section class="package-deps build-requires">
                <h2>"BuildRequires"</h2>
                <p class="note">"What building the source package needs, from the source repository."</p>
                <div class="relation buildrequires"><ul>{items}</ul></div>
            </section>
        }
    });
    view! {
        {deps.packages.into_iter().map(|p| view! { <PackageDependencies package=p/> }).collect_view()}
        {build}
    }
    .into_any()
}

#[component]
fn PackageDependencies(package: PackageDeps) -> impl IntoView {
    let relations = package
        .relations()
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(title, list)| {
            let items = list.iter().cloned().map(|d| view! { <DependencyItem dep=d/> }).collect_view();
            view! {
                <div class=format!("relation {}", title.to_lowercase())>
                    <h3>{title}</h3>
                    <ul>{items}</ul>
                </div>
            }
        })
        .collect_view();
    let required_by = if package.required_by.is_empty() {
        view! { <p class="empty">"Nothing in this release requires it."</p> }.into_any()
    } else {
        let links = package.required_by.iter().map(|n| view! { <li><PackageLink name=n.clone()/></li> }).collect_view();
        view! { <ul>{links}</ul> }.into_any()
    };
    view! {
        <section class="package-deps">
            <h2>{package.name.clone()} " " <small>{package.evr.clone()}</small></h2>
            {relations}
            <div class="relation required-by">
                <h3>"Required by"</h3>
                {required_by}
            </div>
        </section>
    }
}

#[component]
fn DependencyItem(dep: Dependency) -> impl IntoView {
    let several = dep.provided_by_several();
    let providers = (!dep.providers.is_empty()).then(|| {
        let links = dep.providers.iter().map(|p| view! { <PackageLink name=p.clone()/> }).collect_view();
        let note = several.then(|| view! { " " <span class="several">"(provided by several)"</span> });
        view! { <span class="providers">" → " {links} {note}</span> }
    });
    view! {
        <li>
            <code>{dep.name}</code>
            {dep.constraint.map(|c| view! { " " <code class="constraint">{c}</code> })}
            {providers}
        </li>
    }
}

#[component]
fn PackageLink(name: String) -> impl IntoView {
    view! { <a class="package-link" href=Tab::Overview.href(&name)>{name.clone()}</a> }
}
