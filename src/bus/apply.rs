//! Applying a batch of deliveries, in steps: route each message, drop the
//! duplicates, coalesce the rest into one refresh per package, refresh,
//! decide how each message settles, and record what was applied. A
//! package that fails fails its own messages only; nothing is acknowledged
//! before its refresh is committed (see `consumer`).
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use lapin::message::Delivery;
use serde_json::Value;
use sqlx::PgPool;
use tracing::Instrument;

use super::message::BusMessage;
use super::status::{Outcome, WorkerStatus};
use super::topics::{self, Route, Target};
use super::BusConfig;
use crate::db::{self, events::EventRow};
use crate::refresh::{self, BatchResults, Scope};
use crate::upstream::Upstream;

/// A delivery, read and routed.
pub struct Routed {
    pub delivery: Delivery,
    pub message: BusMessage,
    /// The topic without its environment prefix.
    pub topic: String,
    /// Where it goes, or why it never can.
    pub route: Result<Route, String>,
}

impl Routed {
    pub fn new(config: &BusConfig, delivery: Delivery) -> Self {
        let message = BusMessage::from_delivery(
            delivery.routing_key.as_str(),
            &delivery.properties,
            &delivery.data,
            config.max_message_bytes,
        );
        let (topic, route) = match config.strip_prefix(&message.topic) {
            None => (message.topic.clone(), Ok(Route::Unknown)),
            Some(topic) => {
                let route = match &message.body {
                    Ok(body) => topics::route(topic, body, &message.headers).map_err(|e| e.to_string()),
                    Err(e) => Err(e.clone()),
                };
                (topic.to_string(), route)
            }
        };
        Routed { delivery, message, topic, route }
    }

    fn targets(&self) -> &[Target] {
        match &self.route {
            Ok(Route::Refresh(targets)) => targets,
            _ => &[],
        }
    }

    /// A fan-out too big to apply as one unit: it is cut into parts instead.
    pub fn is_fan_out(&self, config: &BusConfig) -> bool {
        self.targets().len() > config.fanout_chunk
    }

    /// The packages this message makes the batch refresh (what a batch is sized by).
    pub fn names(&self, config: &BusConfig) -> impl Iterator<Item = &str> {
        let shown = if self.is_fan_out(config) { &[][..] } else { self.targets() };
        shown.iter().map(|t| t.package.as_str())
    }
}

/// Where a copy of a message is published before the original is acknowledged.
#[derive(Debug, Clone, PartialEq)]
pub enum CopyTo {
    /// Back into the worker's own queue (the parts of a fan-out).
    Main,
    /// The n-th retry queue.
    Retry(usize),
    Dead,
}

/// A copy to publish: the original body, or the message narrowed to some
/// of its packages.
#[derive(Debug, Clone)]
pub struct Copy {
    pub to: CopyTo,
    pub body: Option<Value>,
    pub message_id: String,
    pub retries: u32,
    pub reason: String,
}

/// How one message ends: its outcome, once every copy is confirmed.
#[derive(Debug)]
pub struct Settle {
    pub outcome: Outcome,
    pub copies: Vec<Copy>,
}

impl Settle {
    fn done(outcome: Outcome) -> Self {
        Settle { outcome, copies: Vec::new() }
    }
}

/// The database is unreachable: nothing was acknowledged; try the batch again.
#[derive(Debug, thiserror::Error)]
#[error("database unavailable: {0}")]
pub struct DbDown(pub String);

/// Routes, coalesces and refreshes a batch; says how to settle each message.
pub async fn process(
    pool: &PgPool,
    upstream: &Upstream,
    config: &BusConfig,
    status: &WorkerStatus,
    batch: &[Routed],
) -> Result<Vec<Settle>, DbDown> {
    let (mut settles, mut pending) = sort(config, batch);
    want_repositories(pool, batch).await?;
    dedupe(pool, batch, &mut pending, &mut settles).instrument(tracing::debug_span!("dedupe")).await?;
    let (scopes, sources) = coalesce(pool, batch, &pending).instrument(tracing::debug_span!("coalesce")).await?;
    let results = refresh::refresh_batch(pool, upstream, scopes, config.concurrency)
        .instrument(tracing::debug_span!("refresh", packages = pending.len()))
        .await
        .map_err(|e| DbDown(e.to_string()))?;
    let applied = decide(config, batch, &pending, &sources, &results, &mut settles);
    record(pool, batch, &applied, &settles).instrument(tracing::debug_span!("record")).await?;
    for (routed, settle) in batch.iter().zip(&settles) {
        if settle.copies.is_empty() {
            status.count(&routed.topic, settle.outcome);
        }
    }
    Ok(settles)
}

/// Records the branches whose repositories a message says changed, for
/// `bus::repos` to read (before the messages are acknowledged).
async fn want_repositories(pool: &PgPool, batch: &[Routed]) -> Result<(), DbDown> {
    let mut branches: Vec<String> =
        batch.iter().filter_map(|r| topics::repository_branch(&r.topic, r.message.body.as_ref().ok()?)).collect();
    if branches.is_empty() {
        return Ok(());
    }
    branches.sort();
    branches.dedup();
    db::repodata::want(pool, &branches).await.map_err(db_down)
}

