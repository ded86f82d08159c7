//! `/gallery`: every shared component and tab body, and `/gallery/{component}/{story}`:
//! one of them in one state, with its props and the file to edit. On in
//! debug builds and on a demo database; elsewhere only with `GALLERY=on`.
//!
//! Rendered on the server only, like every page outside its islands: the
//! gallery adds nothing to what a browser downloads. A story of an island
//! (the search box) hydrates it as a page would.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::tabs::{
    BugsBody, BuildsBody, ChangelogBody, ContentsBody, DependenciesBody, OverviewBody, RecentEvents, SourcesBody,
    UpdatesBody,
};
use crate::components::{
    set_status, BadgeSnippet, ErrorPanel, FileTree, PackageHeading, PageTitle, ProvidesResultsList, ReleaseSelector,
    SearchBox, SearchResultsList, SiteHeader, TabBar, TabFrame, TabLoading, UpdatedAt,
};
use crate::error::AppError;
use crate::model::gallery::{GalleryEntry, Story, StoryProps, TabData, TabState};
use crate::model::{url_segment, Tab};

#[server(endpoint = "gallery", input = server_fn::codec::GetUrl)]
pub async fn gallery_index() -> Result<Vec<GalleryEntry>, AppError> {
    let state = crate::read::context()?;
    crate::read::gallery_index(&state.pool).await
}

#[server(endpoint = "gallery/story", input = server_fn::codec::GetUrl)]
pub async fn gallery_story(component: String, story: String) -> Result<Story, AppError> {
    let state = crate::read::context()?;
    crate::read::gallery_story(&state.pool, &component, &story).await
}

/// The link to one story.
pub fn story_href(component: &str, story: &str) -> String {
    format!("/gallery/{}/{}", url_segment(component), url_segment(story))
}

