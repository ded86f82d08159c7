//! mdapi: repository metadata (summary, files, changelog, dependencies) per
//! release branch. Formats and quirks: `shared/fixtures/upstream/mdapi/README.md`.
use serde::Deserialize;

use super::http::Http;
use super::time::from_unix;
use super::{parse_json, ParseError, Reason, Service, UpstreamError};
use crate::model::{ChangelogEntry, Dependency, FileEntry, FileKind, PackageDeps, PackageFiles, PackageInfo};

/// A package object as mdapi returns it. It has no `name` field: see [`binary_name`].
#[derive(Debug, Clone, Deserialize)]
pub struct MdapiPackage {
    pub arch: String,
    pub epoch: Option<String>,
    pub version: String,
    pub release: String,
    pub summary: String,
    pub description: String,
    /// The source package name; empty for a source RPM.
    pub basename: String,
    pub url: Option<String>,
    #[serde(default)]
    pub requires: Vec<MdapiDep>,
    #[serde(default)]
    pub provides: Vec<MdapiDep>,
    #[serde(default)]
    pub recommends: Vec<MdapiDep>,
    #[serde(default)]
    pub suggests: Vec<MdapiDep>,
    #[serde(default)]
    pub supplements: Vec<MdapiDep>,
    #[serde(default)]
    pub enhances: Vec<MdapiDep>,
    #[serde(default)]
    pub obsoletes: Vec<MdapiDep>,
    #[serde(default)]
    pub conflicts: Vec<MdapiDep>,
    #[serde(rename = "co-packages", default)]
    pub co_packages: Vec<String>,
    pub repo: String,
}

