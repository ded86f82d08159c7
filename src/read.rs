//! What pages read: tab views assembled from materialized rows. Plain async
//! functions over the pool, so tests call them without Leptos; the server
//! functions in `pages/` are thin wrappers around these.
use sqlx::PgPool;

use crate::db;
use crate::error::AppError;
use crate::model::release::{choose_branch, order_branches};
use crate::model::{Overview, PackageHeader, Tab, TabPayload, TabView};

/// What server functions read with, put in the Leptos context by the router.
#[derive(Clone)]
pub struct ReadContext {
    pub pool: PgPool,
    /// Absolute base of canonical links, e.g. `https://packages.fedoraproject.org`.
    pub site_url: String,
    /// The search index, when ready; PostgreSQL answers otherwise.
    pub search: crate::search::SearchIndex,
    /// "What provides it" lookups' own connections.
    pub lookups: db::lookup_pools::LookupPools,
}

/// The read context inside a server function, or `Internal` if it is missing.
pub fn context() -> Result<ReadContext, AppError> {
    leptos::prelude::use_context::<ReadContext>().ok_or_else(|| {
        tracing::error!("ReadContext missing from the server function context");
        AppError::Internal
    })
}

/// Source packages with their summaries, by name (the home page's list).
pub async fn browse(pool: &PgPool, limit: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(db::packages::browse(pool, limit).await?)
}

/// Names the search box offers at once.
pub const SUGGESTIONS: i64 = 8;

/// Autocomplete: names starting with (then containing) what was typed.
#[tracing::instrument(skip(ctx))]
pub async fn suggest(ctx: &ReadContext, query: &str, limit: i64) -> Result<Vec<crate::model::Suggestion>, AppError> {
    let query = crate::search::analyze_name(query);
    if let Some(suggestions) = ctx.search.ready().and_then(|index| suggest_indexed(&index, &query, limit)) {
        return Ok(suggestions);
    }
    Ok(db::search::suggest(&ctx.pool, &query, limit).await?)
}

/// Autocomplete from a ready index; `None` when it failed (PostgreSQL
/// answers then).
pub fn suggest_indexed(
    index: &crate::search::Index,
    query: &crate::model::SearchQuery,
    limit: i64,
) -> Option<Vec<crate::model::Suggestion>> {
    match index.suggest(query, limit.max(0) as usize) {
        Ok(suggestions) => Some(suggestions),
        Err(e) => {
            tracing::error!(error = %e, "search index failed; asking PostgreSQL");
            None
        }
    }
}

/// Whether the gallery is on: in debug builds, on a demo database
/// (`load-demo` marks it), or when `GALLERY=on`.
pub async fn gallery_enabled(pool: &PgPool) -> Result<bool, AppError> {
    if cfg!(debug_assertions) || std::env::var("GALLERY").is_ok_and(|v| v == "on") {
        return Ok(true);
    }
    Ok(db::settings::is_demo(pool).await?)
}

/// The gallery's components and their stories.
pub async fn gallery_index(pool: &PgPool) -> Result<Vec<crate::model::gallery::GalleryEntry>, AppError> {
    if !gallery_enabled(pool).await? {
        return Err(AppError::NotFound { name: "gallery".into(), other_case: Vec::new() });
    }
    Ok(crate::gallery::index())
}

/// One story of the gallery.
pub async fn gallery_story(
    pool: &PgPool,
    component: &str,
    story: &str,
) -> Result<crate::model::gallery::Story, AppError> {
    let not_found = || AppError::NotFound { name: format!("{component}/{story}"), other_case: Vec::new() };
    if !gallery_enabled(pool).await? {
        return Err(not_found());
    }
    crate::gallery::story(component, story).ok_or_else(not_found)
}

