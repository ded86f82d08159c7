//! Fedora dist-git (Pagure): maintainers, branches and the spec file.
use std::collections::HashMap;

use serde::Deserialize;

use super::http::Http;
use super::{parse_json, ParseError, Reason, Service, UpstreamError};
use crate::model::release::{major_version, RAWHIDE};
use crate::model::{url_segment, Maintainers, SpecEntry, SpecFile};

/// `GET /api/0/rpms/{name}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub access_users: Access,
    pub access_groups: Access,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Access {
    #[serde(default)]
    pub owner: Vec<String>,
    #[serde(default)]
    pub admin: Vec<String>,
    #[serde(default)]
    pub commit: Vec<String>,
    #[serde(default)]
    pub collaborator: Vec<String>,
    #[serde(default)]
    pub ticket: Vec<String>,
}

/// `GET /api/0/rpms/{name}/git/branches`.
#[derive(Debug, Clone, Deserialize)]
pub struct GitBranches {
    pub branches: Vec<String>,
    pub default: Option<String>,
}

/// One page of `GET /api/0/projects?namespace=rpms&fork=false`.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectPage {
    pub projects: Vec<ListedProject>,
    pub pagination: Pagination,
    #[serde(default)]
    pub total_projects: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ListedProject {
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pagination {
    pub page: u32,
    pub pages: u32,
}

pub fn parse_project_page(body: &str) -> Result<ProjectPage, ParseError> {
    parse_json(body)
}

pub fn parse_project(body: &str) -> Result<Project, ParseError> {
    parse_json(body)
}

pub fn parse_branches(body: &str) -> Result<GitBranches, ParseError> {
    parse_json(body)
}

pub fn to_maintainers(project: &Project) -> Maintainers {
    let u = &project.access_users;
    let g = &project.access_groups;
    let mut groups: Vec<String> =
        [&g.owner, &g.admin, &g.commit, &g.collaborator].into_iter().flatten().cloned().collect();
    groups.sort();
    groups.dedup();
    Maintainers {
        owners: u.owner.clone(),
        admins: u.admin.clone(),
        committers: u.commit.clone(),
        collaborators: u.collaborator.clone(),
        groups,
    }
}

/// Branches newest first: rawhide, then Fedora and EPEL branches by number.
pub fn sort_branches(mut branches: Vec<String>) -> Vec<String> {
    let key = |b: &String| (b == RAWHIDE || b == "main", b.starts_with('f'), major_version(b), b.clone());
    branches.sort_by_key(|b| std::cmp::Reverse(key(b)));
    branches
}

/// Bounds on what a spec file may cost: its size, and how long a macro's
/// expansion may grow (a chain of `%global b %{a}%{a}` doubles each line).
#[derive(Debug, Clone, Copy)]
pub struct SpecLimits {
    /// Bytes of the file kept; the rest is cut and the spec marked truncated.
    pub max_bytes: usize,
    /// Bytes one expanded value may reach; past it, the value stays unexpanded.
    pub max_expanded: usize,
}

impl Default for SpecLimits {
    fn default() -> Self {
        SpecLimits { max_bytes: 2 << 20, max_expanded: 4096 }
    }
}

/// Reads the preamble of a spec file: license, sources and patches, with the
/// simple macros (`%{name}`, `%{version}`, `%global`) expanded for display.
pub fn parse_spec(text: &str, branch: &str, file_name: &str, limits: SpecLimits) -> SpecFile {
    let truncated = text.len() > limits.max_bytes;
    let text = if truncated { &text[..floor_char_boundary(text, limits.max_bytes)] } else { text };
    let mut macros: HashMap<String, String> = HashMap::new();
    let mut capped = false;
    let mut expand = |value: &str, macros: &HashMap<String, String>| {
        let (out, over) = expand(value, macros, limits.max_expanded);
        capped |= over;
        out
    };
    let mut license = None;
    let mut sources = Vec::new();
    let mut patches = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("%global").or_else(|| line.strip_prefix("%define")) {
            let mut parts = rest.trim().splitn(2, char::is_whitespace);
            if let (Some(k), Some(v)) = (parts.next(), parts.next()) {
                let value = expand(v.trim(), &macros);
                macros.insert(k.to_string(), value);
            }
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else { continue };
        let tag = tag.trim();
        if tag.is_empty() || tag.contains(char::is_whitespace) || tag.starts_with('%') {
            continue;
        }
        let value = expand(value.trim(), &macros);
        let lower = tag.to_ascii_lowercase();
        match lower.as_str() {
            "name" | "version" | "release" | "url" => {
                macros.insert(lower.clone(), value.clone());
            }
            "license" => license = Some(value.clone()),
            _ => {}
        }
        let numbered = |prefix: &str| lower.strip_prefix(prefix).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
        if numbered("source") {
            sources.push(SpecEntry { tag: tag.to_string(), value });
        } else if numbered("patch") {
            patches.push(SpecEntry { tag: tag.to_string(), value });
        }
    }
    SpecFile {
        branch: branch.to_string(),
        file_name: file_name.to_string(),
        text: text.to_string(),
        license,
        sources,
        patches,
        truncated,
        expansion_capped: capped,
    }
}

/// Expands `%{name}` and `%{?name}` for the macros seen so far (a few
/// levels deep), leaving the rest as written. A value that would grow past
/// `max` bytes is returned as written, with `true`.
fn expand(value: &str, macros: &HashMap<String, String>, max: usize) -> (String, bool) {
    let mut out = value.to_string();
    for _ in 0..5 {
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(start) = rest.find("%{") {
            next.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                next.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            match macros.get(name.strip_prefix('?').unwrap_or(name)) {
                Some(v) => next.push_str(v),
                None => next.push_str(&rest[start..start + 2 + end + 1]),
            }
            rest = &after[end + 1..];
            if next.len() > max {
                return (value.to_string(), true);
            }
        }
        next.push_str(rest);
        if next.len() > max {
            return (value.to_string(), true);
        }
        if next == out {
            break;
        }
        out = next;
    }
    (out, false)
}

/// The largest index <= `at` on a character boundary of `s`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len())).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0)
}

