//! Faults the recorded upstream can inject, for tests: a delay, 500s, 429s
//! with Retry-After, a reset connection, a truncated or a malformed body,
//! "not found" answers (404, 400, an empty list), a 1 GiB body and a gzip
//! bomb. Set at start-up by flags, or at run time with `PUT /_replay/faults`.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// What goes wrong, for how many requests, and for which service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultPlan {
    /// Only requests under `/{service}/` (e.g. `bugzilla`); all when empty.
    #[serde(default)]
    pub service: String,
    /// Only requests whose path and query contain this; all when empty.
    #[serde(default)]
    pub path: String,
    /// Added to every matching response.
    #[serde(default)]
    pub delay_ms: u64,
    /// The next N matching requests fail this way (0: none).
    #[serde(default)]
    pub count: u32,
    #[serde(default)]
    pub kind: FaultKind,
    /// For `too_many_requests`: the Retry-After seconds sent.
    #[serde(default)]
    pub retry_after: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    #[default]
    ServerError,
    TooManyRequests,
    Reset,
    Truncated,
    Malformed,
    /// 404, as mdapi answers for an unknown package.
    NotFound,
    /// 400, as mdapi answers for an unknown branch.
    BadRequest,
    /// 200 with an empty JSON list.
    EmptyList,
    /// 1 GiB of body, streamed without a length.
    Huge,
    /// A small gzip body that inflates to 1 GiB.
    GzipBomb,
}

/// What the huge bodies weigh once decompressed.
pub const HUGE_BYTES: u64 = 1 << 30;

/// The faults in force, shared by the server and whoever sets them; also
/// counts the requests each service received (tests check coalescing with
/// it). The base delay (`--delay-ms`) applies to every answer whatever the plan.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<FaultPlan>>, Arc<Mutex<HashMap<String, u64>>>, Duration);

impl Faults {
    pub fn new(plan: FaultPlan) -> Self {
        Faults(Arc::new(Mutex::new(plan)), Arc::default(), Duration::ZERO)
    }

    /// No fault, and every answer delayed by `delay` (an upstream's latency).
    pub fn delayed(delay: Duration) -> Self {
        Faults(Arc::default(), Arc::default(), delay)
    }

    pub fn set(&self, plan: FaultPlan) {
        if let Ok(mut p) = self.0.lock() {
            *p = plan;
        }
    }

    /// Requests received under `/{service}/` so far.
    pub fn requests(&self, service: &str) -> u64 {
        self.1.lock().map(|c| c.get(service).copied().unwrap_or(0)).unwrap_or(0)
    }

    fn count(&self, path: &str) {
        let service = path.trim_start_matches('/').split('/').next().unwrap_or("").to_string();
        if let Ok(mut counts) = self.1.lock() {
            *counts.entry(service).or_default() += 1;
        }
    }

    /// Decides the fate of one request: its delay, and the fault it gets if any.
    fn take(&self, path: &str) -> (Duration, Option<(FaultKind, u64)>) {
        let Ok(mut plan) = self.0.lock() else { return (self.2, None) };
        let matches = (plan.service.is_empty() || path.starts_with(&format!("/{}/", plan.service)))
            && (plan.path.is_empty() || path.contains(&plan.path));
        if !matches {
            return (self.2, None);
        }
        let delay = self.2 + Duration::from_millis(plan.delay_ms);
        if plan.count == 0 {
            return (delay, None);
        }
        plan.count -= 1;
        (delay, Some((plan.kind, plan.retry_after)))
    }
}

/// `PUT /_replay/faults` replaces the plan; `DELETE` clears it.
pub async fn put(State(faults): State<Faults>, Json(plan): Json<FaultPlan>) -> StatusCode {
    faults.set(plan);
    StatusCode::NO_CONTENT
}

pub async fn clear(State(faults): State<Faults>) -> StatusCode {
    faults.set(FaultPlan::default());
    StatusCode::NO_CONTENT
}