/// `{name, epoch, version, release, flags}`: epoch, version and flags are null
/// together (unversioned); a rich dependency is one name with all null.
#[derive(Debug, Clone, Deserialize)]
pub struct MdapiDep {
    pub name: String,
    pub epoch: Option<String>,
    pub version: Option<String>,
    pub release: Option<String>,
    pub flags: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MdapiFiles {
    pub files: Vec<MdapiFileDir>,
    pub repo: String,
}

/// One directory: `filenames` and `filetypes` are `/`-joined and one letter each.
#[derive(Debug, Clone, Deserialize)]
pub struct MdapiFileDir {
    pub dirname: String,
    pub filenames: String,
    pub filetypes: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MdapiChangelog {
    pub changelogs: Vec<MdapiChangelogEntry>,
    pub repo: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MdapiChangelogEntry {
    pub author: String,
    pub changelog: String,
    pub date: i64,
}

/// The eight relation routes, each a reverse lookup by capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Requires,
    Provides,
}

impl Relation {
    fn route(self) -> &'static str {
        match self {
            Relation::Requires => "requires",
            Relation::Provides => "provides",
        }
    }
}

pub fn parse_package(body: &str) -> Result<MdapiPackage, ParseError> {
    parse_json(body)
}

pub fn parse_packages(body: &str) -> Result<Vec<MdapiPackage>, ParseError> {
    parse_json(body)
}

pub fn parse_files(body: &str) -> Result<MdapiFiles, ParseError> {
    parse_json(body)
}

pub fn parse_changelog(body: &str) -> Result<MdapiChangelog, ParseError> {
    parse_json(body)
}

pub fn parse_branches(body: &str) -> Result<Vec<String>, ParseError> {
    parse_json(body)
}

/// The binary package's name. mdapi omits it, but every RPM provides its own
/// name at its own version, and that name is among its `co-packages`.
pub fn binary_name(pkg: &MdapiPackage) -> String {
    let own_version = |d: &&MdapiDep| {
        d.flags.as_deref() == Some("EQ")
            && d.version.as_deref() == Some(pkg.version.as_str())
            && d.release.as_deref() == Some(pkg.release.as_str())
    };
    let plain = |d: &&MdapiDep| !d.name.contains('(') && !d.name.starts_with('/');
    pkg.provides
        .iter()
        .filter(plain)
        .find(|d| own_version(d) && pkg.co_packages.contains(&d.name))
        .or_else(|| pkg.provides.iter().filter(plain).find(|d| pkg.co_packages.contains(&d.name)))
        .or_else(|| pkg.provides.iter().filter(plain).find(own_version))
        .map(|d| d.name.clone())
        .unwrap_or_else(|| pkg.basename.clone())
}

pub fn to_info(branch: &str, name: &str, pkg: &MdapiPackage) -> PackageInfo {
    let mut sub_packages = pkg.co_packages.clone();
    sub_packages.sort();
    PackageInfo {
        branch: branch.to_string(),
        name: name.to_string(),
        epoch: pkg.epoch.clone(),
        version: pkg.version.clone(),
        release: pkg.release.clone(),
        arch: pkg.arch.clone(),
        summary: pkg.summary.clone(),
        description: pkg.description.clone(),
        url: pkg.url.clone().filter(|u| !u.is_empty()),
        repo: pkg.repo.clone(),
        source_name: if pkg.basename.is_empty() { name.to_string() } else { pkg.basename.clone() },
        sub_packages,
    }
}

pub fn to_files(name: &str, files: &MdapiFiles) -> PackageFiles {
    let mut entries: Vec<FileEntry> = files
        .files
        .iter()
        .flat_map(|dir| {
            let kinds = dir.filetypes.chars().chain(std::iter::repeat('f'));
            dir.filenames.split('/').zip(kinds).filter(|(f, _)| !f.is_empty()).map(|(file, kind)| {
                let path = match dir.dirname.as_str() {
                    "." | "" => file.to_string(),
                    d => format!("{}/{file}", d.trim_end_matches('/')),
                };
                FileEntry { path, kind: FileKind::from_letter(kind) }
            })
        })
        .collect();
    entries.sort();
    entries.dedup();
    PackageFiles { name: name.to_string(), repo: files.repo.clone(), files: entries }
}

/// The changelog entries, newest first; the ` - version-release` suffix that
/// packagers append to the author line is split off.
pub fn to_changelog(log: &MdapiChangelog) -> Vec<ChangelogEntry> {
    let mut entries: Vec<ChangelogEntry> = log
        .changelogs
        .iter()
        .filter_map(|e| {
            let (author, version) = split_author(&e.author);
            Some(ChangelogEntry { author, version, date: from_unix(e.date as f64)?, text: e.changelog.clone() })
        })
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
    entries
}

fn split_author(line: &str) -> (String, Option<String>) {
    match line.rsplit_once(" - ") {
        Some((author, version))
            if !version.is_empty() && !version.contains(' ') && version.contains(|c: char| c.is_ascii_digit()) =>
        {
            (author.trim().to_string(), Some(version.trim().to_string()))
        }
        _ => (line.trim().to_string(), None),
    }
}

/// `>= 1:0.50.0`, or `None` when unversioned. Epoch 0 is left out, as rpm prints it.
pub fn constraint(dep: &MdapiDep) -> Option<String> {
    crate::model::evr::constraint(
        dep.flags.as_deref(),
        dep.epoch.as_deref(),
        dep.version.as_deref(),
        dep.release.as_deref(),
    )
}

/// A package's dependency lists, capabilities not yet resolved to providers.
pub fn to_deps(name: &str, pkg: &MdapiPackage) -> PackageDeps {
    let list = |deps: &[MdapiDep]| -> Vec<Dependency> {
        deps.iter()
            .map(|d| Dependency { name: d.name.clone(), constraint: constraint(d), providers: Vec::new() })
            .collect()
    };
    let info = to_info("", name, pkg);
    PackageDeps {
        name: name.to_string(),
        evr: info.evr(),
        requires: list(&pkg.requires),
        provides: list(&pkg.provides),
        recommends: list(&pkg.recommends),
        suggests: list(&pkg.suggests),
        supplements: list(&pkg.supplements),
        enhances: list(&pkg.enhances),
        obsoletes: list(&pkg.obsoletes),
        conflicts: list(&pkg.conflicts),
        required_by: Vec::new(),
    }
}

/// The mdapi client, at a configurable base URL.
#[derive(Clone)]
pub struct Mdapi {
    http: Http,
    base: String,
}

impl Mdapi {
    pub fn new(http: Http, base: &str) -> Self {
        Mdapi { http, base: base.trim_end_matches('/').to_string() }
    }

