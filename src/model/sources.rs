use serde::{Deserialize, Serialize};

/// Where a package's sources live: dist-git branches, its spec file and patches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Sources {
    /// e.g. `https://src.fedoraproject.org/rpms/python-requre`
    pub git_url: String,
    pub default_branch: Option<String>,
    pub branches: Vec<String>,
    pub spec: Option<SpecFile>,
    /// The commit of the newest Koji build, from its `extra.source.original_url`.
    pub latest_build_commit: Option<SourceCommit>,
    /// The default branch holds `dead.package` instead of a spec: the package is retired there.
    #[serde(default)]
    pub retired: bool,
}

impl super::TabPayload for Sources {
    const TAB: super::Tab = super::Tab::Sources;

    fn is_empty(&self) -> bool {
        self.branches.is_empty() && self.spec.is_none() && !self.retired
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SpecFile {
    pub branch: String,
    pub file_name: String,
    /// Untrusted text: always rendered escaped.
    pub text: String,
    pub license: Option<String>,
    pub sources: Vec<SpecEntry>,
    pub patches: Vec<SpecEntry>,
    /// The file was longer than the size cap: `text` holds its beginning.
    #[serde(default)]
    pub truncated: bool,
    /// Macro expansion hit its bound: some values are shown unexpanded.
    #[serde(default)]
    pub expansion_capped: bool,
}

/// A `SourceN:` or `PatchN:` line of a spec file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SpecEntry {
    pub tag: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceCommit {
    pub nvr: String,
    pub url: String,
    pub commit: String,
}
