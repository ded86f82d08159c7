//! The component gallery's data: every shared component and tab body, each
//! in named states ("stories") with the props it is rendered with. The
//! server builds them from fixtures (`crate::gallery`); the page renders
//! them like any other payload.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    Branch, Bugs, Builds, Changelog, Contents, Dependencies, FileEntry, Overview, PackageEvent, PackageHeader,
    SearchResults, Sources, Tab, TabView, Updates,
};

/// One component and its stories, as the gallery's index lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GalleryEntry {
    pub component: String,
    /// The file to edit to change it.
    pub file: String,
    pub stories: Vec<String>,
}

/// One component in one state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub component: String,
    pub name: String,
    pub file: String,
    pub props: StoryProps,
}

/// The props a story renders its component with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StoryProps {
    /// A tab body in its frame, for the package `name`.
    Tab {
        name: String,
        state: TabState,
    },
    RecentEvents(Vec<PackageEvent>),
    TabBar {
        name: String,
    },
    SearchBox {
        value: String,
    },
    SiteHeader {
        query: String,
    },
    ReleaseSelector {
        branches: Vec<Branch>,
        selected: Option<String>,
        path: String,
    },
    UpdatedAt {
        at: DateTime<Utc>,
    },
    FileTree {
        files: Vec<FileEntry>,
    },
    /// A load that failed (the server's generic message).
    ErrorPanel,
    PackageHeading {
        header: PackageHeader,
    },
    SearchResults {
        results: SearchResults,
    },
    ProvidesResults {
        results: super::provides::ProvidesResults,
    },
    BadgeSnippet {
        name: String,
        site_url: String,
        branch: Option<String>,
    },
}

/// A tab as its page can show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TabState {
    Loading(Tab),
    /// The row could not be read (the server's generic message, a retry button).
    Failed(Tab),
    Loaded(Box<TabData>),
}

/// A loaded tab's row, whichever tab it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TabData {
    Overview(TabView<Overview>),
    Builds(TabView<Builds>),
    Updates(TabView<Updates>),
    Bugs(TabView<Bugs>),
    Contents(TabView<Contents>),
    Changelog(TabView<Changelog>),
    Dependencies(TabView<Dependencies>),
    Sources(TabView<Sources>),
}

impl TabData {
    pub fn tab(&self) -> Tab {
        match self {
            TabData::Overview(_) => Tab::Overview,
            TabData::Builds(_) => Tab::Builds,
            TabData::Updates(_) => Tab::Updates,
            TabData::Bugs(_) => Tab::Bugs,
            TabData::Contents(_) => Tab::Contents,
            TabData::Changelog(_) => Tab::Changelog,
            TabData::Dependencies(_) => Tab::Dependencies,
            TabData::Sources(_) => Tab::Sources,
        }
    }
}
