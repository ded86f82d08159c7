//! The message bodies the worker reads, typed. Every field is optional or
//! defaulted: real messages come in several generations (fedmsg, and each
//! schema version), and a missing field is reported by the route, not by
//! the parser.
use serde::Deserialize;

/// `buildsys.build.state.change`, `buildsys.tag`, `buildsys.untag`.
#[derive(Debug, Default, Deserialize)]
pub struct KojiBuild {
    pub name: Option<String>,
    pub version: Option<String>,
    pub release: Option<String>,
    /// The new state (`koji.BUILD_STATES`), for state changes.
    pub new: Option<i64>,
    pub tag: Option<String>,
}

impl KojiBuild {
    pub fn nvr(&self) -> String {
        let part = |s: &Option<String>| s.clone().unwrap_or_default();
        format!("{}-{}-{}", part(&self.name), part(&self.version), part(&self.release))
    }
}

/// `buildsys.package.list.change`.
#[derive(Debug, Default, Deserialize)]
pub struct KojiPackageList {
    pub package: Option<String>,
    pub tag: Option<String>,
    pub action: Option<String>,
}

/// `bodhi.update.*`: the update itself, or a comment carrying it.
#[derive(Debug, Default, Deserialize)]
pub struct BodhiMessage {
    pub update: Option<BodhiUpdate>,
    pub comment: Option<BodhiComment>,
}

impl BodhiMessage {
    pub fn update(&self) -> Option<&BodhiUpdate> {
        self.update.as_ref().or_else(|| self.comment.as_ref()?.update.as_ref())
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct BodhiUpdate {
    pub alias: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub builds: Vec<BodhiBuild>,
}

#[derive(Debug, Default, Deserialize)]
pub struct BodhiBuild {
    pub nvr: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct BodhiComment {
    pub update: Option<BodhiUpdate>,
    pub karma: Option<i64>,
}

/// `bugzilla.bug.new`, `bugzilla.bug.update`.
#[derive(Debug, Default, Deserialize)]
pub struct BugzillaMessage {
    pub bug: Option<BugzillaBug>,
}

#[derive(Debug, Default, Deserialize)]
pub struct BugzillaBug {
    pub id: Option<serde_json::Value>,
    pub summary: Option<String>,
    pub product: Option<NameOrString>,
    pub component: Option<NameOrString>,
}

/// Bugzilla sends `{"id": .., "name": ..}` objects; older messages plain strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum NameOrString {
    Named { name: String },
    Plain(String),
}

impl NameOrString {
    pub fn name(&self) -> &str {
        match self {
            NameOrString::Named { name } | NameOrString::Plain(name) => name,
        }
    }
}

/// dist-git's `git.receive` (older: one commit per message).
#[derive(Debug, Default, Deserialize)]
pub struct DistGitPush {
    pub commit: Option<DistGitCommit>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DistGitCommit {
    pub repo: Option<String>,
    pub namespace: Option<String>,
    pub branch: Option<String>,
    pub summary: Option<String>,
}

/// Pagure's `pagure.git.receive`.
#[derive(Debug, Default, Deserialize)]
pub struct PagurePush {
    pub repo: Option<PagureRepo>,
    pub branch: Option<String>,
}

/// A Pagure project, as `pagure.git.receive` and `pagure.project.*` name it.
#[derive(Debug, Default, Deserialize)]
pub struct PagureRepo {
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// `pagure.project.new`, `pagure.project.user.*`, `pagure.project.group.*`.
#[derive(Debug, Default, Deserialize)]
pub struct PagureProject {
    pub project: Option<PagureRepo>,
    pub new_user: Option<String>,
    pub new_group: Option<String>,
    pub removed_user: Option<String>,
    pub user: Option<serde_json::Value>,
}

impl PagureProject {
    /// Who was added or removed, when the message says.
    pub fn who(&self) -> Option<String> {
        let user = self.user.as_ref().and_then(|u| u.as_str()).map(String::from);
        [self.new_user.clone(), self.new_group.clone(), self.removed_user.clone(), user]
            .into_iter()
            .flatten()
            .find(|w| !w.is_empty())
    }
}

/// `bodhi.compose.complete`: Bodhi finished composing one repository.
#[derive(Debug, Default, Deserialize)]
pub struct BodhiCompose {
    /// The repository, e.g. `f42-updates-testing`.
    pub repo: Option<String>,
    pub success: Option<bool>,
    /// `rpm`, `container`, `flatpak` (absent in Bodhi's oldest messages: rpm).
    pub ctype: Option<String>,
}

impl BodhiCompose {
    /// The rpm repository a successful compose changed.
    pub fn rpm_repository(self) -> Option<String> {
        let rpm = self.ctype.as_deref().is_none_or(|c| c == "rpm");
        (self.success == Some(true) && rpm).then_some(self.repo).flatten()
    }
}

/// `mdapi.repo.update`: one repository, and every package whose metadata changed.
#[derive(Debug, Default, Deserialize)]
pub struct MdapiRepoUpdate {
    /// The repository, e.g. `f42-updates`.
    pub name: Option<String>,
    pub packages: Option<Vec<serde_json::Value>>,
}
