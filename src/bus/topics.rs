//! The one place that says what each bus topic refreshes: the table of
//! topics the worker binds, each with its typed body (`bodies`), the
//! packages and tabs a message affects, and the line it shows on the page.
//! Routing goes by topic and body, never by the `fedora_messaging_schema`
//! header, which publishers without the schema package fill generically.
mod bodies;

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::storable::valid_name;
use crate::model::{BuildState, Tab};
use crate::refresh::Scope;
use crate::upstream::Service;
use bodies::{
    BodhiCompose, BodhiMessage, BugzillaMessage, DistGitPush, KojiBuild, KojiPackageList, MdapiRepoUpdate,
    PagureProject, PagurePush,
};

/// A kind of message the worker handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    KojiBuildState,
    KojiTag,
    KojiUntag,
    KojiPackageList,
    BodhiUpdate,
    BugzillaBug,
    DistGitPush,
    PagurePush,
    PagureProjectNew,
    PagureAccess,
    MdapiRepoUpdate,
    BodhiCompose,
}

/// One line of the table: the routing key bound after each prefix (`#`
/// matches the rest), and the kind of its messages.
pub struct Topic {
    pub binding: &'static str,
    pub kind: Kind,
}

/// Every topic the worker handles; the queue is bound to these and nothing else.
pub const TOPICS: [Topic; 14] = [
    Topic { binding: "buildsys.build.state.change", kind: Kind::KojiBuildState },
    Topic { binding: "buildsys.tag", kind: Kind::KojiTag },
    Topic { binding: "buildsys.untag", kind: Kind::KojiUntag },
    Topic { binding: "buildsys.package.list.change", kind: Kind::KojiPackageList },
    Topic { binding: "bodhi.update.#", kind: Kind::BodhiUpdate },
    Topic { binding: "bugzilla.bug.new", kind: Kind::BugzillaBug },
    Topic { binding: "bugzilla.bug.update", kind: Kind::BugzillaBug },
    Topic { binding: "git.receive", kind: Kind::DistGitPush },
    Topic { binding: "pagure.git.receive", kind: Kind::PagurePush },
    Topic { binding: "pagure.project.new", kind: Kind::PagureProjectNew },
    Topic { binding: "pagure.project.user.#", kind: Kind::PagureAccess },
    Topic { binding: "pagure.project.group.#", kind: Kind::PagureAccess },
    Topic { binding: "mdapi.repo.update", kind: Kind::MdapiRepoUpdate },
    Topic { binding: "bodhi.compose.complete", kind: Kind::BodhiCompose },
];

impl Topic {
    fn matches(&self, topic: &str) -> bool {
        match self.binding.strip_suffix('#') {
            Some(prefix) => topic.starts_with(prefix),
            None => topic == self.binding,
        }
    }
}

/// The kind of a topic (after its prefix), if the worker handles it.
pub fn kind_of(topic: &str) -> Option<Kind> {
    TOPICS.iter().find(|t| t.matches(topic)).map(|t| t.kind)
}

/// The release branch whose repositories a message says changed, for the
/// worker to read their metadata again (`bus::repos`): `mdapi.repo.update`
/// names a repository as mdapi does (`f42-updates`, `rawhide`), once mdapi
/// has read it; `bodhi.compose.complete` names the updates repository Bodhi
/// just composed and synced to the master mirror (`f42-updates-testing`),
/// which is sooner. A failed compose, or one of containers or flatpaks,
/// changed no rpm repository. Rawhide's and branched composes (pungi) reach
/// us through mdapi's message.
pub fn repository_branch(topic: &str, body: &Value) -> Option<String> {
    let repo = match kind_of(topic)? {
        Kind::MdapiRepoUpdate => typed::<MdapiRepoUpdate>(body)?.name,
        Kind::BodhiCompose => typed::<BodhiCompose>(body)?.rpm_repository(),
        _ => None,
    };
    crate::upstream::repodata::branch_of_repo(repo.as_deref()?)
}

