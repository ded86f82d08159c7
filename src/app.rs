//! The HTML shell and the one route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::pages::gallery::{GalleryPage, StoryPage};
use crate::pages::package::{
    bugs::BugsTab, builds::BuildsTab, changelog::ChangelogTab, contents::ContentsTab, dependencies::DependenciesTab,
    overview::OverviewTab, sources::SourcesTab, updates::UpdatesTab, PackagePage,
};
use crate::pages::{home::HomePage, not_found::NotFoundPage, provides::ProvidesPage, search::SearchPage};

/// The document around every page, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="search" type="application/opensearchdescription+xml" title="Fedora Packages" href="/opensearch.xml"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Every URL the site answers. Package pages render completely before the
/// response starts (`SsrMode::Async`) so an unknown package is a real 404.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Marks the document once the browser bundle has taken over (tests wait on it).
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
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
                    <Route path=path!("") view=OverviewTab ssr=SsrMode::Async/>
                    <Route path=path!("overview") view=OverviewTab ssr=SsrMode::Async/>
                    <Route path=path!("builds") view=BuildsTab ssr=SsrMode::Async/>
                    <Route path=path!("updates") view=UpdatesTab ssr=SsrMode::Async/>
                    <Route path=path!("bugs") view=BugsTab ssr=SsrMode::Async/>
                    <Route path=path!("contents") view=ContentsTab ssr=SsrMode::Async/>
                    <Route path=path!("changelog") view=ChangelogTab ssr=SsrMode::Async/>
                    <Route path=path!("dependencies") view=DependenciesTab ssr=SsrMode::Async/>
                    <Route path=path!("sources") view=SourcesTab ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
