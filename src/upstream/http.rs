//! The one HTTP client every connector shares: connect and total timeouts, a
//! descriptive User-Agent, a bound on concurrent requests per service, and
//! retries with exponential backoff and jitter on timeouts, connection errors,
//! 5xx and 429 (honouring Retry-After).
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use tokio::sync::Semaphore;

use super::{Reason, Service, UpstreamError};

/// Settings of the shared HTTP client.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff; doubles per retry, with full jitter.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// Requests in flight to one service at a time.
    pub concurrency: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retries: 4,
            backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            concurrency: 8,
        }
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
    config: HttpConfig,
    limits: Arc<HashMap<Service, Arc<Semaphore>>>,
}

/// Why an attempt failed, and whether trying again can help.
enum Attempt {
    Retry { reason: Reason, wait: Option<Duration> },
    Fail(Reason),
}

impl Http {
    pub fn new(config: &HttpConfig) -> Result<Self, UpstreamError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!(
                "fedora-packages/",
                env!("CARGO_PKG_VERSION"),
                " (+https://packages.fedoraproject.org; packages site refresher)"
            ))
            .build()
            .map_err(|e| UpstreamError::new(Service::Mdapi, "client", Reason::Transport(e.to_string())))?;
        let limits = [Service::Koji, Service::Bodhi, Service::Bugzilla, Service::Mdapi, Service::DistGit]
            .into_iter()
            .map(|s| (s, Arc::new(Semaphore::new(config.concurrency.max(1)))))
            .collect();
        Ok(Http { client, config: config.clone(), limits: Arc::new(limits) })
    }

    pub async fn get(&self, service: Service, call: &str, url: &str) -> Result<Body, UpstreamError> {
        self.send(service, call, || self.client.get(url)).await
    }

    pub async fn post_xml(&self, service: Service, call: &str, url: &str, body: String) -> Result<Body, UpstreamError> {
        self.send(service, call, || self.client.post(url).header("Content-Type", "text/xml").body(body.clone())).await
    }

    async fn send(
        &self,
        service: Service,
        call: &str,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Body, UpstreamError> {
        let mut attempt = 0;
        loop {
            let outcome = {
                let _permit = match self.limits.get(&service) {
                    Some(s) => Some(s.acquire().await),
                    None => None,
                };
                self.attempt(request()).await
            };
            let (reason, wait) = match outcome {
                Ok(body) => return Ok(body),
                Err(Attempt::Fail(reason)) => return Err(UpstreamError::new(service, call, reason)),
                Err(Attempt::Retry { reason, wait }) => (reason, wait),
            };
            if attempt >= self.config.retries {
                return Err(UpstreamError::new(service, call, reason));
            }
            let delay = wait.unwrap_or_else(|| self.backoff(attempt)).min(self.config.max_backoff);
            tracing::debug!(service = %service, call, error = %reason, retry.in_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, request: reqwest::RequestBuilder) -> Result<Body, Attempt> {
        let response = request.send().await.map_err(|e| retry_or_fail(&e))?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let text = response.text().await.map_err(|e| retry_or_fail(&e))?;
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Err(Attempt::Retry { reason: Reason::Status(status.as_u16()), wait: retry_after });
        }
        Ok(Body { status: status.as_u16(), text })
    }

    /// Full jitter: a random wait up to `backoff * 2^attempt`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.config.backoff.saturating_mul(1 << attempt.min(16)).min(self.config.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Timeouts, refused or reset connections and cut-off bodies are worth
/// another try; a request we could not even build is not.
fn retry_or_fail(error: &reqwest::Error) -> Attempt {
    let reason = Reason::Transport(describe(error));
    if error.is_builder() || error.is_redirect() {
        Attempt::Fail(reason)
    } else {
        Attempt::Retry { reason, wait: None }
    }
}

/// `Retry-After` in seconds (the HTTP-date form is rare on these services).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
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
