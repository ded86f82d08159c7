//! One handler per `/api/v1` document. Each reads through `read` (as the
//! pages' server functions do) and answers JSON or an [`ApiError`]; the
//! `#[utoipa::path]` beside it is its entry in the OpenAPI document.
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::documents::{
    EventsDocument, PackageDocument, PackageLinks, ProvidesDocument, SearchDocument, SuggestDocument, TabDocument,
};
use super::error::ApiError;
use crate::api::conditional;
use crate::model::route::{query_param, Route, API_V1};
use crate::model::{url_query, Tab, TabView};
use crate::read;
use crate::read::ReadContext;

/// Search results per page unless `per_page` says otherwise.
const PER_PAGE: i64 = 20;
/// Suggestions unless `limit` says otherwise.
const SUGGESTIONS: i64 = 8;
/// Longest `branch` value looked up (branch names are short).
const MAX_BRANCH_BYTES: usize = 64;

/// A package: its header (name, source, summary, licence, sub-packages,
/// retirement) and its overview (versions per release, newest build, open
/// bugs, maintainers), with links to the rest.
#[utoipa::path(
    get,
    path = "/api/v1/packages/{name}",
    tag = "packages",
    params(
        ("name" = String, Path, description = "A source or binary package name, e.g. `python-requests`"),
        ("branch" = Option<String>, Query, description = "The release whose versions the overview shows, e.g. `f43`, `rawhide`, `epel10`; default: the newest stable release that ships it"),
    ),
    responses(
        (status = 200, description = "The package", body = PackageDocument),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "`branch` is not an active release", body = ApiError),
        (status = 404, description = "No package of that name", body = ApiError),
    )
)]
pub async fn package(
    State(state): State<ReadContext>,
    name: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Json<PackageDocument>, ApiError> {
    let name = path_name(name)?;
    let branch = branch_param(&state, query.as_deref()).await?;
    let header = read::header(&state.pool, &name, &state.site_url).await?;
    let overview = read::overview(&state.pool, &name, branch.as_deref()).await?;
    let site = &state.site_url;
    let links = PackageLinks {
        page: format!("{site}{}", Tab::Overview.href(&name)),
        api: format!("{site}{}", Route::ApiPackage { name: name.clone(), part: "" }.href()),
        events: format!("{site}{}", Route::ApiPackage { name: name.clone(), part: "events" }.href()),
        feed: format!("{site}{}", Route::Feed { name: name.clone() }.href()),
        badge: format!("{site}{}", Route::Badge { name: name.clone() }.href()),
    };
    Ok(Json(PackageDocument {
        name: header.name,
        source_name: header.source_name,
        summary: header.summary,
        upstream_url: header.upstream_url,
        license: header.license,
        sub_packages: header.sub_packages,
        retired_in: header.retired_in,
        branches: overview.branches,
        branch: overview.branch,
        overview_fetched_at: overview.fetched_at,
        overview: overview.data,
        links,
    }))
}

/// One tab of a package. `data` follows the schema named after the tab
/// (`Builds` for `builds`, ...). Builds, updates, bugs and sources are the
/// source package's; contents, changelog and dependencies differ per release.
#[utoipa::path(
    get,
    path = "/api/v1/packages/{name}/{tab}",
    tag = "packages",
    params(
        ("name" = String, Path, description = "A source or binary package name"),
        ("tab" = Tab, Path, description = "The tab"),
        ("branch" = Option<String>, Query, description = "For contents, changelog and dependencies: the release, e.g. `f43`; default: the newest stable release that has data"),
    ),
    responses(
        (status = 200, description = "The tab", body = TabDocument),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "`branch` is not an active release", body = ApiError),
        (status = 404, description = "No package of that name, or no such tab", body = ApiError),
    )
)]
pub async fn tab(
    State(state): State<ReadContext>,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Json<TabDocument>, ApiError> {
    let Path((name, slug)) = path.map_err(|e| ApiError::bad_parameter(e.body_text()))?;
    let Some(tab) = Tab::from_slug(&slug) else {
        let known: Vec<&str> = Tab::ALL.iter().map(|t| t.slug()).collect();
        return Err(ApiError::not_found(format!("no tab named “{slug}”; the tabs are {}", known.join(", "))));
    };
    let branch = branch_param(&state, query.as_deref()).await?;
    Ok(Json(tab_document(&state, &name, tab, branch.as_deref()).await?))
}

/// Reads a tab as its own type (so old stored rows come out in today's
/// shape) and wraps it.
async fn tab_document(
    state: &ReadContext,
    name: &str,
    tab: Tab,
    branch: Option<&str>,
) -> Result<TabDocument, ApiError> {
    use crate::model::{Bugs, Builds, Changelog, Contents, Dependencies, Updates};
    let pool = &state.pool;
    match tab {
        Tab::Overview => wrap(name, tab, read::overview(pool, name, branch).await?),
        Tab::Sources => wrap(name, tab, read::sources(pool, name).await?),
        Tab::Builds => wrap(name, tab, read::tab::<Builds>(pool, name, tab, branch).await?),
        Tab::Updates => wrap(name, tab, read::tab::<Updates>(pool, name, tab, branch).await?),
        Tab::Bugs => wrap(name, tab, read::tab::<Bugs>(pool, name, tab, branch).await?),
        Tab::Contents => wrap(name, tab, read::tab::<Contents>(pool, name, tab, branch).await?),
        Tab::Changelog => wrap(name, tab, read::tab::<Changelog>(pool, name, tab, branch).await?),
        Tab::Dependencies => wrap(name, tab, read::tab::<Dependencies>(pool, name, tab, branch).await?),
    }
}

fn wrap<T: Serialize>(name: &str, tab: Tab, view: TabView<T>) -> Result<TabDocument, ApiError> {
    let data = serde_json::to_value(&view.data).map_err(|e| {
        tracing::error!(error = %e, "tab data does not serialize");
        ApiError::internal()
    })?;
    Ok(TabDocument {
        package: name.to_string(),
        tab,
        owner: view.owner,
        branch: view.branch,
        branches: view.branches,
        fetched_at: view.fetched_at,
        data,
    })
}

/// The newest bus events about a package (builds, updates, bugs, commits),
/// newest first; the last 20 are kept.
#[utoipa::path(
    get,
    path = "/api/v1/packages/{name}/events",
    tag = "packages",
    params(("name" = String, Path, description = "A source or binary package name")),
    responses(
        (status = 200, description = "The events", body = EventsDocument),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, description = "No package of that name", body = ApiError),
    )
)]
pub async fn events(
    State(state): State<ReadContext>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<EventsDocument>, ApiError> {
    let name = path_name(name)?;
    let header = read::header(&state.pool, &name, &state.site_url).await?;
    let events = read::events(&state.pool, &name, read::EVENTS_KEPT).await?;
    Ok(Json(EventsDocument { package: header.name, owner: header.source_name, events }))
}

/// Packages matching a query, ranked as the site's search page ranks them:
/// exact name, ecosystem prefix (`requests` → `python-requests`), prefix,
/// sub-package, contains, then summary and description words; typos
/// tolerated. Paged.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(
        ("q" = String, Query, description = "What to search for"),
        ("page" = Option<i64>, Query, description = "Page number, from 1 (at most 500)"),
        ("per_page" = Option<i64>, Query, description = "Results per page, 1–100 (default 20)"),
    ),
    responses(
        (status = 200, description = "A page of results", body = SearchDocument),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "`q` is missing, or `page` or `per_page` is out of range", body = ApiError),
    )
)]
pub async fn search(State(state): State<ReadContext>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let answer = async {
        let q = required(query.as_deref(), "q")?;
        let page = number(query.as_deref(), "page", 1, 1, 500)?;
        let per_page = number(query.as_deref(), "per_page", PER_PAGE, 1, 100)?;
        let found = read::search(&state, &q, page, per_page).await?;
        let more = found.total_at_least || found.page * found.per_page < found.total;
        let next = (more && found.page < 500).then(|| {
            format!(
                "{}{API_V1}/search?q={}&page={}&per_page={}",
                state.site_url,
                url_query(&q),
                found.page + 1,
                found.per_page
            )
        });
        Ok::<_, ApiError>(SearchDocument {
            query: found.query,
            page: found.page,
            per_page: found.per_page,
            total: found.total,
            total_at_least: found.total_at_least,
            hits: found.hits,
            similar: found.similar,
            next,
        })
    };
    json_with_etag(&headers, answer.await)
}