/// What a message asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// Refresh these packages' tabs.
    Refresh(Vec<Target>),
    /// A topic we handle, about something that is not ours (another product,
    /// another namespace, a build still running).
    NotOurs(&'static str),
    /// A topic we do not handle.
    Unknown,
    /// A repository changed: nothing to refresh now; the branch it names is
    /// recorded for `bus::repos` to read (see `repository_branch`).
    ReadRepository,
}

/// One package an event touches.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// As named in the message: a source or a binary package.
    pub package: String,
    pub scope: Scope,
    /// The service whose data changed; the event is applied once its fetch succeeds.
    pub service: Service,
    /// The event announces a new package (dist-git project created).
    pub creates: bool,
}

/// A message of a handled topic that lacks what its topic promises.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("malformed {topic} message: {reason}")]
pub struct Malformed {
    pub topic: String,
    pub reason: String,
}

fn scope(tabs: &[Tab], part: Service) -> Scope {
    let mut s = Scope::tabs(tabs);
    if tabs.contains(&Tab::Overview) {
        s.overview_parts.insert(part);
    }
    s
}

fn targets(names: Vec<String>, tabs: &[Tab], service: Service) -> Route {
    Route::Refresh(
        names
            .into_iter()
            .map(|package| Target { package, scope: scope(tabs, service), service, creates: false })
            .collect(),
    )
}

/// A body as its kind's type; `None` when it is not even a JSON object of that shape.
fn typed<T: DeserializeOwned + Default>(body: &Value) -> Option<T> {
    serde_json::from_value(body.clone()).ok()
}

/// Routes a message by its topic with the environment prefix removed.
/// Names that cannot be package names (see `model::storable::valid_name`)
/// are dropped; a message left with none cannot be routed.
pub fn route(topic: &str, body: &Value, headers: &Value) -> Result<Route, Malformed> {
    let Some(kind) = kind_of(topic) else { return Ok(Route::Unknown) };
    match route_kind(kind, topic, body, headers)? {
        Route::Refresh(mut targets) => {
            targets.retain(|t| valid_name(&t.package));
            if targets.is_empty() {
                return Err(Malformed { topic: topic.to_string(), reason: "no valid package name".into() });
            }
            Ok(Route::Refresh(targets))
        }
        other => Ok(other),
    }
}

