use serde::{Deserialize, Serialize};

use super::Tab;

/// What a package's live stream (`/packages/{name}/live`) says when rows
/// behind its page were committed: which tabs (and releases) were
/// refreshed, never the data itself. The page refetches what it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveChange {
    /// The newest refresh version among those rows: the event's id, which
    /// a reconnecting browser sends back (`Last-Event-ID`) to catch up.
    pub id: i64,
    pub tabs: Vec<LiveTab>,
    /// The package's newest version, e.g. `0.8.6-1.fc43` (empty when unknown).
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LiveTab {
    pub tab: Tab,
    /// The release, for tabs stored per release.
    pub branch: Option<String>,
}

impl LiveChange {
    /// Whether the tab shown (in `branch`, when it has releases) was refreshed.
    pub fn touches(&self, tab: Tab, branch: Option<&str>) -> bool {
        self.tabs.iter().any(|t| {
            t.tab == tab
                && (!tab.per_branch() || branch.is_none() || t.branch.is_none() || t.branch.as_deref() == branch)
        })
    }

    /// Every tab: what a stream says when it may have missed changes.
    pub fn everything(id: i64, version: String) -> Self {
        LiveChange { id, tabs: Tab::ALL.iter().map(|&tab| LiveTab { tab, branch: None }).collect(), version }
    }
}

/// Where a package's live stream is.
pub fn live_path(name: &str) -> String {
    format!("/packages/{}/live", super::url_segment(name))
}

/// The stream of `name` from refresh version `since` on: what changed after
/// it comes first. (A browser's first connection cannot send
/// `Last-Event-ID`; its reconnections send that too, and the newer counts.)
pub fn live_path_since(name: &str, since: Option<i64>) -> String {
    match since {
        Some(v) => format!("{}?since={v}", live_path(name)),
        None => live_path(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_touches_its_tabs_in_their_release() {
        let change = LiveChange {
            id: 7,
            tabs: vec![
                LiveTab { tab: Tab::Builds, branch: None },
                LiveTab { tab: Tab::Contents, branch: Some("f43".into()) },
            ],
            version: String::new(),
        };
        assert!(change.touches(Tab::Builds, None));
        assert!(change.touches(Tab::Builds, Some("f42")));
        assert!(change.touches(Tab::Contents, Some("f43")));
        assert!(!change.touches(Tab::Contents, Some("f42")));
        assert!(change.touches(Tab::Contents, None));
        assert!(!change.touches(Tab::Bugs, None));
        assert!(LiveChange::everything(1, String::new()).touches(Tab::Sources, Some("f41")));
        assert_eq!(live_path("gtk+"), "/packages/gtk+/live");
    }
}
