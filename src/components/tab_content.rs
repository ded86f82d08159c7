use leptos::prelude::*;

use super::{ErrorPanel, ReleaseSelector, UpdatedAt};
use crate::error::AppError;
use crate::hooks::resource::PageResource;
use crate::model::{Tab, TabPayload, TabView};

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
pub fn TabContent<T, F, V>(tab: Tab, resource: PageResource<Result<TabView<T>, AppError>>, render: F) -> impl IntoView
where
    T: TabPayload + PartialEq,
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

/// What the live updates compare of a shown tab.
#[derive(Clone, PartialEq)]
struct Shown {
    at: Option<chrono::DateTime<chrono::Utc>>,
    digest: u64,
    headline: Option<String>,
}

/// Refetches the tab in place when the page's live stream says its rows
/// were refreshed (even with the same data: the refresh time moves), keeps
/// the reader's open and closed sections, and returns the polite note
/// screen readers hear when the rows changed ("New build: …"). The generic
/// part is this one line: the rest is compiled once, not once per tab.
fn follow_changes<T: TabPayload>(tab: Tab, resource: PageResource<Result<TabView<T>, AppError>>) -> RwSignal<String> {
    let shown = Signal::derive(move || {
        resource.with(|r| {
            let v = r.as_ref()?.as_ref().ok()?;
            Some(Shown { at: v.fetched_at, digest: v.digest, headline: v.headline.clone() })
        })
    });
    live_note(tab, shown, Callback::new(move |()| resource.refetch()))
}

fn live_note(tab: Tab, shown: Signal<Option<Shown>>, refetch: Callback<()>) -> RwSignal<String> {
    let note = RwSignal::new(String::new());
    let Some(live) = use_context::<crate::hooks::live::LiveUpdates>() else {
        return note;
    };
    let branch = crate::hooks::branch_param();
    let selector = StoredValue::new(format!("section.tab-content[data-tab={}]", tab.slug()));
    // What the tab showed before the refetch, to tell new rows from a new time.
    let before = StoredValue::new(None::<Shown>);
    let open = StoredValue::new(Vec::<(String, bool)>::new());
    Effect::new(move |seen: Option<i64>| {
        let change = live.last.get();
        let id = change.as_ref().map_or(0, |c| c.id);
        if let (Some(seen), Some(change)) = (seen, change) {
            if id != seen && change.touches(tab, branch.get_untracked().as_deref()) {
                before.set_value(shown.get_untracked());
                open.set_value(crate::hooks::live::details_state(&selector.get_value()));
                refetch.run(());
            }
        }
        id
    });
    Effect::new(move |_| {
        let Some(now) = shown.get() else { return };
        // Still the tab as it was (the refetch has not answered yet).
        let Some(old) = before.get_value().filter(|old| old.at != now.at) else { return };
        before.set_value(None);
        crate::hooks::live::restore_details(selector.get_value(), open.get_value());
        if old.digest != now.digest {
            note.set(match now.headline {
                Some(h) if Some(&h) != old.headline.as_ref() => h,
                _ => format!("{} changed", tab.label()),
            });
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
