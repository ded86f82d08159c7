//! Fedora's release rules, in one place: which branch is which, how they
//! sort, what they are called, and which one a page shows by default.
use serde::{Deserialize, Serialize};

use super::Branch;

/// The development branch: every other release branched off it.
pub const RAWHIDE: &str = "rawhide";

/// An active release as Bodhi lists it; its branch lines mdapi up with Bodhi.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Release {
    pub branch: String,
    /// Bodhi's name, e.g. `F42`, `EPEL-9`.
    pub name: String,
    /// e.g. `Fedora 42`.
    pub long_name: String,
    /// `current`, `pending` or `frozen`.
    pub state: String,
    /// Sort key: rawhide first, then by version.
    pub rank: i32,
}

/// What a page calls a branch: "Rawhide", else the release's long name
/// when known, else the branch itself.
pub fn label(branch: &str, long_name: Option<&str>) -> String {
    if branch == RAWHIDE {
        return "Rawhide".to_string();
    }
    long_name.filter(|l| !l.is_empty()).map(String::from).unwrap_or_else(|| branch.to_string())
}

/// The major version in a Fedora version string or branch name: `42` for
/// `42`, `9` for `9.6`, `42` for `f42`, `10` for `epel10.1`; 0 when none.
pub fn major_version(text: &str) -> u32 {
    let digits: String = text.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or(0)
}

/// Available branches, newest release first; branches Bodhi does not list go last.
pub fn order_branches(available: &[String], releases: &[Release]) -> Vec<Branch> {
    let rank = |b: &str| releases.iter().find(|r| r.branch == b).map(|r| r.rank);
    let mut sorted: Vec<&String> = available.iter().collect();
    sorted.sort_by(|a, b| rank(b).cmp(&rank(a)).then_with(|| b.cmp(a)));
    sorted.dedup();
    sorted
        .into_iter()
        .map(|b| {
            let long = releases.iter().find(|r| &r.branch == b).map(|r| r.long_name.as_str());
            Branch { branch: b.clone(), label: label(b, long) }
        })
        .collect()
}

/// The requested branch when the package has it; else the newest stable
/// (Bodhi `current`) release that has the package; else rawhide; else the newest.
pub fn choose_branch(requested: Option<&str>, branches: &[Branch], releases: &[Release]) -> Option<String> {
    let has = |b: &str| branches.iter().any(|x| x.branch == b);
    if let Some(r) = requested.filter(|r| has(r)) {
        return Some(r.to_string());
    }
    releases
        .iter()
        .filter(|r| r.state == "current" && r.branch != RAWHIDE && has(&r.branch))
        .max_by_key(|r| r.rank)
        .map(|r| r.branch.clone())
        .or_else(|| has(RAWHIDE).then(|| RAWHIDE.to_string()))
        .or_else(|| branches.first().map(|b| b.branch.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(branch: &str, state: &str, rank: i32) -> Release {
        Release {
            branch: branch.into(),
            name: branch.to_uppercase(),
            long_name: format!("Fedora {}", branch.trim_start_matches('f')),
            state: state.into(),
            rank,
        }
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn default_is_newest_stable_release_with_the_package() {
        let releases =
            [release("rawhide", "pending", 100), release("f42", "current", 42), release("f41", "current", 41)];
        let branches = order_branches(&names(&["f41", "rawhide", "f42"]), &releases);
        let order: Vec<_> = branches.iter().map(|b| b.branch.as_str()).collect();
        assert_eq!(order, ["rawhide", "f42", "f41"]);
        assert_eq!(branches[0].label, "Rawhide");
        assert_eq!(branches[1].label, "Fedora 42");
        assert_eq!(choose_branch(None, &branches, &releases).as_deref(), Some("f42"));
        assert_eq!(choose_branch(Some("f41"), &branches, &releases).as_deref(), Some("f41"));
        assert_eq!(choose_branch(Some("f99"), &branches, &releases).as_deref(), Some("f42"));
    }

    #[test]
    fn falls_back_to_rawhide_then_anything() {
        let releases = [release("rawhide", "pending", 100), release("f42", "pending", 42)];
        let branches = order_branches(&names(&["f42", "rawhide"]), &releases);
        assert_eq!(choose_branch(None, &branches, &releases).as_deref(), Some("rawhide"));
        let branches = order_branches(&names(&["epel9"]), &releases);
        assert_eq!(choose_branch(None, &branches, &releases).as_deref(), Some("epel9"));
        assert_eq!(choose_branch(None, &[], &releases), None);
    }

    #[test]
    fn versions_and_labels() {
        assert_eq!(major_version("42"), 42);
        assert_eq!(major_version("9.6"), 9);
        assert_eq!(major_version("f42"), 42);
        assert_eq!(major_version("epel10.1"), 10);
        assert_eq!(major_version("rawhide"), 0);
        assert_eq!(label("rawhide", Some("Fedora 44")), "Rawhide");
        assert_eq!(label("f42", Some("Fedora 42")), "Fedora 42");
        assert_eq!(label("epel9", None), "epel9");
    }
}
