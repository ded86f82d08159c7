//! The HTTP router: Leptos pages and server functions, static files, and the
//! redirects that keep old links working (`model::old_links`).
use std::net::SocketAddr;

use anyhow::Context;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;

/// What the web server needs to know (the `serve` command's settings).
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on (overrides Leptos.toml).
    pub site_addr: Option<String>,
    /// Directory of the built site (overrides Leptos.toml).
    pub site_root: Option<String>,
    /// Absolute base URL used in canonical links.
    pub site_url: String,
    /// Runtime Leptos settings.
    pub leptos_config: std::path::PathBuf,
    /// Memory for rendered pages, in MiB.
    pub page_cache_mb: u64,
    /// Where `/metrics` is served (not on the public port); `None`: nowhere.
    pub metrics_addr: Option<String>,
    /// Whether to keep a search index (else PostgreSQL answers searches).
    pub search_index: bool,
    /// Open live streams this process serves.
    pub live_max_streams: usize,
    /// Contains lookups at once (`None`: this machine's cores).
    pub contains_lookups: Option<u32>,
    pub limits: Limits,
}

use super::limits::{self, Limits};
use super::page_cache::{secure, serve_cached, PageCache};
use super::security::SecurityHeaders;
use super::state::AppState;
use crate::bus::WorkerStatus;
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The pages the server renders. They are the crate above this one (which
/// this crate cannot name): `main` hands them over (`fedora_packages::PAGES`).
#[derive(Clone, Copy)]
pub struct Pages {
    /// The app: its one route table and every page.
    pub app: fn() -> AnyView,
    /// The HTML document around a page.
    pub shell: fn(LeptosOptions) -> AnyView,
}

/// The complete application router.
pub fn build(state: AppState, options: LeptosOptions, limits: &Limits, pages: Pages) -> Router {
    let routes = generate_route_list(pages.app);
    let context = {
        let read = state.read_context();
        move || provide_context(read.clone())
    };
    let rendered = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || (pages.shell)(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(context, pages.shell))
        .with_state(options.clone());
    // What renders is bounded; cache hits, assets and health checks are not.
    let rendered = limits::guard(rendered, limits);
    // The API and the feeds read the database like pages: bounded alike.
    let read = state.read_context();
    let published = limits::guard(crate::api::router(read.clone()).merge(crate::feeds::router(read)), limits);
    let site_root = std::path::PathBuf::from(options.site_root.as_ref());
    let pkg = ServeDir::new(site_root.join(options.site_pkg_dir.as_ref())).precompressed_br().precompressed_gzip();
    Router::new()
        .route("/healthz", get(super::health::healthz))
        .route("/readyz", get(super::health::readyz))
        .route("/readyz/worker", get(super::health::worker))
        .with_state(state.clone())
        // Hashed file names: a new build is a new URL, so these never change.
        .nest_service(
            "/pkg",
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ))
                .service(pkg),
        )
        .merge(published)
        .merge(Router::new().route("/api", get(crate::api::docs::page)).with_state(options.clone()))
        // Live streams are long by design: outside the request timeout and
        // the render bound, limited by their own cap.
        .merge(
            Router::new()
                .route("/packages/{name}/live", get(crate::live::stream::stream))
                .with_state(state.live.clone()),
        )
        .fallback_service(rendered)
        .layer(middleware::from_fn(super::metrics::track))
        // Old links and trailing slashes are redirected before routing.
        .layer(middleware::from_fn(canonical_path))
        // Every response the cache does not answer gets its security headers
        // here, computed from the uncompressed page (its scripts' hashes)...
        .layer(middleware::from_fn_with_state(state.cache.clone(), secure))
        // ...then is compressed, unless the cache asked for it plain.
        .layer(CompressionLayer::new())
        // Outermost, so a cached page is answered before anything else runs.
        .layer(middleware::from_fn_with_state(state.cache.clone(), serve_cached))
}

/// Loads runtime settings from Leptos.toml (overridable by flags and `LEPTOS_*`).
pub fn leptos_options(args: &ServeConfig) -> anyhow::Result<LeptosOptions> {
    let file = args.leptos_config.to_str().filter(|_| args.leptos_config.exists());
    let conf = get_configuration(file).map_err(|e| anyhow::anyhow!("reading Leptos settings: {e}"))?;
    let mut options = conf.leptos_options;
    if let Some(addr) = &args.site_addr {
        options.site_addr = addr.parse::<SocketAddr>().with_context(|| format!("bad site address {addr}"))?;
    }
    if let Some(root) = &args.site_root {
        options.site_root = root.clone().into();
    }
    Ok(options)
}

/// Serves until `stop` is cancelled, finishing in-flight requests.
pub async fn serve(
    pool: PgPool,
    args: ServeConfig,
    worker: WorkerStatus,
    stop: CancellationToken,
    pages: Pages,
) -> anyhow::Result<()> {
    let options = leptos_options(&args)?;
    let addr = options.site_addr;
    let security = SecurityHeaders::new(args.site_url.starts_with("https://"));
    let cache = PageCache::new(args.page_cache_mb.saturating_mul(1 << 20), security);
    let _ = super::metrics::handle();
    let search = match args.search_index {
        true => crate::search::SearchIndex::start(pool.clone(), stop.clone()),
        false => crate::search::SearchIndex::none(),
    };
    let site_url = args.site_url.trim_end_matches('/').to_string();
    let live = crate::live::LiveHub::new(pool.clone(), args.live_max_streams, stop.clone());
    let lookups = crate::db::lookup_pools::LookupPools::new(&pool, args.contains_lookups);
    let state = AppState { pool, site_url, worker, cache, search, live, lookups };
    tokio::spawn(super::page_cache::follow_changes(
        state.pool.clone(),
        state.cache.clone(),
        state.live.clone(),
        stop.clone(),
    ));
    if let Some(metrics_addr) = &args.metrics_addr {
        super::health::serve_metrics(metrics_addr, state.clone(), stop.clone()).await;
    }
    let ahead = match args.search_index {
        true => super::ahead::Ahead::new(state.cache.clone(), state.search.clone(), &args.limits),
        false => state.cache.clone().into(),
    };
    let app = build(state, options, &args.limits, pages);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(%addr, "serving http://{addr}");
    let drain = args.limits.request_timeout;
    limits::serve(listener, app, ahead, args.limits.header_read_timeout, stop, drain).await.context("server failed")
}

/// Longest request target answered; longer is a 414.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// One permanent redirect for an old site's link (straight to the page, not
/// via its slash-less form); else `/packages/foo/` (the old app's form)
/// goes to `/packages/foo`.
async fn canonical_path(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if let Some(to) = crate::model::old_links::redirect(path, request.uri().query()) {
        return moved(&to);
    }
    if path.len() > 1 && path.ends_with('/') && !path.starts_with("/pkg/") {
        // One leading slash only: `//host/` must not become a protocol-relative URL.
        let mut to = format!("/{}", path.trim_matches('/'));
        if let Some(q) = request.uri().query() {
            to.push('?');
            to.push_str(q);
        }
        return moved(&to);
    }
    next.run(request).await
}

fn moved(to: &str) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to.to_string())]).into_response()
}
