//! Server-only connectors, one module per upstream service: the HTTP calls a
//! tab needs and the pure parsers that turn a recorded response into payloads.

pub mod bodhi;
pub mod bugzilla;
pub mod distgit;
mod http;
pub mod koji;
pub mod mdapi;
pub mod repodata;
mod time;

pub use http::HttpConfig;

use std::fmt;

/// The services the app re-presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    Koji,
    Bodhi,
    Bugzilla,
    Mdapi,
    DistGit,
    /// The mirrors' repository metadata (dl.fedoraproject.org).
    Repos,
}

impl Service {
    pub const ALL: [Service; 6] =
        [Service::Koji, Service::Bodhi, Service::Bugzilla, Service::Mdapi, Service::DistGit, Service::Repos];

    pub fn name(self) -> &'static str {
        match self {
            Service::Koji => "koji",
            Service::Bodhi => "bodhi",
            Service::Bugzilla => "bugzilla",
            Service::Mdapi => "mdapi",
            Service::DistGit => "distgit",
            Service::Repos => "repos",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A failed upstream call: which service, which call, and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{service} {call}: {reason}")]
pub struct UpstreamError {
    pub service: Service,
    pub call: String,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Reason {
    /// The service says it has no such thing (a 404, a 400 for an unknown
    /// name, nil, an empty list where there is always one). Never read as
    /// "gone": stored data stays (see `refresh::write`).
    #[error("absent: {0}")]
    Absent(String),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("request failed: {0}")]
    Transport(String),
    #[error("unexpected response: {0}")]
    Parse(String),
    /// The body grew past the size cap (after decompression).
    #[error("response body over {0} bytes")]
    TooLarge(u64),
    /// Too many failures in a row: the service is given a rest before the next probe.
    #[error("circuit open after repeated failures")]
    CircuitOpen,
    /// The refresh ran out of its overall time.
    #[error("refresh deadline passed")]
    Deadline,
}

impl UpstreamError {
    pub fn new(service: Service, call: impl Into<String>, reason: Reason) -> Self {
        UpstreamError { service, call: call.into(), reason }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self.reason, Reason::Absent(_))
    }

    /// Worth trying again later: the service may answer differently. A body
    /// that cannot be parsed, is too large, or a plain 4xx will not change.
    pub fn is_transient(&self) -> bool {
        match &self.reason {
            Reason::Absent(_) | Reason::Transport(_) | Reason::CircuitOpen | Reason::Deadline => true,
            Reason::Status(s) => *s == 429 || *s >= 500,
            Reason::Parse(_) | Reason::TooLarge(_) => false,
        }
    }
}

/// A response body the parser could not read; the caller adds service and call.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl From<serde_json::Error> for ParseError {
    fn from(e: serde_json::Error) -> Self {
        ParseError(e.to_string())
    }
}

/// Parses a JSON answer with every string made storable (an escaped
/// `\u0000` becomes a NUL only once parsed, so the raw text cannot be cleaned).
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, ParseError> {
    let mut value: serde_json::Value = serde_json::from_str(body)?;
    crate::model::storable::clean_json(&mut value);
    Ok(serde_json::from_value(value)?)
}

/// Base URLs of the services; the defaults are Fedora production.
#[derive(Debug, Clone)]
pub struct UpstreamConfig {
    pub koji_url: String,
    pub bodhi_url: String,
    pub bugzilla_url: String,
    pub mdapi_url: String,
    pub distgit_url: String,
    /// The mirror's `pub/fedora/linux` directory.
    pub repos_url: String,
    /// The architecture whose repositories are read.
    pub repo_arch: String,
    pub http: HttpConfig,
    pub spec_limits: distgit::SpecLimits,
    /// The longest one refresh may wait on upstream, all calls together.
    pub refresh_deadline: std::time::Duration,
}

impl UpstreamConfig {
    /// Every service under one base, as the recorded-upstream server serves them.
    pub fn all_under(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        UpstreamConfig {
            koji_url: format!("{base}/koji/kojihub"),
            bodhi_url: format!("{base}/bodhi"),
            bugzilla_url: format!("{base}/bugzilla"),
            mdapi_url: format!("{base}/mdapi"),
            distgit_url: format!("{base}/distgit"),
            repos_url: format!("{base}/dl/pub/fedora/linux"),
            repo_arch: "x86_64".into(),
            http: HttpConfig::default(),
            spec_limits: distgit::SpecLimits::default(),
            refresh_deadline: std::time::Duration::from_secs(120),
        }
    }
}

/// One client per service, sharing one HTTP connection pool.
#[derive(Clone)]
pub struct Upstream {
    config: UpstreamConfig,
    pub koji: koji::Koji,
    pub bodhi: bodhi::Bodhi,
    pub bugzilla: bugzilla::Bugzilla,
    pub mdapi: mdapi::Mdapi,
    pub distgit: distgit::DistGit,
    pub repos: repodata::Repodata,
    pub refresh_deadline: std::time::Duration,
}

impl Upstream {
    pub fn new(config: &UpstreamConfig) -> Result<Self, UpstreamError> {
        let http = http::Http::new(&config.http)?;
        Ok(Upstream {
            config: config.clone(),
            koji: koji::Koji::new(http.clone(), &config.koji_url),
            bodhi: bodhi::Bodhi::new(http.clone(), &config.bodhi_url),
            bugzilla: bugzilla::Bugzilla::new(http.clone(), &config.bugzilla_url),
            mdapi: mdapi::Mdapi::new(http.clone(), &config.mdapi_url),
            distgit: distgit::DistGit::new(http.clone(), &config.distgit_url, config.spec_limits),
            repos: repodata::Repodata::new(http, &config.repos_url, &config.repo_arch),
            refresh_deadline: config.refresh_deadline,
        })
    }

    /// The same services, at most `per_second` requests to each (its own
    /// connections and limits; for the sweep, which must not crowd out events).
    pub fn throttled(&self, per_second: std::num::NonZeroU32) -> Upstream {
        let mut config = self.config.clone();
        config.http.rate_per_service = Some(per_second);
        Upstream::new(&config).unwrap_or_else(|_| self.clone())
    }
}
