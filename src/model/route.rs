//! Every URL the site answers, as one type: parsed from a request (the
//! page cache's keys, metrics labels, the browser's active tab) and turned
//! back into links. The route table (`app.rs`) and the router mount the
//! same paths.
use super::{url_query, url_segment, Tab};

/// Where server functions are mounted (`/api/{endpoint}`).
pub const API_PREFIX: &str = "/api";

/// A request path, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    /// `/search?q=`
    Search,
    /// `/provides?q=&mode=&branch=`: what provides a path or capability.
    Provides,
    /// `/packages/{name}` (the overview) and `/packages/{name}/{tab}`.
    Package {
        name: String,
        tab: Tab,
    },
    /// `/packages/{name}/{anything else}`: a 404 about a package.
    PackageUnknown {
        name: String,
    },
    /// The old app's search URL, `/packages/s/{query}`.
    OldSearch {
        query: String,
    },
    /// The static site's `/pkgs/{source}/{package}`.
    StaticSite {
        package: String,
    },
    /// A server function reading one package's data: `/api/tab/{tab}`,
    /// `/api/package`, `/api/events`, each with `?name=`.
    PackageData {
        name: String,
        endpoint: &'static str,
    },
    /// Any other server function (search, suggestions, the home page's list).
    ServerFn,
    /// The public API's documents about one package:
    /// `/api/v1/packages/{name}[/{tab}|/events]` (`part` is empty for the package).
    ApiPackage {
        name: String,
        part: &'static str,
    },
    /// Everything else under `/api/v1/` (search, suggestions, the OpenAPI document, docs).
    Api,
    /// A package's Atom feed, `/packages/{name}/feed.atom`.
    Feed {
        name: String,
    },
    /// A package's live stream, `/packages/{name}/live` (never cached).
    Live {
        name: String,
    },
    /// A package's version badge, `/packages/{name}/badge.svg`.
    Badge {
        name: String,
    },
    /// What crawlers and browsers discover the site by: sitemaps, robots.txt, OpenSearch.
    Discovery,
    /// The component gallery, `/gallery[/{component}/{story}]`.
    Gallery,
    /// Built assets under `/pkg/`.
    Asset,
    Healthz,
    Readyz,
    Metrics,
    Other,
}

/// Server functions that read one package, by endpoint (after `/api/`).
/// Where the public API lives.
pub const API_V1: &str = "/api/v1";

/// What the API answers about one package, by path after `/api/v1/packages/{name}`.
const API_PACKAGE_PARTS: [&str; 10] =
    ["", "events", "overview", "builds", "updates", "bugs", "contents", "changelog", "dependencies", "sources"];

const PACKAGE_DATA: [&str; 10] = [
    "package",
    "events",
    "tab/overview",
    "tab/builds",
    "tab/updates",
    "tab/bugs",
    "tab/contents",
    "tab/changelog",
    "tab/dependencies",
    "tab/sources",
];

impl Route {
    /// The route of a request path (not decoded) and its query string.
    pub fn parse(path: &str, query: Option<&str>) -> Route {
        let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
        // Every route has a few segments: held on the stack (this runs on
        // every cache hit); a longer path goes to the heap.
        let mut few = [""; 6];
        let mut count = 0;
        let mut split = path.trim_start_matches('/').split('/');
        let mut many = Vec::new();
        for segment in split.by_ref() {
            if count == few.len() {
                many.extend_from_slice(&few);
                many.push(segment);
                many.extend(split.by_ref());
                break;
            }
            few[count] = segment;
            count += 1;
        }
        let segments: &[&str] = if many.is_empty() { &few[..count] } else { &many };
        match segments {
            [""] => Route::Home,
            ["search"] => Route::Search,
            ["provides"] => Route::Provides,
            ["packages", "s", query, ..] => Route::OldSearch { query: decode(query) },
            ["packages", name] if !name.is_empty() => Route::Package { name: decode(name), tab: Tab::Overview },
            ["packages", name, "feed.atom"] if !name.is_empty() => Route::Feed { name: decode(name) },
            ["packages", name, "badge.svg"] if !name.is_empty() => Route::Badge { name: decode(name) },
            ["packages", name, "live"] if !name.is_empty() => Route::Live { name: decode(name) },
            ["packages", name, tab] if !name.is_empty() => match Tab::from_slug(tab) {
                Some(tab) => Route::Package { name: decode(name), tab },
                None => Route::PackageUnknown { name: decode(name) },
            },
            ["packages", name, ..] if !name.is_empty() => Route::PackageUnknown { name: decode(name) },
            ["pkgs", _source, package, ..] if !package.is_empty() => Route::StaticSite { package: decode(package) },
            ["api", "v1", "packages", name, rest @ ..] if !name.is_empty() && rest.len() <= 1 => {
                let part = rest.first().copied().unwrap_or("");
                match API_PACKAGE_PARTS.iter().find(|p| **p == part) {
                    Some(part) => Route::ApiPackage { name: decode(name), part },
                    None => Route::Api,
                }
            }
            ["api", "v1", ..] => Route::Api,
            ["sitemap.xml" | "robots.txt" | "opensearch.xml"] | ["sitemaps", ..] => Route::Discovery,
            ["api", rest @ ..] => {
                let endpoint = rest.join("/");
                match PACKAGE_DATA.iter().find(|e| **e == endpoint) {
                    Some(e) => match query.and_then(|q| query_param(q, "name")) {
                        Some(name) if !name.is_empty() => Route::PackageData { name, endpoint: e },
                        _ => Route::ServerFn,
                    },
                    None => Route::ServerFn,
                }
            }
            ["gallery", ..] => Route::Gallery,
            ["pkg", ..] => Route::Asset,
            ["healthz"] => Route::Healthz,
            ["readyz"] => Route::Readyz,
            ["metrics"] => Route::Metrics,
            _ => Route::Other,
        }
    }