fn route_kind(kind: Kind, topic: &str, body: &Value, headers: &Value) -> Result<Route, Malformed> {
    let bad = |reason: &str| Malformed { topic: topic.to_string(), reason: reason.to_string() };
    let nonempty = |s: Option<String>| s.filter(|s| !s.is_empty());
    let route = match kind {
        Kind::KojiBuildState | Kind::KojiTag | Kind::KojiUntag => {
            let build: KojiBuild = typed(body).ok_or_else(|| bad("not a build"))?;
            let name = nonempty(build.name).ok_or_else(|| bad("no build name"))?;
            targets(vec![name], &[Tab::Builds, Tab::Overview], Service::Koji)
        }
        Kind::KojiPackageList => {
            let list: KojiPackageList = typed(body).ok_or_else(|| bad("not a package list change"))?;
            let name = nonempty(list.package).ok_or_else(|| bad("no package"))?;
            targets(vec![name], &[Tab::Overview], Service::Koji)
        }
        Kind::BodhiUpdate => {
            let names = bodhi_packages(body, headers);
            if names.is_empty() {
                return Err(bad("no builds in the update"));
            }
            targets(names, &[Tab::Updates, Tab::Overview], Service::Bodhi)
        }
        Kind::BugzillaBug => {
            let message: BugzillaMessage = typed(body).unwrap_or_default();
            let bug = message.bug.ok_or_else(|| bad("no bug"))?;
            let product = bug.product.as_ref().map(|p| p.name()).filter(|p| !p.is_empty());
            let product = product.ok_or_else(|| bad("no product"))?;
            if product != "Fedora" && product != "Fedora EPEL" {
                return Ok(Route::NotOurs("not a Fedora or EPEL bug"));
            }
            let component = bug.component.as_ref().map(|c| c.name().to_string());
            let component = nonempty(component).ok_or_else(|| bad("no component"))?;
            targets(vec![component], &[Tab::Bugs, Tab::Overview], Service::Bugzilla)
        }
        Kind::DistGitPush => {
            let push: DistGitPush = typed(body).unwrap_or_default();
            let commit = push.commit.ok_or_else(|| bad("no commit"))?;
            let repo = nonempty(commit.repo).ok_or_else(|| bad("no repo"))?;
            match commit.namespace.as_deref() {
                Some("rpms") | None => targets(vec![repo], &[Tab::Sources], Service::DistGit),
                Some(_) => Route::NotOurs("not an rpms repository"),
            }
        }
        Kind::PagurePush => {
            let push: PagurePush = typed(body).unwrap_or_default();
            let repo = push.repo.ok_or_else(|| bad("no repo"))?;
            let name = nonempty(repo.name).ok_or_else(|| bad("no repo name"))?;
            match repo.namespace.as_deref() {
                Some("rpms") => targets(vec![name], &[Tab::Sources], Service::DistGit),
                _ => Route::NotOurs("not an rpms repository"),
            }
        }
        Kind::PagureProjectNew | Kind::PagureAccess => {
            let message: PagureProject = typed(body).unwrap_or_default();
            let project = message.project.ok_or_else(|| bad("no project"))?;
            let name = nonempty(project.name).ok_or_else(|| bad("no project name"))?;
            if project.namespace.as_deref() != Some("rpms") {
                return Ok(Route::NotOurs("not an rpms project"));
            }
            if kind == Kind::PagureAccess {
                targets(vec![name], &[Tab::Overview], Service::DistGit)
            } else {
                let scope = Scope::tabs(&Tab::ALL);
                Route::Refresh(vec![Target { package: name, scope, service: Service::DistGit, creates: true }])
            }
        }
        Kind::BodhiCompose => {
            let compose: BodhiCompose = typed(body).ok_or_else(|| bad("not a compose"))?;
            nonempty(compose.repo.clone()).ok_or_else(|| bad("no repo"))?;
            match repository_branch(topic, body) {
                Some(_) => Route::ReadRepository,
                None => Route::NotOurs("not a composed rpm repository of a branch we read"),
            }
        }
        Kind::MdapiRepoUpdate => {
            let update: MdapiRepoUpdate = typed(body).unwrap_or_default();
            let names: Vec<String> = update
                .packages
                .ok_or_else(|| bad("no packages"))?
                .iter()
                .filter_map(|p| p.as_str().map(String::from))
                .collect();
            targets(names, &[Tab::Contents, Tab::Changelog, Tab::Dependencies, Tab::Overview], Service::Mdapi)
        }
    };
    Ok(route)
}

/// The same message about only `keep` of the packages it names, in its own
/// shape (a fan-out cut into parts, or the failed part of one retried), or
/// `None` when the topic names one package at most.
pub fn narrow(topic: &str, body: &Value, keep: &BTreeSet<String>) -> Option<Value> {
    let mut body = body.clone();
    match kind_of(topic)? {
        Kind::MdapiRepoUpdate => {
            body.as_object_mut()?.insert("packages".into(), Value::from(keep.iter().cloned().collect::<Vec<_>>()));
            Some(body)
        }
        Kind::BodhiUpdate => {
            let at = ["/update/builds", "/comment/update/builds"].into_iter().find(|p| body.pointer(p).is_some())?;
            let list = body.pointer_mut(at)?.as_array_mut()?;
            list.retain(|b| b.get("nvr").and_then(Value::as_str).and_then(nvr_name).is_some_and(|n| keep.contains(&n)));
            Some(body)
        }
        _ => None,
    }
}

