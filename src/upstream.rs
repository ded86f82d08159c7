//! Server-only connectors, one module per upstream service: the HTTP calls a
//! tab needs and the pure parsers that turn a recorded response into payloads.

pub mod bodhi;
pub mod bugzilla;
pub mod distgit;
mod http;
pub mod koji;
pub mod mdapi;
mod time;

pub use http::{HttpConfig, HttpError};

use std::fmt;

/// The services the app re-presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    Koji,
    Bodhi,
    Bugzilla,
    Mdapi,
    DistGit,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Koji => "koji",
            Service::Bodhi => "bodhi",
            Service::Bugzilla => "bugzilla",
            Service::Mdapi => "mdapi",
            Service::DistGit => "distgit",
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

#[derive(Debug, Clone, thiserror::Error)]
pub enum Reason {
    #[error("not found")]
    NotFound,
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("request failed: {0}")]
    Transport(String),
    #[error("unexpected response: {0}")]
    Parse(String),
}

impl UpstreamError {
    pub fn new(service: Service, call: impl Into<String>, reason: Reason) -> Self {
        UpstreamError { service, call: call.into(), reason }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self.reason, Reason::NotFound)
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

/// Base URLs of the services; the defaults are Fedora production.
#[derive(Debug, Clone)]
pub struct UpstreamConfig {
    pub koji_url: String,
    pub bodhi_url: String,
    pub bugzilla_url: String,
    pub mdapi_url: String,
    pub distgit_url: String,
    pub http: HttpConfig,
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
            http: HttpConfig::default(),
        }
    }
}

/// One client per service, sharing one HTTP connection pool.
#[derive(Clone)]
pub struct Upstream {
    pub koji: koji::Koji,
    pub bodhi: bodhi::Bodhi,
    pub bugzilla: bugzilla::Bugzilla,
    pub mdapi: mdapi::Mdapi,
    pub distgit: distgit::DistGit,
}

impl Upstream {
    pub fn new(config: &UpstreamConfig) -> Result<Self, UpstreamError> {
        let http = http::Http::new(&config.http)?;
        Ok(Upstream {
            koji: koji::Koji::new(http.clone(), &config.koji_url),
            bodhi: bodhi::Bodhi::new(http.clone(), &config.bodhi_url),
            bugzilla: bugzilla::Bugzilla::new(http.clone(), &config.bugzilla_url),
            mdapi: mdapi::Mdapi::new(http.clone(), &config.mdapi_url),
            distgit: distgit::DistGit::new(http, &config.distgit_url),
        })
    }
}