    /// The canonical path of a page route (`/` for the others).
    pub fn href(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Search => "/search".into(),
            Route::Provides => "/provides".into(),
            Route::Package { name, tab } => tab.href(name),
            Route::PackageUnknown { name } => Tab::Overview.href(name),
            Route::OldSearch { query } => format!("/search?q={}", url_query(query)),
            Route::StaticSite { package } => format!("/packages/{}", url_segment(package)),
            Route::PackageData { name, endpoint } => format!("{API_PREFIX}/{endpoint}?name={}", url_query(name)),
            Route::ApiPackage { name, part } => {
                let base = format!("{API_V1}/packages/{}", url_segment(name));
                if part.is_empty() {
                    base
                } else {
                    format!("{base}/{part}")
                }
            }
            Route::Feed { name } => format!("/packages/{}/feed.atom", url_segment(name)),
            Route::Badge { name } => format!("/packages/{}/badge.svg", url_segment(name)),
            Route::Live { name } => super::live::live_path(name),
            Route::Gallery => "/gallery".into(),
            Route::Api | Route::Discovery | Route::ServerFn | Route::Asset | Route::Other => "/".into(),
            Route::Healthz => "/healthz".into(),
            Route::Readyz => "/readyz".into(),
            Route::Metrics => "/metrics".into(),
        }
    }

    /// The package whose rows this URL shows (its cached answers are
    /// dropped when they change).
    pub fn package(&self) -> Option<&str> {
        match self {
            Route::Package { name, .. }
            | Route::PackageUnknown { name }
            | Route::PackageData { name, .. }
            | Route::ApiPackage { name, .. }
            | Route::Feed { name }
            | Route::Badge { name } => Some(name),
            _ => None,
        }
    }

    /// A low-cardinality label, for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            Route::Home => "/",
            Route::Search => "/search",
            Route::Provides => "/provides",
            Route::Package { tab: Tab::Overview, .. } => "/packages/{name}",
            Route::Package { .. } | Route::PackageUnknown { .. } => "/packages/{name}/{tab}",
            Route::OldSearch { .. } => "/packages/s/{query}",
            Route::StaticSite { .. } => "/pkgs/{source}/{package}",
            Route::PackageData { endpoint, .. } if endpoint.starts_with("tab/") => "/api/tab/{tab}",
            Route::PackageData { .. } | Route::ServerFn => "/api/{fn}",
            Route::ApiPackage { part: "", .. } => "/api/v1/packages/{name}",
            Route::ApiPackage { .. } => "/api/v1/packages/{name}/{part}",
            Route::Api => "/api/v1/{document}",
            Route::Feed { .. } => "/packages/{name}/feed.atom",
            Route::Badge { .. } => "/packages/{name}/badge.svg",
            Route::Live { .. } => "/packages/{name}/live",
            Route::Discovery => "/sitemap.xml|robots.txt|opensearch.xml",
            Route::Gallery => "/gallery",
            Route::Asset => "/pkg/{asset}",
            Route::Healthz => "/healthz",
            Route::Readyz => "/readyz",
            Route::Metrics => "/metrics",
            Route::Other => "other",
        }
    }

    /// Every label [`Route::label`] gives.
    pub const LABELS: [&'static str; 22] = [
        "/",
        "/search",
        "/provides",
        "/packages/{name}",
        "/packages/{name}/{tab}",
        "/packages/s/{query}",
        "/pkgs/{source}/{package}",
        "/api/tab/{tab}",
        "/api/{fn}",
        "/api/v1/packages/{name}",
        "/api/v1/packages/{name}/{part}",
        "/api/v1/{document}",
        "/packages/{name}/feed.atom",
        "/packages/{name}/badge.svg",
        "/packages/{name}/live",
        "/sitemap.xml|robots.txt|opensearch.xml",
        "/gallery",
        "/pkg/{asset}",
        "/healthz",
        "/readyz",
        "/metrics",
        "other",
    ];
}