/// Source package names of a Bodhi update: from its builds' NVRs (a comment
/// carries the update inside), else from the `fedora_messaging_rpm_*` headers.
fn bodhi_packages(body: &Value, headers: &Value) -> Vec<String> {
    let message: BodhiMessage = typed(body).unwrap_or_default();
    let update = message.update();
    let mut names: Vec<String> = update
        .map(|u| u.builds.iter().filter_map(|b| b.nvr.as_deref()).filter_map(nvr_name).collect())
        .unwrap_or_default();
    // Old updates carry their NVRs only in the title ("a-1-1.el6 b-2-1.el6").
    if names.is_empty() {
        let title = update.map(|u| u.title.as_str()).unwrap_or("");
        names = title
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| t.matches('-').count() >= 2 && t.contains(|c: char| c.is_ascii_digit()))
            .filter_map(nvr_name)
            .collect();
    }
    if names.is_empty() {
        if let Some(h) = headers.as_object() {
            names = h.keys().filter_map(|k| k.strip_prefix("fedora_messaging_rpm_")).map(String::from).collect();
        }
    }
    names.sort();
    names.dedup();
    names
}

/// `python-requre-0.8.6-1.fc42` → `python-requre` (also for `...fc29.x86_64`).
pub fn nvr_name(nvr: &str) -> Option<String> {
    let mut parts = nvr.rsplitn(3, '-');
    let (_release, _version, name) = (parts.next()?, parts.next()?, parts.next()?);
    (!name.is_empty()).then(|| name.to_string())
}

/// The person or service behind an event, when the message says. Messages
/// of every generation name it in one of these places.
pub fn agent(body: &Value, headers: &Value) -> Option<String> {
    let candidates =
        ["/agent", "/agent_name", "/user", "/owner", "/comment/user/name", "/update/user/name", "/commit/username"];
    candidates
        .iter()
        .find_map(|p| body.pointer(p).and_then(Value::as_str).filter(|s| !s.is_empty()).map(String::from))
        .or_else(|| headers.get("x-fedmsg-username").and_then(Value::as_str).map(String::from))
}

/// One line saying what happened.
pub fn summary(topic: &str, body: &Value) -> String {
    let Some(kind) = kind_of(topic) else { return topic.to_string() };
    let or_empty = |s: &Option<String>| s.clone().unwrap_or_default();
    match kind {
        Kind::KojiBuildState => {
            let build: KojiBuild = typed(body).unwrap_or_default();
            let state = build.new.map(BuildState::from_koji).map(|s| s.label()).unwrap_or("changed");
            format!("build {} {state}", build.nvr())
        }
        Kind::KojiTag => {
            let build: KojiBuild = typed(body).unwrap_or_default();
            format!("{} tagged into {}", build.nvr(), or_empty(&build.tag))
        }
        Kind::KojiUntag => {
            let build: KojiBuild = typed(body).unwrap_or_default();
            format!("{} untagged from {}", build.nvr(), or_empty(&build.tag))
        }
        Kind::KojiPackageList => {
            let list: KojiPackageList = typed(body).unwrap_or_default();
            format!("package list of {}: {}", or_empty(&list.tag), or_empty(&list.action))
        }
        Kind::BodhiUpdate => {
            let message: BodhiMessage = typed(body).unwrap_or_default();
            let alias = message.update().and_then(|u| u.alias.clone()).unwrap_or_default();
            match &message.comment {
                Some(c) if topic.starts_with("bodhi.update.comment") => {
                    format!("comment on {alias} (karma {:+})", c.karma.unwrap_or(0))
                }
                _ => format!("update {alias}: {}", topic.trim_start_matches("bodhi.update.").replace('.', " ")),
            }
        }
        Kind::BugzillaBug => {
            let bug = typed::<BugzillaMessage>(body).unwrap_or_default().bug.unwrap_or_default();
            let id = bug.id.unwrap_or(Value::Null);
            let verb = if topic.ends_with(".new") { "new bug" } else { "bug" };
            let updated = if topic.ends_with(".new") { "" } else { " updated" };
            format!("{verb} {id}{updated}: {}", or_empty(&bug.summary))
        }
        Kind::DistGitPush => {
            let commit = typed::<DistGitPush>(body).unwrap_or_default().commit.unwrap_or_default();
            format!("push to {}: {}", or_empty(&commit.branch), or_empty(&commit.summary))
        }
        Kind::PagurePush => format!("push to {}", or_empty(&typed::<PagurePush>(body).unwrap_or_default().branch)),
        Kind::PagureProjectNew => "dist-git repository created".to_string(),
        Kind::PagureAccess => {
            let message: PagureProject = typed(body).unwrap_or_default();
            let what = topic.trim_start_matches("pagure.project.").replace('.', " ");
            format!("{what}{}", message.who().map(|w| format!(": {w}")).unwrap_or_default())
        }
        Kind::MdapiRepoUpdate => {
            format!("repository {} updated", or_empty(&typed::<MdapiRepoUpdate>(body).unwrap_or_default().name))
        }
        Kind::BodhiCompose => {
            let compose: BodhiCompose = typed(body).unwrap_or_default();
            let outcome = if compose.success == Some(true) { "composed" } else { "failed to compose" };
            format!("repository {} {outcome}", or_empty(&compose.repo))
        }
    }
}

