//! The part of the package page that runs in the browser (an island: the
//! rest of the page is server-rendered HTML, which ships no code). It holds
//! the tab bar and the tab below it:
//! - tab and release links switch in place: the address bar follows
//!   (`pushState`, and the back button), the markup comes from the tab's
//!   server function, or at once from what the page read ahead
//!   (`hooks::tab_cache`);
//! - the tab shown refetches itself when the live stream (`hooks::live`)
//!   says it changed, keeping the reader's open sections, and says what is
//!   new in a polite live region;
//! - refresh times are reworded "updated 3 minutes ago".
//!
//! Without JavaScript the links are plain links and the page is whole.
use leptos::prelude::*;

use crate::components::{ErrorPanel, TabBar, TabLoading};
use crate::error::AppError;
use crate::hooks::live::{follow_live, LiveUpdates};
use crate::hooks::tab_cache::TabCache;
use crate::model::Tab;

/// What the page shows: a tab, in the release chosen (`?branch=`) if any.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    tab: Tab,
    branch: Option<String>,
}

/// The tab area besides the markup it shows.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Pane {
    /// The markup in the slot is the tab shown.
    Shown,
    /// The tab shown is being read (nothing held for it).
    Loading,
    Failed(AppError),
}

/// The island's state; every part is a handle, so it is copied freely.
/// (On the server it only renders: the browser uses the rest.)
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Page {
    name: StoredValue<String>,
    site_url: StoredValue<String>,
    shown: RwSignal<Shown>,
    pane: RwSignal<Pane>,
    /// A refetch of the tab shown is under way (its old markup stays).
    pending: RwSignal<bool>,
    note: RwSignal<String>,
    /// Where the tab's markup goes: first the server's, then what was read.
    slot: NodeRef<leptos::html::Div>,
    live: LiveUpdates,
    cache: TabCache,
}

