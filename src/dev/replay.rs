//! The recorded upstream: a small HTTP server answering every service's calls
//! from recorded responses in a directory laid out as `<service>/<URL path>`
//! (see `demo/upstream/README.md`). Tests and the offline demo point the
//! connectors at it; unknown requests get the answer the real service gives.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use percent_encoding::percent_decode_str;

use crate::model::route::query_param;
use crate::model::url_segment;

pub mod faults;

pub use faults::{FaultKind, FaultPlan, Faults};

#[derive(Clone)]
struct Recordings {
    dir: Arc<PathBuf>,
}

/// The replay server's routes, answering from `dir`, with `faults` in front.
pub fn router(dir: PathBuf, faults: Faults) -> Router {
    let control = Router::new()
        .route("/_replay/faults", axum::routing::put(faults::put).delete(faults::clear))
        .with_state(faults.clone());
    Router::new()
        .fallback(answer)
        .with_state(Recordings { dir: Arc::new(dir) })
        .merge(control)
        .layer(axum::middleware::from_fn_with_state(faults, faults::inject))
}

async fn answer(State(rec): State<Recordings>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let segments: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let Some((service, rest)) = segments.split_first() else {
        return plain(StatusCode::NOT_FOUND, "404: Not Found");
    };
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    match (service.as_str(), &parts.method) {
        ("mdapi", &Method::GET) => mdapi(&rec.dir, rest).await,
        ("bodhi", &Method::GET) => bodhi(&rec.dir, rest, &query).await,
        ("bugzilla", &Method::GET) => bugzilla(&rec.dir, rest, &query).await,
        ("distgit", &Method::GET) => distgit(&rec.dir, rest, &query).await,
        ("koji", &Method::POST) => koji(&rec.dir, &body).await,
        ("dl", &Method::GET) => mirror(&rec.dir, rest).await,
        _ => plain(StatusCode::NOT_FOUND, "404: Not Found"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

fn json(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body.into()).into_response()
}

fn xml(body: impl Into<axum::body::Body>) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml")], body.into()).into_response()
}

/// A directory or route name from a URL: plain characters only, never `..`.
fn safe(segment: &str) -> bool {
    !segment.is_empty()
        && segment != ".."
        && segment.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The file for a name inside a URL: the name as one escaped path segment.
fn file_for(dir: &Path, parts: &[&str], name: &str, ext: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for p in parts {
        path.push(p);
    }
    path.push(format!("{}{ext}", url_segment(name)));
    path
}

async fn read(path: &Path) -> Option<Vec<u8>> {
    tokio::fs::read(path).await.ok()
}

/// mdapi: `/{branch}/{route}/{name}` and `/branches`. An unknown branch is a
/// 400 on every route; no match on a relation route is a 400; else 404.
async fn mdapi(dir: &Path, rest: &[String]) -> Response {
    let root = dir.join("mdapi");
    match rest {
        [b] if b == "branches" => match read(&root.join("branches.json")).await {
            Some(body) => json(StatusCode::OK, body),
            None => json(StatusCode::OK, "[]"),
        },
        [branch, route, name] if safe(branch) && safe(route) => {
            if let Some(body) = read(&file_for(&root, &[branch, route], name, ".json")).await {
                return json(StatusCode::OK, body);
            }
            let known = read(&root.join("branches.json"))
                .await
                .and_then(|b| serde_json::from_slice::<Vec<String>>(&b).ok())
                .is_some_and(|all| all.iter().any(|x| x == branch || format!("{x}-updates") == *branch));
            const RELATIONS: [&str; 8] =
                ["requires", "provides", "obsoletes", "conflicts", "enhances", "recommends", "suggests", "supplements"];
            if !known || RELATIONS.contains(&route.as_str()) {
                plain(StatusCode::BAD_REQUEST, "400: Bad Request")
            } else {
                plain(StatusCode::NOT_FOUND, "404: Not Found")
            }
        }
        _ => plain(StatusCode::NOT_FOUND, "404: Not Found"),
    }
}

/// The mirror (dl.fedoraproject.org): plain files under `dl/`, streamed
/// (repository metadata can be hundreds of megabytes), 404 when absent.
async fn mirror(dir: &Path, rest: &[String]) -> Response {
    if rest.is_empty() || !rest.iter().all(|s| safe(s)) {
        return plain(StatusCode::NOT_FOUND, "404: Not Found");
    }
    let mut path = dir.join("dl");
    path.extend(rest);
    let Ok(file) = tokio::fs::File::open(&path).await else {
        return plain(StatusCode::NOT_FOUND, "404: Not Found");
    };
    let length = file.metadata().await.map(|m| m.len()).ok();
    let kind = if path.extension().is_some_and(|e| e == "xml") { "text/xml" } else { "application/octet-stream" };
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, kind)], body).into_response();
    if let Some(n) = length.and_then(|n| header::HeaderValue::from_str(&n.to_string()).ok()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, n);
    }
    response
}

