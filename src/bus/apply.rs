//! Applying a batch of deliveries: route each message, coalesce the batch
//! into one refresh per package (the union of what its messages ask for),
//! refresh, then settle every message: applied, retried later, or
//! dead-lettered. Nothing is acknowledged before its refresh is committed.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use lapin::message::Delivery;
use sqlx::PgPool;

use super::message::BusMessage;
use super::status::{Outcome, WorkerStatus};
use super::topics::{self, Route, Target};
use super::BusConfig;
use crate::db::{self, events::EventRow};
use crate::refresh::{self, RefreshError, Scope};
use crate::upstream::Upstream;

/// What to do with one message once the batch is refreshed.
#[derive(Debug)]
pub enum Settle {
    /// Applied (or nothing to apply): acknowledge.
    Done(Outcome),
    /// An upstream fetch it needs failed: try again later.
    Retry { reason: String },
    /// It can never be applied: park it with the reason.
    DeadLetter { reason: String },
}

/// A message with what the batch decided for it, in delivery order.
pub struct Settled<'a> {
    pub delivery: &'a Delivery,
    pub message: BusMessage,
    pub settle: Settle,
}

/// The database failed mid-batch: nothing was acknowledged; try the batch again.
#[derive(Debug, thiserror::Error)]
#[error("database unavailable: {0}")]
pub struct DbDown(pub String);

struct Pending {
    index: usize,
    topic: String,
    targets: Vec<Target>,
}