/// "What provides it": by exact path, file name, path substring or capability.
#[utoipa::path(
    get,
    path = "/api/v1/provides",
    tag = "search",
    params(
        ("q" = String, Query, description = "A path (`/usr/bin/rg`), a file name (`rg`, `libssl.so.3`), a capability \
            (`python3dist(requests)`) or a phrase (`python module yaml`, `perl Net::DNS`); at most 4 KB"),
        ("mode" = Option<String>, Query, description = "`path`, `name`, `contains` (at least 3 characters) or \
            `capability`; guessed from `q` when absent"),
        ("branch" = Option<String>, Query, description = "One release branch (`rawhide`, `f42`); all active ones when absent"),
        ("page" = Option<i64>, Query, description = "Page of 100 results, 1–10 (default 1)"),
    ),
    responses(
        (status = 200, description = "A page of matches", body = ProvidesDocument),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "`q` is missing, too long or has control characters; `mode`, `branch` or `page` is unknown", body = ApiError),
    )
)]
pub async fn provides(State(state): State<ReadContext>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let answer = async {
        let q = required(query.as_deref(), "q")?;
        let param = |key| query.as_deref().and_then(|all| query_param(all, key));
        let (mode, branch, page) = (param("mode"), param("branch"), param("page"));
        let parsed =
            crate::model::provides::ProvidesQuery::parse(&q, mode.as_deref(), branch.as_deref(), page.as_deref())
                .map_err(ApiError::bad_parameter)?;
        let found = read::provides(&state, parsed).await?;
        // The same query a page on (a guessed mode is guessed the same way again).
        let next =
            found.has_next().then(|| format!("{}{API_V1}{}", state.site_url, found.query.href(found.query.page + 1)));
        Ok::<_, ApiError>(ProvidesDocument {
            query: found.query.q,
            lookup: found.query.lookup,
            mode: found.query.mode,
            guessed: found.query.guessed,
            branch: found.query.branch,
            page: found.query.page,
            per_page: crate::model::provides::PER_PAGE,
            total: found.total,
            total_at_least: found.total_at_least,
            hits: found.hits,
            next,
        })
    };
    json_with_etag(&headers, answer.await)
}