/// The package row behind the page header, or `NotFound` (with other-case matches).
#[tracing::instrument(skip(pool, site_url), fields(package.name = %name))]
pub async fn header(pool: &PgPool, name: &str, site_url: &str) -> Result<PackageHeader, AppError> {
    no_such_name(name)?;
    // Read first, so a change to the header's own rows in between is caught
    // up on (a refetch too many). The tab's row is read by its own request,
    // at the same moment: a change committed within those milliseconds, after
    // the tab's read and before this one, can still be missed.
    let live_version = db::live::newest_version(pool, name).await?;
    let Some(row) = db::packages::get(pool, name).await? else {
        let other_case = db::packages::other_case(pool, name).await?;
        return Err(AppError::NotFound { name: name.to_string(), other_case });
    };
    let sub_packages =
        if row.name == row.source_name { db::packages::sub_packages(pool, &row.name).await? } else { Vec::new() };
    let retired_in = db::packages::retired_in(pool, &row.source_name).await?;
    Ok(PackageHeader {
        retired_in,
        name: row.name,
        source_name: row.source_name,
        summary: row.summary,
        upstream_url: row.upstream_url,
        license: row.license,
        sub_packages,
        site_url: site_url.to_string(),
        live_version,
    })
}

/// One tab of a package. Builds, updates, bugs and sources come from the
/// source package's rows; per-release tabs pick `branch` or the default.
#[tracing::instrument(skip(pool), fields(package.name = %name))]
pub async fn tab<T: TabPayload>(
    pool: &PgPool,
    name: &str,
    tab: Tab,
    branch: Option<&str>,
) -> Result<TabView<T>, AppError> {
    let owner = owner_of(pool, name, tab).await?;
    let (branch, branches) = if tab.per_branch() {
        let available = db::tabs::branches(pool, &owner, tab).await?;
        let releases = db::releases::all(pool).await?;
        let branches = order_branches(&available, &releases);
        (choose_branch(branch, &branches, &releases), branches)
    } else {
        (None, Vec::new())
    };
    let row = db::tabs::get(pool, &owner, tab, branch.as_deref()).await?;
    let (fetched_at, data) = match row {
        Some(row) => (Some(row.fetched_at), Some(row.decode(&format!("{owner}/{}", tab.slug()))?)),
        None => (None, None),
    };
    Ok(sealed(TabView { owner, branch, branches, fetched_at, data, digest: 0, headline: None }))
}

/// The view with its data's digest and headline (see [`TabView`]), once
/// the data is final.
fn sealed<T: TabPayload>(mut view: TabView<T>) -> TabView<T> {
    view.digest = view
        .data
        .as_ref()
        .and_then(|d| serde_json::to_vec(d).ok())
        .map_or(0, |bytes| xxhash_rust::xxh3::xxh3_64(&bytes));
    view.headline = view.data.as_ref().and_then(TabPayload::headline);
    view
}

/// The overview: a package's own mdapi part, and for a sub-package the source
/// package's Bodhi, Koji, Bugzilla and dist-git parts.
#[tracing::instrument(skip(pool), fields(package.name = %name))]
pub async fn overview(pool: &PgPool, name: &str, branch: Option<&str>) -> Result<TabView<Overview>, AppError> {
    let mut view: TabView<Overview> = tab(pool, name, Tab::Overview, None).await?;
    let package = db::packages::get(pool, name).await?;
    if let Some(source) = package.filter(|p| p.source_name != p.name).map(|p| p.source_name) {
        if let Some(row) = db::tabs::get(pool, &source, Tab::Overview, None).await? {
            let their_time = row.fetched_at;
            let theirs: Overview = row.decode(&format!("{source}/overview"))?;
            let mine = view.data.get_or_insert_with(Overview::default);
            mine.releases = theirs.releases;
            mine.latest_build = theirs.latest_build;
            mine.bugs = theirs.bugs;
            mine.maintainers = theirs.maintainers;
            view.fetched_at = view.fetched_at.max(Some(their_time));
        }
    }
    let releases = db::releases::all(pool).await?;
    let available: Vec<String> = view
        .data
        .as_ref()
        .and_then(|o| o.info.as_ref())
        .map(|info| info.value.iter().map(|i| i.branch.clone()).collect())
        .unwrap_or_default();
    view.branches = order_branches(&available, &releases);
    view.branch = choose_branch(branch, &view.branches, &releases);
    Ok(sealed(view))
}

