//! The one HTTP client every connector shares: connect and total timeouts, a
//! descriptive User-Agent, a bound on concurrent requests per service,
//! retries with exponential backoff and jitter on timeouts, connection
//! errors, 5xx and 429 (honouring Retry-After up to a cap), a body size cap
//! applied after decompression, a circuit breaker per service, and an
//! optional request rate per service (the sweep's politeness).
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use tokio::sync::Semaphore;

use super::{Reason, Service, UpstreamError};
use crate::model::storable;

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
    /// Longest Retry-After honoured; a longer one is cut to this.
    pub max_retry_after: Duration,
    /// Requests in flight to one service at a time.
    pub concurrency: usize,
    /// Largest body read, after decompression; a larger one is an error.
    pub max_body_bytes: u64,
    /// Failed attempts in a row (timeouts, 5xx, 429) that open a service's circuit.
    pub breaker_failures: u32,
    /// How long an open circuit refuses calls before letting one probe through.
    pub breaker_cooldown: Duration,
    /// Requests per second to each service, when set.
    pub rate_per_service: Option<NonZeroU32>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retries: 4,
            backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(20),
            concurrency: 8,
            max_body_bytes: 32 << 20,
            breaker_failures: 5,
            breaker_cooldown: Duration::from_secs(30),
            rate_per_service: None,
        }
    }
}

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
    services: Arc<HashMap<Service, PerService>>,
}

