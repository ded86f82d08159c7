//! Typed payloads for the gallery's stories: the demo's recorded upstream
//! answers (the ones the tests read) through the connectors' own parsers,
//! plus states no recording has (long, hostile). Built into the server
//! only: the browser receives a story's props like any other payload.
use chrono::{DateTime, TimeZone, Utc};

use crate::model::release::order_branches;
use crate::model::{
    BugCounts, Bugs, Build, BuildState, Builds, Changelog, ChangelogEntry, Contents, Dependencies, Dependency,
    FileEntry, FileKind, Maintainers, Overview, PackageEvent, PackageHeader, PackageInfo, Part, Release, SearchHit,
    SearchResults, Sources, TabView, Updates,
};
use crate::upstream::{bodhi, bugzilla, distgit, koji, mdapi};

/// A fixed "now", so every story renders the same on every run.
pub fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().unwrap_or_default()
}

/// Text no upstream should send, and some will: markup, a script URL, a
/// word longer than any screen, right-to-left text with an override.
pub const HOSTILE: &str = "\"><script>alert(1)</script></title><img src=x onerror=alert(2)> \u{202e}مرحبا بالعالم";
pub const HOSTILE_URL: &str = "javascript:alert(document.cookie)";

pub fn long_word() -> String {
    "A".repeat(10 * 1024)
}

const REQURE_BUILDS: &str = include_str!("../../demo/upstream/koji/kojihub/listBuilds/packageID=31141.xml");
const REQURE_UPDATES: &str = include_str!("../../demo/upstream/bodhi/updates/packages=python-requre.json");
const RELEASES: &str = include_str!("../../demo/upstream/bodhi/releases/state=current,pending,frozen.json");
const BUGZILLA_BUGS: &str = include_str!("../../demo/upstream/bugzilla/rest/bug/component=python-bugzilla.json");
const REQURE_RAWHIDE: &str = include_str!("../../demo/upstream/mdapi/rawhide/pkg/python3-requre.json");
const REQURE_F42: &str = include_str!("../../demo/upstream/mdapi/f42/pkg/python3-requre.json");
const REQURE_SRPM: &str = include_str!("../../demo/upstream/mdapi/src_rawhide/pkg/python-requre.json");
const REQURE_FILES: &str = include_str!("../../demo/upstream/mdapi/rawhide/files/python3-requre.json");
const REQURE_FILES_F42: &str = include_str!("../../demo/upstream/mdapi/f42/files/python3-requre.json");
const REQURE_CHANGELOG: &str = include_str!("../../demo/upstream/mdapi/rawhide/changelog/python3-requre.json");
const REQURE_PROJECT: &str = include_str!("../../demo/upstream/distgit/api/0/rpms/python-requre.json");
const REQURE_BRANCHES: &str = include_str!("../../demo/upstream/distgit/api/0/rpms/python-requre/git/branches.json");
const REQURE_SPEC: &str =
    include_str!("../../demo/upstream/distgit/rpms/python-requre/raw/rawhide/f/python-requre.spec");

/// The active releases, as the refresh ranks them.
pub fn releases() -> Vec<Release> {
    bodhi::to_releases(&bodhi::parse_releases(RELEASES).unwrap_or_default())
}

/// A tab view of `data`, owned by `owner`, in `branch` of those given.
pub fn view<T>(owner: &str, data: T, branch: Option<&str>, available: &[&str]) -> TabView<T> {
    let available: Vec<String> = available.iter().map(|b| b.to_string()).collect();
    TabView {
        owner: owner.to_string(),
        branch: branch.map(String::from),
        branches: order_branches(&available, &releases()),
        fetched_at: Some(at()),
        data: Some(data),
        digest: 0,
        headline: None,
    }
}

/// A view whose row was never fetched.
pub fn never_fetched<T>(owner: &str) -> TabView<T> {
    TabView {
        owner: owner.to_string(),
        branch: None,
        branches: Vec::new(),
        fetched_at: None,
        data: None,
        digest: 0,
        headline: None,
    }
}