/// Applies the plan in front of the recorded answers.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/_replay/") {
        return next.run(request).await;
    }
    faults.count(request.uri().path());
    let target = request.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let target = percent_encoding::percent_decode_str(&target).decode_utf8_lossy().into_owned();
    let (delay, fault) = faults.take(&target);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fault {
        None => next.run(request).await,
        Some((FaultKind::ServerError, _)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html")],
            "<h1>500 Internal Server Error</h1>",
        )
            .into_response(),
        Some((FaultKind::TooManyRequests, secs)) => {
            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, secs.to_string())], "Too Many Requests")
                .into_response()
        }
        Some((FaultKind::Reset, _)) => {
            // A body that fails mid-stream makes the server drop the connection.
            let stream = futures::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset"))
            });
            Response::new(Body::from_stream(stream))
        }
        Some((FaultKind::Truncated, _)) => {
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, 64 << 20).await.unwrap_or_default();
            let half = bytes.slice(..bytes.len() / 2);
            // Announces the full length, sends half: the client sees a cut-off body.
            parts.headers.insert(header::CONTENT_LENGTH, bytes.len().into());
            let stream = futures::stream::iter([
                Ok(half),
                Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "truncated")),
            ]);
            Response::from_parts(parts, Body::from_stream(stream))
        }
        Some((FaultKind::Malformed, _)) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "{\"updates\": [{\"alias\": ")
                .into_response()
        }
        Some((FaultKind::NotFound, _)) => {
            (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "404: Not Found")
                .into_response()
        }
        Some((FaultKind::BadRequest, _)) => {
            (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "400: Bad Request")
                .into_response()
        }
        Some((FaultKind::EmptyList, _)) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], "[]").into_response()
        }
        Some((FaultKind::Huge, _)) => {
            let chunk = axum::body::Bytes::from(vec![b' '; 1 << 16]);
            let chunks = (HUGE_BYTES / chunk.len() as u64) as usize;
            let stream = futures::stream::iter(std::iter::repeat_n(chunk, chunks).map(Ok::<_, std::io::Error>));
            let mut response = Response::new(Body::from_stream(stream));
            response.headers_mut().insert(header::CONTENT_TYPE, "application/json".parse().expect("static"));
            response
        }
        Some((FaultKind::GzipBomb, _)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json"), (header::CONTENT_ENCODING, "gzip")],
            gzip_bomb(),
        )
            .into_response(),
    }
}

/// A valid gzip file of [`HUGE_BYTES`] spaces, about 1 MB, built without
/// compressing a gigabyte: after a sync flush the deflate stream is
/// byte-aligned, and a block that encodes 1 MiB of spaces after 1 MiB of
/// spaces decodes the same wherever it is repeated.
fn gzip_bomb() -> axum::body::Bytes {
    static BOMB: std::sync::OnceLock<axum::body::Bytes> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| {
        use flate2::{Compress, Compression, FlushCompress};
        const MIB: usize = 1 << 20;
        let block = vec![b' '; MIB];
        let mut deflate = Compress::new(Compression::best(), false);
        let mut emit = |input: &[u8], flush| {
            let mut out = Vec::with_capacity(64 << 10);
            let start = deflate.total_in();
            while (deflate.total_in() - start) < input.len() as u64 || out.is_empty() {
                let done = (deflate.total_in() - start) as usize;
                out.reserve(64 << 10);
                if deflate.compress_vec(&input[done..], &mut out, flush).is_err() {
                    break;
                }
                if input.is_empty() {
                    break;
                }
            }
            out
        };
        let first = emit(&block, FlushCompress::Sync);
        let steady = emit(&block, FlushCompress::Sync);
        let last = emit(&[], FlushCompress::Finish);
        let mut one = crc32fast::Hasher::new();
        one.update(&block);
        let mut crc = one.clone();
        let blocks = (HUGE_BYTES as usize) / MIB;
        let mut body = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        body.extend_from_slice(&first);
        for _ in 1..blocks {
            body.extend_from_slice(&steady);
            crc.combine(&one);
        }
        body.extend_from_slice(&last);
        body.extend_from_slice(&crc.finalize().to_le_bytes());
        body.extend_from_slice(&(HUGE_BYTES as u32).to_le_bytes());
        axum::body::Bytes::from(body)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn the_gzip_bomb_is_small_and_inflates_to_a_gigabyte() {
        let bomb = super::gzip_bomb();
        assert!(bomb.len() < 4 << 20, "{} bytes", bomb.len());
        let mut decoder = flate2::read::GzDecoder::new(&bomb[..]);
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = decoder.read(&mut buf).expect("valid gzip");
            if n == 0 {
                break;
            }
            assert!(buf[..n].iter().all(|b| *b == b' '));
            total += n as u64;
        }
        assert_eq!(total, super::HUGE_BYTES);
    }
}
