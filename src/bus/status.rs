//! What the worker reports about itself: connected or not, and messages by
//! topic and outcome (for `/readyz` and `/metrics`).
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How a message ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Applied,
    Duplicate,
    NotOurs,
    Unknown,
    Retried,
    DeadLettered,
    /// A fan-out, re-published as parts.
    Split,
    /// Held too long unprocessed: handed back to the queue.
    Returned,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Duplicate => "duplicate",
            Outcome::NotOurs => "not_ours",
            Outcome::Unknown => "unknown_topic",
            Outcome::Retried => "retried",
            Outcome::DeadLettered => "dead_lettered",
            Outcome::Split => "split",
            Outcome::Returned => "returned",
        }
    }
}

#[derive(Clone, Default)]
pub struct WorkerStatus {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    running: AtomicBool,
    connected: AtomicBool,
}

impl WorkerStatus {
    pub fn set_running(&self, running: bool) {
        self.inner.running.store(running, Ordering::Relaxed);
    }

    /// Whether this process runs a worker at all.
    pub fn running(&self) -> bool {
        self.inner.running.load(Ordering::Relaxed)
    }

    pub fn set_connected(&self, connected: bool) {
        self.inner.connected.store(connected, Ordering::Relaxed);
    }

    pub fn connected(&self) -> bool {
        self.inner.connected.load(Ordering::Relaxed)
    }

    pub fn count(&self, topic: &str, outcome: Outcome) {
        metrics::counter!("bus_messages_total", "topic" => super::topics::label(topic), "outcome" => outcome.label())
            .increment(1);
    }
}