pub fn builds() -> Builds {
    let raw = koji::parse_list_builds(REQURE_BUILDS).unwrap_or_default();
    Builds { package_id: Some(31141), builds: koji::to_builds(&raw) }
}

/// Hundreds of builds, every state among them.
pub fn many_builds() -> Builds {
    let one = builds();
    let states = [BuildState::Complete, BuildState::Failed, BuildState::Building, BuildState::Canceled];
    let builds: Vec<Build> = (0..300)
        .map(|i| {
            let mut b = one.builds[i % one.builds.len()].clone();
            b.build_id += i as i64 * 1000;
            b.state = states[i % states.len()];
            b.nvr = format!("python-requre-0.{}.{}-1.fc{}", i / 10, i % 10, 30 + i % 14);
            b
        })
        .collect();
    Builds { package_id: one.package_id, builds }
}

pub fn hostile_builds() -> Builds {
    let mut b = builds();
    b.builds.truncate(3);
    b.builds[0].nvr = HOSTILE.to_string();
    b.builds[1].owner = long_word();
    b.builds[2].source = Some(HOSTILE_URL.to_string());
    b
}

pub fn updates() -> Updates {
    let page = bodhi::parse_updates(REQURE_UPDATES).ok();
    let updates = page.as_ref().map(|p| bodhi::to_updates(&p.updates)).unwrap_or_default();
    Updates { total: page.map(|p| p.total).unwrap_or(0), updates }
}

pub fn many_updates() -> Updates {
    let one = updates();
    let updates = (0..300)
        .map(|i| {
            let mut u = one.updates[i % one.updates.len()].clone();
            u.alias = format!("FEDORA-2026-{i:010x}");
            u
        })
        .collect();
    Updates { total: 1200, updates }
}

pub fn hostile_updates() -> Updates {
    let mut u = updates();
    u.updates.truncate(2);
    u.updates[0].title = HOSTILE.to_string();
    u.updates[0].url = HOSTILE_URL.to_string();
    u.updates[0].builds = vec![long_word()];
    u.updates[1].submitter = HOSTILE.to_string();
    u
}

pub fn bugs() -> Bugs {
    Bugs { bugs: bugzilla::parse_bugs(BUGZILLA_BUGS).map(|l| bugzilla::to_bugs(&l)).unwrap_or_default() }
}

pub fn many_bugs() -> Bugs {
    let one = bugs();
    let bugs = (0..300)
        .map(|i| {
            let mut b = one.bugs[i % one.bugs.len()].clone();
            b.id += i as i64;
            b
        })
        .collect();
    Bugs { bugs }
}

pub fn hostile_bugs() -> Bugs {
    let mut b = bugs();
    b.bugs.truncate(2);
    b.bugs[0].summary = HOSTILE.to_string();
    b.bugs[1].summary = long_word();
    b.bugs[1].versions = vec![HOSTILE.to_string()];
    b
}

fn files(text: &str) -> Vec<FileEntry> {
    mdapi::parse_files(text).map(|f| mdapi::to_files("python3-requre", &f).files).unwrap_or_default()
}

pub fn contents(f42: bool) -> Contents {
    let (text, repo) = if f42 { (REQURE_FILES_F42, "updates") } else { (REQURE_FILES, "release") };
    Contents {
        packages: vec![crate::model::PackageFiles {
            name: "python3-requre".into(),
            repo: repo.into(),
            files: files(text),
        }],
    }
}

/// Hundreds of files in a deep tree.
pub fn many_files() -> Vec<FileEntry> {
    let mut out: Vec<FileEntry> = (0..400)
        .map(|i| FileEntry {
            path: format!("/usr/share/doc/requre/examples/set-{}/case-{i:03}.yaml", i / 40),
            kind: FileKind::File,
        })
        .collect();
    out.sort();
    out
}