/// `/gallery`: every component, each with its stories.
#[component]
pub fn GalleryPage() -> impl IntoView {
    let index = Resource::new(|| (), |_| gallery_index());
    view! {
        <PageTitle text="Component gallery — Fedora Packages".to_string()/>
        <SiteHeader/>
        <main class="gallery">
            <h1>"Component gallery"</h1>
            <p>"Every shared component and tab body, alone, in each state it can be in. Pick one, edit its file, and the page reloads."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match index.await {
                        Ok(entries) => entries.into_iter().map(|e| view! { <GalleryEntryView entry=e/> }).collect_view().into_any(),
                        Err(_) => {
                            set_status(404);
                            view! { <p>"The gallery is off here."</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn GalleryEntryView(entry: GalleryEntry) -> impl IntoView {
    let links = entry
        .stories
        .iter()
        .map(|s| view! { <li><a href=story_href(&entry.component, s)>{s.clone()}</a></li> })
        .collect_view();
    view! {
        <section class="gallery-entry">
            <h2>{entry.component.clone()}</h2>
            <p class="file"><code>{entry.file.clone()}</code></p>
            <ul class="stories">{links}</ul>
        </section>
    }
}

/// `/gallery/{component}/{story}`.
#[component]
pub fn StoryPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (p.get("component").unwrap_or_default(), p.get("story").unwrap_or_default())
    };
    let story = Resource::new(key, |(c, s)| gallery_story(c, s));
    view! {
        <PageTitle text=move || format!("{} · {} — Gallery — Fedora Packages", key().0, key().1)/>
        <main class="story">
            <p class="crumbs"><a href="/gallery">"Gallery"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match story.await {
                        Ok(s) => view! { <StoryFrame story=s/> }.into_any(),
                        Err(_) => {
                            set_status(404);
                            view! { <h1>"No such story"</h1> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn StoryFrame(story: Story) -> impl IntoView {
    let props = serde_json::to_string_pretty(&story.props).unwrap_or_default();
    view! {
        <h1>{story.component.clone()} " · " {story.name.clone()}</h1>
        <p class="file">"Edit " <code>{story.file.clone()}</code></p>
        <div class="story-canvas" data-component=story.component.clone() data-story=story.name.clone()>
            <StoryView props=story.props/>
        </div>
        <details class="story-props">
            <summary>"Props (JSON)"</summary>
            <pre tabindex="0">{props}</pre>
        </details>
    }
}

/// A story's component, rendered with the story's props.
#[component]
pub fn StoryView(props: StoryProps) -> impl IntoView {
    match props {
        StoryProps::Tab { name, state } => view! { <TabStory name state/> }.into_any(),
        StoryProps::RecentEvents(events) => view! { <RecentEvents events/> }.into_any(),
        StoryProps::TabBar { name } => {
            let branch: Option<String> = None;
            view! { <TabBar name active=Tab::Overview branch/> }.into_any()
        }
        StoryProps::SearchBox { value } => view! { <SearchBox value/> }.into_any(),
        StoryProps::SiteHeader { query } => view! { <SiteHeader query/> }.into_any(),
        StoryProps::ReleaseSelector { branches, selected, path } => {
            view! { <ReleaseSelector branches selected path/> }.into_any()
        }
        StoryProps::UpdatedAt { at } => view! { <UpdatedAt at/> }.into_any(),
        StoryProps::FileTree { files } => view! { <FileTree files/> }.into_any(),
        StoryProps::ErrorPanel => view! { <ErrorPanel error=AppError::Internal retry=|| ()/> }.into_any(),
        StoryProps::PackageHeading { header } => view! { <PackageHeading header/> }.into_any(),
        StoryProps::SearchResults { results } => view! { <SearchResultsList results/> }.into_any(),
        StoryProps::ProvidesResults { results } => view! { <ProvidesResultsList results/> }.into_any(),
        StoryProps::BadgeSnippet { name, site_url, branch } => {
            view! { <BadgeSnippet name site_url branch/> }.into_any()
        }
    }
}

/// A tab as its page shows it: its frame around the body.
#[component]
fn TabStory(name: String, state: TabState) -> impl IntoView {
    let body = match state {
        TabState::Loading(tab) => view! { <TabLoading tab/> }.into_any(),
        TabState::Failed(_) => view! { <ErrorPanel error=AppError::Internal retry=|| ()/> }.into_any(),
        TabState::Loaded(data) => {
            let tab = data.tab();
            match *data {
                TabData::Overview(view) => {
                    view! { <TabFrame tab name view render=|overview, ctx| view! { <OverviewBody overview ctx/> }/> }
                        .into_any()
                }
                TabData::Builds(view) => {
                    view! { <TabFrame tab name view render=|builds, _| view! { <BuildsBody builds/> }/> }.into_any()
                }
                TabData::Updates(view) => view! {
                    <TabFrame tab name view render=|updates, ctx| view! { <UpdatesBody updates owner=ctx.owner/> }/>
                }
                .into_any(),
                TabData::Bugs(view) => {
                    view! { <TabFrame tab name view render=|bugs, ctx| view! { <BugsBody bugs owner=ctx.owner/> }/> }
                        .into_any()
                }
                TabData::Contents(view) => {
                    view! { <TabFrame tab name view render=|contents, _| view! { <ContentsBody contents/> }/> }
                        .into_any()
                }
                TabData::Changelog(view) => {
                    view! { <TabFrame tab name view render=|log, _| view! { <ChangelogBody log/> }/> }.into_any()
                }
                TabData::Dependencies(view) => {
                    view! { <TabFrame tab name view render=|deps, _| view! { <DependenciesBody deps/> }/> }.into_any()
                }
                TabData::Sources(view) => view! {
                    <TabFrame tab name view render=|sources, ctx| view! { <SourcesBody sources owner=ctx.owner/> }/>
                }
                .into_any(),
            }
        }
    };
    view! { <section class="tab-content">{body}</section> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests;
