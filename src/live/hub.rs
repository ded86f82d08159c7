//! The in-memory fan-out of live changes, bounded by a per-process cap
//! on open streams.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use crate::model::live::LiveChange;

/// Open streams one process serves unless told otherwise.
pub const DEFAULT_MAX_STREAMS: usize = 10_000;

/// Changes a slow stream may fall behind by before it is told "everything".
const BACKLOG: usize = 16;

#[derive(Clone)]
pub struct LiveHub {
    inner: Arc<Inner>,
}

struct Inner {
    pool: PgPool,
    watches: Mutex<HashMap<String, Watch>>,
    open: AtomicUsize,
    cap: usize,
    stop: CancellationToken,
    /// Packages to look at (`None`: every watched one, notices may be lost).
    todo: mpsc::UnboundedSender<Option<String>>,
}

struct Watch {
    sender: broadcast::Sender<Arc<LiveChange>>,
    /// The newest refresh version announced to this package's streams.
    since: i64,
}

/// One open stream: its receiver, and its place under the cap.
pub struct Subscription {
    receiver: Option<broadcast::Receiver<Arc<LiveChange>>>,
    name: String,
    hub: Arc<Inner>,
}

/// The cap on open streams is reached.
#[derive(Debug)]
pub struct Full;

impl LiveHub {
    /// A hub whose streams end when `stop` is cancelled (SIGTERM).
    pub fn new(pool: PgPool, cap: usize, stop: CancellationToken) -> Self {
        let (todo, queue) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner { pool, watches: Mutex::default(), open: AtomicUsize::new(0), cap, stop, todo });
        tokio::spawn(announce(Arc::downgrade(&inner), queue));
        LiveHub { inner }
    }

    pub fn pool(&self) -> &PgPool {
        &self.inner.pool
    }

    pub fn stop(&self) -> CancellationToken {
        self.inner.stop.clone()
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        self.inner.open.load(Ordering::SeqCst)
    }

    /// Rows of `name` changed (a NOTIFY): look if anyone watches it.
    pub fn notice(&self, name: &str) {
        let watched = self.inner.watches.lock().map(|w| w.contains_key(name)).unwrap_or(false);
        if watched {
            let _ = self.inner.todo.send(Some(name.to_string()));
        }
    }

    /// Notices may have been lost (the listener reconnected): look at every watched package.
    pub fn lost(&self) {
        let _ = self.inner.todo.send(None);
    }

    /// A stream of `name`'s changes after refresh version `since`, unless the cap is reached.
    pub fn subscribe(&self, name: &str, since: i64) -> Result<Subscription, Full> {
        let inner = &self.inner;
        if inner.open.fetch_add(1, Ordering::SeqCst) >= inner.cap {
            inner.open.fetch_sub(1, Ordering::SeqCst);
            return Err(Full);
        }
        let receiver = match inner.watches.lock() {
            Ok(mut watches) => {
                let watch = watches
                    .entry(name.to_string())
                    .or_insert_with(|| Watch { sender: broadcast::channel(BACKLOG).0, since });
                watch.sender.subscribe()
            }
            Err(_) => {
                inner.open.fetch_sub(1, Ordering::SeqCst);
                return Err(Full);
            }
        };
        // A change committed between reading `since` and now has no notice left: look once.
        let _ = inner.todo.send(Some(name.to_string()));
        Ok(Subscription { receiver: Some(receiver), name: name.to_string(), hub: inner.clone() })
    }
}

impl Subscription {
    /// The next change; `None` when the hub is gone. A stream that fell
    /// behind gets "everything changed" rather than a gap.
    pub async fn next(&mut self) -> Option<Arc<LiveChange>> {
        let receiver = self.receiver.as_mut()?;
        match receiver.recv().await {
            Ok(change) => Some(change),
            Err(broadcast::error::RecvError::Lagged(_)) => {
                let since = self.hub.watches.lock().ok()?.get(&self.name).map(|w| w.since).unwrap_or_default();
                Some(Arc::new(LiveChange::everything(since, String::new())))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.receiver.take());
        if let Ok(mut watches) = self.hub.watches.lock() {
            if watches.get(&self.name).is_some_and(|w| w.sender.receiver_count() == 0) {
                watches.remove(&self.name);
            }
        }
        self.hub.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Asks the database what changed behind each package noticed and
/// broadcasts it, one package at a time (so announcements never overlap).
async fn announce(hub: std::sync::Weak<Inner>, mut queue: mpsc::UnboundedReceiver<Option<String>>) {
    while let Some(item) = queue.recv().await {
        let Some(inner) = hub.upgrade() else { return };
        let names: Vec<String> = match item {
            Some(name) => vec![name],
            None => inner.watches.lock().map(|w| w.keys().cloned().collect()).unwrap_or_default(),
        };
        for name in names {
            let Some(since) = inner.watches.lock().ok().and_then(|w| w.get(&name).map(|w| w.since)) else {
                continue;
            };
            let change = match crate::read::live_change(&inner.pool, &name, since).await {
                Ok(Some(change)) => Arc::new(change),
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, package = %name, "reading a live change failed");
                    continue;
                }
            };
            if let Ok(mut watches) = inner.watches.lock() {
                if let Some(watch) = watches.get_mut(&name) {
                    watch.since = watch.since.max(change.id);
                    let _ = watch.sender.send(change);
                }
            }
        }
    }
}