pub fn hostile_files() -> Vec<FileEntry> {
    vec![
        FileEntry { path: format!("/usr/share/{HOSTILE}"), kind: FileKind::File },
        FileEntry { path: format!("/usr/share/{}", long_word()), kind: FileKind::Ghost },
        FileEntry { path: "/usr/bin/\u{202e}txt.exe".into(), kind: FileKind::File },
    ]
}

pub fn changelog() -> Changelog {
    let log = mdapi::parse_changelog(REQURE_CHANGELOG).ok();
    Changelog {
        package: "python3-requre".into(),
        repo: log.as_ref().map(|l| l.repo.clone()).unwrap_or_default(),
        entries: log.map(|l| mdapi::to_changelog(&l)).unwrap_or_default(),
    }
}

pub fn many_changelog_entries() -> Changelog {
    let one = changelog();
    let entries: Vec<ChangelogEntry> = (0..300)
        .map(|i| {
            let mut e = one.entries[i % one.entries.len()].clone();
            e.date -= chrono::Duration::days(i as i64 * 7);
            e
        })
        .collect();
    Changelog { entries, ..one }
}

pub fn hostile_changelog() -> Changelog {
    let mut log = changelog();
    log.entries.truncate(2);
    log.entries[0].text = format!("- {HOSTILE}\n- {}", long_word());
    log.entries[1].author = HOSTILE.to_string();
    log
}

pub fn dependencies(f42: bool) -> Dependencies {
    let pkg = mdapi::parse_package(if f42 { REQURE_F42 } else { REQURE_RAWHIDE });
    let Ok(pkg) = pkg else { return Dependencies::default() };
    let mut deps = mdapi::to_deps("python3-requre", &pkg);
    // Resolved the way the refresh resolves them, by a provider lookup each.
    for d in deps.requires.iter_mut().filter(|d| d.name.starts_with("python3-")) {
        d.providers = vec![d.name.clone()];
    }
    deps.required_by = vec!["python3-packit".into()];
    Dependencies { packages: vec![deps], ..Default::default() }
}

pub fn many_dependencies() -> Dependencies {
    let mut deps = dependencies(false);
    if let Some(p) = deps.packages.first_mut() {
        let template = p.requires.first().cloned();
        if let Some(t) = template {
            p.requires = (0..300)
                .map(|i| {
                    let mut d = t.clone();
                    d.name = format!("python3dist(dependency-{i:03})");
                    d.providers = vec![format!("python3-dependency-{i:03}")];
                    d
                })
                .collect();
        }
        p.required_by = (0..200).map(|i| format!("python3-consumer-{i:03}")).collect();
    }
    deps
}

pub fn hostile_dependencies() -> Dependencies {
    let mut deps = dependencies(false);
    if let Some(p) = deps.packages.first_mut() {
        p.requires.truncate(2);
        if let Some(d) = p.requires.first_mut() {
            d.name = HOSTILE.to_string();
            d.providers = vec![HOSTILE.to_string()];
        }
        if let Some(d) = p.requires.get_mut(1) {
            d.name = long_word();
        }
        p.required_by = vec![HOSTILE.to_string()];
    }
    deps
}

pub fn sources() -> Sources {
    let branches = distgit::parse_branches(REQURE_BRANCHES).ok();
    let limits = distgit::SpecLimits::default();
    let builds = builds();
    Sources {
        git_url: crate::model::links::distgit("python-requre"),
        default_branch: branches.as_ref().and_then(|b| b.default.clone()),
        branches: distgit::sort_branches(branches.map(|b| b.branches).unwrap_or_default()),
        spec: Some(distgit::parse_spec(REQURE_SPEC, "rawhide", "python-requre.spec", limits)),
        latest_build_commit: builds.latest_commit(),
        retired: false,
    }
}

pub fn retired_sources() -> Sources {
    Sources { spec: None, retired: true, ..sources() }
}

