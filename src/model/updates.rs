use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bodhi updates of a source package, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Updates {
    /// How many updates Bodhi has in all (the list may hold only the newest).
    pub total: u32,
    pub updates: Vec<Update>,
}

impl super::TabPayload for Updates {
    const TAB: super::Tab = super::Tab::Updates;

    fn is_empty(&self) -> bool {
        self.updates.is_empty()
    }

    fn headline(&self) -> Option<String> {
        self.updates.first().map(|u| format!("New update: {}", u.alias))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Update {
    pub alias: String,
    pub title: String,
    /// Bodhi release name (`F42`) and its branch (`f42`).
    pub release: String,
    pub branch: String,
    /// `bugfix`, `security`, `enhancement`, `newpackage`, `unspecified`.
    pub kind: String,
    pub status: String,
    pub request: Option<String>,
    pub severity: String,
    pub karma: i64,
    pub stable_karma: Option<i64>,
    pub unstable_karma: Option<i64>,
    pub submitter: String,
    pub submitted: Option<DateTime<Utc>>,
    pub pushed_testing: Option<DateTime<Utc>>,
    pub pushed_stable: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    pub url: String,
    pub builds: Vec<String>,
    pub bugs: Vec<i64>,
    pub critpath: bool,
}
