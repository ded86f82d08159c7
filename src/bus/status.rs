//! What the worker reports about itself: connected or not, and messages by
//! topic and outcome (for `/readyz` and `/metrics`).
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// How a message ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Applied,
    Duplicate,
    NotOurs,
    Unknown,
    Retried,
    DeadLettered,
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
    counts: Mutex<BTreeMap<(String, Outcome), u64>>,
    last_message: Mutex<Option<DateTime<Utc>>>,
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
        metrics::counter!("bus_messages_total", "topic" => topic.to_string(), "outcome" => outcome.label())
            .increment(1);
        if let Ok(mut counts) = self.inner.counts.lock() {
            *counts.entry((topic.to_string(), outcome)).or_default() += 1;
        }
        if let Ok(mut last) = self.inner.last_message.lock() {
            *last = Some(Utc::now());
        }
    }

    /// Messages so far, by (topic, outcome).
    pub fn counts(&self) -> Vec<(String, Outcome, u64)> {
        self.inner.counts.lock().map(|c| c.iter().map(|((t, o), n)| (t.clone(), *o, *n)).collect()).unwrap_or_default()
    }

    pub fn last_message(&self) -> Option<DateTime<Utc>> {
        self.inner.last_message.lock().ok().and_then(|l| *l)
    }
}