/// What each service gets of its own: a concurrency bound, a breaker, a rate.
struct PerService {
    slots: Semaphore,
    breaker: Breaker,
    rate: Option<DefaultDirectRateLimiter>,
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
        let services = Service::ALL
            .into_iter()
            .map(|s| {
                let per = PerService {
                    slots: Semaphore::new(config.concurrency.max(1)),
                    breaker: Breaker::default(),
                    rate: config.rate_per_service.map(|r| RateLimiter::direct(Quota::per_second(r))),
                };
                (s, per)
            })
            .collect();
        Ok(Http { client, config: config.clone(), services: Arc::new(services) })
    }

    pub async fn get(&self, service: Service, call: &str, url: &str) -> Result<Body, UpstreamError> {
        let cap = self.config.max_body_bytes;
        self.send(service, call, || self.client.get(url), |r| read_body(r, cap)).await
    }

    pub async fn post_xml(&self, service: Service, call: &str, url: &str, body: String) -> Result<Body, UpstreamError> {
        let cap = self.config.max_body_bytes;
        let request = || self.client.post(url).header("Content-Type", "text/xml").body(body.clone());
        self.send(service, call, request, |r| read_body(r, cap)).await
    }

    /// Streams a large file (repository metadata) to `path` without holding
    /// it in memory, with the same retries, breaker and bounds as `get`; a
    /// 404 is `Absent`. Returns the body's checksum in `algorithm`
    /// (`sha256` or `sha512`, as repomd.xml names them).
    pub async fn download(
        &self,
        service: Service,
        call: &str,
        url: &str,
        path: &std::path::Path,
        algorithm: &str,
        max_bytes: u64,
    ) -> Result<String, UpstreamError> {
        // Large files take longer than a page's request may.
        let request = || self.client.get(url).timeout(DOWNLOAD_TIMEOUT);
        self.send(service, call, request, |r| write_file(r, path, algorithm, max_bytes)).await
    }

    #[tracing::instrument(skip(self, request, read), fields(service = %service))]
    async fn send<T, F, Fut>(
        &self,
        service: Service,
        call: &str,
        request: impl Fn() -> reqwest::RequestBuilder,
        read: F,
    ) -> Result<T, UpstreamError>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T, Attempt>>,
    {
        let fail = |reason| UpstreamError::new(service, call, reason);
        let Some(per) = self.services.get(&service) else { return Err(fail(Reason::CircuitOpen)) };
        let mut attempt = 0;
        loop {
            if !per.breaker.admit(self.config.breaker_cooldown) {
                return Err(fail(Reason::CircuitOpen));
            }
            let outcome = {
                let _slot = per.slots.acquire().await;
                if let Some(rate) = &per.rate {
                    rate.until_ready().await;
                }
                match request().send().await {
                    Ok(response) => read(response).await,
                    Err(e) => Err(retry_or_fail(&e)),
                }
            };
            let (reason, wait) = match outcome {
                Ok(body) => {
                    per.breaker.succeeded();
                    return Ok(body);
                }
                Err(Attempt::Fail(reason)) => {
                    per.breaker.succeeded(); // the service answered; the answer was bad
                    return Err(fail(reason));
                }
                Err(Attempt::Retry { reason, wait }) => {
                    per.breaker.failed(self.config.breaker_failures, self.config.breaker_cooldown);
                    (reason, wait)
                }
            };
            if attempt >= self.config.retries {
                return Err(fail(reason));
            }
            let delay = match wait {
                Some(w) => w.min(self.config.max_retry_after),
                None => self.backoff(attempt),
            };
            tracing::debug!(service = %service, call, error = %reason, retry.in_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Full jitter: a random wait up to `backoff * 2^attempt`.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.config.backoff.saturating_mul(1 << attempt.min(16)).min(self.config.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Reads a whole (small) body as text, up to `cap` bytes after decompression.
async fn read_body(mut response: reqwest::Response, cap: u64) -> Result<Body, Attempt> {
    let status = response.status();
    let retry_after = retry_after(&response);
    if response.content_length().is_some_and(|n| n > cap) {
        return Err(Attempt::Fail(Reason::TooLarge(cap)));
    }
    // Read chunk by chunk: a huge body or a gzip bomb stops at the cap
    // instead of being held whole.
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| retry_or_fail(&e))? {
        if bytes.len() as u64 + chunk.len() as u64 > cap {
            return Err(Attempt::Fail(Reason::TooLarge(cap)));
        }
        bytes.extend_from_slice(&chunk);
    }
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(Attempt::Retry { reason: Reason::Status(status.as_u16()), wait: retry_after });
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Body { status: status.as_u16(), text: storable::text(&text).into_owned() })
}

/// Longest a metadata download may take, whole.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(1800);

/// Streams a body into a new file at `path` (replacing an earlier
/// attempt's), returning its checksum.
async fn write_file(
    mut response: reqwest::Response,
    path: &std::path::Path,
    algorithm: &str,
    cap: u64,
) -> Result<String, Attempt> {
    use sha2::Digest;
    use tokio::io::AsyncWriteExt;
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Err(Attempt::Retry { reason: Reason::Status(status.as_u16()), wait: retry_after(&response) });
    }
    if status == StatusCode::NOT_FOUND {
        return Err(Attempt::Fail(Reason::Absent("no such file".into())));
    }
    if !status.is_success() {
        return Err(Attempt::Fail(Reason::Status(status.as_u16())));
    }
    if response.content_length().is_some_and(|n| n > cap) {
        return Err(Attempt::Fail(Reason::TooLarge(cap)));
    }
    let mut hasher = match algorithm {
        "sha256" => Hasher::Sha256(sha2::Sha256::new()),
        "sha512" => Hasher::Sha512(sha2::Sha512::new()),
        other => return Err(Attempt::Fail(Reason::Parse(format!("unsupported checksum type {other:?}")))),
    };
    let io = |e: std::io::Error| Attempt::Fail(Reason::Transport(format!("writing {}: {e}", path.display())));
    let mut file = tokio::io::BufWriter::new(tokio::fs::File::create(path).await.map_err(io)?);
    let mut written: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(|e| retry_or_fail(&e))? {
        written += chunk.len() as u64;
        if written > cap {
            return Err(Attempt::Fail(Reason::TooLarge(cap)));
        }
        match &mut hasher {
            Hasher::Sha256(h) => h.update(&chunk),
            Hasher::Sha512(h) => h.update(&chunk),
        }
        file.write_all(&chunk).await.map_err(io)?;
    }
    file.flush().await.map_err(io)?;
    let digest: Vec<u8> = match hasher {
        Hasher::Sha256(h) => h.finalize().to_vec(),
        Hasher::Sha512(h) => h.finalize().to_vec(),
    };
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

/// A per-service circuit breaker: after `threshold` failed calls in a row
/// the circuit opens and calls fail at once; after the cooldown one call
/// probes, and its outcome closes or reopens the circuit. An outage then
/// costs one probe per cooldown instead of every call's retries.
#[derive(Default)]
struct Breaker(Mutex<BreakerState>);

#[derive(Default)]
enum BreakerState {
    #[default]
    Closed,
    Failing(u32),
    Open(Instant),
    Probing(Instant),
}

impl Breaker {
    fn admit(&self, cooldown: Duration) -> bool {
        let Ok(mut state) = self.0.lock() else { return true };
        match *state {
            BreakerState::Closed | BreakerState::Failing(_) => true,
            BreakerState::Open(until) if Instant::now() >= until => {
                *state = BreakerState::Probing(Instant::now() + cooldown);
                true
            }
            BreakerState::Open(_) => false,
            // A probe that never reports back (cancelled) frees the way after a cooldown.
            BreakerState::Probing(until) if Instant::now() >= until => {
                *state = BreakerState::Probing(Instant::now() + cooldown);
                true
            }
            BreakerState::Probing(_) => false,
        }
    }

    fn succeeded(&self) {
        if let Ok(mut state) = self.0.lock() {
            *state = BreakerState::Closed;
        }
    }

    fn failed(&self, threshold: u32, cooldown: Duration) {
        let Ok(mut state) = self.0.lock() else { return };
        let failures = match *state {
            BreakerState::Failing(n) => n + 1,
            BreakerState::Probing(_) => threshold,
            _ => 1,
        };
        *state = if failures >= threshold.max(1) {
            tracing::warn!(cooldown_s = cooldown.as_secs_f64(), "upstream circuit open after repeated failures");
            BreakerState::Open(Instant::now() + cooldown)
        } else {
            BreakerState::Failing(failures)
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaker_opens_then_probes_once() {
        let b = Breaker::default();
        let cooldown = Duration::from_millis(50);
        for _ in 0..3 {
            assert!(b.admit(cooldown));
            b.failed(3, cooldown);
        }
        assert!(!b.admit(cooldown), "open after three failures");
        std::thread::sleep(cooldown);
        assert!(b.admit(cooldown), "one probe after the cooldown");
        assert!(!b.admit(cooldown), "only one");
        b.failed(3, cooldown);
        assert!(!b.admit(cooldown), "a failed probe reopens");
        std::thread::sleep(cooldown);
        assert!(b.admit(cooldown));
        b.succeeded();
        assert!(b.admit(cooldown) && b.admit(cooldown), "closed again");
    }
}