/// A query-string parameter, decoded once (`+` is a space; `%2B` a plus).
pub fn query_param(query: &str, key: &str) -> Option<String> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_routes_name_their_package() {
        let r = Route::parse("/packages/gtk%2B/builds", None);
        assert_eq!(r, Route::Package { name: "gtk+".into(), tab: Tab::Builds });
        assert_eq!(r.package(), Some("gtk+"));
        assert_eq!(r.label(), "/packages/{name}/{tab}");
        assert_eq!(Route::parse("/packages/python-requre", Some("branch=f42")).package(), Some("python-requre"));
        assert_eq!(Route::parse("/packages/s/vim", None), Route::OldSearch { query: "vim".into() });
        assert_eq!(Route::parse("/packages/s/vim", None).package(), None);
        let data = Route::parse("/api/tab/builds", Some("name=libstdc%2B%2B"));
        assert_eq!(data.package(), Some("libstdc++"));
        assert_eq!(data.label(), "/api/tab/{tab}");
        assert_eq!(Route::parse("/search", Some("q=x")).package(), None);
        assert_eq!(Route::parse("/api/suggest", Some("query=x")), Route::ServerFn);
        assert_eq!(Route::parse("/packages/x/relationships", None).label(), "/packages/{name}/{tab}");
    }

    #[test]
    fn long_paths_parse_like_short_ones() {
        assert_eq!(Route::parse("/packages/bash/a/b/c/d/e/f/g", None), Route::PackageUnknown { name: "bash".into() });
        assert_eq!(Route::parse("/packages/s/q/b/c/d/e/f/g", None), Route::OldSearch { query: "q".into() });
        assert_eq!(Route::parse("/api/v1/packages/x/y/z/w/q/r", None), Route::Api);
        assert_eq!(Route::parse("/api/tab/builds/a/b/c/d/e", Some("name=x")), Route::ServerFn);
        assert_eq!(Route::parse("/pkg/a/b/c/d/e/f/g.js", None), Route::Asset);
        assert_eq!(
            Route::parse("/packages/bash/builds", None),
            Route::Package { name: "bash".into(), tab: Tab::Builds }
        );
    }

    #[test]
    fn labels_are_few_and_known() {
        for path in ["/", "/packages/s/q", "/search", "/pkg/a.js", "/healthz", "/readyz", "/metrics", "/pkgs/a/b"] {
            let label = Route::parse(path, None).label();
            assert!(Route::LABELS.contains(&label), "{path}");
        }
        assert_eq!(Route::parse("/nope/x", None).label(), "other");
        assert_eq!(Route::parse("/api/x", None).label(), "/api/{fn}");
        assert_eq!(Route::parse("/api/v1/packages/bash/nope", None), Route::Api);
        assert_eq!(Route::parse("/api/v1/packages/bash/builds/x", None), Route::Api);
        for path in [
            "/api/v1/search",
            "/api/v1/packages/a",
            "/api/v1/packages/a/events",
            "/sitemap.xml",
            "/packages/a/feed.atom",
        ] {
            assert!(Route::LABELS.contains(&Route::parse(path, None).label()), "{path}");
        }
    }

    #[test]
    fn hrefs_round_trip() {
        for r in [
            Route::Package { name: "libstdc++".into(), tab: Tab::Changelog },
            Route::Package { name: "a b".into(), tab: Tab::Overview },
            Route::Search,
            Route::Provides,
            Route::Home,
            Route::ApiPackage { name: "gtk+".into(), part: "" },
            Route::ApiPackage { name: "a b".into(), part: "builds" },
            Route::Feed { name: "libstdc++".into() },
            Route::Badge { name: "bash".into() },
            Route::Live { name: "gtk+".into() },
        ] {
            let href = r.href();
            let (path, query) = href.split_once('?').map_or((href.as_str(), None), |(p, q)| (p, Some(q)));
            assert_eq!(Route::parse(path, query), r, "{href}");
        }
    }

    #[test]
    fn query_values_are_decoded_once() {
        assert_eq!(query_param("q=gtk%2B&page=2", "q").as_deref(), Some("gtk+"));
        assert_eq!(query_param("q=a+b", "q").as_deref(), Some("a b"));
        assert_eq!(query_param("q=100%25", "q").as_deref(), Some("100%"));
        assert_eq!(query_param("?name=x", "name").as_deref(), Some("x"));
        assert_eq!(query_param("q=1", "page"), None);
    }
}
