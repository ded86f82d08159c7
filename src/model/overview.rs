use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The overview draws on every service; each part keeps its own fetch time so
/// that one service failing leaves the other parts fresh and its own part old.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Overview {
    /// From mdapi: the package as each release branch ships it.
    pub info: Option<Part<Vec<PackageInfo>>>,
    /// From Bodhi: stable and testing versions per active release.
    pub releases: Option<Part<Vec<ReleaseVersions>>>,
    /// From Koji: the newest build.
    pub latest_build: Option<Part<Option<BuildSummary>>>,
    /// From Bugzilla: open bugs.
    pub bugs: Option<Part<BugCounts>>,
    /// From dist-git: who maintains the package.
    pub maintainers: Option<Part<Maintainers>>,
}

impl super::TabPayload for Overview {
    const TAB: super::Tab = super::Tab::Overview;

    fn is_empty(&self) -> bool {
        self == &Overview::default()
    }
}

/// One service's share of a multi-service tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Part<T> {
    pub fetched_at: DateTime<Utc>,
    /// The version of the refresh that fetched it (see `tab_rows.version`).
    #[serde(default)]
    pub version: i64,
    pub value: T,
}

/// A binary or source package in one release branch, from mdapi.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageInfo {
    pub branch: String,
    pub name: String,
    pub epoch: Option<String>,
    pub version: String,
    pub release: String,
    pub arch: String,
    pub summary: String,
    pub description: String,
    pub url: Option<String>,
    /// `release`, `updates`, `updates-testing` or `testing`.
    pub repo: String,
    pub source_name: String,
    pub sub_packages: Vec<String>,
}

impl PackageInfo {
    /// `version-release`, with `epoch:` in front when it is set and not 0.
    pub fn evr(&self) -> String {
        super::evr::label(self.epoch.as_deref(), &self.version, &self.release)
    }
}

/// What Bodhi says is stable and in testing for one release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReleaseVersions {
    /// Bodhi's release name, e.g. `F42`.
    pub release: String,
    pub long_name: String,
    pub branch: String,
    /// `current`, `pending`, `frozen` or `archived`.
    pub state: String,
    pub stable: Option<UpdateRef>,
    pub testing: Option<UpdateRef>,
}

/// The update that carries a version into a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UpdateRef {
    pub nvr: String,
    pub alias: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuildSummary {
    pub build_id: i64,
    pub nvr: String,
    pub state: super::BuildState,
    pub finished: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BugCounts {
    pub open: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Maintainers {
    pub owners: Vec<String>,
    pub admins: Vec<String>,
    pub committers: Vec<String>,
    pub collaborators: Vec<String>,
    pub groups: Vec<String>,
}

impl Maintainers {
    /// dist-git hands a package nobody looks after to the `orphan` user.
    pub fn orphaned(&self) -> bool {
        self.owners.is_empty() || self.owners.iter().all(|o| o == "orphan")
    }
}

/// One line of the overview's release table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReleaseLine {
    pub label: String,
    pub branch: String,
    /// Version and, when Bodhi has it, the update that pushed it.
    pub stable: Option<(String, Option<String>)>,
    pub testing: Option<(String, Option<String>)>,
}

impl Overview {
    /// The package's info in one branch.
    pub fn info_for(&self, branch: Option<&str>) -> Option<&PackageInfo> {
        let infos = &self.info.as_ref()?.value;
        branch.and_then(|b| infos.iter().find(|i| i.branch == b)).or_else(|| infos.first())
    }

    /// Per active release, the stable and testing version. Bodhi's updates say
    /// which update carried a version; mdapi's repositories fill in what Bodhi
    /// does not show (e.g. a release's GA version).
    pub fn release_lines(&self) -> Vec<ReleaseLine> {
        let infos: &[PackageInfo] = self.info.as_ref().map(|p| p.value.as_slice()).unwrap_or_default();
        let releases: &[ReleaseVersions] = self.releases.as_ref().map(|p| p.value.as_slice()).unwrap_or_default();
        let from_repo = |info: &PackageInfo, testing: bool| {
            let in_testing = info.repo.contains("testing");
            (in_testing == testing).then(|| (info.evr(), None))
        };
        let mut lines: Vec<ReleaseLine> = releases
            .iter()
            .map(|r| {
                let info = infos.iter().find(|i| i.branch == r.branch);
                let bodhi = |u: &Option<UpdateRef>| u.as_ref().map(|u| (strip_source(&u.nvr), Some(u.url.clone())));
                ReleaseLine {
                    label: super::release::label(&r.branch, Some(&r.long_name)),
                    branch: r.branch.clone(),
                    stable: bodhi(&r.stable).or_else(|| info.and_then(|i| from_repo(i, false))),
                    testing: bodhi(&r.testing).or_else(|| info.and_then(|i| from_repo(i, true))),
                }
            })
            .filter(|l| l.stable.is_some() || l.testing.is_some())
            .collect();
        let unlisted: Vec<&PackageInfo> =
            infos.iter().filter(|i| !lines.iter().any(|l| l.branch == i.branch)).collect();
        for info in unlisted {
            lines.push(ReleaseLine {
                label: super::release::label(&info.branch, None),
                branch: info.branch.clone(),
                stable: from_repo(info, false),
                testing: from_repo(info, true),
            });
        }
        lines
    }
}

/// `python-requre-0.8.6-1.fc42` → `0.8.6-1.fc42`: the name is everything
/// before the last two dashes.
fn strip_source(nvr: &str) -> String {
    let mut parts = nvr.rsplitn(3, '-');
    match (parts.next(), parts.next()) {
        (Some(release), Some(version)) => format!("{version}-{release}"),
        _ => nvr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(branch: &str, version: &str, repo: &str) -> PackageInfo {
        PackageInfo {
            branch: branch.into(),
            name: "x".into(),
            epoch: Some("0".into()),
            version: version.into(),
            release: "1".into(),
            arch: "noarch".into(),
            summary: String::new(),
            description: String::new(),
            url: None,
            repo: repo.into(),
            source_name: "x".into(),
            sub_packages: vec![],
        }
    }

    #[test]
    fn release_lines_combine_bodhi_and_mdapi() {
        let now = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let overview = Overview {
            info: Some(Part {
                fetched_at: now,
                version: 1,
                value: vec![info("f42", "2.0", "updates-testing"), info("rawhide", "2.1", "release")],
            }),
            releases: Some(Part {
                fetched_at: now,
                version: 1,
                value: vec![ReleaseVersions {
                    release: "F42".into(),
                    long_name: "Fedora 42".into(),
                    branch: "f42".into(),
                    state: "current".into(),
                    stable: Some(UpdateRef {
                        nvr: "x-1.9-1.fc42".into(),
                        alias: "A".into(),
                        url: "https://b/A".into(),
                    }),
                    testing: None,
                }],
            }),
            ..Default::default()
        };
        let lines = overview.release_lines();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].label, "Fedora 42");
        assert_eq!(lines[0].stable, Some(("1.9-1.fc42".into(), Some("https://b/A".into()))));
        assert_eq!(lines[0].testing, Some(("2.0-1".into(), None)));
        assert_eq!(lines[1].label, "Rawhide");
        assert_eq!(lines[1].stable, Some(("2.1-1".into(), None)));
        assert_eq!(strip_source("python-requre-0.8.6-1.fc42"), "0.8.6-1.fc42");
    }
}
