//! Records of the repositories' `primary` metadata, as the connector
//! (`upstream::repodata`) parses them and the tables (`db::repodata`) store them.

/// One binary or source package of `primary`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepoPackage {
    pub pkgid: String,
    pub name: String,
    pub arch: String,
    pub epoch: i32,
    pub version: String,
    pub release: String,
    /// The source package's name (from `sourcerpm`); a source package's own name.
    pub source: String,
    pub provides: Vec<RepoDep>,
    /// For a source package: its BuildRequires.
    pub requires: Vec<RepoDep>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RepoDep {
    pub name: String,
    /// `>= 1:0.50.0`, or `None` when unversioned.
    pub constraint: Option<String>,
}