/// Every binding, for declaring the queue.
pub fn bindings() -> impl Iterator<Item = &'static str> {
    TOPICS.iter().map(|t| t.binding)
}

/// A topic as a metrics label: its binding, or `other` (topics come from
/// outside and must not grow the label set).
pub fn label(topic: &str) -> &'static str {
    TOPICS.iter().find(|t| t.matches(topic)).map(|t| t.binding).unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> (String, Value, Value) {
        let path = crate::test_fixtures::project_root().join("tests/fixtures/messages").join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let v: Value = serde_json::from_str(&text).unwrap();
        let topic = v["topic"].as_str().unwrap();
        // The fixtures were captured in several environments.
        let environments = [
            "org.fedoraproject.prod",
            "org.fedoraproject.stg",
            "org.fedoraproject.dev",
            "io.pagure.prod",
            "io.pagure.dev",
        ];
        let config = crate::bus::BusConfig { prefixes: environments.map(String::from).to_vec(), ..Default::default() };
        let suffix = config.strip_prefix(topic).unwrap().to_string();
        (suffix, v["body"].clone(), v["headers"].clone())
    }

    fn routed(name: &str) -> Vec<(String, Vec<Tab>, Service)> {
        let (topic, body, headers) = fixture(name);
        match route(&topic, &body, &headers).unwrap() {
            Route::Refresh(t) => {
                t.into_iter().map(|t| (t.package, t.scope.tabs.into_iter().collect(), t.service)).collect()
            }
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn koji_events() {
        let r = routed("koji.build.state.change.complete.json");
        assert_eq!(r[0].0, "chromium");
        assert!(r[0].1.contains(&Tab::Builds) && r[0].1.contains(&Tab::Overview));
        assert_eq!(routed("koji.build.state.change.complete.fedmsg-real.json").len(), 1);
        assert_eq!(routed("koji.tag.json")[0].0, "http-parser");
        assert_eq!(routed("koji.untag.fedmsg-real.json").len(), 1);
        assert_eq!(
            routed("koji.package.list.change.json")[0],
            ("rust-ripgrep".into(), vec![Tab::Overview], Service::Koji)
        );
        let (t, b, _) = fixture("koji.repo.done.json");
        assert_eq!(route(&t, &b, &Value::Null).unwrap(), Route::Unknown);
    }

    #[test]
    fn bodhi_events_name_source_packages() {
        let r = routed("bodhi.update.comment.json");
        let names: Vec<_> = r.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(names, ["abrt-addon-python3", "asciinema"]);
        assert_eq!(r[0].1, [Tab::Overview, Tab::Updates]);
        let r = routed("bodhi.update.status.testing.koji-build-group.build.complete.v3.json");
        let names: Vec<_> = r.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(names, ["libselinux", "libsepol"]);
        assert_eq!(routed("bodhi.update.eject.fedmsg-real.json")[0].0, "fedmsg");
        for f in [
            "bodhi.update.request.testing.json",
            "bodhi.update.complete.testing.fedmsg-real.json",
            "bodhi.update.eject.fedmsg-real.json",
            "bodhi.update.edit.fedmsg-real.json",
            "bodhi.update.comment.fedmsg-real.json",
        ] {
            assert!(!routed(f).is_empty(), "{f}");
        }
        assert_eq!(
            nvr_name("golang-github-Masterminds-semver-2.0.0-0.1.20190319git3c92f33.fc29").as_deref(),
            Some("golang-github-Masterminds-semver")
        );
    }

    #[test]
    fn bugzilla_events_new_and_old_shapes() {
        assert_eq!(routed("bugzilla.bug.update.json")[0].0, "python-pyramid");
        assert!(!routed("bugzilla.bug.new.json").is_empty());
        assert!(!routed("bugzilla.bug.new.fedmsg-real.json").is_empty());
        let (t, mut b, h) = fixture("bugzilla.bug.update.json");
        b["bug"]["product"] = serde_json::json!({"id": 1, "name": "Red Hat Enterprise Linux 9"});
        assert!(matches!(route(&t, &b, &h).unwrap(), Route::NotOurs(_)));
    }

    #[test]
    fn dist_git_and_pagure_events() {
        assert_eq!(
            routed("distgit.git.receive.fedmsg-real.json"),
            [("valgrind".into(), vec![Tab::Sources], Service::DistGit)]
        );
        let (t, b, h) = fixture("distgit.git.receive.json");
        assert!(matches!(route(&t, &b, &h).unwrap(), Route::NotOurs(_)), "dummyns is not rpms");
        let (t, b, h) = fixture("pagure.git.receive.fedmsg-real.json");
        assert!(matches!(route(&t, &b, &h).unwrap(), Route::NotOurs(_)), "pagure.io project");
        let (t, b, h) = fixture("pagure.project.new.distgit.fedmsg-real.json");
        match route(&t, &b, &h).unwrap() {
            Route::Refresh(targets) => {
                assert_eq!(targets[0].package, "arachne-pnr");
                assert!(targets[0].creates);
            }
            other => panic!("{other:?}"),
        }
        let (t, b, h) = fixture("pagure.project.user.access.updated.json");
        assert!(matches!(route(&t, &b, &h).unwrap(), Route::NotOurs(_)), "fedora-infra namespace");
    }

    #[test]
    fn mdapi_events_list_packages() {
        let r = routed("mdapi.repo.update.json");
        let names: Vec<_> = r.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(names, ["kernel", "inkscape"]);
        assert!(routed("mdapi.repo.update.fedmsg-real.json").len() > 20);
    }

    #[test]
    fn repository_updates_name_their_branch() {
        let (t, b, _) = fixture("mdapi.repo.update.json");
        assert_eq!(repository_branch(&t, &b).as_deref(), Some("rawhide"));
        let (t, b, _) = fixture("mdapi.repo.update.fedmsg-real.json");
        let name = b["name"].as_str().unwrap_or_default().to_string();
        assert_eq!(repository_branch(&t, &b), crate::upstream::repodata::branch_of_repo(&name));
        let (t, b, _) = fixture("koji.repo.done.json");
        assert_eq!(repository_branch(&t, &b), None, "Koji's build roots are not the mirrors' repositories");
    }

    #[test]
    fn composed_repositories_name_their_branch() {
        // A real capture: Bodhi composed f29-updates-testing.
        let (t, b, h) = fixture("bodhi.compose.complete.fedmsg-real.json");
        assert_eq!(repository_branch(&t, &b).as_deref(), Some("f29"));
        assert_eq!(route(&t, &b, &h).unwrap(), Route::ReadRepository);
        assert_eq!(summary(&t, &b), "repository f29-updates-testing composed");
        // The same message changed: what changed no repository we read.
        let changed = |key: &str, value: Value| {
            let mut b = b.clone();
            b[key] = value;
            b
        };
        for (body, what) in [
            (changed("success", Value::Bool(false)), "a failed compose"),
            (changed("ctype", "container".into()), "a container compose"),
            (changed("repo", "dist-6E-epel-testing".into()), "EPEL 6, which is not read"),
        ] {
            assert_eq!(repository_branch(&t, &body), None, "{what}");
            assert!(matches!(route(&t, &body, &h).unwrap(), Route::NotOurs(_)), "{what}");
        }
        // Bodhi's oldest composes did not say their type: rpm.
        let mut untyped = b.clone();
        untyped.as_object_mut().unwrap().remove("ctype");
        assert_eq!(repository_branch(&t, &untyped).as_deref(), Some("f29"));
        // No repository at all is malformed (dead-lettered), not ignored.
        assert!(route(&t, &changed("repo", Value::Null), &h).is_err());
        assert!(route(&t, &Value::String("compose".into()), &h).is_err());
    }

    #[test]
    fn fan_outs_narrow_to_some_packages() {
        let (t, b, _) = fixture("mdapi.repo.update.fedmsg-real.json");
        let keep: BTreeSet<String> = ["kernel".to_string()].into();
        let narrowed = narrow(&t, &b, &keep).unwrap();
        assert_eq!(narrowed["packages"], serde_json::json!(["kernel"]));
        assert_eq!(narrowed["name"], b["name"]);
        let (t, b, h) = fixture("bodhi.update.comment.json");
        let keep: BTreeSet<String> = ["asciinema".to_string()].into();
        let narrowed = narrow(&t, &b, &keep).unwrap();
        match route(&t, &narrowed, &h).unwrap() {
            Route::Refresh(targets) => assert_eq!(targets.len(), 1),
            other => panic!("{other:?}"),
        }
        let (t, b, _) = fixture("koji.tag.json");
        assert_eq!(narrow(&t, &b, &keep), None);
    }

    #[test]
    fn names_that_cannot_be_packages_are_refused() {
        let body = serde_json::json!({"packages": ["ok-name", "bad\nname", "x".repeat(300)]});
        match route("mdapi.repo.update", &body, &Value::Null).unwrap() {
            Route::Refresh(t) => assert_eq!(t.iter().map(|t| t.package.as_str()).collect::<Vec<_>>(), ["ok-name"]),
            other => panic!("{other:?}"),
        }
        let body = serde_json::json!({"name": "a b", "version": "1", "release": "1"});
        assert!(route("buildsys.tag", &body, &Value::Null).is_err());
    }

    #[test]
    fn malformed_bodies_are_reported() {
        let err = route("buildsys.build.state.change", &serde_json::json!({"version": "1"}), &Value::Null).unwrap_err();
        assert!(err.reason.contains("name"));
        assert!(route("bugzilla.bug.update", &serde_json::json!("text"), &Value::Null).is_err());
        assert!(route("bodhi.update.request.testing", &serde_json::json!({"update": {}}), &Value::Null).is_err());
    }

    #[test]
    fn summaries_and_agents() {
        let (t, b, h) = fixture("koji.build.state.change.complete.json");
        assert_eq!(summary(&t, &b), "build chromium-80.0.3987.132-1.fc33 complete");
        assert_eq!(agent(&b, &h).as_deref(), Some("spot"));
        let (t, b, h) = fixture("bodhi.update.comment.json");
        assert_eq!(summary(&t, &b), "comment on FEDORA-EPEL-2019-f2d195dada (karma -1)");
        assert_eq!(agent(&b, &h).as_deref(), Some("ralph"));
        let (t, b, _) = fixture("koji.tag.json");
        assert_eq!(summary(&t, &b), "http-parser-2.9.3-1.fc31 tagged into f31-updates-pending");
    }
}
