//! The reconciliation sweep: every source package is refreshed again in
//! turn, oldest sweep first, so an event missed while everything was down
//! (or a reverse dependency that changed without an event) is caught.
//! Workers claim sources (`db::sweep`), so several sweep different ones; a
//! failure is recorded and the sweep goes on; the upstream services see at
//! most `rate` requests per second each from it.
use std::num::NonZeroU32;
use std::time::Duration;

use futures::StreamExt;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use crate::db;
use crate::model::Tab;
use crate::refresh::{self, Scope};
use crate::upstream::{Service, Upstream};

/// Settings of the sweep.
#[derive(Debug, Clone)]
pub struct SweepConfig {
    /// A source is swept again once its last sweep is this old (and the
    /// first round starts this long after the worker).
    pub every: Duration,
    /// Sources claimed at a time.
    pub batch: i64,
    /// Requests per second to each upstream service.
    pub rate: NonZeroU32,
    /// Every this many sweeps of a source, its mdapi tabs (overview info,
    /// contents, changelog) are refreshed too: mdapi costs a dozen calls
    /// per branch where the other services cost one or two in all.
    pub mdapi_every: u32,
    /// Every this many sweeps, its dependencies too (one mdapi call per
    /// capability: by far the dearest tab).
    pub deep_every: u32,
    /// How long a claim holds before another worker may take the source.
    pub lease: Duration,
}

impl Default for SweepConfig {
    fn default() -> Self {
        SweepConfig {
            every: Duration::from_secs(3600),
            batch: 50,
            rate: NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN),
            mdapi_every: 4,
            deep_every: 64,
            lease: Duration::from_secs(600),
        }
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Round {
    pub swept: Vec<String>,
    /// Sources whose refresh failed, with why (they were swept all the same).
    pub failed: Vec<(String, String)>,
}

/// Runs until `stop` is cancelled: rounds back to back while sources are
/// due, else waits for the next one to fall due.
pub async fn run(pool: PgPool, upstream: Upstream, config: SweepConfig, stop: CancellationToken) {
    let upstream = upstream.throttled(config.rate);
    let mut wait = config.every;
    let mut last_prune = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = match round(&pool, &upstream, &config).await {
            Ok(r) if !r.swept.is_empty() => Duration::ZERO,
            Ok(_) => until_next_due(&pool, &config).await,
            Err(e) => {
                tracing::warn!(error = %e, "sweep round failed; trying again later");
                config.every.min(Duration::from_secs(30))
            }
        };
        if last_prune.elapsed() >= config.every {
            last_prune = tokio::time::Instant::now();
            prune(&pool).await;
        }
    }
}

/// Claims the sources most overdue and refreshes them; a failing source is
/// recorded and the round goes on.
pub async fn round(pool: &PgPool, upstream: &Upstream, config: &SweepConfig) -> Result<Round, db::DbError> {
    db::sweep::enroll(pool).await?;
    let due_before = chrono::Utc::now() - config.every;
    let claims = db::sweep::claim(pool, config.batch, due_before, config.lease).await?;
    let results: Vec<(String, Option<String>)> = futures::stream::iter(claims)
        .map(|claim| async move {
            let scope = scope(&claim.source, claim.sweeps, config);
            let error = match refresh::refresh_scope(pool, upstream, &claim.source, &scope).await {
                Ok(report) if report.failures.is_empty() => None,
                Ok(report) => Some(report.failures.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; ")),
                Err(e) => Some(e.to_string()),
            };
            tracing::info!(package.name = %claim.source, failed = error.is_some(), "swept");
            (claim.source, error)
        })
        .buffer_unordered(4)
        .collect()
        .await;
    let mut out = Round::default();
    for (source, error) in results {
        db::sweep::done(pool, &source, error.as_deref()).await?;
        if let Some(why) = error {
            out.failed.push((source.clone(), why));
        }
        out.swept.push(source);
    }
    Ok(out)
}

/// What the `sweeps`-th sweep of a source covers: Koji, Bodhi, Bugzilla
/// and dist-git every time; mdapi's tabs every `mdapi_every`-th time and
/// the dependencies every `deep_every`-th. Each source starts at its own
/// offset (a hash of its name), so every round carries its share of the
/// dear tabs instead of all sources taking them in the same round. The
/// README has the arithmetic behind the defaults.
pub fn scope(source: &str, sweeps: i64, config: &SweepConfig) -> Scope {
    let offset = xxhash_rust::xxh3::xxh3_64(source.as_bytes());
    let every = |n: u32| {
        let n = u64::from(n.max(1));
        (sweeps as u64).wrapping_add(offset % n).is_multiple_of(n)
    };
    let (mdapi, deep) = (every(config.mdapi_every) || every(config.deep_every), every(config.deep_every));
    let mut tabs = vec![Tab::Overview, Tab::Builds, Tab::Updates, Tab::Bugs, Tab::Sources];
    if mdapi {
        tabs.extend([Tab::Contents, Tab::Changelog]);
    }
    if deep {
        tabs.push(Tab::Dependencies);
    }
    let mut scope = Scope::tabs(&tabs);
    if !mdapi {
        scope.overview_parts = [Service::Koji, Service::Bodhi, Service::Bugzilla, Service::DistGit].into();
    }
    scope
}

async fn until_next_due(pool: &PgPool, config: &SweepConfig) -> Duration {
    match db::sweep::next_due(pool, config.every).await {
        Ok(Some(at)) => {
            (at - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO).clamp(Duration::from_secs(1), config.every)
        }
        _ => config.every,
    }
}

/// Old bookkeeping: applied message ids after a week, failures after a month.
async fn prune(pool: &PgPool) {
    if let Err(e) = db::events::prune_seen(pool, chrono::Duration::days(7)).await {
        tracing::warn!(error = %e, "pruning bus_seen failed");
    }
    if let Err(e) = db::failures::prune(pool, chrono::Duration::days(30)).await {
        tracing::warn!(error = %e, "pruning refresh_failures failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dear_tabs_are_swept_less_often_and_spread_out() {
        let config = SweepConfig { mdapi_every: 4, deep_every: 64, ..SweepConfig::default() };
        let sweeps: Vec<Scope> = (0..128).map(|n| scope("python-requre", n, &config)).collect();
        let with = |tab: Tab| sweeps.iter().filter(|s| s.tabs.contains(&tab)).count();
        assert_eq!(with(Tab::Builds), 128);
        assert_eq!(with(Tab::Dependencies), 2);
        // Every 4th, plus the deep ones where they do not fall on one of those.
        assert!((32..=34).contains(&with(Tab::Contents)), "{}", with(Tab::Contents));
        for s in &sweeps {
            let mdapi = s.tabs.contains(&Tab::Contents);
            assert_eq!(s.overview_parts.is_empty(), mdapi, "the mdapi part goes with the mdapi tabs");
            assert!(mdapi || s.overview_parts.contains(&Service::Koji));
        }
        // In one round, about a quarter of the sources take mdapi's tabs.
        let names: Vec<String> = (0..1000).map(|i| format!("pkg-{i}")).collect();
        let dear = names.iter().filter(|n| scope(n, 7, &config).tabs.contains(&Tab::Contents)).count();
        assert!((180..320).contains(&dear), "{dear} of 1000");
    }
}
