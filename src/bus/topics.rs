//! The one place that says what each bus topic refreshes: topic (after its
//! environment prefix) and body → the packages affected and their tabs.
//! Routing goes by topic and body, never by the `fedora_messaging_schema`
//! header, which publishers without the schema package fill generically.
use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::storable::valid_name;
use crate::model::Tab;
use crate::refresh::Scope;
use crate::upstream::Service;

/// The routing keys the worker's queue is bound to (after each prefix).
pub const BINDINGS: [&str; 11] = [
    "buildsys.build.state.change",
    "buildsys.tag",
    "buildsys.untag",
    "buildsys.package.list.change",
    "bodhi.update.#",
    "bugzilla.bug.new",
    "bugzilla.bug.update",
    "git.receive",
    "pagure.git.receive",
    "pagure.project.#",
    "mdapi.repo.update",
];

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

/// Routes a message by its topic with the environment prefix removed.
/// Names that cannot be package names (see `model::storable::valid_name`)
/// are dropped; a message left with none cannot be routed.
pub fn route(topic: &str, body: &Value, headers: &Value) -> Result<Route, Malformed> {
    match route_named(topic, body, headers)? {
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

/// The same message about only `keep` of the packages it names, in its own
/// shape (a fan-out cut into parts, or the failed part of one retried), or
/// `None` when the topic names one package at most.
pub fn narrow(topic: &str, body: &Value, keep: &BTreeSet<String>) -> Option<Value> {
    let mut body = body.clone();
    match topic {
        "mdapi.repo.update" => {
            body["packages"] = Value::from(keep.iter().cloned().collect::<Vec<_>>());
            Some(body)
        }
        t if t.starts_with("bodhi.update.") => {
            let at = ["/update/builds", "/comment/update/builds"].into_iter().find(|p| body.pointer(p).is_some())?;
            let list = body.pointer_mut(at)?.as_array_mut()?;
            list.retain(|b| b.get("nvr").and_then(Value::as_str).and_then(nvr_name).is_some_and(|n| keep.contains(&n)));
            Some(body)
        }
        _ => None,
    }
}

fn route_named(topic: &str, body: &Value, headers: &Value) -> Result<Route, Malformed> {
    let bad = |reason: &str| Malformed { topic: topic.to_string(), reason: reason.to_string() };
    let route = match topic {
        "buildsys.build.state.change" | "buildsys.tag" | "buildsys.untag" => {
            let name = str_at(body, &["name"]).ok_or_else(|| bad("no build name"))?;
            targets(vec![name], &[Tab::Builds, Tab::Overview], Service::Koji)
        }
        "buildsys.package.list.change" => {
            let name = str_at(body, &["package"]).ok_or_else(|| bad("no package"))?;
            targets(vec![name], &[Tab::Overview], Service::Koji)
        }
        t if t.starts_with("bodhi.update.") => {
            let names = bodhi_packages(body, headers);
            if names.is_empty() {
                return Err(bad("no builds in the update"));
            }
            targets(names, &[Tab::Updates, Tab::Overview], Service::Bodhi)
        }
        "bugzilla.bug.new" | "bugzilla.bug.update" => {
            let bug = body.get("bug").filter(|b| b.is_object()).ok_or_else(|| bad("no bug"))?;
            let product = name_or_string(bug.get("product")).ok_or_else(|| bad("no product"))?;
            if product != "Fedora" && product != "Fedora EPEL" {
                return Ok(Route::NotOurs("not a Fedora or EPEL bug"));
            }
            let component = name_or_string(bug.get("component")).ok_or_else(|| bad("no component"))?;
            targets(vec![component], &[Tab::Bugs, Tab::Overview], Service::Bugzilla)
        }
        "git.receive" => {
            let commit = body.get("commit").ok_or_else(|| bad("no commit"))?;
            let repo = str_at(commit, &["repo"]).ok_or_else(|| bad("no repo"))?;
            match str_at(commit, &["namespace"]).as_deref() {
                Some("rpms") | None => targets(vec![repo], &[Tab::Sources], Service::DistGit),
                Some(_) => Route::NotOurs("not an rpms repository"),
            }
        }
        "pagure.git.receive" => {
            let repo = body.get("repo").ok_or_else(|| bad("no repo"))?;
            let name = str_at(repo, &["name"]).ok_or_else(|| bad("no repo name"))?;
            match str_at(repo, &["namespace"]).as_deref() {
                Some("rpms") => targets(vec![name], &[Tab::Sources], Service::DistGit),
                _ => Route::NotOurs("not an rpms repository"),
            }
        }
        "pagure.project.new" => {
            let project = body.get("project").ok_or_else(|| bad("no project"))?;
            let name = str_at(project, &["name"]).ok_or_else(|| bad("no project name"))?;
            if str_at(project, &["namespace"]).as_deref() != Some("rpms") {
                return Ok(Route::NotOurs("not an rpms project"));
            }
            Route::Refresh(vec![Target {
                package: name,
                scope: Scope::tabs(&Tab::ALL),
                service: Service::DistGit,
                creates: true,
            }])
        }
        t if t.starts_with("pagure.project.user.") || t.starts_with("pagure.project.group.") => {
            let project = body.get("project").ok_or_else(|| bad("no project"))?;
            let name = str_at(project, &["name"]).ok_or_else(|| bad("no project name"))?;
            if str_at(project, &["namespace"]).as_deref() != Some("rpms") {
                return Ok(Route::NotOurs("not an rpms project"));
            }
            targets(vec![name], &[Tab::Overview], Service::DistGit)
        }
        "mdapi.repo.update" => {
            let names: Vec<String> = body
                .get("packages")
                .and_then(Value::as_array)
                .ok_or_else(|| bad("no packages"))?
                .iter()
                .filter_map(|p| p.as_str().map(String::from))
                .collect();
            targets(names, &[Tab::Contents, Tab::Changelog, Tab::Dependencies, Tab::Overview], Service::Mdapi)
        }
        _ => Route::Unknown,
    };
    Ok(route)
}

/// Source package names of a Bodhi update: from its builds' NVRs (a comment
/// carries the update inside), else from the `fedora_messaging_rpm_*` headers.
fn bodhi_packages(body: &Value, headers: &Value) -> Vec<String> {
    let update = body.get("update").or_else(|| body.pointer("/comment/update"));
    let mut names: Vec<String> = update
        .and_then(|u| u.get("builds"))
        .and_then(Value::as_array)
        .map(|builds| builds.iter().filter_map(|b| b.get("nvr")?.as_str()).filter_map(nvr_name).collect())
        .unwrap_or_default();
    // Old updates carry their NVRs only in the title ("a-1-1.el6 b-2-1.el6").
    if names.is_empty() {
        let title = update.and_then(|u| u.get("title")).and_then(Value::as_str).unwrap_or("");
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

fn str_at(v: &Value, path: &[&str]) -> Option<String> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str().filter(|s| !s.is_empty()).map(String::from)
}

/// Bugzilla sends `{"id": .., "name": ..}` objects; older messages plain strings.
fn name_or_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name")?.as_str().map(String::from),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// The person or service behind an event, when the message says.
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
    let s = |p: &str| body.pointer(p).and_then(Value::as_str).unwrap_or("").to_string();
    let nvr = || format!("{}-{}-{}", s("/name"), s("/version"), s("/release"));
    match topic {
        "buildsys.build.state.change" => {
            let state = body.get("new").and_then(Value::as_i64).map(crate::model::BuildState::from_koji);
            format!("build {} {}", nvr(), state.map(|s| s.label()).unwrap_or("changed"))
        }
        "buildsys.tag" => format!("{} tagged into {}", nvr(), s("/tag")),
        "buildsys.untag" => format!("{} untagged from {}", nvr(), s("/tag")),
        "buildsys.package.list.change" => format!("package list of {}: {}", s("/tag"), s("/action")),
        t if t.starts_with("bodhi.update.comment") => {
            let karma = body.pointer("/comment/karma").and_then(Value::as_i64).unwrap_or(0);
            format!("comment on {} (karma {karma:+})", s("/comment/update/alias"))
        }
        t if t.starts_with("bodhi.update.") => {
            let what = t.trim_start_matches("bodhi.update.").replace('.', " ");
            format!("update {}: {what}", s("/update/alias"))
        }
        "bugzilla.bug.new" => {
            format!("new bug {}: {}", body.pointer("/bug/id").unwrap_or(&Value::Null), s("/bug/summary"))
        }
        "bugzilla.bug.update" => {
            format!("bug {} updated: {}", body.pointer("/bug/id").unwrap_or(&Value::Null), s("/bug/summary"))
        }
        "git.receive" => format!("push to {}: {}", s("/commit/branch"), s("/commit/summary")),
        "pagure.git.receive" => format!("push to {}", s("/branch")),
        "pagure.project.new" => "dist-git repository created".to_string(),
        t if t.starts_with("pagure.project.") => {
            let who =
                [s("/new_user"), s("/new_group"), s("/removed_user"), s("/user")].into_iter().find(|x| !x.is_empty());
            format!(
                "{}{}",
                t.trim_start_matches("pagure.project.").replace('.', " "),
                who.map(|w| format!(": {w}")).unwrap_or_default()
            )
        }
        "mdapi.repo.update" => format!("repository {} updated", s("/name")),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> (String, Value, Value) {
        let path = format!("{}/tests/fixtures/messages/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
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
