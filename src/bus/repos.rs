//! Keeps the repository metadata current. A branch is read when a bus
//! message says its repositories changed (`mdapi.repo.update`,
//! `bodhi.compose.complete`; see `topics::repository_branch`: `apply`
//! records the branch in `repo_wanted` before the message is acknowledged,
//! so a restart loses nothing), and every active branch every
//! `repos_every` (an unchanged repository costs one repomd.xml).
use std::time::{Duration, Instant};

use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::db;
use crate::refresh::repodata::{active_branches, refresh_branches, refresh_dependencies, RepoStatus};
use crate::upstream::Upstream;

/// How often `repo_wanted` is looked at.
const POLL: Duration = Duration::from_secs(2);

pub async fn run(
    pool: PgPool,
    upstream: Upstream,
    every: Option<Duration>,
    concurrency: usize,
    stop: CancellationToken,
) {
    // The first full read comes one period after start: a fleet of workers
    // restarting together does not read every mirror at once.
    let mut next_full = every.map(|e| Instant::now() + e);
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(POLL) => {}
        }
        let mut branches = match db::repodata::take_wanted(&pool).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the wanted repositories");
                continue;
            }
        };
        if let (Some(at), Some(period)) = (next_full, every) {
            if Instant::now() >= at {
                next_full = Some(Instant::now() + period);
                match active_branches(&pool, &upstream.repos.arch).await {
                    Ok(all) => branches.extend(all),
                    Err(e) => tracing::warn!(error = %e, "cannot list the active branches"),
                }
            }
        }
        branches.sort();
        branches.dedup();
        if branches.is_empty() {
            continue;
        }
        let read = tokio::select! {
            _ = stop.cancelled() => return,
            read = refresh_branches(&pool, &upstream, &branches) => read,
        };
        match read {
            Ok(outcomes) => {
                let failed: Vec<String> = outcomes
                    .iter()
                    .filter(|o| matches!(o.status, RepoStatus::Failed(_)))
                    .map(|o| o.to_string())
                    .collect();
                if !failed.is_empty() {
                    tracing::warn!(failed = ?failed, "some repositories were not read; the next full read retries them");
                }
                match refresh_dependencies(&pool, &upstream, &outcomes, concurrency).await {
                    Ok(n) => tracing::info!(sources = n, "dependencies refreshed after a repository read"),
                    Err(e) => tracing::warn!(error = %e, "dependencies not refreshed after a repository read"),
                }
            }
            Err(e) => {
                // The database failed: ask again, so the branches are not forgotten.
                tracing::warn!(error = %e, "reading repositories failed");
                if let Err(e) = db::repodata::want(&pool, &branches).await {
                    tracing::warn!(error = %e, "cannot record the branches to read again");
                }
            }
        }
    }
}
