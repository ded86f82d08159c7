//! Red Hat Bugzilla over REST: the open bugs filed against a component.
use serde::Deserialize;

use super::http::Http;
use super::time::parse_utc;
use super::{parse_json, ParseError, Reason, Service, UpstreamError};
use crate::model::{url_query, Bug};

/// The fields the bugs tab asks for (`include_fields`).
pub const FIELDS: &str = "id,summary,status,resolution,product,component,version,priority,severity,\
assigned_to,creator,creation_time,last_change_time,is_open,keywords,whiteboard";

/// Bug states Fedora treats as open.
pub const OPEN_STATUSES: [&str; 5] = ["NEW", "ASSIGNED", "POST", "MODIFIED", "ON_QA"];

/// `GET /rest/bug?...` → `{bugs, faults}`.
#[derive(Debug, Clone, Deserialize)]
pub struct BugList {
    pub bugs: Vec<BugzillaBug>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BugzillaBug {
    pub id: i64,
    pub summary: String,
    pub status: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub product: String,
    /// An array over REST, a plain string in older XML-RPC answers.
    #[serde(default)]
    pub version: Option<OneOrMany>,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub assigned_to: String,
    pub creation_time: Option<String>,
    pub last_change_time: Option<String>,
    pub is_open: Option<bool>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn versions(v: &Option<OneOrMany>) -> Vec<String> {
    match v {
        Some(OneOrMany::One(s)) => vec![s.clone()],
        Some(OneOrMany::Many(v)) => v.clone(),
        None => Vec::new(),
    }
}

pub fn parse_bugs(body: &str) -> Result<BugList, ParseError> {
    parse_json(body)
}

/// The bugs tab's rows: open bugs only, most recently changed first.
pub fn to_bugs(list: &BugList) -> Vec<Bug> {
    let mut bugs: Vec<Bug> = list
        .bugs
        .iter()
        .filter(|b| b.is_open.unwrap_or_else(|| OPEN_STATUSES.contains(&b.status.as_str())))
        .map(|b| Bug {
            id: b.id,
            summary: b.summary.clone(),
            status: b.status.clone(),
            resolution: b.resolution.clone(),
            severity: b.severity.clone(),
            priority: b.priority.clone(),
            product: b.product.clone(),
            versions: versions(&b.version),
            assigned_to: b.assigned_to.clone(),
            created: b.creation_time.as_deref().and_then(parse_utc),
            last_change: b.last_change_time.as_deref().and_then(parse_utc),
            keywords: b.keywords.clone(),
        })
        .collect();
    bugs.sort_by(|a, b| b.last_change.cmp(&a.last_change).then(b.id.cmp(&a.id)));
    bugs
}

/// The Bugzilla client, at a configurable base URL.
#[derive(Clone)]
pub struct Bugzilla {
    http: Http,
    base: String,
}

impl Bugzilla {
    pub fn new(http: Http, base: &str) -> Self {
        Bugzilla { http, base: base.trim_end_matches('/').to_string() }
    }

    /// Open bugs of a component in Fedora and Fedora EPEL.
    pub async fn open_bugs(&self, component: &str, limit: u32) -> Result<BugList, UpstreamError> {
        let call = format!("bug component={component}");
        let statuses: String = OPEN_STATUSES.iter().map(|s| format!("&status={s}")).collect();
        let url = format!(
            "{}/rest/bug?product=Fedora&product=Fedora%20EPEL&component={}{statuses}&include_fields={FIELDS}&limit={limit}&offset=0",
            self.base,
            url_query(component)
        );
        let body = self.http.get(Service::Bugzilla, &call, &url).await?;
        if body.status != 200 {
            return Err(UpstreamError::new(Service::Bugzilla, call, Reason::Status(body.status)));
        }
        parse_bugs(&body.text).map_err(|e| UpstreamError::new(Service::Bugzilla, call, Reason::Parse(e.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(name: &str) -> String {
        crate::test_fixtures::read_shared(&format!("bugzilla/{name}"))
    }

    #[test]
    fn real_bug_fields() {
        let list = parse_bugs(&shared("test_getbug.json")).unwrap();
        let bug = &list.bugs[0];
        assert_eq!(bug.id, 1694158);
        assert_eq!(bug.product, "Fedora");
        assert_eq!(versions(&bug.version), ["30"]);
        assert_eq!(bug.priority, "unspecified");
        // Closed: the tab lists open bugs only.
        assert!(to_bugs(&list).is_empty());
    }

    #[test]
    fn open_bugs_without_is_open_go_by_status() {
        let list = parse_bugs(&shared("test_query1.json")).unwrap();
        let bugs = to_bugs(&list);
        assert_eq!(bugs.len(), 2);
        assert_eq!(bugs[0].id, 668543);
        assert_eq!(bugs[1].summary, "RFE: qemu: Support a managed autoconnect mode for host USB devices");
        assert_eq!(bugs[1].assigned_to, "Libvirt Maintainers");
        assert!(bugs[1].versions.is_empty());
    }

    #[test]
    fn version_as_a_string() {
        let list = parse_bugs(r#"{"bugs":[{"id":1,"summary":"s","status":"NEW","version":"rawhide","last_change_time":"2024-01-01T00:00:00Z"}],"faults":[]}"#).unwrap();
        let bugs = to_bugs(&list);
        assert_eq!(bugs[0].versions, ["rawhide"]);
        assert_eq!(bugs[0].last_change.unwrap().to_rfc3339(), "2024-01-01T00:00:00+00:00");
    }
}