/// The dist-git client, at a configurable base URL.
#[derive(Clone)]
pub struct DistGit {
    http: Http,
    base: String,
    spec_limits: SpecLimits,
}

impl DistGit {
    pub fn new(http: Http, base: &str, spec_limits: SpecLimits) -> Self {
        DistGit { http, base: base.trim_end_matches('/').to_string(), spec_limits }
    }

    pub fn spec_limits(&self) -> SpecLimits {
        self.spec_limits
    }

    /// The page of the package on dist-git, for links.
    pub fn web_url(name: &str) -> String {
        crate::model::links::distgit(name)
    }

    async fn get(&self, call: &str, path: String) -> Result<Option<String>, UpstreamError> {
        let body = self.http.get(Service::DistGit, call, &format!("{}{path}", self.base)).await?;
        match body.status {
            200 => Ok(Some(body.text)),
            404 => Ok(None),
            s => Err(UpstreamError::new(Service::DistGit, call, Reason::Status(s))),
        }
    }

    fn parsed<T>(call: &str, r: Result<T, ParseError>) -> Result<T, UpstreamError> {
        r.map_err(|e| UpstreamError::new(Service::DistGit, call, Reason::Parse(e.0)))
    }

    pub async fn project(&self, name: &str) -> Result<Option<Project>, UpstreamError> {
        let call = format!("rpms/{name}");
        match self.get(&call, format!("/api/0/rpms/{}", url_segment(name))).await? {
            Some(text) => Self::parsed(&call, parse_project(&text)).map(Some),
            None => Ok(None),
        }
    }

    pub async fn branches(&self, name: &str) -> Result<Option<GitBranches>, UpstreamError> {
        let call = format!("rpms/{name}/git/branches");
        match self.get(&call, format!("/api/0/rpms/{}/git/branches", url_segment(name))).await? {
            Some(text) => Self::parsed(&call, parse_branches(&text)).map(Some),
            None => Ok(None),
        }
    }

    /// One page of the package list (`rpms` namespace, no forks).
    pub async fn projects(&self, page: u32, per_page: u32) -> Result<ProjectPage, UpstreamError> {
        let call = format!("projects page={page}");
        let path = format!("/api/0/projects?namespace=rpms&fork=false&per_page={per_page}&page={page}");
        let text = self.get(&call, path).await?.unwrap_or_default();
        Self::parsed(&call, parse_project_page(&text))
    }