/// The tab bar and the tab of package `name` (`children`: the tab as the
/// server rendered it). `since`: the refresh version the page was read at,
/// where its live stream starts.
#[island]
pub fn LiveTabs(
    name: String,
    tab: Tab,
    branch: Option<String>,
    since: Option<i64>,
    site_url: String,
    children: Children,
) -> impl IntoView {
    let live = {
        let name = name.clone();
        follow_live(Memo::new(move |_| name.clone()), Callback::new(move |_: String| since))
    };
    let page = Page {
        name: StoredValue::new(name.clone()),
        site_url: StoredValue::new(site_url),
        shown: RwSignal::new(Shown { tab, branch }),
        pane: RwSignal::new(Pane::Shown),
        pending: RwSignal::new(false),
        note: RwSignal::new(String::new()),
        slot: NodeRef::new(),
        live,
        cache: TabCache::new(Some(live)),
    };
    #[cfg(feature = "hydrate")]
    browser::start(page);
    let active = Signal::derive(move || page.shown.with(|s| s.tab));
    let branch = Signal::derive(move || page.shown.with(|s| s.branch.clone()));
    let retry = move || {
        #[cfg(feature = "hydrate")]
        page.show();
    };
    view! {
        <TabBar name active branch/>
        <section
            class="tab-content"
            data-tab=move || active.get().slug()
            class:pending=move || page.pending.get()
            aria-busy=move || page.pending.get().to_string()
        >
            <p class="live-note" aria-live="polite">{move || page.note.get()}</p>
            {move || match page.pane.get() {
                Pane::Shown => None,
                Pane::Loading => Some(view! { <TabLoading tab=active.get_untracked()/> }.into_any()),
                Pane::Failed(error) => Some(view! { <ErrorPanel error retry/> }.into_any()),
            }}
            <div class="tab-slot" node_ref=page.slot hidden=move || !matches!(page.pane.get(), Pane::Shown)>
                {children()}
            </div>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::ev;
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;

    use super::{Page, Pane, Shown};
    use crate::components::time::ago;
    use crate::hooks::live::{details_state, restore_details};
    use crate::model::route::{query_param, Route};
    use crate::model::{old_links, url_query, Tab};
    use crate::pages::package::{canonical_url, fetch_tab, tab_title};

    /// How long after the page is shown (or another release chosen) the
    /// other tabs are read ahead: not while the page is still starting, and
    /// not alongside the request of a reader who clicks a tab at once.
    const SETTLE: Duration = Duration::from_secs(1);

    /// The tab area the live updates look into.
    const SECTION: &str = "section.tab-content";

    /// What an open tab compares when it refreshes itself (`TabBody`).
    struct Marks {
        digest: Option<String>,
        headline: Option<String>,
    }

    pub(super) fn start(page: Page) {
        // Runs once the island is hydrated, the server's markup in place.
        Effect::new(move |_| {
            page.hold_shown();
            page.reword();
            page.follow_old_fragment();
        });
        let _ = window_event_listener(ev::click, move |e| page.on_click(e));
        let _ = window_event_listener(ev::popstate, move |_| {
            let location = window().location();
            let href = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            match page.parse(&href) {
                Some(shown) => page.open(shown),
                None => {
                    let _ = location.reload();
                }
            }
        });
        // The tab shown refetches itself when a change touches it.
        Effect::new(move |seen: Option<i64>| {
            let change = page.live.last.get();
            let id = change.as_ref().map_or(0, |c| c.id);
            if let (Some(seen), Some(change)) = (seen, change) {
                let shown = page.shown.get_untracked();
                if id != seen && change.touches(shown.tab, shown.branch.as_deref()) {
                    page.refresh();
                }
            }
            id
        });
        // The other tabs are read ahead, in the release shown.
        let branch = Memo::new(move |_| page.shown.with(|s| s.branch.clone()));
        Effect::new(move |_| {
            let branch = branch.get();
            set_timeout(move || page.read_ahead(branch), SETTLE);
        });
    }

    impl Page {
        /// The tab `href` (a path and query) shows, if it is a tab of this package.
        fn parse(self, href: &str) -> Option<Shown> {
            let (path, query) = href.split_once('?').map_or((href, None), |(p, q)| (p, Some(q)));
            match Route::parse(path, query) {
                Route::Package { name, tab } if name == self.name.get_value() => {
                    Some(Shown { tab, branch: query.and_then(|q| query_param(q, "branch")).filter(|b| !b.is_empty()) })
                }
                _ => None,
            }
        }

        /// A click on a link to a tab of this package (the tab bar, a
        /// release, a link in the tab) switches in place; a retry in a tab
        /// the server could not read reads it again. Other clicks, and
        /// those meant for a new window, are the browser's.
        fn on_click(self, e: web_sys::MouseEvent) {
            if e.default_prevented() || e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key()
            {
                return;
            }
            let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
                return;
            };
            if let Ok(Some(link)) = target.closest("a.tab-link, .tab-slot a[href]") {
                let href = link.get_attribute("href").unwrap_or_default();
                if link.get_attribute("target").is_none() {
                    if let Some(shown) = self.parse(&href) {
                        e.prevent_default();
                        if let Ok(history) = window().history() {
                            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
                        }
                        self.open(shown);
                    }
                }
            } else if let Ok(Some(_)) = target.closest(".tab-slot .retry") {
                self.show();
            }
        }

        fn open(self, shown: Shown) {
            self.note.set(String::new());
            self.shown.set(shown);
            self.show();
        }

        /// Shows the tab `shown` says: held markup at once, else read (with
        /// a loading state meanwhile).
        pub(super) fn show(self) {
            let Shown { tab, branch } = self.shown.get_untracked();
            let name = self.name.get_value();
            document().set_title(&tab_title(&name, tab));
            if let Ok(Some(link)) = document().query_selector("link[rel=canonical]") {
                let _ = link
                    .set_attribute("href", &canonical_url(&self.site_url.get_value(), &name, tab, branch.as_deref()));
            }
            if let Some(html) = self.cache.get(tab, &name, branch.as_deref()) {
                self.swap(&html);
                self.pane.set(Pane::Shown);
                return;
            }
            self.pane.set(Pane::Loading);
            let wanted = Shown { tab, branch: branch.clone() };
            spawn_local(async move {
                let answer = self.cache.read(tab, name, branch, fetch_tab).await;
                // The reader moved on meanwhile: what they chose is shown.
                if self.shown.get_untracked() != wanted {
                    return;
                }
                match answer {
                    Ok(html) => {
                        self.swap(&html);
                        self.pane.set(Pane::Shown);
                    }
                    Err(error) => self.pane.set(Pane::Failed(error)),
                }
            });
        }

        /// Reads the tab shown again after a change, keeping its markup
        /// until the answer comes, and the reader's open sections after.
        fn refresh(self) {
            if !matches!(self.pane.get_untracked(), Pane::Shown) {
                self.show();
                return;
            }
            let Shown { tab, branch } = self.shown.get_untracked();
            let wanted = Shown { tab, branch: branch.clone() };
            let (before, open) = (self.marks(), details_state(SECTION));
            self.pending.set(true);
            spawn_local(async move {
                let answer = self.cache.read(tab, self.name.get_value(), branch, fetch_tab).await;
                self.pending.set(false);
                // A failed read keeps what is shown; the next change tries again.
                let (Ok(html), true) = (answer, self.shown.get_untracked() == wanted) else {
                    return;
                };
                self.swap(&html);
                restore_details(SECTION.to_string(), open);
                let now = self.marks();
                if before.digest != now.digest {
                    self.note.set(match now.headline {
                        Some(h) if Some(&h) != before.headline.as_ref() => h,
                        _ => format!("{} changed", tab.label()),
                    });
                }
            });
        }

        fn swap(self, html: &str) {
            if let Some(slot) = self.slot.get_untracked() {
                slot.set_inner_html(html);
                self.reword();
            }
        }

        fn body(self) -> Option<web_sys::Element> {
            self.slot.get_untracked()?.query_selector(".tab-body").ok()?
        }

        fn marks(self) -> Marks {
            let body = self.body();
            let attr = |name: &str| body.as_ref().and_then(|b| b.get_attribute(name));
            Marks { digest: attr("data-digest"), headline: attr("data-headline") }
        }

        /// Keeps the server's markup of the tab shown: read with the page,
        /// before any change the stream will report.
        fn hold_shown(self) {
            let Some(body) = self.body().filter(|b| b.has_attribute("data-digest")) else {
                return;
            };
            let Shown { tab, branch } = self.shown.get_untracked();
            self.cache.put(tab, &self.name.get_value(), branch.as_deref(), None, body.outer_html());
        }

        /// "updated 3 minutes ago" for each refresh time in the tab.
        fn reword(self) {
            let Some(times) = self.slot.get_untracked().and_then(|s| s.query_selector_all(".updated-at time").ok())
            else {
                return;
            };
            let now = js_sys::Date::now();
            for time in (0..times.length()).filter_map(|i| times.item(i)) {
                let Some(at) = time.dyn_ref::<web_sys::Element>().and_then(|t| t.get_attribute("datetime")) else {
                    continue;
                };
                let age = (now - js_sys::Date::parse(&at)) / 1000.0;
                if age.is_finite() {
                    time.set_text_content(Some(&format!("updated {}", ago(age as i64))));
                }
            }
        }

        /// The static site linked a release page's sections by fragment
        /// (`#files`, `#changelog`, `#dependencies`); after its redirect the
        /// fragment is only in the browser, which opens the matching tab, in
        /// the same release.
        fn follow_old_fragment(self) {
            let hash = window().location().hash().unwrap_or_default();
            let Some(tab) = old_links::fragment_tab(&hash) else {
                return;
            };
            let branch = self.shown.get_untracked().branch;
            let mut href = tab.href(&self.name.get_value());
            if let Some(b) = &branch {
                href.push_str(&format!("?branch={}", url_query(b)));
            }
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
            }
            self.open(Shown { tab, branch });
        }

        /// Reads every tab ahead in `branch` (those held are not read
        /// again); marks the document `data-tabs-ahead=ready` when all are
        /// held (the benchmark waits on it).
        fn read_ahead(self, branch: Option<String>) {
            let name = self.name.get_value();
            spawn_local(async move {
                let reads =
                    Tab::ALL.into_iter().map(|t| self.cache.read_ahead(t, name.clone(), branch.clone(), fetch_tab));
                if futures::future::join_all(reads).await.into_iter().all(|held| held) {
                    if let Some(root) = document().document_element() {
                        let _ = root.set_attribute("data-tabs-ahead", "ready");
                    }
                }
            });
        }
    }
}