    async fn get(&self, call: String, path: String) -> Result<Option<String>, UpstreamError> {
        let body = self.http.get(Service::Mdapi, &call, &format!("{}{path}", self.base)).await?;
        match body.status {
            200 => Ok(Some(body.text)),
            // 404: no such package; 400: unknown branch, or no match on a relation route.
            400 | 404 => Ok(None),
            s => Err(UpstreamError::new(Service::Mdapi, call, Reason::Status(s))),
        }
    }

    fn parsed<T>(call: &str, r: Result<T, ParseError>) -> Result<T, UpstreamError> {
        r.map_err(|e| UpstreamError::new(Service::Mdapi, call, Reason::Parse(e.0)))
    }

    /// The branches mdapi serves. There are always some: a 400, 404 or an
    /// empty list is an error, never "no releases".
    pub async fn branches(&self) -> Result<Vec<String>, UpstreamError> {
        let call = "branches".to_string();
        let absent = |why: &str| UpstreamError::new(Service::Mdapi, "branches", Reason::Absent(why.into()));
        let text = self.get(call.clone(), "/branches".into()).await?.ok_or_else(|| absent("no branch list"))?;
        let branches = Self::parsed(&call, parse_branches(&text))?;
        if branches.is_empty() {
            return Err(absent("empty branch list"));
        }
        Ok(branches)
    }

    /// `/{branch}/pkg/{name}`, or `/src_{branch}/pkg/{name}` for the source RPM.
    pub async fn pkg(&self, branch: &str, name: &str) -> Result<Option<MdapiPackage>, UpstreamError> {
        self.package("pkg", branch, name).await
    }

    /// `/{branch}/srcpkg/{src}`: a binary of that source, whose co-packages list all its binaries.
    pub async fn srcpkg(&self, branch: &str, src: &str) -> Result<Option<MdapiPackage>, UpstreamError> {
        self.package("srcpkg", branch, src).await
    }

    async fn package(&self, route: &str, branch: &str, name: &str) -> Result<Option<MdapiPackage>, UpstreamError> {
        let call = format!("{route} {branch}/{name}");
        match self.get(call.clone(), format!("/{branch}/{route}/{}", segment(name))).await? {
            Some(text) => Self::parsed(&call, parse_package(&text)).map(Some),
            None => Ok(None),
        }
    }

    pub async fn files(&self, branch: &str, name: &str) -> Result<Option<MdapiFiles>, UpstreamError> {
        let call = format!("files {branch}/{name}");
        match self.get(call.clone(), format!("/{branch}/files/{}", segment(name))).await? {
            Some(text) => Self::parsed(&call, parse_files(&text)).map(Some),
            None => Ok(None),
        }
    }

    pub async fn changelog(&self, branch: &str, name: &str) -> Result<Option<MdapiChangelog>, UpstreamError> {
        let call = format!("changelog {branch}/{name}");
        match self.get(call.clone(), format!("/{branch}/changelog/{}", segment(name))).await? {
            Some(text) => Self::parsed(&call, parse_changelog(&text)).map(Some),
            None => Ok(None),
        }
    }