/// Routes, coalesces and refreshes a batch; says how to settle each message.
pub async fn process<'a>(
    pool: &PgPool,
    upstream: &Upstream,
    config: &BusConfig,
    status: &WorkerStatus,
    deliveries: &'a [Delivery],
) -> Result<Vec<Settled<'a>>, DbDown> {
    let t0 = std::time::Instant::now();
    let mut settled: Vec<Settled<'a>> = Vec::with_capacity(deliveries.len());
    let mut pending: Vec<Pending> = Vec::new();
    for (index, delivery) in deliveries.iter().enumerate() {
        let message = BusMessage::from_delivery(delivery.routing_key.as_str(), &delivery.properties, &delivery.data);
        let settle = match classify(config, &message) {
            Ok((topic, Route::Refresh(targets))) => {
                pending.push(Pending { index, topic, targets });
                Settle::Done(Outcome::Applied)
            }
            Ok((_, Route::NotOurs(_))) => Settle::Done(Outcome::NotOurs),
            Ok((_, Route::Unknown)) => Settle::Done(Outcome::Unknown),
            Err(reason) => Settle::DeadLetter { reason },
        };
        settled.push(Settled { delivery, message, settle });
    }

    let t_classified = t0.elapsed();
    // A message applied before (a redelivery, a duplicate publish) changes nothing.
    let ids: Vec<String> =
        pending.iter().map(|p| settled[p.index].message.id.clone()).filter(|i| !i.is_empty()).collect();
    let seen: HashSet<String> = db::events::seen(pool, &ids).await.map_err(db_down)?.into_iter().collect();
    let mut seen_in_batch = HashSet::new();
    pending.retain(|p| {
        let id = &settled[p.index].message.id;
        let duplicate = !id.is_empty() && (seen.contains(id) || !seen_in_batch.insert(id.clone()));
        if duplicate {
            settled[p.index].settle = Settle::Done(Outcome::Duplicate);
        }
        !duplicate
    });

    // Coalesce: one refresh per source package, covering every message's ask.
    // Events about packages we have never seen are left to `sync` and the
    // sweep rather than inventing rows, unless the event creates the package.
    let named: Vec<String> = pending.iter().flat_map(|p| p.targets.iter().map(|t| t.package.clone())).collect();
    let known: HashMap<String, String> =
        db::packages::sources_of(pool, &named).await.map_err(db_down)?.into_iter().collect();
    let mut sources: HashMap<String, Option<String>> = HashMap::new();
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for p in &pending {
        for t in &p.targets {
            let source = known.get(&t.package).cloned().or_else(|| t.creates.then(|| t.package.clone()));
            sources.insert(t.package.clone(), source.clone());
            if let Some(source) = source {
                scopes.entry(source).or_default().merge(&t.scope);
            }
        }
    }
    let t_before_refresh = t0.elapsed();
    let t_refresh = std::time::Instant::now();
    let packages = scopes.len();
    let reports = match refresh::refresh_batch(pool, upstream, scopes, config.concurrency).await {
        Ok(reports) => reports,
        Err(RefreshError::Db(e)) => return Err(DbDown(e.to_string())),
    };
    tracing::debug!(packages, refresh_ms = t_refresh.elapsed().as_secs_f64() * 1e3, "batch refreshed");

    let mut events: Vec<(EventRow, String)> = Vec::new();
    for p in &pending {
        let message = &settled[p.index].message;
        let mut failed: Vec<String> = Vec::new();
        let mut applied_to: BTreeSet<String> = BTreeSet::new();
        for t in &p.targets {
            let Some(Some(source)) = sources.get(&t.package) else { continue };
            let Some(report) = reports.get(source) else { continue };
            failed.extend(report.failures.iter().filter(|f| f.service == t.service).map(|f| f.to_string()));
            applied_to.insert(source.clone());
        }
        let settle = if !failed.is_empty() {
            Settle::Retry { reason: failed.join("; ") }
        } else if applied_to.is_empty() {
            Settle::Done(Outcome::NotOurs)
        } else {
            let body = message.body.as_ref().ok().cloned().unwrap_or_default();
            let event = |package: String| EventRow {
                package,
                at: sent_at(&message.headers).unwrap_or_else(chrono::Utc::now),
                topic: p.topic.clone(),
                agent: topics::agent(&body, &message.headers),
                summary: topics::summary(&p.topic, &body),
            };
            events.extend(applied_to.into_iter().map(|source| (event(source), message.id.clone())));
            Settle::Done(Outcome::Applied)
        };
        settled[p.index].settle = settle;
    }
    if let Some(newest) = events.iter().map(|(e, _)| e.at).max() {
        let lag = (chrono::Utc::now() - newest).num_milliseconds().max(0) as f64 / 1000.0;
        metrics::gauge!("bus_event_lag_seconds").set(lag);
    }
    let t_settled = t0.elapsed();
    db::events::record_many(pool, &events).await.map_err(db_down)?;
    let t_events = t0.elapsed();
    let applied: Vec<String> = pending
        .iter()
        .filter(|p| matches!(settled[p.index].settle, Settle::Done(Outcome::Applied)))
        .map(|p| settled[p.index].message.id.clone())
        .filter(|id| !id.is_empty())
        .collect();
    db::events::mark_seen(pool, &applied).await.map_err(db_down)?;
    tracing::debug!(
        classify_ms = t_classified.as_millis() as u64,
        before_refresh_ms = t_before_refresh.as_millis() as u64,
        settled_ms = t_settled.as_millis() as u64,
        events_ms = t_events.as_millis() as u64,
        seen_ms = t0.elapsed().as_millis() as u64,
        "batch phases"
    );
    for s in &settled {
        if let Settle::Done(outcome) = &s.settle {
            status.count(&s.message.topic, *outcome);
        }
    }
    Ok(settled)
}

fn db_down(e: db::DbError) -> DbDown {
    DbDown(e.to_string())
}

/// The topic without its environment prefix and the route, or why the
/// message can never be applied.
fn classify(config: &BusConfig, message: &BusMessage) -> Result<(String, Route), String> {
    let Some(topic) = config.strip_prefix(&message.topic) else {
        return Ok((message.topic.clone(), Route::Unknown));
    };
    let body = message.body.as_ref().map_err(|e| e.clone())?;
    let route = topics::route(topic, body, &message.headers).map_err(|e| e.to_string())?;
    Ok((topic.to_string(), route))
}

fn sent_at(headers: &serde_json::Value) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = headers.get("sent-at")?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&chrono::Utc))
}
