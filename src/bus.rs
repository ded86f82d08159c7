//! The bus worker: fedora-messaging events from AMQP turn into fresh tab
//! rows, through the same refresh path as `sync`. Where things are:
//! `topics` (what each topic refreshes: the one map), `message` (wire
//! format), `apply` (coalescing and refreshing a batch), `consumer` (queues,
//! acknowledgement, retries, dead letters, reconnection), `sweep` (catching
//! what events missed), `status` (what `/readyz` and `/metrics` report).

pub mod apply;
pub mod consumer;
pub mod message;
pub mod repos;
pub mod status;
pub mod sweep;
pub mod topics;

use std::time::Duration;

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::upstream::Upstream;
pub use status::WorkerStatus;

/// Settings of the worker.
#[derive(Debug, Clone)]
pub struct BusConfig {
    pub amqp_url: String,
    /// The durable queue; retry and dead-letter queues are named after it.
    pub queue: String,
    /// Topic prefixes to bind and accept, e.g. `org.fedoraproject.prod`.
    pub prefixes: Vec<String>,
    /// Unacknowledged messages the broker may hand us at once.
    pub prefetch: u16,
    /// Largest batch coalesced into one round of refreshes.
    pub batch_max: usize,
    /// Most packages one batch refreshes; the rest of a burst waits for the next.
    pub batch_packages: usize,
    /// A message naming more packages is re-published as parts of this many.
    pub fanout_chunk: usize,
    /// A delivery held unprocessed this long goes back to the queue (well
    /// under the broker's consumer timeout, 30 minutes by default).
    pub hold: Duration,
    /// Larger message bodies are dead-lettered unparsed.
    pub max_message_bytes: usize,
    /// Packages refreshed at once within a batch.
    pub concurrency: usize,
    /// Delay before each retry of a message whose upstream fetch failed;
    /// after the last, the message is dead-lettered.
    pub retry_delays: Vec<Duration>,
    /// How often every active branch's repositories are read; never when `None`.
    pub repos_every: Option<Duration>,
    pub sweep: sweep::SweepConfig,
}

impl Default for BusConfig {
    fn default() -> Self {
        BusConfig {
            amqp_url: "amqp://guest:guest@127.0.0.1:5672/%2f".into(),
            queue: "fedora-packages".into(),
            prefixes: vec!["org.fedoraproject.prod".into()],
            prefetch: 10000,
            batch_max: 10000,
            batch_packages: 500,
            fanout_chunk: 100,
            hold: Duration::from_secs(600),
            max_message_bytes: 1 << 20,
            concurrency: 32,
            retry_delays: [5, 30, 120, 600, 1800].map(Duration::from_secs).to_vec(),
            repos_every: None,
            sweep: sweep::SweepConfig::default(),
        }
    }
}

impl BusConfig {
    /// The topic without an accepted prefix, or `None` for another environment.
    pub fn strip_prefix<'a>(&self, topic: &'a str) -> Option<&'a str> {
        self.prefixes.iter().find_map(|p| topic.strip_prefix(p.as_str())?.strip_prefix('.'))
    }

    pub fn retry_queue(&self, attempt: usize) -> String {
        format!("{}.retry.{}", self.queue, attempt)
    }

    pub fn dead_queue(&self) -> String {
        format!("{}.dead", self.queue)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("AMQP: {0}")]
    Amqp(#[from] lapin::Error),
    #[error("the broker closed the consumer")]
    Closed,
}

/// Runs the consumer and the sweep until `stop` is cancelled.
pub async fn run_worker(
    pool: PgPool,
    upstream: Upstream,
    config: BusConfig,
    status: WorkerStatus,
    stop: CancellationToken,
) -> Result<(), BusError> {
    status.set_running(true);
    let sweep = tokio::spawn(sweep::run(pool.clone(), upstream.clone(), config.sweep.clone(), stop.clone()));
    let repos =
        tokio::spawn(repos::run(pool.clone(), upstream.clone(), config.repos_every, config.concurrency, stop.clone()));
    let result = consumer::run(pool, upstream, config, status.clone(), stop).await;
    let _ = sweep.await;
    let _ = repos.await;
    status.set_running(false);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_stripped_whole() {
        let config = BusConfig {
            prefixes: vec!["org.fedoraproject.prod".into(), "org.fedoraproject.stg".into()],
            ..BusConfig::default()
        };
        assert_eq!(config.strip_prefix("org.fedoraproject.prod.buildsys.tag"), Some("buildsys.tag"));
        assert_eq!(config.strip_prefix("org.fedoraproject.stg.mdapi.repo.update"), Some("mdapi.repo.update"));
        assert_eq!(config.strip_prefix("org.fedoraproject.production.x"), None);
        assert_eq!(config.strip_prefix("io.pagure.prod.pagure.git.receive"), None);
    }
}
