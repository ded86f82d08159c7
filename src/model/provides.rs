//! "What provides it": the query modes, how a mode is guessed from what was
//! typed, and the results. Pure, shared by the page, the API and `/search`.
use serde::{Deserialize, Serialize};

/// Longest query accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 4096;
/// Shortest `contains` query, in characters (a trigram).
pub const MIN_CONTAINS_CHARS: usize = 3;
/// Results per page.
pub const PER_PAGE: i64 = 100;
/// The last page (a thousand matches); past a page's end, matches are not
/// counted, only known to exist ("100+").
pub const MAX_PAGE: i64 = 10;

/// How `q` is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProvidesMode {
    /// One exact path: `/usr/bin/rg`.
    Path,
    /// A file name in any directory: `rg`, `libssl.so.3`.
    Name,
    /// Paths containing the text (at least three characters).
    Contains,
    /// An rpm capability: `python3dist(requests)`, `libssl.so.3()(64bit)`.
    Capability,
}

impl ProvidesMode {
    pub const ALL: [ProvidesMode; 4] =
        [ProvidesMode::Path, ProvidesMode::Name, ProvidesMode::Contains, ProvidesMode::Capability];

    pub fn slug(self) -> &'static str {
        match self {
            ProvidesMode::Path => "path",
            ProvidesMode::Name => "name",
            ProvidesMode::Contains => "contains",
            ProvidesMode::Capability => "capability",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.slug() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ProvidesMode::Path => "Exact path",
            ProvidesMode::Name => "File name",
            ProvidesMode::Contains => "Path contains",
            ProvidesMode::Capability => "Capability",
        }
    }
}

/// A checked query: what to look up, how, where, which page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvidesQuery {
    /// As typed, trimmed.
    pub q: String,
    /// What is looked up: `q` itself, or the capability a phrase maps to.
    pub lookup: String,
    pub mode: ProvidesMode,
    /// The mode was guessed from `q` (none was asked for).
    pub guessed: bool,
    /// One branch, or every active one.
    pub branch: Option<String>,
    pub page: i64,
}

impl ProvidesQuery {
    /// Checks the parameters as given in a URL. The branch is checked
    /// against the active ones by the caller.
    pub fn parse(q: &str, mode: Option<&str>, branch: Option<&str>, page: Option<&str>) -> Result<Self, String> {
        if q.len() > MAX_QUERY_BYTES {
            return Err(format!("the query is longer than {MAX_QUERY_BYTES} bytes"));
        }
        if q.chars().any(char::is_control) {
            return Err("the query contains control characters".into());
        }
        let q = q.trim();
        if q.is_empty() {
            return Err("the query `q` is empty".into());
        }
        let page = match page.map(str::trim).filter(|p| !p.is_empty()) {
            None => 1,
            Some(p) => p
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or("`page` must be a whole number from 1 to 10")?,
        };
        let (mode, lookup, guessed) = match mode.map(str::trim).filter(|m| !m.is_empty()) {
            None => {
                let (mode, lookup) = guess(q);
                (mode, lookup, true)
            }
            Some(m) => {
                let mode = ProvidesMode::from_slug(m)
                    .ok_or_else(|| format!("unknown mode “{m}”: one of path, name, contains, capability"))?;
                (mode, q.to_string(), false)
            }
        };
        match mode {
            ProvidesMode::Path if !lookup.starts_with('/') => {
                return Err("a path starts with “/”, e.g. /usr/bin/rg".into());
            }
            ProvidesMode::Contains if lookup.chars().count() < MIN_CONTAINS_CHARS => {
                return Err(format!("“contains” needs at least {MIN_CONTAINS_CHARS} characters"));
            }
            _ => {}
        }
        let branch = branch.map(str::trim).filter(|b| !b.is_empty()).map(String::from);
        Ok(ProvidesQuery { q: q.to_string(), lookup, mode, guessed, branch, page })
    }

