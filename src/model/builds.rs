use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Koji builds of a source package, newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Builds {
    pub package_id: Option<i64>,
    pub builds: Vec<Build>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Build {
    pub build_id: i64,
    pub nvr: String,
    pub epoch: Option<i64>,
    pub version: String,
    pub release: String,
    pub state: BuildState,
    pub owner: String,
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
    pub task_id: Option<i64>,
    /// The dist-git commit built, `git+https://...#sha`.
    pub source: Option<String>,
}

impl super::TabPayload for Builds {
    const TAB: super::Tab = super::Tab::Builds;

    fn is_empty(&self) -> bool {
        self.builds.is_empty()
    }

    fn headline(&self) -> Option<String> {
        self.builds.first().map(|b| format!("New build: {}", b.nvr))
    }
}

impl Builds {
    /// The dist-git commit the newest build came from (`git+https://...#sha`).
    pub fn latest_commit(&self) -> Option<super::SourceCommit> {
        let build = self.builds.iter().find(|b| b.source.is_some())?;
        let url = build.source.clone()?;
        let commit = url.rsplit_once('#').map(|(_, c)| c.to_string()).unwrap_or_default();
        Some(super::SourceCommit { nvr: build.nvr.clone(), url, commit })
    }
}

impl Build {
    /// Wall time from start to completion, when both are known.
    pub fn duration_secs(&self) -> Option<i64> {
        Some((self.finished? - self.started?).num_seconds()).filter(|s| *s >= 0)
    }
}

/// Koji's build states (`koji.BUILD_STATES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BuildState {
    Building,
    Complete,
    Deleted,
    Failed,
    Canceled,
    Unknown,
}

impl BuildState {
    pub fn from_koji(code: i64) -> Self {
        match code {
            0 => BuildState::Building,
            1 => BuildState::Complete,
            2 => BuildState::Deleted,
            3 => BuildState::Failed,
            4 => BuildState::Canceled,
            _ => BuildState::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BuildState::Building => "building",
            BuildState::Complete => "complete",
            BuildState::Deleted => "deleted",
            BuildState::Failed => "failed",
            BuildState::Canceled => "canceled",
            BuildState::Unknown => "unknown",
        }
    }
}
