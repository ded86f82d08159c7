use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The tabs of a package page, in the order the tab bar shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Overview,
    Builds,
    Updates,
    Bugs,
    Contents,
    Changelog,
    Dependencies,
    Sources,
}

impl Tab {
    pub const ALL: [Tab; 8] = [
        Tab::Overview,
        Tab::Builds,
        Tab::Updates,
        Tab::Bugs,
        Tab::Contents,
        Tab::Changelog,
        Tab::Dependencies,
        Tab::Sources,
    ];

    /// The URL segment, which is also the `tab` column in the database.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Builds => "builds",
            Tab::Updates => "updates",
            Tab::Bugs => "bugs",
            Tab::Contents => "contents",
            Tab::Changelog => "changelog",
            Tab::Dependencies => "dependencies",
            Tab::Sources => "sources",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Builds => "Builds",
            Tab::Updates => "Updates",
            Tab::Bugs => "Bugs",
            Tab::Contents => "Contents",
            Tab::Changelog => "Changelog",
            Tab::Dependencies => "Dependencies",
            Tab::Sources => "Sources",
        }
    }

    /// Builds, updates, bugs and sources exist only for the source package:
    /// a sub-package's page shows its source package's rows for these.
    pub fn of_source(self) -> bool {
        matches!(self, Tab::Builds | Tab::Updates | Tab::Bugs | Tab::Sources)
    }

    /// Tabs stored once per release branch (the rest use the empty branch).
    pub fn per_branch(self) -> bool {
        matches!(self, Tab::Contents | Tab::Changelog | Tab::Dependencies)
    }

    /// Tabs whose page reads `?branch=`: the per-release ones, and the
    /// overview (which says where the package stands in the chosen release).
    pub fn reads_branch(self) -> bool {
        self.per_branch() || self == Tab::Overview
    }

    /// The URL of this tab of a package; the overview lives at the bare package URL.
    pub fn href(self, package: &str) -> String {
        let name = crate::model::url_segment(package);
        match self {
            Tab::Overview => format!("/packages/{name}"),
            other => format!("/packages/{name}/{}", other.slug()),
        }
    }
}

/// A tab's stored payload, tied to its tab at compile time.
pub trait TabPayload: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static {
    const TAB: Tab;

    /// Nothing to show: the only state a "not found" answer may replace
    /// (an absent answer never blanks real data).
    fn is_empty(&self) -> bool;

    /// The row a reader would call new, said (politely) when an open tab
    /// updates itself with changed rows, e.g. "New build: foo-1.2-1.fc43".
    fn headline(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for tab in Tab::ALL {
            assert_eq!(Tab::from_slug(tab.slug()), Some(tab));
        }
        assert_eq!(Tab::from_slug("relationships"), None);
        assert_eq!(Tab::from_slug("Builds"), None);
    }

    #[test]
    fn hrefs_escape_names() {
        assert_eq!(Tab::Overview.href("gtk+"), "/packages/gtk+");
        assert_eq!(Tab::Builds.href("libstdc++"), "/packages/libstdc++/builds");
        assert_eq!(Tab::Bugs.href("a b"), "/packages/a%20b/bugs");
    }
}