    /// The page's own address for another page of these results.
    pub fn href(&self, page: i64) -> String {
        let mut url = form_urlencoded::Serializer::new(String::new());
        url.append_pair("q", &self.q);
        if !self.guessed {
            url.append_pair("mode", self.mode.slug());
        }
        if let Some(b) = &self.branch {
            url.append_pair("branch", b);
        }
        if page > 1 {
            url.append_pair("page", &page.to_string());
        }
        format!("/provides?{}", url.finish())
    }
}

/// The mode a query most likely means, and what to look up for it:
/// a leading `/` is a path, `name(...)` a capability, `python module yaml`
/// or `perl Net::DNS` the capability those ecosystems generate, one word a
/// file name, anything else a substring of paths.
pub fn guess(q: &str) -> (ProvidesMode, String) {
    let q = q.trim();
    if q.starts_with('/') {
        return (ProvidesMode::Path, q.to_string());
    }
    if q.contains('(') && q.ends_with(')') && !q.contains(char::is_whitespace) {
        return (ProvidesMode::Capability, q.to_string());
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    if let [ecosystem, rest @ ..] = words.as_slice() {
        let rest: Vec<&str> = rest
            .iter()
            .copied()
            .filter(|w| !matches!(w.to_lowercase().as_str(), "module" | "package" | "library" | "lib"))
            .collect();
        if let [name] = rest.as_slice() {
            if let Some(capability) = ecosystem_capability(ecosystem, name) {
                return (ProvidesMode::Capability, capability);
            }
        }
    }
    if words.len() == 1 {
        if q.contains("::") {
            return (ProvidesMode::Capability, format!("perl({q})"));
        }
        if q.contains('/') {
            return (ProvidesMode::Contains, q.to_string());
        }
        return (ProvidesMode::Name, q.to_string());
    }
    (ProvidesMode::Contains, q.to_string())
}

/// `python yaml` → `python3dist(yaml)`, `perl Net::DNS` → `perl(Net::DNS)`, ….
fn ecosystem_capability(ecosystem: &str, name: &str) -> Option<String> {
    let capability = match ecosystem.to_lowercase().as_str() {
        "python" | "python3" | "py" | "pypi" | "pip" => format!("python3dist({})", python_dist_name(name)),
        "perl" | "cpan" => format!("perl({name})"),
        "pkgconfig" | "pkg-config" | "pc" => format!("pkgconfig({name})"),
        "ruby" | "gem" | "rubygem" => format!("rubygem({name})"),
        "npm" | "node" | "nodejs" => format!("npm({name})"),
        "font" => format!("font({})", name.to_lowercase()),
        "go" | "golang" => format!("golang({name})"),
        "rust" | "crate" | "cargo" => format!("crate({name})"),
        _ => return None,
    };
    Some(capability)
}

/// The normalised distribution name Fedora's python3dist() uses (PEP 503):
/// lower case, runs of `-`, `_` and `.` as one `-`.
fn python_dist_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether `/search` should also ask "what provides it": a path, a shared
/// library name, a capability or an ecosystem phrase.
pub fn looks_provided(q: &str) -> bool {
    let q = q.trim();
    if q.is_empty() || q.len() > MAX_QUERY_BYTES {
        return false;
    }
    let soname = q.contains(".so") && !q.contains(char::is_whitespace);
    match guess(q) {
        (ProvidesMode::Path | ProvidesMode::Capability, _) => true,
        (ProvidesMode::Name, _) => soname,
        (ProvidesMode::Contains, _) => false,
    }
}

/// One package matching: the binary package, its source, where, and what matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProvidesHit {
    /// The binary package.
    pub package: String,
    /// The source package it is built from.
    pub source: String,
    /// The release branch, e.g. `f42` or `rawhide`.
    pub branch: String,
    /// `release`, `updates` or `updates-testing`.
    pub repo: String,
    /// `[epoch:]version-release` of the newest build.
    pub evr: String,
    pub arch: String,
    /// The matching path or capability (with its version, when it has one).
    pub matched: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvidesResults {
    pub query: ProvidesQuery,
    pub hits: Vec<ProvidesHit>,
    /// Matches up to this page's end; more exist when `total_at_least`.
    pub total: i64,
    /// More than `total` match.
    pub total_at_least: bool,
    /// Branches read from the repositories, newest first.
    pub branches: Vec<String>,
}

impl ProvidesResults {
    pub fn has_next(&self) -> bool {
        self.total_at_least || self.query.page * PER_PAGE < self.total
    }

    /// "1,000+ matches" or "3 matches".
    pub fn count_text(&self) -> String {
        let plus = if self.total_at_least { "+" } else { "" };
        let noun = if self.total == 1 && !self.total_at_least { "match" } else { "matches" };
        format!("{}{plus} {noun}", self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_guessed() {
        assert_eq!(guess("/usr/bin/rg"), (ProvidesMode::Path, "/usr/bin/rg".into()));
        assert_eq!(guess("rg"), (ProvidesMode::Name, "rg".into()));
        assert_eq!(guess("libssl.so.3"), (ProvidesMode::Name, "libssl.so.3".into()));
        assert_eq!(guess("python3dist(requre)"), (ProvidesMode::Capability, "python3dist(requre)".into()));
        assert_eq!(guess("libssl.so.3()(64bit)"), (ProvidesMode::Capability, "libssl.so.3()(64bit)".into()));
        assert_eq!(guess("python module yaml"), (ProvidesMode::Capability, "python3dist(yaml)".into()));
        assert_eq!(guess("Python Ruamel.YAML"), (ProvidesMode::Capability, "python3dist(ruamel-yaml)".into()));
        assert_eq!(guess("perl Net::DNS"), (ProvidesMode::Capability, "perl(Net::DNS)".into()));
        assert_eq!(guess("Net::DNS"), (ProvidesMode::Capability, "perl(Net::DNS)".into()));
        assert_eq!(guess("pkgconfig gtk4"), (ProvidesMode::Capability, "pkgconfig(gtk4)".into()));
        assert_eq!(guess("bin/rg"), (ProvidesMode::Contains, "bin/rg".into()));
        assert_eq!(guess("some words here"), (ProvidesMode::Contains, "some words here".into()));
    }

    #[test]
    fn bad_queries_are_refused_with_a_reason() {
        assert!(ProvidesQuery::parse("", None, None, None).is_err());
        assert!(ProvidesQuery::parse("a\u{0}b", None, None, None).is_err());
        assert!(ProvidesQuery::parse(&"x".repeat(MAX_QUERY_BYTES + 1), None, None, None).is_err());
        assert!(ProvidesQuery::parse("rg", Some("regex"), None, None).unwrap_err().contains("unknown mode"));
        assert!(ProvidesQuery::parse("rg", Some("contains"), None, None).is_err());
        assert!(ProvidesQuery::parse("rg", Some("path"), None, None).is_err());
        assert!(ProvidesQuery::parse("rg", None, None, Some("0")).is_err());
        let ok = ProvidesQuery::parse(" rg ", Some("name"), Some("f42"), Some("2")).unwrap();
        assert_eq!(
            (ok.q.as_str(), ok.mode, ok.guessed, ok.branch.as_deref(), ok.page),
            ("rg", ProvidesMode::Name, false, Some("f42"), 2)
        );
        assert_eq!(ok.href(3), "/provides?q=rg&mode=name&branch=f42&page=3");
    }

    #[test]
    fn search_asks_only_for_what_looks_provided() {
        assert!(looks_provided("/usr/bin/packit"));
        assert!(looks_provided("libssl.so.3"));
        assert!(looks_provided("python3dist(requre)"));
        assert!(looks_provided("perl Net::DNS"));
        assert!(!looks_provided("packit"));
        assert!(!looks_provided("python ogr library bindings"));
    }
}
