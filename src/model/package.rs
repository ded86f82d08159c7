use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A tab as the package page's server function answers it: the tab's
/// markup, rendered on the server, which the page swaps in place. (The
/// rows are in the JSON API; the page needs only what it shows.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabPart {
    pub html: String,
}

/// What the page header shows about a package, from the `packages` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageHeader {
    pub name: String,
    /// Equal to `name` for a source package.
    pub source_name: String,
    pub summary: String,
    pub upstream_url: Option<String>,
    pub license: Option<String>,
    /// The binary packages built from this source (empty for a sub-package).
    pub sub_packages: Vec<String>,
    /// Release branches where the source package is retired.
    #[serde(default)]
    pub retired_in: Vec<String>,
    /// Absolute base of canonical links, e.g. `https://packages.fedoraproject.org`.
    pub site_url: String,
    /// The package's newest refresh version when this was read: the page's
    /// live stream starts from it, so a change made between the render and
    /// the stream's opening (seconds on a slow phone, longer from a
    /// browser's cache) is not missed. `None` before any refresh.
    #[serde(default)]
    pub live_version: Option<i64>,
}

impl PackageHeader {
    pub fn is_sub_package(&self) -> bool {
        self.name != self.source_name
    }
}

/// A release branch as mdapi and Bodhi name it (`f42`, `epel9`, `rawhide`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Branch {
    pub branch: String,
    /// Human name, e.g. "Fedora 42".
    pub label: String,
}

/// One tab's materialized row as a page receives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabView<T> {
    /// Whose row this is: the source package's for builds, updates, bugs, sources.
    pub owner: String,
    /// The release shown, for tabs that differ per release.
    pub branch: Option<String>,
    /// Releases that have data for this tab, newest first.
    pub branches: Vec<Branch>,
    /// When the row was last refreshed; `None` when it has never been fetched.
    pub fetched_at: Option<DateTime<Utc>>,
    pub data: Option<T>,
    /// A hash of `data`: an open tab that refetched itself tells new rows
    /// from a new refresh time by it, without comparing the data.
    #[serde(default)]
    pub digest: u64,
    /// The row a reader would call new ("New build: …"), said when the rows changed.
    #[serde(default)]
    pub headline: Option<String>,
}
