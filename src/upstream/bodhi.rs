//! Bodhi, the update system: a package's updates and the active releases.
use serde::Deserialize;

use super::http::Http;
use super::time::parse_utc;
use super::{parse_json, ParseError, Reason, Service, UpstreamError};
use crate::model::release::{major_version, RAWHIDE};
use crate::model::{url_query, Release, ReleaseVersions, Update, UpdateRef};

/// One page of `GET /updates/?packages=NAME`.
#[derive(Debug, Clone, Deserialize)]
pub struct UpdatesPage {
    pub updates: Vec<BodhiUpdate>,
    #[serde(default)]
    pub total: u32,
    #[serde(default)]
    pub page: u32,
    #[serde(default)]
    pub pages: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BodhiUpdate {
    pub alias: Option<String>,
    #[serde(default)]
    pub title: String,
    pub release: BodhiRelease,
    pub status: String,
    pub request: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub karma: Option<i64>,
    pub stable_karma: Option<i64>,
    pub unstable_karma: Option<i64>,
    pub date_submitted: Option<String>,
    pub date_testing: Option<String>,
    pub date_stable: Option<String>,
    pub date_modified: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub user: BodhiUser,
    #[serde(default)]
    pub builds: Vec<BodhiBuild>,
    #[serde(default)]
    pub bugs: Vec<BodhiBug>,
    #[serde(default)]
    pub critpath: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BodhiUser {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BodhiBuild {
    pub nvr: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BodhiBug {
    pub bug_id: i64,
}

/// A release object, inside updates and from `GET /releases/`.
#[derive(Debug, Clone, Deserialize)]
pub struct BodhiRelease {
    pub name: String,
    pub long_name: String,
    pub version: Option<String>,
    pub branch: String,
    pub state: String,
    pub id_prefix: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReleasesPage {
    pub releases: Vec<BodhiRelease>,
}

pub fn parse_updates(body: &str) -> Result<UpdatesPage, ParseError> {
    parse_json(body)
}

pub fn parse_releases(body: &str) -> Result<Vec<BodhiRelease>, ParseError> {
    Ok(parse_json::<ReleasesPage>(body)?.releases)
}

impl BodhiUpdate {
    /// Bodhi's own page for the update (old updates have no `url` field).
    fn link(&self) -> String {
        match (&self.url, &self.alias) {
            (Some(url), _) => url.clone(),
            (None, Some(alias)) => crate::model::links::bodhi_update(alias),
            (None, None) => String::new(),
        }
    }
}

/// The updates tab's rows, newest submission first.
pub fn to_updates(updates: &[BodhiUpdate]) -> Vec<Update> {
    let mut rows: Vec<Update> = updates
        .iter()
        .map(|u| Update {
            alias: u.alias.clone().unwrap_or_else(|| u.title.clone()),
            title: u.title.clone(),
            release: u.release.name.clone(),
            branch: u.release.branch.clone(),
            kind: u.kind.clone(),
            status: u.status.clone(),
            request: u.request.clone(),
            severity: u.severity.clone().unwrap_or_else(|| "unspecified".into()),
            karma: u.karma.unwrap_or(0),
            stable_karma: u.stable_karma,
            unstable_karma: u.unstable_karma,
            submitter: u.user.name.clone(),
            submitted: u.date_submitted.as_deref().and_then(parse_utc),
            pushed_testing: u.date_testing.as_deref().and_then(parse_utc),
            pushed_stable: u.date_stable.as_deref().and_then(parse_utc),
            modified: u.date_modified.as_deref().and_then(parse_utc),
            url: u.link(),
            builds: u.builds.iter().map(|b| b.nvr.clone()).collect(),
            bugs: u.bugs.iter().map(|b| b.bug_id).collect(),
            critpath: u.critpath,
        })
        .collect();
    rows.sort_by_key(|u| std::cmp::Reverse(u.submitted));
    rows
}

/// Releases a package page lists: Fedora and EPEL (not containers or
/// flatpaks, which share their branch names), that are not archived.
pub fn active_releases(releases: &[BodhiRelease]) -> Vec<BodhiRelease> {
    let mut active: Vec<BodhiRelease> = releases
        .iter()
        .filter(|r| matches!(r.id_prefix.as_deref(), Some("FEDORA") | Some("FEDORA-EPEL") | None))
        .filter(|r| matches!(r.state.as_str(), "current" | "pending" | "frozen"))
        .cloned()
        .collect();
    active.sort_by_key(|r| std::cmp::Reverse(release_order(r)));
    active
}

/// Bodhi's active releases, ranked newest first (rawhide on top).
pub fn to_releases(releases: &[BodhiRelease]) -> Vec<Release> {
    let active = active_releases(releases);
    let n = active.len() as i32;
    active
        .iter()
        .enumerate()
        .map(|(i, r)| Release {
            branch: r.branch.clone(),
            name: r.name.clone(),
            long_name: r.long_name.clone(),
            state: r.state.clone(),
            rank: n - i as i32,
        })
        .collect()
}

/// Sorts rawhide first, then by version, Fedora before EPEL.
fn release_order(r: &BodhiRelease) -> (bool, bool, u32) {
    let version = r.version.as_deref().map(major_version).unwrap_or(0);
    (r.branch == RAWHIDE, r.id_prefix.as_deref() != Some("FEDORA-EPEL"), version)
}

/// Per active release, the newest stable and newest testing update.
pub fn release_versions(releases: &[BodhiRelease], updates: &[Update]) -> Vec<ReleaseVersions> {
    let newest = |release: &BodhiRelease, status: &str| {
        updates
            .iter()
            .filter(|u| u.release == release.name && u.status == status)
            .max_by_key(|u| u.pushed_stable.or(u.pushed_testing).or(u.submitted))
            .map(|u| UpdateRef {
                nvr: u.builds.first().cloned().unwrap_or_else(|| u.title.clone()),
                alias: u.alias.clone(),
                url: u.url.clone(),
            })
    };
    active_releases(releases)
        .iter()
        .map(|r| ReleaseVersions {
            release: r.name.clone(),
            long_name: r.long_name.clone(),
            branch: r.branch.clone(),
            state: r.state.clone(),
            stable: newest(r, "stable"),
            testing: newest(r, "testing"),
        })
        .collect()
}

/// The Bodhi client, at a configurable base URL.
#[derive(Clone)]
pub struct Bodhi {
    http: Http,
    base: String,
}

impl Bodhi {
    pub fn new(http: Http, base: &str) -> Self {
        Bodhi { http, base: base.trim_end_matches('/').to_string() }
    }

    async fn get_json(&self, call: &str, url: String) -> Result<Option<String>, UpstreamError> {
        let body = self.http.get(Service::Bodhi, call, &url).await?;
        match body.status {
            200 => Ok(Some(body.text)),
            // Bodhi rejects a package it has never seen.
            400 if body.text.contains("Invalid packages specified") => Ok(None),
            s => Err(UpstreamError::new(Service::Bodhi, call, Reason::Status(s))),
        }
    }

    /// The newest `rows` updates of a package; `Absent` when Bodhi does not know it.
    pub async fn updates(&self, package: &str, rows: u32) -> Result<UpdatesPage, UpstreamError> {
        let call = format!("updates packages={package}");
        let url = format!("{}/updates/?packages={}&rows_per_page={rows}&page=1", self.base, url_query(package));
        match self.get_json(&call, url).await? {
            Some(text) => {
                parse_updates(&text).map_err(|e| UpstreamError::new(Service::Bodhi, call, Reason::Parse(e.0)))
            }
            None => Err(UpstreamError::new(Service::Bodhi, call, Reason::Absent("invalid package".into()))),
        }
    }

    /// The active releases; there are always some, so none is an error.
    pub async fn releases(&self) -> Result<Vec<BodhiRelease>, UpstreamError> {
        let call = "releases state=current,pending,frozen";
        let url = format!("{}/releases/?state=current&state=pending&state=frozen&rows_per_page=100", self.base);
        let text = self
            .get_json(call, url)
            .await?
            .ok_or_else(|| UpstreamError::new(Service::Bodhi, call, Reason::Status(400)))?;
        let releases =
            parse_releases(&text).map_err(|e| UpstreamError::new(Service::Bodhi, call, Reason::Parse(e.0)))?;
        if active_releases(&releases).is_empty() {
            return Err(UpstreamError::new(Service::Bodhi, call, Reason::Absent("no active release".into())));
        }
        Ok(releases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixtures::read;

    #[test]
    fn update_fields() {
        let page = parse_updates(&read("bodhi/updates/packages=colin.json")).unwrap();
        assert_eq!(page.total, 11);
        let rows = to_updates(&page.updates);
        let u = rows.iter().find(|u| u.alias == "FEDORA-2019-7006fbed73").unwrap();
        assert_eq!(u.title, "colin-0.3.1-1.fc29");
        assert_eq!((u.release.as_str(), u.branch.as_str()), ("F29", "f29"));
        assert_eq!((u.kind.as_str(), u.status.as_str()), ("enhancement", "stable"));
        assert_eq!(u.karma, 1);
        assert_eq!((u.stable_karma, u.unstable_karma), (Some(3), Some(-3)));
        assert_eq!(u.submitter, "ttomecek");
        assert_eq!(u.submitted.unwrap().to_rfc3339(), "2019-01-21T16:51:00+00:00");
        assert_eq!(u.pushed_stable.unwrap().to_rfc3339(), "2019-01-30T02:06:12+00:00");
        assert_eq!(u.url, "https://bodhi.fedoraproject.org/updates/FEDORA-2019-7006fbed73");
        assert_eq!(u.builds, ["colin-0.3.1-1.fc29"]);
        assert!(rows.windows(2).all(|w| w[0].submitted >= w[1].submitted));
    }

    #[test]
    fn releases_and_versions() {
        let releases = parse_releases(&read("bodhi/releases/state=current,pending,frozen.json")).unwrap();
        assert_eq!(releases.len(), 17);
        let active = active_releases(&releases);
        let names: Vec<_> = active.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names[..4], ["F43", "F42", "F41", "F40"]);
        assert!(!names.contains(&"F42C"));
        assert!(names.contains(&"EPEL-9"));
        assert_eq!(active[0].branch, "rawhide");

        let updates = vec![Update {
            alias: "FEDORA-2025-1".into(),
            title: "x-1-1.fc41".into(),
            release: "F41".into(),
            branch: "f41".into(),
            kind: "bugfix".into(),
            status: "testing".into(),
            request: None,
            severity: "unspecified".into(),
            karma: 0,
            stable_karma: None,
            unstable_karma: None,
            submitter: "me".into(),
            submitted: None,
            pushed_testing: None,
            pushed_stable: None,
            modified: None,
            url: "u".into(),
            builds: vec!["x-1-1.fc41".into()],
            bugs: vec![],
            critpath: false,
        }];
        let versions = release_versions(&releases, &updates);
        let f41 = versions.iter().find(|v| v.release == "F41").unwrap();
        assert_eq!(f41.testing.as_ref().unwrap().nvr, "x-1-1.fc41");
        assert!(f41.stable.is_none());
    }
}
