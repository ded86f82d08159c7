use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use super::{ErrorPanel, ReleaseSelector, UpdatedAt};
use crate::error::AppError;
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

/// The frame every tab shares, around the page's resource: a loading state
/// while its row loads, an error with a retry, then [`TabFrame`].
#[component]
pub fn TabContent<T, F, V>(tab: Tab, resource: Resource<Result<TabView<T>, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T, TabContext) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let (pending, set_pending) = signal(false);
    let name = crate::hooks::package_name();
    let note = follow_changes(tab, resource);
    view! {
        <section class="tab-content" data-tab=tab.slug() class:pending=pending aria-busy=move || pending.get().to_string()>
            <p class="live-note" aria-live="polite">{move || note.get()}</p>
            <Transition fallback=move || view! { <TabLoading tab/> } set_pending>
                {move || {
                    let render = render.clone();
                    Suspend::new(async move {
                        match resource.await {
                            Ok(view) => {
                                view! { <TabFrame tab name=name.get_untracked() view render/> }.into_any()
                            }
                            // The page header already says there is no such package.
                            Err(AppError::NotFound { .. }) => ().into_any(),
                            // A real status: an error panel is never cached or indexed.
                            Err(error) => {
                                super::set_status(500);
                                view! { <ErrorPanel error retry=move || resource.refetch()/> }.into_any()
                            }
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// Refetches the tab in place when the page's live stream says its rows
/// were refreshed (even with the same data: the refresh time moves), keeps
/// the reader's open and closed sections, and returns the polite note
/// screen readers hear when the rows changed ("New build: …").
fn follow_changes<T>(tab: Tab, resource: Resource<Result<TabView<T>, AppError>>) -> RwSignal<String>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let note = RwSignal::new(String::new());
    let Some(live) = use_context::<crate::hooks::live::LiveUpdates>() else {
        return note;
    };
    let branch = crate::hooks::branch_param();
    let selector = StoredValue::new(format!("section.tab-content[data-tab={}]", tab.slug()));
    // What the tab showed before the refetch, to tell new rows from a new time.
    type Seen = (Option<chrono::DateTime<chrono::Utc>>, serde_json::Value);
    let before = StoredValue::new(None::<Seen>);
    let open = StoredValue::new(Vec::<(String, bool)>::new());
    Effect::new(move |seen: Option<i64>| {
        let change = live.last.get();
        let id = change.as_ref().map_or(0, |c| c.id);
        if let (Some(seen), Some(change)) = (seen, change) {
            if id != seen && change.touches(tab, branch.get_untracked().as_deref()) {
                let shown = resource.get_untracked().and_then(|r| r.ok());
                before.set_value(shown.map(|v| (v.fetched_at, serde_json::to_value(v.data).unwrap_or_default())));
                open.set_value(crate::hooks::live::details_state(&selector.get_value()));
                resource.refetch();
            }
        }
        id
    });
    Effect::new(move |_| {
        let Some(Ok(view)) = resource.get() else { return };
        // Still the tab as it was (the refetch has not answered yet).
        let Some((_, old)) = before.get_value().filter(|(at, _)| *at != view.fetched_at) else { return };
        before.set_value(None);
        crate::hooks::live::restore_details(selector.get_value(), open.get_value());
        let new = serde_json::to_value(&view.data).unwrap_or_default();
        if new != old {
            note.set(crate::model::live::headline(tab, &old, &new));
        }
    });
    note
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