/// The sources tab, with the commit of the newest build from the builds row.
#[tracing::instrument(skip(pool), fields(package.name = %name))]
pub async fn sources(pool: &PgPool, name: &str) -> Result<TabView<crate::model::Sources>, AppError> {
    let mut view: TabView<crate::model::Sources> = tab(pool, name, Tab::Sources, None).await?;
    if let Some(sources) = view.data.as_mut() {
        if let Some(row) = db::tabs::get(pool, &view.owner, Tab::Builds, None).await? {
            let builds: crate::model::Builds = row.decode(&format!("{}/builds", view.owner))?;
            sources.latest_build_commit = builds.latest_commit();
        }
    }
    Ok(sealed(view))
}

/// The newest bus events of the package's source package.
#[tracing::instrument(skip(pool), fields(package.name = %name))]
pub async fn events(pool: &PgPool, name: &str, limit: i64) -> Result<Vec<crate::model::PackageEvent>, AppError> {
    let owner = owner_of(pool, name, Tab::Builds).await?;
    let rows = db::events::recent(pool, &owner, limit).await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::model::PackageEvent { at: r.at, topic: r.topic, agent: r.agent, summary: r.summary })
        .collect())
}

/// A page of search results; similar names when nothing matches. From the
/// index when it is ready, else from PostgreSQL (which ranks alike).
#[tracing::instrument(skip(ctx))]
pub async fn search(
    ctx: &ReadContext,
    query: &str,
    page: i64,
    per_page: i64,
) -> Result<crate::model::SearchResults, AppError> {
    let analyzed = crate::search::analyze(query);
    let per_page = per_page.clamp(1, 100);
    let page = page.clamp(1, 500);
    if let Some(index) = ctx.search.ready() {
        // Counting stops at MAX_COUNTED: so does paging.
        let last_page = (crate::search::MAX_COUNTED as i64 / per_page).max(1);
        let page = page.min(last_page);
        let found = index.search(&analyzed, per_page as usize, ((page - 1) * per_page) as usize).and_then(|found| {
            let similar = match found.hits.is_empty() && !analyzed.text.is_empty() {
                true => index.similar(&analyzed, 10)?,
                false => Vec::new(),
            };
            Ok((found, similar))
        });
        match found {
            Ok((found, similar)) => {
                return Ok(crate::model::SearchResults {
                    query: analyzed.text,
                    hits: found.hits,
                    total: found.total as i64,
                    total_at_least: found.at_least,
                    page,
                    per_page,
                    similar,
                })
            }
            Err(e) => tracing::error!(error = %e, "search index failed; asking PostgreSQL"),
        }
    }
    let (hits, total) = db::search::search(&ctx.pool, &analyzed, per_page, (page - 1) * per_page).await?;
    let similar = match hits.is_empty() && !analyzed.text.is_empty() {
        true => db::search::similar(&ctx.pool, &analyzed, 10).await?,
        false => Vec::new(),
    };
    Ok(crate::model::SearchResults {
        query: analyzed.text,
        hits,
        total,
        total_at_least: false,
        page,
        per_page,
        similar,
    })
}

/// A name no package can have (too long, control characters, a NUL): a
/// plain "no such package", without asking the database.
fn no_such_name(name: &str) -> Result<(), AppError> {
    match crate::model::storable::valid_name(name) {
        true => Ok(()),
        false => {
            Err(AppError::NotFound { name: crate::model::storable::text(name).into_owned(), other_case: Vec::new() })
        }
    }
}

/// Whose rows a tab shows: the source package's for source-level tabs.
async fn owner_of(pool: &PgPool, name: &str, tab: Tab) -> Result<String, AppError> {
    no_such_name(name)?;
    let Some(row) = db::packages::get(pool, name).await? else {
        return Err(AppError::NotFound { name: name.to_string(), other_case: Vec::new() });
    };
    Ok(if tab.of_source() { row.source_name } else { row.name })
}

/// One recorded bus event with its permanent id, as feeds show it.
pub use crate::db::published::FeedEvent;

/// Events kept per package: all a feed or the API can show.
pub const EVENTS_KEPT: i64 = db::events::KEEP_PER_PACKAGE;

/// The newest events of a package's source package, with their permanent
/// ids (for its feed); `NotFound` for an unknown name.
pub async fn feed_events(pool: &PgPool, name: &str, limit: i64) -> Result<Vec<FeedEvent>, AppError> {
    let owner = owner_of(pool, name, Tab::Builds).await?;
    Ok(db::published::events(pool, &owner, limit).await?)
}

