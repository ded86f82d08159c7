use serde::{Deserialize, Serialize};

/// Dependencies of each binary package in one release, with every capability
/// resolved to the packages providing it when the row was built.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dependencies {
    pub packages: Vec<PackageDeps>,
    /// What building the source package requires (from the source
    /// repository), each resolved to its providers; empty until the
    /// repositories are read.
    #[serde(default)]
    pub build_requires: Vec<Dependency>,
}

impl super::TabPayload for Dependencies {
    const TAB: super::Tab = super::Tab::Dependencies;

    fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.build_requires.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageDeps {
    pub name: String,
    pub evr: String,
    pub requires: Vec<Dependency>,
    pub provides: Vec<Dependency>,
    pub recommends: Vec<Dependency>,
    pub suggests: Vec<Dependency>,
    pub supplements: Vec<Dependency>,
    pub enhances: Vec<Dependency>,
    pub obsoletes: Vec<Dependency>,
    pub conflicts: Vec<Dependency>,
    /// Packages that require one of this package's provides.
    pub required_by: Vec<String>,
}

impl PackageDeps {
    /// The relation lists with their headings, in the order the tab shows them.
    pub fn relations(&self) -> [(&'static str, &[Dependency]); 8] {
        [
            ("Requires", &self.requires),
            ("Provides", &self.provides),
            ("Recommends", &self.recommends),
            ("Suggests", &self.suggests),
            ("Supplements", &self.supplements),
            ("Enhances", &self.enhances),
            ("Obsoletes", &self.obsoletes),
            ("Conflicts", &self.conflicts),
        ]
    }
}

/// One capability, e.g. `python3.13dist(requests) >= 2.28`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dependency {
    pub name: String,
    /// `>= 0:2.28`, or `None` when unversioned.
    pub constraint: Option<String>,
    /// Binary packages providing the capability (requires, recommends, ...).
    pub providers: Vec<String>,
}

impl Dependency {
    /// More than one package provides it: which one is installed depends.
    pub fn provided_by_several(&self) -> bool {
        self.providers.len() > 1
    }
}
