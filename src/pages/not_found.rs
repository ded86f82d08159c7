use leptos::prelude::*;

use crate::components::{set_status, PageTitle, SiteHeader};

/// Any URL the site does not know (an unknown tab, a mistyped path): 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <PageTitle text="Page not found — Fedora Packages".to_string()/>
        <SiteHeader/>
        <main class="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. Search for a package instead:"</p>
        </main>
    }
}
