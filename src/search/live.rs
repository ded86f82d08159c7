//! The index a web process answers from. It LISTENs before it builds, so a
//! change committed during the build is applied after it; changes arrive as
//! package names and are applied in batches; a notification that may have
//! been lost (the connection dropped) or a TRUNCATE means a rebuild, served
//! by the old index until the new one is ready.
use std::collections::HashSet;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use sqlx::PgPool;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Index, SearchError};

/// The channel the `packages` triggers notify (migration `search_index`).
pub const CHANNEL: &str = "package_search";

/// Changed packages applied in one batch at most.
const MAX_BATCH: usize = 5000;

/// A handle on the process's index, cheap to clone.
#[derive(Clone, Default)]
pub struct SearchIndex {
    current: Arc<RwLock<Option<Arc<Index>>>>,
}

impl SearchIndex {
    /// No index: PostgreSQL answers every search (`SEARCH_INDEX=off`).
    pub fn none() -> Self {
        Self::default()
    }

    /// Builds the index in the background and keeps it current until `stop`.
    pub fn start(pool: PgPool, stop: CancellationToken) -> Self {
        let handle = Self::default();
        tokio::spawn(follow(pool, handle.clone(), stop));
        handle
    }

    /// The index, once built.
    pub fn ready(&self) -> Option<Arc<Index>> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, index: Arc<Index>) {
        metrics::gauge!("search_index_packages").set(index.len() as f64);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(index);
    }
}

/// What a batch of notifications asks for.
enum Next {
    Rebuild,
    Relisten,
    Stop,
}

async fn follow(pool: PgPool, handle: SearchIndex, stop: CancellationToken) {
    let mut backoff = Duration::from_millis(200);
    while !stop.is_cancelled() {
        let mut changes = match listen(&pool).await {
            Ok(changes) => changes,
            Err(e) => {
                tracing::warn!(error = %e, "search index cannot listen for changes; retrying");
                tokio::select! { _ = stop.cancelled() => return, _ = tokio::time::sleep(backoff) => {} }
                backoff = (backoff * 2).min(Duration::from_secs(10));
                continue;
            }
        };
        loop {
            let started = Instant::now();
            let index = match Index::build(&pool).await {
                Ok(index) => Arc::new(index),
                Err(e) => {
                    tracing::warn!(error = %e, "search index build failed; retrying");
                    tokio::select! { _ = stop.cancelled() => return, _ = tokio::time::sleep(backoff) => {} }
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                    continue;
                }
            };
            backoff = Duration::from_millis(200);
            tracing::info!(packages = index.len(), seconds = started.elapsed().as_secs_f64(), "search index built");
            metrics::counter!("search_index_builds_total").increment(1);
            handle.set(index.clone());
            match apply_changes(&pool, &index, &mut changes, &stop).await {
                Next::Rebuild => continue,
                Next::Relisten => break,
                Next::Stop => return,
            }
        }
    }
}

/// Notifications as they come: `Some(name)`, or `None` when some may have
/// been lost. The receiving task never cancels a read half-way.
async fn listen(pool: &PgPool) -> Result<mpsc::UnboundedReceiver<Option<String>>, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let notice = match listener.try_recv().await {
                Ok(Some(n)) => Some(n.payload().to_string()),
                // Reconnected (and LISTENing again); what was sent meanwhile is unknown.
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!(error = %e, "search index listener failed");
                    let _ = tx.send(None);
                    return;
                }
            };
            if tx.send(notice).is_err() {
                return;
            }
        }
    });
    Ok(rx)
}

/// Applies notified changes to `index` until a rebuild is due.
async fn apply_changes(
    pool: &PgPool,
    index: &Arc<Index>,
    changes: &mut mpsc::UnboundedReceiver<Option<String>>,
    stop: &CancellationToken,
) -> Next {
    loop {
        let first = tokio::select! {
            _ = stop.cancelled() => return Next::Stop,
            n = changes.recv() => n,
        };
        let Some(first) = first else { return Next::Relisten };
        // Whatever else has arrived joins the batch; an empty name (TRUNCATE)
        // or `None` (notifications lost) asks for a rebuild.
        let mut names = HashSet::new();
        let mut next = Some(first);
        while let Some(notice) = next {
            match notice {
                Some(name) if !name.is_empty() => names.insert(name),
                _ => return Next::Rebuild,
            };
            next = if names.len() < MAX_BATCH { changes.try_recv().ok() } else { None };
        }
        let names: Vec<String> = names.into_iter().collect();
        if let Err(e) = apply(pool, index, names).await {
            // The change cannot be read now; a rebuild reads everything again.
            tracing::warn!(error = %e, "search index update failed; rebuilding");
            return Next::Rebuild;
        }
        metrics::gauge!("search_index_packages").set(index.len() as f64);
        if index.wants_rebuild() {
            return Next::Rebuild;
        }
    }
}

async fn apply(pool: &PgPool, index: &Arc<Index>, names: Vec<String>) -> Result<(), SearchError> {
    let rows: Vec<_> = crate::db::search::index_rows(pool, Some(&names)).try_collect().await?;
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.apply(&names, &rows))
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?
}
