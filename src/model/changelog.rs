use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The RPM changelog of a package in one release, newest first, from mdapi.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Changelog {
    /// The RPM the entries were read from.
    pub package: String,
    pub repo: String,
    pub entries: Vec<ChangelogEntry>,
}

impl super::TabPayload for Changelog {
    const TAB: super::Tab = super::Tab::Changelog;

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangelogEntry {
    /// `Name <email>`, as the packager wrote it.
    pub author: String,
    /// The `version-release` the packager appended after ` - `, if any.
    pub version: Option<String>,
    pub date: DateTime<Utc>,
    /// Untrusted text: always rendered escaped.
    pub text: String,
}
