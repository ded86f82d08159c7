//! The one HTTP client every connector shares: timeouts and a descriptive
//! User-Agent, so each service sees who is calling and calls cannot hang.
use std::time::Duration;

use super::{Reason, Service, UpstreamError};

/// Settings of the shared HTTP client.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    pub timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig { connect_timeout: Duration::from_secs(5), timeout: Duration::from_secs(30) }
    }
}

pub type HttpError = UpstreamError;

/// A response whose status the connector interprets (404 vs 400 mean
/// different things per service).
pub struct Body {
    pub status: u16,
    pub text: String,
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    pub fn new(config: &HttpConfig) -> Result<Self, UpstreamError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!(
                "fedora-packages/",
                env!("CARGO_PKG_VERSION"),
                " (+https://packages.fedoraproject.org)"
            ))
            .build()
            .map_err(|e| UpstreamError::new(Service::Mdapi, "client", Reason::Transport(e.to_string())))?;
        Ok(Http { client })
    }

    pub async fn get(&self, service: Service, call: &str, url: &str) -> Result<Body, UpstreamError> {
        self.send(service, call, self.client.get(url)).await
    }

    pub async fn post_xml(&self, service: Service, call: &str, url: &str, body: String) -> Result<Body, UpstreamError> {
        let request = self.client.post(url).header("Content-Type", "text/xml").body(body);
        self.send(service, call, request).await
    }

    async fn send(
        &self,
        service: Service,
        call: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<Body, UpstreamError> {
        let fail = |reason| UpstreamError::new(service, call, reason);
        let response = request.send().await.map_err(|e| fail(Reason::Transport(describe(&e))))?;
        let status = response.status().as_u16();
        let text = response.text().await.map_err(|e| fail(Reason::Transport(describe(&e))))?;
        if status >= 500 || status == 429 {
            return Err(fail(Reason::Status(status)));
        }
        Ok(Body { status, text })
    }
}

/// reqwest's Display hides the cause (timeout, refused, reset) in its source chain.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