    /// Packages having `relation` to `capability`; mdapi answers 400 for none.
    pub async fn relation(
        &self,
        branch: &str,
        relation: Relation,
        capability: &str,
    ) -> Result<Vec<MdapiPackage>, UpstreamError> {
        let call = format!("{} {branch}/{capability}", relation.route());
        let path = format!("/{branch}/{}/{}", relation.route(), segment(capability));
        match self.get(call.clone(), path).await? {
            Some(text) => Self::parsed(&call, parse_packages(&text)),
            None => Ok(Vec::new()),
        }
    }
}

fn segment(name: &str) -> String {
    crate::model::url_segment(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixtures::read;

    #[test]
    fn package_fields() {
        let pkg = parse_package(&read("mdapi/rawhide/pkg/python3-requre.json")).unwrap();
        assert_eq!(binary_name(&pkg), "python3-requre");
        let info = to_info("rawhide", "python3-requre", &pkg);
        assert_eq!(info.evr(), "0.8.6-1.fc43");
        assert_eq!(info.summary, "Python library for storing and replaying HTTP traffic and other objects");
        assert!(info.description.starts_with("REQUest REcording"));
        assert_eq!(info.url.as_deref(), Some("https://github.com/packit/requre"));
        assert_eq!(info.source_name, "python-requre");
        assert_eq!(info.sub_packages, ["python-requre-doc", "python3-requre"]);
        assert_eq!(info.repo, "release");
    }

    #[test]
    fn source_rpm_is_its_own_source() {
        let pkg = parse_package(&read("mdapi/src_rawhide/pkg/python-requre.json")).unwrap();
        let info = to_info("rawhide", "python-requre", &pkg);
        assert_eq!(info.arch, "src");
        assert_eq!(info.source_name, "python-requre");
    }

    #[test]
    fn dependency_constraints() {
        let pkg = parse_package(&read("mdapi/rawhide/pkg/python3-requre.json")).unwrap();
        let deps = to_deps("python3-requre", &pkg);
        let req: Vec<_> = deps.requires.iter().map(|d| (d.name.as_str(), d.constraint.as_deref())).collect();
        assert!(req.contains(&("python3-ogr", Some(">= 1:0.50.0"))));
        assert!(req.contains(&("python3.13dist(click)", None)));
        assert!(req.contains(&("/usr/bin/python3", None)));
        assert!(req.contains(&("(python3.13dist(pytest) >= 7 with python3.13dist(pytest) < 9)", None)));
        assert_eq!(deps.provides[0].constraint.as_deref(), Some("= 0.8.6-1.fc43"));
        assert_eq!(deps.conflicts[0].constraint.as_deref(), Some("< 1:0.5"));
        assert_eq!(deps.obsoletes[0].name, "python3-requre-legacy");
        assert_eq!(deps.recommends[0].name, "python-requre-doc");
        assert_eq!(deps.suggests[0].name, "python3-pytest");
    }

    #[test]
    fn relation_results_are_named_by_their_provides() {
        let pkgs = parse_packages(&read("mdapi/rawhide/requires/python3.13dist(requre).json")).unwrap();
        let names: Vec<_> = pkgs.iter().map(binary_name).collect();
        assert_eq!(names, ["python3-packit"]);
    }

    #[test]
    fn files_are_flattened_and_typed() {
        let files = to_files("python3-requre", &parse_files(&read("mdapi/rawhide/files/python3-requre.json")).unwrap());
        let find = |p: &str| files.files.iter().find(|f| f.path == p).map(|f| f.kind);
        assert_eq!(find("/usr/bin/requre-patch"), Some(FileKind::File));
        assert_eq!(find("/usr/lib/python3.13/site-packages/requre/storage"), Some(FileKind::Dir));
        assert_eq!(find("/var/cache/requre"), Some(FileKind::Ghost));
        assert_eq!(find("/usr/lib/python3.13/site-packages/requre-0.8.6.dist-info/RECORD"), Some(FileKind::File));
        assert!(files.files.windows(2).all(|w| w[0].path <= w[1].path));
    }

    #[test]
    fn changelog_entries() {
        let log = parse_changelog(&read("mdapi/rawhide/changelog/python3-requre.json")).unwrap();
        let entries = to_changelog(&log);
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].author, "Packit <hello@packit.dev>");
        assert_eq!(entries[0].version.as_deref(), Some("0.8.6-1"));
        assert_eq!(entries[0].date.to_rfc3339(), "2025-02-12T12:00:00+00:00");
        assert_eq!(entries[0].text, "- Update to 0.8.6 upstream release\n- Resolves: rhbz#2344915");
        assert!(entries.windows(2).all(|w| w[0].date >= w[1].date));
    }

    #[test]
    fn author_without_version() {
        assert_eq!(split_author("Jane Doe <jane@example.org>"), ("Jane Doe <jane@example.org>".into(), None));
        assert_eq!(split_author("A - B <b@x> - 1.0-1"), ("A - B <b@x>".into(), Some("1.0-1".into())));
    }

    #[test]
    fn branches_list() {
        assert_eq!(
            parse_branches(&read("mdapi/branches.json")).unwrap(),
            ["f42", "koji", "rawhide", "src_f42", "src_rawhide"]
        );
    }
}