/// The messages to refresh for, by index; every other message is settled
/// here: unroutable ones dead-lettered, fan-outs cut into parts.
fn sort(config: &BusConfig, batch: &[Routed]) -> (Vec<Settle>, Vec<usize>) {
    let mut pending = Vec::new();
    let settles = batch
        .iter()
        .enumerate()
        .map(|(i, r)| match &r.route {
            Err(reason) => Settle { outcome: Outcome::DeadLettered, copies: vec![dead(r, None, reason.clone())] },
            Ok(Route::NotOurs(_)) => Settle::done(Outcome::NotOurs),
            Ok(Route::Unknown) => Settle::done(Outcome::Unknown),
            // Recorded by want_repositories before anything is acknowledged.
            Ok(Route::ReadRepository) => Settle::done(Outcome::Applied),
            Ok(Route::Refresh(_)) if r.is_fan_out(config) => split(config, r),
            Ok(Route::Refresh(_)) => {
                pending.push(i);
                Settle::done(Outcome::Applied)
            }
        })
        .collect();
    (settles, pending)
}

/// A fan-out re-published as parts of at most `fanout_chunk` packages,
/// each applied and acknowledged on its own.
fn split(config: &BusConfig, r: &Routed) -> Settle {
    let names: Vec<String> = r.targets().iter().map(|t| t.package.clone()).collect();
    let body = r.message.body.as_ref().ok();
    let parts: Vec<Copy> = names
        .chunks(config.fanout_chunk.max(1))
        .enumerate()
        .filter_map(|(i, chunk)| {
            let keep: BTreeSet<String> = chunk.iter().cloned().collect();
            Some(Copy {
                to: CopyTo::Main,
                body: Some(topics::narrow(&r.topic, body?, &keep)?),
                message_id: format!("{}#part{}", r.message.id, i + 1),
                retries: r.message.retries,
                reason: format!("part {} of a message naming {} packages", i + 1, names.len()),
            })
        })
        .collect();
    Settle { outcome: Outcome::Split, copies: parts }
}

fn dead(r: &Routed, body: Option<Value>, reason: String) -> Copy {
    Copy { to: CopyTo::Dead, body, message_id: r.message.id.clone(), retries: r.message.retries, reason }
}

/// A message applied before (a redelivery, a duplicate publish) changes nothing.
async fn dedupe(
    pool: &PgPool,
    batch: &[Routed],
    pending: &mut Vec<usize>,
    settles: &mut [Settle],
) -> Result<(), DbDown> {
    let ids: Vec<String> = pending.iter().map(|&i| batch[i].message.id.clone()).filter(|id| !id.is_empty()).collect();
    let seen: HashSet<String> = db::events::seen(pool, &ids).await.map_err(db_down)?.into_iter().collect();
    let mut in_batch = HashSet::new();
    pending.retain(|&i| {
        let id = &batch[i].message.id;
        let duplicate = !id.is_empty() && (seen.contains(id) || !in_batch.insert(id.clone()));
        if duplicate {
            settles[i] = Settle::done(Outcome::Duplicate);
        }
        !duplicate
    });
    Ok(())
}

/// One refresh per source package, covering every message's ask. Events
/// about packages never seen are left to `sync` and the sweep rather than
/// inventing rows, unless the event creates the package.
async fn coalesce(
    pool: &PgPool,
    batch: &[Routed],
    pending: &[usize],
) -> Result<(BTreeMap<String, Scope>, HashMap<String, String>), DbDown> {
    let named: Vec<String> =
        pending.iter().flat_map(|&i| batch[i].targets().iter().map(|t| t.package.clone())).collect();
    let known: HashMap<String, String> =
        db::packages::sources_of(pool, &named).await.map_err(db_down)?.into_iter().collect();
    let mut sources: HashMap<String, String> = HashMap::new();
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for &i in pending {
        for t in batch[i].targets() {
            let Some(source) = known.get(&t.package).cloned().or_else(|| t.creates.then(|| t.package.clone())) else {
                continue;
            };
            scopes.entry(source.clone()).or_default().merge(&t.scope);
            sources.insert(t.package.clone(), source);
        }
    }
    Ok((scopes, sources))
}

/// What one target's refresh said about it.
enum Fate {
    Applied,
    Retry(String),
    Refused(String),
}

