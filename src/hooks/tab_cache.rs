//! The tabs' markup the package page already holds, so that switching tabs
//! shows the new tab at once instead of waiting on the network: each tab's
//! answer is kept once read, and once the page has settled the other tabs
//! are read ahead (`pages::package::live_tabs`). In memory, for this page
//! only (no browser cache is involved), and never stale: markup read before
//! the newest change the live stream reported is not used again.
use std::collections::HashMap;
use std::future::Future;

use leptos::prelude::*;

use crate::error::AppError;
use crate::hooks::live::LiveUpdates;
use crate::model::{Tab, TabPart};

/// Which markup: the tab, the package, and the release for tabs that read one.
type Key = (Tab, String, Option<String>);

/// A tab's markup and the live change the page had heard of when it asked
/// for it (`None`: none yet).
struct Held {
    html: String,
    heard: Option<i64>,
}

/// The markup held for the page.
#[derive(Clone, Copy)]
pub struct TabCache {
    held: StoredValue<HashMap<Key, Held>>,
    live: Option<LiveUpdates>,
}

impl TabCache {
    /// A cache that follows `live` (if the page has a live stream) to know
    /// when held markup is out of date.
    pub fn new(live: Option<LiveUpdates>) -> Self {
        TabCache { held: StoredValue::new(HashMap::new()), live }
    }

    /// The newest change heard of.
    pub fn heard(&self) -> Option<i64> {
        self.live.and_then(|l| l.last.with_untracked(|c| c.as_ref().map(|c| c.id)))
    }

    fn key(tab: Tab, name: &str, branch: Option<&str>) -> Key {
        (tab, name.to_string(), branch.filter(|_| tab.reads_branch()).map(String::from))
    }

    /// The markup of `tab`, if held and read after the newest change.
    pub fn get(&self, tab: Tab, name: &str, branch: Option<&str>) -> Option<String> {
        let heard = self.heard();
        self.held.with_value(|held| {
            held.get(&Self::key(tab, name, branch)).filter(|h| h.heard == heard).map(|h| h.html.clone())
        })
    }

    /// Keeps `html` as `tab`'s markup, read when `heard` was the newest change.
    pub fn put(&self, tab: Tab, name: &str, branch: Option<&str>, heard: Option<i64>, html: String) {
        let key = Self::key(tab, name, branch);
        self.held.update_value(|held| {
            held.insert(key, Held { html, heard });
        });
    }

    /// Reads `tab` with `fetch` and keeps the answer. The markup counts as
    /// read when the request left: a change heard meanwhile makes it old.
    pub async fn read<Fut>(
        self,
        tab: Tab,
        name: String,
        branch: Option<String>,
        fetch: impl FnOnce(Tab, String, Option<String>) -> Fut,
    ) -> Result<String, AppError>
    where
        Fut: Future<Output = Result<TabPart, AppError>>,
    {
        let heard = self.heard();
        let part = fetch(tab, name.clone(), branch.clone()).await?;
        self.put(tab, &name, branch.as_deref(), heard, part.html.clone());
        Ok(part.html)
    }

    /// Reads `tab` ahead, unless it is held already; true if it is held after.
    pub async fn read_ahead<Fut>(
        self,
        tab: Tab,
        name: String,
        branch: Option<String>,
        fetch: impl FnOnce(Tab, String, Option<String>) -> Fut,
    ) -> bool
    where
        Fut: Future<Output = Result<TabPart, AppError>>,
    {
        self.get(tab, &name, branch.as_deref()).is_some() || self.read(tab, name, branch, fetch).await.is_ok()
    }
}