/// When the data behind a package's page last changed.
pub async fn changed_at(pool: &PgPool, name: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    Ok(db::published::changed_at(pool, name).await?)
}

/// One chunk of every package name, with when its data last changed.
pub async fn sitemap_chunk(
    pool: &PgPool,
    chunk: i64,
    size: i64,
) -> Result<Vec<(String, Option<chrono::DateTime<chrono::Utc>>)>, AppError> {
    Ok(db::published::packages_changed(pool, chunk.saturating_mul(size), size).await?)
}

/// The chunks of every package name, each with its newest change.
pub async fn sitemap_chunks(
    pool: &PgPool,
    size: i64,
) -> Result<Vec<(i64, Option<chrono::DateTime<chrono::Utc>>)>, AppError> {
    Ok(db::published::chunks_changed(pool, size).await?)
}

/// The active releases, newest first.
pub async fn releases(pool: &PgPool) -> Result<Vec<crate::model::Release>, AppError> {
    Ok(db::releases::all(pool).await?)
}

/// The newest refresh version behind a package's page; `NotFound` for an unknown name.
pub async fn live_version(pool: &PgPool, name: &str) -> Result<i64, AppError> {
    no_such_name(name)?;
    db::live::newest_version(pool, name)
        .await?
        .ok_or_else(|| AppError::NotFound { name: name.to_string(), other_case: Vec::new() })
}

/// What was refreshed behind a package's page after version `since`, if anything.
pub async fn live_change(
    pool: &PgPool,
    name: &str,
    since: i64,
) -> Result<Option<crate::model::live::LiveChange>, AppError> {
    use crate::model::live::{LiveChange, LiveTab};
    let rows = db::live::written_since(pool, name, since).await?;
    let Some(id) = rows.iter().map(|r| r.version).max() else {
        return Ok(None);
    };
    let mut tabs: Vec<LiveTab> = rows
        .iter()
        .filter_map(|r| {
            let tab = Tab::from_slug(&r.tab)?;
            Some(LiveTab { tab, branch: (!r.branch.is_empty()).then(|| r.branch.clone()) })
        })
        .collect();
    tabs.sort();
    tabs.dedup();
    let version = db::packages::get(pool, name).await?.map(|p| p.version_label).unwrap_or_default();
    Ok(Some(LiveChange { id, tabs, version }))
}

/// "What provides it": the newest packages of the active branches (or one)
/// owning a path or providing a capability. An unknown branch is a bad request.
#[tracing::instrument(skip(ctx))]
pub async fn provides(
    ctx: &ReadContext,
    query: crate::model::provides::ProvidesQuery,
) -> Result<crate::model::provides::ProvidesResults, AppError> {
    use crate::model::provides::{ProvidesHit, ProvidesResults, PER_PAGE};
    let offset = (query.page - 1) * PER_PAGE;
    // Independent reads, on two connections at once: the branch list is
    // needed to reject an unknown branch and for the page's branch picker.
    let (branches, found) = tokio::try_join!(
        db::repodata::branches(&ctx.pool),
        db::repodata::find(&ctx.lookups, query.mode, &query.lookup, query.branch.as_deref(), offset, PER_PAGE)
    )?;
    if let Some(b) = &query.branch {
        if !branches.contains(b) {
            let known = if branches.is_empty() { "none has been read yet".to_string() } else { branches.join(", ") };
            return Err(AppError::BadRequest(format!("unknown branch “{b}”: one of {known}")));
        }
    }
    let counted = found.first().map(|f| f.total).unwrap_or(0);
    let page_end = offset + PER_PAGE;
    let hits = found
        .into_iter()
        .map(|f| ProvidesHit {
            evr: crate::model::evr::label(Some(&f.epoch.to_string()), &f.version, &f.release),
            package: f.package,
            source: f.source,
            branch: f.branch,
            repo: f.repo,
            arch: f.arch,
            matched: f.matched,
        })
        .collect();
    Ok(ProvidesResults { query, hits, total: counted.min(page_end), total_at_least: counted > page_end, branches })
}