/// Settles each refreshed message from its packages' results: applied
/// where every package was; the failed packages alone retried (an upstream
/// error, a lost race) or dead-lettered (refused by the database, an answer
/// that cannot be read). Returns the applied events, by message index.
fn decide(
    config: &BusConfig,
    batch: &[Routed],
    pending: &[usize],
    sources: &HashMap<String, String>,
    results: &BatchResults,
    settles: &mut [Settle],
) -> Vec<(usize, BTreeSet<String>)> {
    let mut applied = Vec::new();
    for &i in pending {
        let r = &batch[i];
        let mut done: BTreeSet<String> = BTreeSet::new();
        let (mut retry, mut refused) = (BTreeMap::new(), BTreeMap::new());
        for t in r.targets() {
            let Some(source) = sources.get(&t.package) else { continue };
            let fate = match results.get(source) {
                None => continue,
                Some(Err(e)) if e.is_transient() => Fate::Retry(e.to_string()),
                Some(Err(e)) => Fate::Refused(e.to_string()),
                Some(Ok(report)) => {
                    let mine: Vec<_> = report.failures.iter().filter(|f| f.service == t.service).collect();
                    match mine.iter().find(|f| !f.is_transient()) {
                        Some(f) => Fate::Refused(f.to_string()),
                        None if !mine.is_empty() => {
                            Fate::Retry(mine.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("; "))
                        }
                        None => Fate::Applied,
                    }
                }
            };
            match fate {
                Fate::Applied => {
                    done.insert(source.clone());
                }
                Fate::Retry(why) => {
                    retry.insert(t.package.clone(), why);
                }
                Fate::Refused(why) => {
                    refused.insert(t.package.clone(), why);
                }
            }
        }
        let all = r.targets().len();
        let mut copies = Vec::new();
        if !retry.is_empty() {
            copies.push(retry_copy(config, r, narrowed(r, &retry, all), joined(&retry)));
        }
        if !refused.is_empty() {
            copies.push(dead(r, narrowed(r, &refused, all), format!("refused: {}", joined(&refused))));
        }
        let outcome = match (copies.is_empty(), done.is_empty()) {
            (true, true) => Outcome::NotOurs,
            (true, false) => Outcome::Applied,
            (false, _) if refused.is_empty() => Outcome::Retried,
            (false, _) => Outcome::DeadLettered,
        };
        if !done.is_empty() {
            applied.push((i, done));
        }
        settles[i] = Settle { outcome, copies };
    }
    applied
}

/// The message about only the packages in `failed`, when they are not all of them.
fn narrowed(r: &Routed, failed: &BTreeMap<String, String>, all: usize) -> Option<Value> {
    if failed.len() == all {
        return None;
    }
    let keep: BTreeSet<String> = failed.keys().cloned().collect();
    topics::narrow(&r.topic, r.message.body.as_ref().ok()?, &keep)
}

fn joined(reasons: &BTreeMap<String, String>) -> String {
    let mut text: Vec<String> = reasons.iter().map(|(p, why)| format!("{p}: {why}")).collect();
    text.dedup();
    text.join("; ")
}

/// The next retry queue, or the dead-letter queue after the last.
fn retry_copy(config: &BusConfig, r: &Routed, body: Option<Value>, reason: String) -> Copy {
    let retries = r.message.retries as usize;
    if retries < config.retry_delays.len() {
        Copy {
            to: CopyTo::Retry(retries),
            body,
            message_id: r.message.id.clone(),
            retries: r.message.retries + 1,
            reason,
        }
    } else {
        dead(r, body, format!("gave up after {retries} retries: {reason}"))
    }
}

/// Records the applied events (shown on the overview) and marks wholly
/// applied messages as seen. Only an unreachable database holds the batch:
/// a refused event is logged, since the rows it announces are written.
async fn record(
    pool: &PgPool,
    batch: &[Routed],
    applied: &[(usize, BTreeSet<String>)],
    settles: &[Settle],
) -> Result<(), DbDown> {
    let mut events: Vec<(EventRow, String)> = Vec::new();
    for (i, sources) in applied {
        let r = &batch[*i];
        let body = r.message.body.as_ref().ok().cloned().unwrap_or_default();
        let at = sent_at(&r.message.headers).unwrap_or_else(chrono::Utc::now);
        for package in sources {
            let event = EventRow {
                package: package.clone(),
                at,
                topic: r.topic.clone(),
                agent: topics::agent(&body, &r.message.headers),
                summary: topics::summary(&r.topic, &body),
            };
            events.push((event, r.message.id.clone()));
        }
    }
    if let Some(newest) = events.iter().map(|(e, _)| e.at).max() {
        let lag = (chrono::Utc::now() - newest).num_milliseconds().max(0) as f64 / 1000.0;
        metrics::gauge!("bus_event_lag_seconds").set(lag);
    }
    let seen: Vec<String> = batch
        .iter()
        .zip(settles)
        .filter(|(_, s)| s.outcome == Outcome::Applied && s.copies.is_empty())
        .map(|(r, _)| r.message.id.clone())
        .filter(|id| !id.is_empty())
        .collect();
    for (what, result) in
        [("events", db::events::record_many(pool, &events).await), ("seen", db::events::mark_seen(pool, &seen).await)]
    {
        match result {
            Ok(()) => {}
            Err(e) if e.is_unavailable() => return Err(db_down(e)),
            Err(e) => tracing::error!(error = %e, what, "bus bookkeeping refused; the refreshed rows stand"),
        }
    }
    Ok(())
}

fn db_down(e: db::DbError) -> DbDown {
    DbDown(e.to_string())
}

fn sent_at(headers: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = headers.get("sent-at")?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&chrono::Utc))
}