/// A spec past both caps: cut short, and a macro left unexpanded.
pub fn capped_sources() -> Sources {
    let mut bomb = String::from("%global a0 0123456789abcdef\n");
    for i in 1..40 {
        bomb.push_str(&format!("%global a{i} %{{a{}}}%{{a{}}}\n", i - 1, i - 1));
    }
    bomb.push_str("Name: python-requre\nLicense: MIT\nSource0: %{a39}.tar.gz\n");
    bomb.push_str(&"# padding\n".repeat(50));
    let limits = distgit::SpecLimits { max_bytes: 2000, max_expanded: 256 };
    Sources { spec: Some(distgit::parse_spec(&bomb, "rawhide", "python-requre.spec", limits)), ..sources() }
}

pub fn hostile_sources() -> Sources {
    let mut s = sources();
    s.branches = vec![HOSTILE.to_string(), long_word()];
    if let Some(spec) = s.spec.as_mut() {
        spec.text = format!("Name: {HOSTILE}\n{}\n", long_word());
        spec.license = Some(HOSTILE.to_string());
    }
    s
}

fn info(text: &str, branch: &str) -> Option<PackageInfo> {
    mdapi::parse_package(text).ok().map(|p| mdapi::to_info(branch, "python-requre", &p))
}

/// python-requre's overview, every part from its recorded answers.
fn part<T>(value: T) -> Part<T> {
    Part { fetched_at: at(), version: 1, value }
}

pub fn overview() -> Overview {
    let mut infos: Vec<PackageInfo> = Vec::new();
    for (text, branch) in [(REQURE_SRPM, "rawhide"), (REQURE_F42, "f42")] {
        if let Some(mut i) = info(text, branch) {
            i.arch = "src".into();
            i.sub_packages = vec!["python-requre-doc".into(), "python3-requre".into()];
            infos.push(i);
        }
    }
    let parsed = bodhi::parse_releases(RELEASES).unwrap_or_default();
    let b = builds();
    let project = distgit::parse_project(REQURE_PROJECT).ok();
    Overview {
        info: Some(part(infos)),
        releases: Some(part(bodhi::release_versions(&parsed, &updates().updates))),
        latest_build: Some(part(koji::latest(&b.builds))),
        bugs: Some(part(BugCounts { open: 3 })),
        maintainers: Some(part(project.map(|p| distgit::to_maintainers(&p)).unwrap_or_default())),
    }
}

pub fn orphaned_overview() -> Overview {
    let mut o = overview();
    o.maintainers = Some(part(Maintainers::default()));
    o
}

pub fn hostile_overview() -> Overview {
    let mut o = overview();
    if let Some(info) = o.info.as_mut() {
        for i in info.value.iter_mut() {
            i.description = format!("{HOSTILE} {}", long_word());
            i.url = Some(HOSTILE_URL.to_string());
        }
    }
    if let Some(r) = o.releases.as_mut() {
        for line in r.value.iter_mut() {
            if let Some(s) = line.stable.as_mut() {
                s.url = HOSTILE_URL.to_string();
            }
        }
    }
    o
}

pub fn events() -> Vec<PackageEvent> {
    let event = |minutes: i64, topic: &str, agent: Option<&str>, summary: &str| PackageEvent {
        at: at() - chrono::Duration::minutes(minutes),
        topic: topic.into(),
        agent: agent.map(String::from),
        summary: summary.into(),
    };
    vec![
        event(3, "buildsys.build.state.change", Some("packit"), "build python-requre-0.8.6-1.fc43 complete"),
        event(40, "bodhi.update.status.testing", Some("bodhi"), "update FEDORA-2025-5c0d3f: status testing"),
        event(90, "mdapi.repo.update", None, "repository rawhide updated"),
    ]
}

