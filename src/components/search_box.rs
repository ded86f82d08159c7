use leptos::prelude::*;

/// The package search form. A plain GET form, so it works without JavaScript.
#[component]
pub fn SearchBox(#[prop(into, optional)] value: String, #[prop(optional)] autofocus: bool) -> impl IntoView {
    view! {
        <form class="search-box" action="/search" method="get" role="search">
            <input
                type="search"
                name="q"
                value=value
                placeholder="Search packages"
                aria-label="Search packages"
                maxlength="1000"
                autofocus=autofocus
            />
            <button type="submit">"Search"</button>
        </form>
    }
}
