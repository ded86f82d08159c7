use leptos::prelude::*;

use super::SearchBox;

/// The bar on top of every page: the site name and the search box.
#[component]
pub fn SiteHeader(#[prop(into, optional)] query: String) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="site-name" href="/">"Fedora Packages"</a>
            <SearchBox value=query/>
        </header>
    }
}
