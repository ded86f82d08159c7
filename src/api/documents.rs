//! The documents the API answers with. They wrap the stored payload types
//! of `model/` (one schema per tab), so a tab's JSON here is what its page
//! shows; the OpenAPI snapshot test shows any change to them for review.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::provides::{ProvidesHit, ProvidesMode};
use utoipa::ToSchema;

use crate::model::{Branch, Overview, PackageEvent, SearchHit, Suggestion, Tab};

/// A package: its page header, its overview, and where to find the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PackageDocument {
    pub name: String,
    /// Equal to `name` for a source package.
    pub source_name: String,
    pub summary: String,
    /// The upstream project's URL, as the spec file gives it.
    pub upstream_url: Option<String>,
    pub license: Option<String>,
    /// The binary packages built from this source (empty for a sub-package).
    pub sub_packages: Vec<String>,
    /// Release branches where the source package is retired.
    pub retired_in: Vec<String>,
    /// Release branches that ship the package, newest first.
    pub branches: Vec<Branch>,
    /// The release the overview's versions are shown for (`?branch=`, else the newest stable).
    pub branch: Option<String>,
    /// When the overview was last refreshed; null when never.
    pub overview_fetched_at: Option<DateTime<Utc>>,
    pub overview: Option<Overview>,
    pub links: PackageLinks,
}

/// Absolute URLs of a package's page, tabs' API documents, feed and badge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PackageLinks {
    pub page: String,
    pub api: String,
    pub events: String,
    pub feed: String,
    pub badge: String,
}

/// One tab of a package, in one release for the per-release tabs
/// (contents, changelog, dependencies).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TabDocument {
    pub package: String,
    pub tab: Tab,
    /// Whose rows these are: the source package's for builds, updates, bugs and sources.
    pub owner: String,
    /// The release shown, for tabs that differ per release.
    pub branch: Option<String>,
    /// Releases that have data for this tab, newest first.
    pub branches: Vec<Branch>,
    /// When the data was last refreshed; null when never fetched.
    pub fetched_at: Option<DateTime<Utc>>,
    /// The tab's data, shaped by the schema named after the tab
    /// (`Builds` for `builds`, ...); null when never fetched.
    #[schema(schema_with = tab_data)]
    pub data: serde_json::Value,
}

/// Any tab's payload, or null.
fn tab_data() -> utoipa::openapi::schema::AnyOfBuilder {
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Type};
    use utoipa::openapi::Ref;
    let mut any = AnyOfBuilder::new();
    for tab in Tab::ALL {
        any = any.item(Ref::from_schema_name(payload_schema(tab)));
    }
    any.item(ObjectBuilder::new().schema_type(Type::Null))
}

/// The schema name of a tab's payload: its type's name, which is the tab's label.
pub fn payload_schema(tab: Tab) -> &'static str {
    tab.label()
}

/// The newest bus events about a package's source package (at most 20 are kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EventsDocument {
    pub package: String,
    /// Whose events these are: the source package.
    pub owner: String,
    pub events: Vec<PackageEvent>,
}

/// A page of search results: source packages, with their matching sub-packages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchDocument {
    /// The query as searched (trimmed, at most 200 characters).
    pub query: String,
    pub page: i64,
    pub per_page: i64,
    /// Matching source packages; a lower bound when `total_at_least`.
    pub total: i64,
    pub total_at_least: bool,
    pub hits: Vec<SearchHit>,
    /// Names like the query, when nothing matched.
    pub similar: Vec<String>,
    /// The next page's URL, when there is one.
    pub next: Option<String>,
}

/// "What provides it": packages owning a path or providing a capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProvidesDocument {
    /// The query as given (trimmed).
    pub query: String,
    /// What was looked up: the query, or the capability a phrase maps to.
    pub lookup: String,
    pub mode: ProvidesMode,
    /// The mode was guessed (none was asked for).
    pub guessed: bool,
    /// The branch searched; every active one when absent.
    pub branch: Option<String>,
    pub page: i64,
    pub per_page: i64,
    /// Matches counted; a lower bound when `total_at_least`.
    pub total: i64,
    pub total_at_least: bool,
    /// The newest build of each matching binary package per branch.
    pub hits: Vec<ProvidesHit>,
    /// The next page's URL, when there is one.
    pub next: Option<String>,
}

/// Autocomplete: package names starting with (then containing) the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SuggestDocument {
    pub query: String,
    pub suggestions: Vec<Suggestion>,
}
