//! `fedora-packages sync`: backfill rows from upstream for a list of packages
//! or all of them, with bounded concurrency, a progress bar, and resumption.
use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use crate::db;
use crate::model::Tab;
use crate::refresh::{self, RefreshError};
use crate::upstream::{Upstream, UpstreamError};

/// What to sync.
#[derive(Debug, Clone)]
pub struct SyncPlan {
    /// `None`: every package dist-git lists.
    pub packages: Option<Vec<String>>,
    pub tabs: Vec<Tab>,
    pub concurrency: usize,
    /// Draw a progress bar (else log a line every few seconds).
    pub progress_bar: bool,
}

/// How a run ended.
#[derive(Debug, Default)]
pub struct SyncSummary {
    pub total: usize,
    pub skipped: usize,
    pub refreshed: usize,
    /// Package and what failed for it.
    pub failed: Vec<(String, String)>,
    pub resumed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("listing packages failed: {0}")]
    Listing(#[from] UpstreamError),
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Refresh(#[from] RefreshError),
}

impl SyncPlan {
    /// Identifies the run, so a rerun of the same command resumes it.
    fn scope(&self) -> String {
        let tabs: Vec<&str> = self.tabs.iter().map(|t| t.slug()).collect();
        match &self.packages {
            None => format!("all tabs={}", tabs.join(",")),
            Some(names) => {
                let mut names = names.clone();
                names.sort();
                format!("{} tabs={}", names.join(" "), tabs.join(","))
            }
        }
    }
}

pub fn wants_progress_bar() -> bool {
    std::io::stderr().is_terminal()
}

/// Runs a sync to the end; the summary lists what failed.
pub async fn run(pool: &PgPool, upstream: &Upstream, plan: &SyncPlan) -> Result<SyncSummary, SyncError> {
    let names = match &plan.packages {
        Some(names) => {
            let mut sources = Vec::new();
            for n in names {
                sources.push(refresh::source_of(pool, n).await?);
            }
            sources.sort();
            sources.dedup();
            sources
        }
        None => upstream.distgit.all_packages().await?,
    };
    let (run_id, started, resumed) = db::sync_runs::resume_or_start(pool, &plan.scope()).await?;
    let done: HashSet<String> = if resumed { db::sync_runs::done(pool, run_id).await? } else { HashSet::new() };
    let todo: Vec<String> = names.iter().filter(|n| !done.contains(*n)).cloned().collect();
    let mut summary =
        SyncSummary { total: names.len(), skipped: names.len() - todo.len(), resumed, ..Default::default() };
    if resumed {
        tracing::info!(run.id = run_id, run.started = %started, skipped = summary.skipped, "resuming an unfinished sync");
    }

    let progress = Progress::new(plan.progress_bar, todo.len());
    let failures = Arc::new(AtomicUsize::new(0));
    let mut results = futures::stream::iter(todo)
        .map(|name| {
            let failures = failures.clone();
            async move {
                let result = refresh::refresh(pool, upstream, &name, &plan.tabs).await;
                if !matches!(&result, Ok(r) if r.failures.is_empty()) {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
                (name, result)
            }
        })
        .buffer_unordered(plan.concurrency.max(1));
    while let Some((name, result)) = results.next().await {
        match result {
            Ok(report) if report.failures.is_empty() => {
                db::sync_runs::mark_done(pool, run_id, &name).await?;
                summary.refreshed += 1;
            }
            Ok(report) => {
                let why: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
                summary.failed.push((name, why.join("; ")));
            }
            // The database is gone: nothing more can be written; a rerun resumes.
            Err(e) if e.is_unavailable() => return Err(SyncError::Refresh(e)),
            // This package's data was refused (or its write kept losing races):
            // reported with the others, and the sync goes on.
            Err(e) => summary.failed.push((name, e.to_string())),
        }
        progress.tick(failures.load(Ordering::Relaxed));
    }
    progress.finish();
    if summary.failed.is_empty() {
        db::sync_runs::finish(pool, run_id).await?;
    }
    Ok(summary)
}

/// A progress bar on a terminal; a log line every 10 s otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
    started: Instant,
    last_log: std::sync::Mutex<Instant>,
}

impl Progress {
    fn new(bar: bool, total: usize) -> Self {
        let bar = bar.then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} packages · {per_sec} · ETA {eta} · {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            let bar = ProgressBar::new(total as u64).with_style(style);
            bar.set_message("0 failed");
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
            started: Instant::now(),
            last_log: std::sync::Mutex::new(Instant::now()),
        }
    }

    fn tick(&self, failed: usize) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(format!("{failed} failed"));
            return;
        }
        let Ok(mut last) = self.last_log.lock() else { return };
        if last.elapsed() >= Duration::from_secs(10) || done == self.total {
            *last = Instant::now();
            let rate = done as f64 / self.started.elapsed().as_secs_f64().max(0.001);
            let eta = (self.total - done) as f64 / rate.max(0.001);
            tracing::info!(
                done,
                total = self.total,
                failed,
                rate_per_s = format!("{rate:.1}"),
                eta_s = eta as u64,
                "sync progress"
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
    }
}
