//! The tabs' rows the page already holds, so that switching tabs shows the
//! new tab at once instead of waiting on the network: each tab's answer is
//! kept once read, and once the page has settled the other tabs are read
//! ahead (`pages::package`). In memory, for this page only (no browser
//! cache is involved), and never stale: rows read before the newest change
//! the live stream reported are not used again.
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;

use leptos::prelude::*;

use crate::error::AppError;
use crate::hooks::live::LiveUpdates;
use crate::hooks::resource::{page_resource, PageResource};
use crate::hooks::{branch_param, package_name};
use crate::model::{Tab, TabPayload, TabView};

/// Which rows: the tab, the package, and the release for tabs that read one.
type Key = (Tab, String, Option<String>);

/// A tab's rows and the live change the page had heard of when it asked
/// for them (`None`: none yet).
struct Held {
    view: Box<dyn Any + Send + Sync>,
    heard: Option<i64>,
}

/// The rows held for the page, in context below the package page.
#[derive(Clone, Copy)]
pub struct TabCache {
    held: StoredValue<HashMap<Key, Held>>,
    live: Option<LiveUpdates>,
}

impl TabCache {
    /// A cache for the page below, which follows `live` (if the page has a
    /// live stream) to know when held rows are out of date.
    pub fn provide() -> Self {
        let cache = TabCache { held: StoredValue::new(HashMap::new()), live: use_context::<LiveUpdates>() };
        provide_context(cache);
        cache
    }

    fn heard(&self) -> Option<i64> {
        self.live.and_then(|l| l.last.with_untracked(|c| c.as_ref().map(|c| c.id)))
    }

    fn key<T: TabPayload>(name: &str, branch: Option<&str>) -> Key {
        (T::TAB, name.to_string(), branch.filter(|_| T::TAB.reads_branch()).map(String::from))
    }

    /// `f` of the held rows of `T`'s tab, if they were read after the newest change.
    fn with_current<T: TabPayload, R>(
        &self,
        name: &str,
        branch: Option<&str>,
        f: impl FnOnce(&Held) -> R,
    ) -> Option<R> {
        let heard = self.heard();
        self.held.with_value(|held| held.get(&Self::key::<T>(name, branch)).filter(|h| h.heard == heard).map(f))
    }

    /// The rows of `T`'s tab, if held and current.
    fn get<T: TabPayload>(&self, name: &str, branch: Option<&str>) -> Option<TabView<T>> {
        self.with_current::<T, _>(name, branch, |h| h.view.downcast_ref::<TabView<T>>().cloned()).flatten()
    }

    /// Whether current rows of `T`'s tab are held.
    fn has<T: TabPayload>(&self, name: &str, branch: Option<&str>) -> bool {
        self.with_current::<T, _>(name, branch, |_| ()).is_some()
    }

    fn put<T: TabPayload>(&self, name: &str, branch: Option<&str>, heard: Option<i64>, view: TabView<T>) {
        let key = Self::key::<T>(name, branch);
        self.held.update_value(|held| {
            held.insert(key, Held { view: Box::new(view), heard });
        });
    }

    /// Reads `T`'s tab with `fetch` and keeps the answer. The rows count as
    /// read when the request left: a change heard meanwhile makes them old.
    pub async fn read<T, F, Fut>(self, name: String, branch: Option<String>, fetch: F) -> Result<TabView<T>, AppError>
    where
        T: TabPayload,
        F: Fn(String, Option<String>) -> Fut,
        Fut: Future<Output = Result<TabView<T>, AppError>>,
    {
        let heard = self.heard();
        let answer = fetch(name.clone(), branch.clone()).await;
        if let Ok(view) = &answer {
            self.put(&name, branch.as_deref(), heard, view.clone());
        }
        answer
    }

    /// Reads `T`'s tab ahead, unless it is held already; true if it is held after.
    pub async fn read_ahead<T, F, Fut>(self, name: String, branch: Option<String>, fetch: F) -> bool
    where
        T: TabPayload,
        F: Fn(String, Option<String>) -> Fut,
        Fut: Future<Output = Result<TabView<T>, AppError>>,
    {
        self.has::<T>(&name, branch.as_deref()) || self.read(name, branch, fetch).await.is_ok()
    }
}

/// The resource of the tab shown: its rows from the cache when the page
/// holds current ones, else fetched (and kept). Keyed by the package and,
/// for tabs that read one, the release.
pub fn tab_resource<T, F, Fut>(fetch: F) -> PageResource<Result<TabView<T>, AppError>>
where
    T: TabPayload,
    F: Fn(String, Option<String>) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<TabView<T>, AppError>> + Send + 'static,
{
    let (name, branch) = (package_name(), branch_param());
    let cache = use_context::<TabCache>();
    page_resource(
        move || (name.get(), if T::TAB.reads_branch() { branch.get() } else { None }),
        move |(name, branch)| {
            let held = cache.and_then(|c| c.get::<T>(&name, branch.as_deref()));
            async move {
                match (held, cache) {
                    (Some(view), _) => Ok(view),
                    (None, Some(cache)) => cache.read(name, branch, fetch).await,
                    (None, None) => fetch(name, branch).await,
                }
            }
        },
    )
}
