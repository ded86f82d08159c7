//! The HTML shell and the one route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::model::Tab;
use crate::pages::gallery::{GalleryPage, StoryPage};
use crate::pages::package::{PackagePage, TabPage};
use crate::pages::{home::HomePage, not_found::NotFoundPage, provides::ProvidesPage, search::SearchPage};

/// The document around every page, rendered on the server.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    // Islands: the page outside them is never hydrated, so it carries no
    // hydration markers and no serialized resources (Leptos's own
    // `HydrationScripts` does this; ours is rendered once, in `asset_tags`).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="search" type="application/opensearchdescription+xml" title="Fedora Packages" href="/opensearch.xml"/>
                <AutoReload options=options.clone()/>
                {asset_tags(&options)}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet link and the hydration scripts, rendered once per
/// process: Leptos's `HashedStylesheet` and `HydrationScripts` find the
/// hashed file names by reading `hash.txt` beside the binary on every page
/// they render (a readlink and two file reads per page). The head is never
/// hydrated, so the markup can be sent as it is.
#[cfg(feature = "ssr")]
fn asset_tags(options: &LeptosOptions) -> impl IntoView {
    use leptos::either::Either;
    use leptos::tachys::html::InertElement;
    use leptos_meta::HashedStylesheet;
    use std::sync::OnceLock;
    let tags = |options: LeptosOptions| {
        view! {
            <HashedStylesheet options=options.clone() id="leptos"/>
            <HydrationScripts options islands=true/>
        }
    };
    // On a thread of its own: rendering sets that thread's current owner,
    // which the page being rendered on this one relies on. No request
    // context there either (its nonce is not used by our hash-based CSP).
    let render = move |options: LeptosOptions| {
        std::thread::spawn(move || Owner::new().with(|| tags(options).to_html())).join().ok()
    };
    // One process serves one site; should other options come (tests), they
    // are rendered as usual.
    let key = |o: &LeptosOptions| format!("{}\n{}\n{}\n{}", o.output_name, o.site_pkg_dir, o.site_root, o.hash_files);
    static TAGS: OnceLock<(String, Option<String>)> = OnceLock::new();
    match TAGS.get_or_init(|| (key(options), render(options.clone()))) {
        (for_options, Some(html)) if *for_options == key(options) => Either::Left(InertElement::new(html.as_str())),
        _ => Either::Right(tags(options.clone())),
    }
}

/// Every URL the site answers. Package pages render completely before the
/// response starts (`SsrMode::Async`) so an unknown package is a real 404.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // One tab of the package page.
    let tab = |tab: Tab| move || view! { <TabPage tab/> };
    view! {
        <Title text="Fedora Packages"/>
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                <Route path=path!("/provides") view=ProvidesPage ssr=SsrMode::Async/>
                <Route path=path!("/gallery") view=GalleryPage ssr=SsrMode::Async/>
                <Route path=path!("/gallery/:component/:story") view=StoryPage ssr=SsrMode::Async/>
                <ParentRoute path=path!("/packages/:name") view=PackagePage ssr=SsrMode::Async>
                    <Route path=path!("") view=tab(Tab::Overview) ssr=SsrMode::Async/>
                    <Route path=path!("overview") view=tab(Tab::Overview) ssr=SsrMode::Async/>
                    <Route path=path!("builds") view=tab(Tab::Builds) ssr=SsrMode::Async/>
                    <Route path=path!("updates") view=tab(Tab::Updates) ssr=SsrMode::Async/>
                    <Route path=path!("bugs") view=tab(Tab::Bugs) ssr=SsrMode::Async/>
                    <Route path=path!("contents") view=tab(Tab::Contents) ssr=SsrMode::Async/>
                    <Route path=path!("changelog") view=tab(Tab::Changelog) ssr=SsrMode::Async/>
                    <Route path=path!("dependencies") view=tab(Tab::Dependencies) ssr=SsrMode::Async/>
                    <Route path=path!("sources") view=tab(Tab::Sources) ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