/// Bodhi: `/updates/?packages=NAME` and `/releases/?state=...`. Bodhi rejects a
/// package it does not know with a 400 listing the error.
async fn bodhi(dir: &Path, rest: &[String], query: &str) -> Response {
    let root = dir.join("bodhi");
    match rest.first().map(String::as_str) {
        Some("updates") => {
            let Some(package) = query_param(query, "packages") else {
                return json(StatusCode::BAD_REQUEST, r#"{"status": "error", "errors": []}"#);
            };
            match read(&file_for(&root, &["updates"], &format!("packages={package}"), ".json")).await {
                Some(body) => json(StatusCode::OK, body),
                None => {
                    let error = serde_json::json!({
                        "status": "error",
                        "errors": [{"location": "querystring", "name": "packages",
                                    "description": format!("Invalid packages specified: {package}")}]
                    });
                    json(StatusCode::BAD_REQUEST, error.to_string())
                }
            }
        }
        Some("releases") => match read(&root.join("releases/state=current,pending,frozen.json")).await {
            Some(body) => json(StatusCode::OK, body),
            None => json(StatusCode::OK, r#"{"releases": [], "page": 1, "pages": 0, "rows_per_page": 20, "total": 0}"#),
        },
        _ => json(
            StatusCode::NOT_FOUND,
            r#"{"status": "error", "errors": [{"location": "url", "name": "id", "description": "Not Found"}]}"#,
        ),
    }
}

/// Bugzilla: `/rest/bug?component=NAME&...`; a component with no open bugs
/// gets an empty search result.
async fn bugzilla(dir: &Path, rest: &[String], query: &str) -> Response {
    if rest != ["rest", "bug"] {
        return json(
            StatusCode::NOT_FOUND,
            r#"{"error": true, "code": 32614, "message": "A REST API resource was not found for 'GET /'."}"#,
        );
    }
    let component = query_param(query, "component").unwrap_or_default();
    match read(&file_for(&dir.join("bugzilla"), &["rest", "bug"], &format!("component={component}"), ".json")).await {
        Some(body) => json(StatusCode::OK, body),
        None => json(StatusCode::OK, r#"{"bugs": [], "limit": "0", "offset": 0, "total_matches": 0}"#),
    }
}

/// dist-git: `/api/0/rpms/{name}`, `/api/0/rpms/{name}/git/branches`,
/// `/rpms/{name}/raw/{branch}/f/{file}`.
async fn distgit(dir: &Path, rest: &[String], query: &str) -> Response {
    let root = dir.join("distgit");
    let not_found = || json(StatusCode::NOT_FOUND, r#"{"error": "Project not found", "error_code": "ENOPROJECT"}"#);
    let parts: Vec<&str> = rest.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["api", "0", "projects"] => project_listing(&root, query).await,
        ["api", "0", "rpms", name] => match read(&file_for(&root, &["api", "0", "rpms"], name, ".json")).await {
            Some(body) => json(StatusCode::OK, body),
            None => not_found(),
        },
        ["api", "0", "rpms", name, "git", "branches"] => {
            let path = file_for(&root, &["api", "0", "rpms", &url_segment(name), "git"], "branches", ".json");
            match read(&path).await {
                Some(body) => json(StatusCode::OK, body),
                None => not_found(),
            }
        }
        ["rpms", name, "raw", branch, "f", file] if safe(branch) => {
            let path = file_for(&root, &["rpms", &url_segment(name), "raw", branch, "f"], file, "");
            match read(&path).await {
                Some(body) => {
                    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
                }
                None => (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html")], "<h1>Page not found (404)</h1>")
                    .into_response(),
            }
        }
        _ => not_found(),
    }
}

/// `GET /api/0/projects?namespace=rpms&page=N&per_page=M`: a page of the
/// recorded projects, in Pagure's listing shape (composed from the recorded
/// `rpms/{name}` objects; no recording of a whole listing exists).
async fn project_listing(root: &Path, query: &str) -> Response {
    let page: usize = query_param(query, "page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let per_page: usize = query_param(query, "per_page").and_then(|p| p.parse().ok()).unwrap_or(20).clamp(1, 100);
    let mut names: Vec<PathBuf> = match std::fs::read_dir(root.join("api/0/rpms")) {
        Ok(dir) => dir
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let total = names.len();
    let pages = total.div_ceil(per_page).max(1);
    let mut projects = Vec::new();
    for path in names.iter().skip((page - 1) * per_page).take(per_page) {
        if let Some(p) = read(path).await.and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok()) {
            projects.push(p);
        }
    }
    let link = |p: usize| {
        format!("https://src.fedoraproject.org/api/0/projects?per_page={per_page}&namespace=rpms&fork=False&page={p}")
    };
    let body = serde_json::json!({
        "args": {"fork": false, "namespace": "rpms", "owner": null, "page": page, "pattern": null,
                 "per_page": per_page, "short": false, "tags": [], "username": null},
        "pagination": {"first": link(1), "last": link(pages), "next": (page < pages).then(|| link(page + 1)),
                       "page": page, "pages": pages, "per_page": per_page,
                       "prev": (page > 1).then(|| link(page - 1))},
        "projects": projects,
        "total_projects": total,
    });
    json(StatusCode::OK, body.to_string())
}

/// Koji XML-RPC: `getPackageID(name)` and `listBuilds(packageID=...)`.
async fn koji(dir: &Path, body: &Bytes) -> Response {
    let root = dir.join("koji/kojihub");
    let text = String::from_utf8_lossy(body);
    let Ok((method, params)) = serde_xmlrpc::request_from_str(&text) else {
        return koji_fault(1000, "could not parse the request");
    };
    match method.as_str() {
        "getPackageID" => {
            let Some(serde_xmlrpc::Value::String(name)) = params.first() else {
                return koji_fault(1000, "getPackageID() needs a package name");
            };
            match read(&file_for(&root, &["getPackageID"], name, ".xml")).await {
                Some(body) => xml(body),
                None => xml(nil_response()),
            }
        }
        "listBuilds" => {
            let Some(id) = kwarg_int(&params, "packageID") else {
                return koji_fault(1000, "listBuilds() replay needs packageID");
            };
            match read(&file_for(&root, &["listBuilds"], &format!("packageID={id}"), ".xml")).await {
                Some(body) => xml(body),
                None => xml(serde_xmlrpc::response_to_string(std::iter::once(serde_xmlrpc::Value::Array(vec![])))
                    .unwrap_or_default()),
            }
        }
        other => koji_fault(1000, if other.is_empty() { "no method" } else { "Invalid method" }),
    }
}

fn nil_response() -> String {
    "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><nil/></value></param>\n</params>\n</methodResponse>\n".to_string()
}

/// A keyword argument, which Koji sends in a final struct flagged `__starstar`.
fn kwarg_int(params: &[serde_xmlrpc::Value], key: &str) -> Option<i64> {
    params.iter().rev().find_map(|p| match p {
        serde_xmlrpc::Value::Struct(map) => map.iter().find(|(k, _)| k.as_str() == key).and_then(|(_, v)| match v {
            serde_xmlrpc::Value::Int(i) => Some(i64::from(*i)),
            serde_xmlrpc::Value::Int64(i) => Some(*i),
            _ => None,
        }),
        _ => None,
    })
}

fn koji_fault(code: i32, message: &str) -> Response {
    let body = format!(
        "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>{code}</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>{message}</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n"
    );
    xml(body)
}

/// Serves the recordings on `listener` until `stop` (SIGTERM for the
/// command) or until the task is dropped.
pub async fn serve(
    dir: PathBuf,
    listener: tokio::net::TcpListener,
    faults: Faults,
    stop: tokio_util::sync::CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router(dir, faults)).with_graceful_shutdown(async move { stop.cancelled().await }).await
}
