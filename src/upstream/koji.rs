//! Koji, the build system, over XML-RPC: a package's builds, newest first.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_xmlrpc::Value;

use super::http::Http;
use super::time::{from_unix, parse_utc};
use super::{ParseError, Reason, Service, UpstreamError};
use crate::model::{Build, BuildState, BuildSummary};

/// A build as `listBuilds` returns it (field names are Koji's).
#[derive(Debug, Clone, Deserialize)]
pub struct KojiBuild {
    pub build_id: i64,
    pub nvr: String,
    pub name: String,
    pub version: String,
    pub release: String,
    pub epoch: Option<i64>,
    pub state: i64,
    pub owner_name: String,
    pub package_id: Option<i64>,
    pub task_id: Option<i64>,
    pub start_time: Option<String>,
    pub start_ts: Option<f64>,
    pub completion_time: Option<String>,
    pub completion_ts: Option<f64>,
    #[serde(default)]
    pub extra: Option<KojiExtra>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct KojiExtra {
    #[serde(default)]
    pub source: Option<KojiExtraSource>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct KojiExtraSource {
    pub original_url: Option<String>,
}

fn xml_error(e: serde_xmlrpc::Error) -> ParseError {
    ParseError(e.to_string())
}

/// A `listBuilds` methodResponse.
pub fn parse_list_builds(xml: &str) -> Result<Vec<KojiBuild>, ParseError> {
    serde_xmlrpc::response_from_str(xml).map_err(xml_error)
}

/// A `getPackageID` methodResponse: the ID, or nil for an unknown package.
pub fn parse_package_id(xml: &str) -> Result<Option<i64>, ParseError> {
    serde_xmlrpc::response_from_str(xml).map_err(xml_error)
}

impl KojiBuild {
    fn started(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.start_time.as_deref().and_then(parse_utc).or_else(|| self.start_ts.and_then(from_unix))
    }

    fn finished(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.completion_time.as_deref().and_then(parse_utc).or_else(|| self.completion_ts.and_then(from_unix))
    }

    /// The dist-git URL the build came from, `git+https://...#commit`.
    pub fn source_url(&self) -> Option<String> {
        self.extra
            .as_ref()
            .and_then(|e| e.source.as_ref())
            .and_then(|s| s.original_url.clone())
            .or_else(|| self.source.clone())
    }
}

/// The builds tab's rows, newest first (unfinished builds by start time).
pub fn to_builds(builds: &[KojiBuild]) -> Vec<Build> {
    let mut rows: Vec<Build> = builds
        .iter()
        .map(|b| Build {
            build_id: b.build_id,
            nvr: b.nvr.clone(),
            epoch: b.epoch,
            version: b.version.clone(),
            release: b.release.clone(),
            state: BuildState::from_koji(b.state),
            owner: b.owner_name.clone(),
            started: b.started(),
            finished: b.finished(),
            task_id: b.task_id,
            source: b.source_url(),
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |x: &Build| x.finished.or(x.started);
        key(b).cmp(&key(a)).then(b.build_id.cmp(&a.build_id))
    });
    rows
}

pub fn latest(builds: &[Build]) -> Option<BuildSummary> {
    builds.first().map(|b| BuildSummary {
        build_id: b.build_id,
        nvr: b.nvr.clone(),
        state: b.state,
        finished: b.finished,
    })
}

/// Koji passes keyword arguments as a final struct flagged `__starstar`.
fn kwargs(args: Vec<(&str, Value)>) -> Value {
    let mut map: BTreeMap<String, Value> = args.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    map.insert("__starstar".into(), Value::Bool(true));
    Value::Struct(map.into_iter().collect())
}

/// The Koji hub client, at a configurable base URL (`.../kojihub`).
#[derive(Clone)]
pub struct Koji {
    http: Http,
    hub: String,
    /// Package ids never change once Koji assigns them: ask once per process.
    ids: Arc<Mutex<HashMap<String, i64>>>,
}

impl Koji {
    pub fn new(http: Http, hub: &str) -> Self {
        Koji { http, hub: hub.trim_end_matches('/').to_string(), ids: Arc::default() }
    }

    async fn call(&self, call: &str, method: &str, params: Vec<Value>) -> Result<String, UpstreamError> {
        let fail = |reason| UpstreamError::new(Service::Koji, call, reason);
        let body = serde_xmlrpc::request_to_string(method, params).map_err(|e| fail(Reason::Parse(e.to_string())))?;
        let response = self.http.post_xml(Service::Koji, call, &self.hub, body).await?;
        match response.status {
            200 => Ok(response.text),
            s => Err(fail(Reason::Status(s))),
        }
    }

    pub async fn package_id(&self, name: &str) -> Result<Option<i64>, UpstreamError> {
        if let Some(id) = self.ids.lock().ok().and_then(|ids| ids.get(name).copied()) {
            return Ok(Some(id));
        }
        let call = format!("getPackageID {name}");
        let xml = self.call(&call, "getPackageID", vec![Value::String(name.to_string())]).await?;
        let id = parse_package_id(&xml).map_err(|e| UpstreamError::new(Service::Koji, call, Reason::Parse(e.0)))?;
        if let (Some(id), Ok(mut ids)) = (id, self.ids.lock()) {
            ids.insert(name.to_string(), id);
        }
        Ok(id)
    }

    /// The newest `limit` builds of a package.
    pub async fn list_builds(&self, package_id: i64, limit: i32) -> Result<Vec<KojiBuild>, UpstreamError> {
        let call = format!("listBuilds packageID={package_id}");
        let mut opts = BTreeMap::new();
        opts.insert("order".to_string(), Value::String("-build_id".into()));
        opts.insert("limit".to_string(), Value::Int(limit));
        let args = kwargs(vec![
            ("packageID", Value::Int64(package_id)),
            ("queryOpts", Value::Struct(opts.into_iter().collect())),
        ]);
        let xml = self.call(&call, "listBuilds", vec![args]).await?;
        parse_list_builds(&xml).map_err(|e| UpstreamError::new(Service::Koji, call, Reason::Parse(e.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixtures::read;

    fn recorded() -> Vec<KojiBuild> {
        parse_list_builds(&read("koji/kojihub/listBuilds/packageID=31141.xml")).unwrap()
    }

    #[test]
    fn list_builds_fields() {
        let builds = recorded();
        assert_eq!(builds.len(), 30);
        let first = &builds[0];
        assert_eq!(first.build_id, 1672055);
        assert_eq!(first.nvr, "python-requre-0.5.0-1.fc33");
        assert_eq!(first.owner_name, "jpopelka");
        assert_eq!(first.epoch, None);
        assert_eq!(first.package_id, Some(31141));
        assert_eq!(
            first.source_url().as_deref(),
            Some("git+https://src.fedoraproject.org/rpms/python-requre.git#c9c8271bcc6fd4afe7fd4751a29dd62048a3f0f6")
        );
    }

    #[test]
    fn builds_are_newest_first_with_durations() {
        let rows = to_builds(&recorded());
        assert_eq!(rows.len(), 30);
        assert!(rows.windows(2).all(|w| w[0].finished >= w[1].finished));
        let b = rows.iter().find(|b| b.build_id == 1672055).unwrap();
        assert_eq!(b.state, BuildState::Complete);
        assert_eq!(b.started.unwrap().to_rfc3339(), "2021-01-21T15:15:16.333118+00:00");
        assert_eq!(b.duration_secs(), Some(106));
        assert_eq!(b.task_id, Some(60149103));
        assert_eq!(latest(&rows).unwrap().nvr, rows[0].nvr);
    }

    #[test]
    fn package_id_and_nil() {
        let id = "<?xml version='1.0'?><methodResponse><params><param><value><int>31141</int></value></param></params></methodResponse>";
        assert_eq!(parse_package_id(id).unwrap(), Some(31141));
        let nil = "<?xml version='1.0'?><methodResponse><params><param><value><nil/></value></param></params></methodResponse>";
        assert_eq!(parse_package_id(nil).unwrap(), None);
    }

    #[test]
    fn fault_is_an_error() {
        let fault = "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1000</int></value></member><member><name>faultString</name><value><string>boom</string></value></member></struct></value></fault></methodResponse>";
        assert!(parse_list_builds(fault).is_err());
    }
}
