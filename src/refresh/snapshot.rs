//! What mdapi says about a source package in one release branch: the source
//! RPM and each binary built from it.
use std::collections::BTreeSet;

use futures::future::try_join_all;

use crate::model::storable::valid_name;
use crate::upstream::distgit::DistGit;
use crate::upstream::mdapi::{binary_name, Mdapi, MdapiPackage};
use crate::upstream::{Reason, Service, UpstreamError};

/// The source package across mdapi's branches.
#[derive(Debug, Clone, Default)]
pub struct Snapshots {
    /// Release branches mdapi lists (a non-empty list).
    pub listed: Vec<String>,
    /// Branches that ship the package.
    pub present: Vec<BranchSnapshot>,
    /// Branches that shipped it and where dist-git now holds `dead.package`.
    pub retired: Vec<String>,
}

/// One source package in one branch.
#[derive(Debug, Clone)]
pub struct BranchSnapshot {
    pub branch: String,
    /// The source RPM (`/src_{branch}/pkg/{source}`), when mdapi has it.
    pub source: Option<MdapiPackage>,
    /// Binary packages built from the source, by name, sorted.
    pub binaries: Vec<(String, MdapiPackage)>,
}

/// Release branches mdapi serves binaries for (it also lists `src_*` and `koji`).
pub fn binary_branches(all: &[String]) -> Vec<String> {
    all.iter().filter(|b| !b.starts_with("src_") && *b != "koji").cloned().collect()
}

/// The source package in every branch mdapi lists. A branch where we hold
/// data (`known`) but mdapi has no such package is not taken as "gone":
/// either dist-git says the package is retired there, or the answer is an
/// error and the stored data stays.
pub async fn fetch_all(
    mdapi: &Mdapi,
    distgit: &DistGit,
    source: &str,
    known: &BTreeSet<String>,
) -> Result<Snapshots, UpstreamError> {
    let listed = binary_branches(&mdapi.branches().await?);
    let found = try_join_all(listed.iter().map(|b| fetch(mdapi, b, source))).await?;
    let mut out = Snapshots { listed: listed.clone(), ..Snapshots::default() };
    for (branch, snapshot) in listed.iter().zip(found) {
        match snapshot {
            Some(s) => out.present.push(s),
            None if !known.contains(branch) => {}
            None if distgit.retired(source, branch).await? => out.retired.push(branch.clone()),
            None => {
                let why = format!("{source} is missing from {branch}, where it was; its data is kept");
                return Err(UpstreamError::new(
                    Service::Mdapi,
                    format!("srcpkg {branch}/{source}"),
                    Reason::Absent(why),
                ));
            }
        }
    }
    Ok(out)
}

/// The source package in one branch, or `None` when the branch lacks it.
///
/// `/srcpkg` lists every binary in its `co-packages`, but when its fallback
/// match lands in an updates repo it can answer with another package's data
/// (mdapi README, "Known upstream bug"); the source RPM's provides name the
/// binaries too. Every candidate is confirmed by its own `basename`.
pub async fn fetch(mdapi: &Mdapi, branch: &str, source: &str) -> Result<Option<BranchSnapshot>, UpstreamError> {
    let src_branch = format!("src_{branch}");
    let (srcpkg, srpm) = futures::try_join!(mdapi.srcpkg(branch, source), mdapi.pkg(&src_branch, source))?;
    let mut candidates: Vec<String> = Vec::new();
    if let Some(p) = srcpkg.as_ref().filter(|p| p.basename == source && p.co_packages.contains(&binary_name(p))) {
        candidates.extend(p.co_packages.iter().cloned());
    }
    if let Some(p) = &srpm {
        candidates.extend(p.provides.iter().filter(|d| !d.name.contains('(')).map(|d| d.name.clone()));
    }
    // Names come from upstream text: only plausible package names are looked up.
    candidates.retain(|n| valid_name(n));
    candidates.sort();
    candidates.dedup();
    let found = try_join_all(candidates.iter().map(|name| mdapi.pkg(branch, name))).await?;
    let binaries: Vec<(String, MdapiPackage)> = candidates
        .into_iter()
        .zip(found)
        .filter_map(|(name, pkg)| pkg.filter(|p| p.basename == source).map(|p| (name, p)))
        .collect();
    if binaries.is_empty() && srpm.is_none() {
        return Ok(None);
    }
    Ok(Some(BranchSnapshot { branch: branch.to_string(), source: srpm, binaries }))
}

impl BranchSnapshot {
    pub fn binary(&self, name: &str) -> Option<&MdapiPackage> {
        self.binaries.iter().find(|(n, _)| n == name).map(|(_, p)| p)
    }

    pub fn binary_names(&self) -> Vec<String> {
        self.binaries.iter().map(|(n, _)| n.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_and_koji_branches_are_not_release_branches() {
        let all: Vec<String> = ["f42", "koji", "rawhide", "src_f42", "src_rawhide"].map(String::from).to_vec();
        assert_eq!(binary_branches(&all), ["f42", "rawhide"]);
    }
}
