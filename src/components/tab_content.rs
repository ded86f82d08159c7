use leptos::prelude::*;

use super::{ReleaseSelector, UpdatedAt};
use crate::model::{Tab, TabView};

/// What a tab's body knows besides its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct TabContext {
    /// The package whose page this is.
    pub name: String,
    /// Whose row is shown: the source package for source-level tabs.
    pub owner: String,
    pub branch: Option<String>,
}

/// A tab's rows as the package page shows them: [`TabFrame`] (then
/// `children`, if any) inside the element the page swaps in place. It
/// carries what an open tab compares when it refreshes itself: `data-digest`
/// tells new rows from a new refresh time, `data-headline` is the row a
/// reader would call new ("New build: …").
#[component]
pub fn TabBody<T, F, V>(
    tab: Tab,
    name: String,
    view: TabView<T>,
    render: F,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    F: Fn(T, TabContext) -> V,
    V: IntoView + 'static,
{
    let (digest, headline) = (view.digest.to_string(), view.headline.clone());
    view! {
        <div class="tab-body" data-tab=tab.slug() data-digest=digest data-headline=headline>
            <TabFrame tab name view render/>
            {children.map(|c| c())}
        </div>
    }
}

/// A tab's markup, as its server function answers it: `tab` rendered
/// outside any page (it reads no page context).
#[cfg(feature = "ssr")]
pub fn tab_part<V: IntoView + 'static>(tab: impl FnOnce() -> V) -> crate::model::TabPart {
    crate::model::TabPart { html: Owner::new().with(|| tab().to_html()) }
}

/// A tab while its row loads.
#[component]
pub fn TabLoading(tab: Tab) -> impl IntoView {
    view! { <p class="loading">"Loading " {tab.label().to_lowercase()} "…"</p> }
}

/// A loaded tab of package `name`: where its data comes from (the source
/// package's for source-level tabs), the release selector, the refresh
/// time, and `render` drawing the payload; "not fetched yet" for a row that
/// does not exist.
#[component]
pub fn TabFrame<T, F, V>(tab: Tab, name: String, view: TabView<T>, render: F) -> impl IntoView
where
    F: Fn(T, TabContext) -> V,
    V: IntoView + 'static,
{
    let inherited = (view.owner != name).then(|| {
        let href = tab.href(&view.owner);
        let owner = view.owner.clone();
        view! {
            <p class="inherited">
                {format!("{} of the source package ", tab.label())}
                <a href=href>{owner}</a>
                {format!(", which {name} is built from.")}
            </p>
        }
    });
    let selector = (!view.branches.is_empty()).then(|| {
        view! { <ReleaseSelector branches=view.branches.clone() selected=view.branch.clone() path=tab.href(&name)/> }
    });
    let ctx = TabContext { name, owner: view.owner.clone(), branch: view.branch.clone() };
    let content = match (view.data, view.fetched_at) {
        (Some(data), Some(at)) => view! { <UpdatedAt at/> {render(data, ctx)} }.into_any(),
        _ => view! {
            <p class="never-fetched">
                {format!(
                    "No {} data has been fetched for this package yet. It appears here as soon as the \
                     background worker has read it from upstream.",
                    tab.label().to_lowercase()
                )}
            </p>
        }
        .into_any(),
    };
    view! { {inherited} {selector} {content} }
}