pub fn header(name: &str, source: &str) -> PackageHeader {
    PackageHeader {
        name: name.into(),
        source_name: source.into(),
        summary: "Python library for storing and replaying HTTP traffic and other objects".into(),
        upstream_url: Some("https://github.com/packit/requre".into()),
        license: Some("MIT".into()),
        sub_packages: if name == source {
            vec!["python-requre-doc".into(), "python3-requre".into()]
        } else {
            Vec::new()
        },
        site_url: "https://packages.fedoraproject.org".into(),
        retired_in: Vec::new(),
        live_version: Some(42),
    }
}

pub fn search_results(query: &str) -> SearchResults {
    let hit = |name: &str, summary: &str, subs: &[&str]| SearchHit {
        name: name.into(),
        summary: summary.into(),
        version: "0.8.6-1.fc43".into(),
        sub_packages: subs.iter().map(|s| s.to_string()).collect(),
    };
    SearchResults {
        query: query.into(),
        hits: vec![
            hit("python-requre", "Python library for storing and replaying HTTP traffic", &["python3-requre"]),
            hit("packit", "A tool for integrating upstream projects with Fedora", &[]),
        ],
        total: 2,
        total_at_least: false,
        page: 1,
        per_page: 20,
        similar: Vec::new(),
    }
}

/// A one-letter query: more matches than were counted.
pub fn search_results_uncounted() -> SearchResults {
    let mut results = search_results("p");
    results.total = 1000;
    results.total_at_least = true;
    results
}

/// The python-requre source's dependencies once the repositories are read:
/// a file requirement resolved to its owner, a capability provided by two
/// packages, and the source package's BuildRequires.
pub fn dependencies_with_build_requires() -> Dependencies {
    let mut deps = dependencies(false);
    if let Some(p) = deps.packages.first_mut() {
        p.requires.push(Dependency {
            name: "/usr/bin/python3".into(),
            constraint: None,
            providers: vec!["python3".into()],
        });
        p.required_by.push("packit".into());
    }
    deps.build_requires = vec![
        Dependency { name: "python3-devel".into(), constraint: None, providers: vec!["python3-devel".into()] },
        Dependency {
            name: "python3dist(setuptools)".into(),
            constraint: Some(">= 40.8".into()),
            providers: vec!["python3-setuptools".into(), "python3-setuptools-wheel".into()],
        },
        Dependency { name: "/usr/bin/git".into(), constraint: None, providers: vec!["git-core".into()] },
    ];
    deps
}

/// "What provides it" results for `q` with `n` hits, shaped as the demo's
/// repository metadata answers them.
pub fn provides_results(q: &str, n: usize) -> crate::model::provides::ProvidesResults {
    use crate::model::provides::{ProvidesHit, ProvidesQuery, ProvidesResults};
    let query = ProvidesQuery::parse(q, None, None, None).unwrap_or_else(|_| ProvidesQuery {
        q: q.into(),
        lookup: q.into(),
        mode: crate::model::provides::ProvidesMode::Name,
        guessed: true,
        branch: None,
        page: 1,
    });
    let branches = ["rawhide", "f42"];
    let hits = (0..n)
        .map(|i| ProvidesHit {
            package: if n > 2 { format!("python3-package{i:03}") } else { "packit".into() },
            source: if n > 2 { format!("python-package{i:03}") } else { "packit".into() },
            branch: branches[i % 2].into(),
            repo: if i % 2 == 0 { "release".into() } else { "updates-testing".into() },
            evr: if i % 2 == 0 { "1.3.0-1.fc43".into() } else { "1.3.0-1.fc42".into() },
            arch: "noarch".into(),
            matched: if query.mode == crate::model::provides::ProvidesMode::Capability {
                format!("{} = 0.8.6", query.lookup)
            } else {
                "/usr/bin/packit".into()
            },
        })
        .collect();
    let total = n as i64;
    ProvidesResults { query, hits, total, total_at_least: n >= 100, branches: branches.map(String::from).to_vec() }
}

/// Results before any repository metadata was read.
pub fn provides_unread() -> crate::model::provides::ProvidesResults {
    let mut r = provides_results("/usr/bin/packit", 0);
    r.branches.clear();
    r
}