    /// Every package dist-git lists, page by page.
    pub async fn all_packages(&self) -> Result<Vec<String>, UpstreamError> {
        let mut names = Vec::new();
        let mut page = 1;
        loop {
            let listing = self.projects(page, 100).await?;
            names.extend(listing.projects.into_iter().filter(|p| p.namespace == "rpms").map(|p| p.name));
            if page >= listing.pagination.pages {
                break;
            }
            page += 1;
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Whether the package is retired in `branch`: its dist-git branch then
    /// holds a `dead.package` file (Fedora's retirement rule) instead of a spec.
    pub async fn retired(&self, name: &str, branch: &str) -> Result<bool, UpstreamError> {
        let call = format!("raw {branch}/dead.package of {name}");
        let path = format!("/rpms/{}/raw/{}/f/dead.package", url_segment(name), url_segment(branch));
        Ok(self.get(&call, path).await?.is_some())
    }

    /// The spec file as raw text from one branch.
    pub async fn spec(&self, name: &str, branch: &str) -> Result<Option<String>, UpstreamError> {
        let n = url_segment(name);
        let call = format!("raw {branch}/{name}.spec");
        self.get(&call, format!("/rpms/{n}/raw/{}/f/{n}.spec", url_segment(branch))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixtures::read;

    #[test]
    fn maintainers_from_project() {
        let project = parse_project(&read("distgit/api/0/rpms/python-requre.json")).unwrap();
        let m = to_maintainers(&project);
        assert_eq!(m.owners, ["mfocko"]);
        assert_eq!(m.admins, ["lachmanfrantisek", "lbarczio", "mfocko", "mmassari", "ttomecek"]);
        assert!(!m.orphaned());
        let ogr = to_maintainers(&parse_project(&read("distgit/api/0/rpms/python-ogr.json")).unwrap());
        assert_eq!(ogr.committers, ["packit", "usercont", "zuul"]);
    }

    #[test]
    fn orphan_owner() {
        let body = read("distgit/api/0/rpms/python-requre.json")
            .replace("\"mfocko\"\n  ],\n  \"ticket\"", "\"orphan\"\n  ],\n  \"ticket\"");
        let project = parse_project(&body).unwrap();
        assert!(to_maintainers(&project).orphaned());
    }

    #[test]
    fn project_listing_shape() {
        let page = parse_project_page(&crate::test_fixtures::read_shared(
            "pagure/projects.fork=True.pattern=python-requre.json",
        ))
        .unwrap();
        assert_eq!(page.pagination.pages, 1);
        assert_eq!(page.total_projects, 12);
        assert!(page.projects.iter().all(|p| p.name == "python-requre" && p.namespace == "rpms"));
    }

    #[test]
    fn branches_newest_first() {
        let b = parse_branches(&read("distgit/api/0/rpms/python-requre/git/branches.json")).unwrap();
        assert_eq!(b.default.as_deref(), Some("rawhide"));
        let sorted = sort_branches(b.branches);
        assert_eq!(sorted[..4], ["rawhide", "main", "f42", "f41"]);
        assert_eq!(sorted.last().map(String::as_str), Some("f30"));
    }

    #[test]
    fn spec_preamble() {
        let text = read("distgit/rpms/python-requre/raw/rawhide/f/python-requre.spec");
        let spec = parse_spec(&text, "rawhide", "python-requre.spec", SpecLimits::default());
        assert_eq!(spec.license.as_deref(), Some("MIT"));
        // Macros the preamble does not define stay as written.
        assert_eq!(spec.sources, [SpecEntry { tag: "Source0".into(), value: "%{pypi_source requre}".into() }]);
        assert!(spec.patches.is_empty());
        assert!(spec.text.contains("%changelog"));
    }

    #[test]
    fn expands_globals_and_numbered_patches() {
        let spec = parse_spec("%global srcname foo\nName: python-%{srcname}\nVersion: 1.2\nSource0: https://x/%{srcname}-%{version}.tar.gz\nPatch1: fix.patch\nPatch: other.patch\nPatchA: no\n", "f42", "x.spec", SpecLimits::default());
        assert_eq!(spec.sources[0].value, "https://x/foo-1.2.tar.gz");
        let patches: Vec<_> = spec.patches.iter().map(|p| p.value.as_str()).collect();
        assert_eq!(patches, ["fix.patch", "other.patch"]);
    }

    #[test]
    fn a_macro_bomb_stops_at_the_bound() {
        let mut text = String::from("%global a0 xxxxxxxxxxxxxxxx\n");
        for i in 1..64 {
            text.push_str(&format!("%global a{i} %{{a{}}}%{{a{}}}\n", i - 1, i - 1));
        }
        text.push_str("Name: bomb\nSource0: %{a63}.tar.gz\n");
        let started = std::time::Instant::now();
        let spec = parse_spec(&text, "rawhide", "bomb.spec", SpecLimits::default());
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(spec.expansion_capped);
        assert!(spec.sources[0].value.len() <= SpecLimits::default().max_expanded);
    }

    #[test]
    fn a_long_spec_is_cut_on_a_character_boundary() {
        let text = format!("Name: long\n{}", "é".repeat(100));
        let spec = parse_spec(&text, "rawhide", "long.spec", SpecLimits { max_bytes: 20, max_expanded: 4096 });
        assert!(spec.truncated);
        assert!(spec.text.len() <= 20 && spec.text.starts_with("Name: long"));
    }
}
