use serde::{Deserialize, Serialize};

/// One source package in the search results, with the sub-packages that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub name: String,
    pub summary: String,
    /// Newest version, e.g. `0.8.6-1.fc43`; empty when unknown.
    pub version: String,
    pub sub_packages: Vec<String>,
}

/// A page of search results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Source packages matching in all.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Names like the query, when nothing matched.
    pub similar: Vec<String>,
}

/// An autocomplete entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub name: String,
    /// The source package (equal to `name` for a source package).
    pub source: String,
    pub summary: String,
}