/// Autocomplete: names starting with (then containing) the query.
#[utoipa::path(
    get,
    path = "/api/v1/suggest",
    tag = "search",
    params(
        ("q" = String, Query, description = "What was typed so far"),
        ("limit" = Option<i64>, Query, description = "How many, 1–20 (default 8)"),
    ),
    responses(
        (status = 200, description = "Suggestions, best first", body = SuggestDocument),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "`q` is missing, or `limit` is out of range", body = ApiError),
    )
)]
pub async fn suggest(State(state): State<ReadContext>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let answer = async {
        let q = required(query.as_deref(), "q")?;
        let limit = number(query.as_deref(), "limit", SUGGESTIONS, 1, 20)?;
        let suggestions = read::suggest(&state, &q, limit).await?;
        Ok::<_, ApiError>(SuggestDocument { query: crate::search::analyze(&q).text, suggestions })
    };
    json_with_etag(&headers, answer.await)
}

/// This API's OpenAPI 3.1 description.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI document (JSON)")),
)]
pub async fn openapi_json(headers: HeaderMap) -> Response {
    conditional::respond(&headers, StatusCode::OK, "application/json", conditional::HOURLY, super::openapi::json())
}

/// Anything else under `/api/v1`.
pub async fn no_such_document() -> ApiError {
    ApiError::not_found(format!("no such API document; the API is described at {API_V1}/openapi.json"))
}

/// The answer as JSON with a weak ETag, or the error.
fn json_with_etag<T: Serialize>(headers: &HeaderMap, answer: Result<T, ApiError>) -> Response {
    match answer.and_then(|doc| serde_json::to_vec(&doc).map_err(|_| ApiError::internal())) {
        Ok(body) => conditional::respond(headers, StatusCode::OK, "application/json", conditional::SHORT, body),
        Err(e) => e.into_response(),
    }
}

fn path_name(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(name)| name).map_err(|e| ApiError::bad_parameter(e.body_text()))
}

/// A parameter that must be there (it may be empty).
fn required(query: Option<&str>, key: &str) -> Result<String, ApiError> {
    query
        .and_then(|q| query_param(q, key))
        .ok_or_else(|| ApiError::bad_parameter(format!("the query parameter `{key}` is required")))
}

/// A whole number in `min..=max`, or `default` when absent.
fn number(query: Option<&str>, key: &str, default: i64, min: i64, max: i64) -> Result<i64, ApiError> {
    match query.and_then(|q| query_param(q, key)) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| ApiError::bad_parameter(format!("`{key}` must be a whole number from {min} to {max}"))),
    }
}

/// `?branch=`: absent or empty is the default; else an active release.
async fn branch_param(state: &ReadContext, query: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(branch) = query.and_then(|q| query_param(q, "branch")).filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    let releases = read::releases(&state.pool).await?;
    if branch.len() <= MAX_BRANCH_BYTES && releases.iter().any(|r| r.branch == branch) {
        return Ok(Some(branch));
    }
    let known: Vec<&str> = releases.iter().map(|r| r.branch.as_str()).collect();
    let shown: String = branch.chars().take(MAX_BRANCH_BYTES).collect();
    Err(ApiError::bad_parameter(format!("“{shown}” is not an active release; they are {}", known.join(", "))))
}
