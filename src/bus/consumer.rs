//! The AMQP side: queues and bindings, the consume loop with reconnection,
//! batching what is already queued, and settling each batch (retry queues
//! with growing delays, a dead-letter queue, acknowledgement after commit).
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use futures::{FutureExt, StreamExt};
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicPublishOptions, BasicQosOptions, ConfirmSelectOptions,
    QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::Confirmation;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use super::apply::{self, Copy, CopyTo, Routed, Settle};
use super::message::{ERROR_HEADER, RETRIES_HEADER, TOPIC_HEADER};
use super::status::{Outcome, WorkerStatus};
use super::topics;
use super::{BusConfig, BusError};
use crate::upstream::Upstream;

/// Consumes until `stop` is cancelled, reconnecting with backoff whenever
/// the broker goes away. Unacknowledged messages go back to the queue.
pub async fn run(
    pool: PgPool,
    upstream: Upstream,
    config: BusConfig,
    status: WorkerStatus,
    stop: CancellationToken,
) -> Result<(), BusError> {
    let mut backoff = Duration::from_millis(250);
    while !stop.is_cancelled() {
        match session(&pool, &upstream, &config, &status, &stop).await {
            Ok(()) => break,
            Err(e) => {
                status.set_connected(false);
                tracing::warn!(error = %e, retry.in_ms = backoff.as_millis() as u64, "bus connection lost; reconnecting");
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
    status.set_connected(false);
    Ok(())
}

/// One connection's life: declare, consume, process batches.
async fn session(
    pool: &PgPool,
    upstream: &Upstream,
    config: &BusConfig,
    status: &WorkerStatus,
    stop: &CancellationToken,
) -> Result<(), BusError> {
    let connection = Connection::connect(&config.amqp_url, ConnectionProperties::default()).await?;
    let channel = connection.create_channel().await?;
    let publisher = connection.create_channel().await?;
    publisher.confirm_select(ConfirmSelectOptions::default()).await?;
    declare(&channel, config).await?;
    channel.basic_qos(config.prefetch, BasicQosOptions::default()).await?;
    let mut consumer = channel
        .basic_consume(
            config.queue.as_str().into(),
            ShortString::from(format!("fedora-packages-{}", std::process::id())),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    status.set_connected(true);
    tracing::info!(queue = %config.queue, "consuming from the bus");

    let mut inbox = Inbox::default();
    loop {
        if inbox.is_empty() {
            let first = tokio::select! {
                _ = stop.cancelled() => break,
                next = consumer.next() => next,
            };
            match first {
                Some(delivery) => inbox.push(Routed::new(config, delivery?)),
                None if stop.is_cancelled() => break,
                None => return Err(BusError::Closed),
            }
        }
        // Coalesce what is already queued, and only that: take what has
        // arrived, then, if the broker says more is ready (a burst), what it
        // is still handing over. An idle queue adds no wait at all.
        while let Some(Some(Ok(delivery))) = consumer.next().now_or_never() {
            inbox.push(Routed::new(config, delivery));
        }
        if inbox.len() > 1 && inbox.len() < config.batch_max {
            let ready = ready_count(&channel, config).await.unwrap_or(0) as usize;
            let want = (inbox.len() + ready).min(config.batch_max);
            let deadline = tokio::time::Instant::now() + Duration::from_millis(200);
            while inbox.len() < want {
                match tokio::time::timeout_at(deadline, consumer.next()).await {
                    Ok(Some(Ok(delivery))) => inbox.push(Routed::new(config, delivery)),
                    _ => break,
                }
            }
        }
        for stale in inbox.stale(config.hold) {
            // Unprocessed for too long: back to the queue before the broker's
            // consumer timeout would close the channel and redeliver everything.
            let requeue = BasicNackOptions { multiple: false, requeue: true };
            channel.basic_nack(stale.delivery.delivery_tag, requeue).await?;
            tracing::warn!(topic = %stale.message.topic, message.id = %stale.message.id, "held too long unprocessed; handed back to the queue");
            status.count(&stale.topic, Outcome::Returned);
        }
        let batch = inbox.take_batch(config);
        if batch.is_empty() {
            continue;
        }
        let started = std::time::Instant::now();
        let settles = apply_with_db_retry(pool, upstream, config, status, &batch, stop).await?;
        let Some(settles) = settles else { break };
        settle(&channel, &publisher, config, status, &batch, settles).await?;
        tracing::debug!(batch.size = batch.len(), duration_ms = started.elapsed().as_millis() as u64, "batch settled");
        if let Ok(ready) = ready_count(&channel, config).await {
            metrics::gauge!("bus_queue_ready_messages").set(f64::from(ready));
        }
    }
    // Unacknowledged deliveries return to the queue when the channel closes.
    let _ = channel.close(200, "shutting down".into()).await;
    let _ = connection.close(200, "shutting down".into()).await;
    Ok(())
}

/// Deliveries received and not yet processed, oldest first.
#[derive(Default)]
struct Inbox(VecDeque<(Instant, Routed)>);

impl Inbox {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn push(&mut self, routed: Routed) {
        self.0.push_back((Instant::now(), routed));
    }

    /// Deliveries held longer than `hold`.
    fn stale(&mut self, hold: Duration) -> Vec<Routed> {
        let mut out = Vec::new();
        while self.0.front().is_some_and(|(at, _)| at.elapsed() > hold) {
            if let Some((_, r)) = self.0.pop_front() {
                out.push(r);
            }
        }
        out
    }

    /// The next batch: at most `batch_max` messages naming at most
    /// `batch_packages` packages together (one message always fits), so
    /// one batch's work stays bounded however big the burst.
    fn take_batch(&mut self, config: &BusConfig) -> Vec<Routed> {
        let mut names: HashSet<String> = HashSet::new();
        let mut batch = Vec::new();
        while let Some((_, next)) = self.0.front() {
            let new: Vec<&str> = next.names(config).filter(|n| !names.contains(*n)).collect();
            if !batch.is_empty() && (batch.len() >= config.batch_max || names.len() + new.len() > config.batch_packages)
            {
                break;
            }
            names.extend(new.into_iter().map(String::from));
            if let Some((_, r)) = self.0.pop_front() {
                batch.push(r);
            }
        }
        batch
    }
}

/// Messages ready in the queue, not yet handed to any consumer.
async fn ready_count(channel: &Channel, config: &BusConfig) -> Result<u32, BusError> {
    let passive = QueueDeclareOptions { passive: true, ..QueueDeclareOptions::default() };
    Ok(channel.queue_declare(config.queue.as_str().into(), passive, FieldTable::default()).await?.message_count())
}

/// While the database is down, hold the batch (unacknowledged) and wait for it.
async fn apply_with_db_retry(
    pool: &PgPool,
    upstream: &Upstream,
    config: &BusConfig,
    status: &WorkerStatus,
    batch: &[Routed],
    stop: &CancellationToken,
) -> Result<Option<Vec<Settle>>, BusError> {
    let mut wait = Duration::from_millis(250);
    loop {
        match apply::process(pool, upstream, config, status, batch).await {
            Ok(settles) => return Ok(Some(settles)),
            Err(e) => {
                tracing::warn!(error = %e, retry.in_ms = wait.as_millis() as u64, "database unavailable; holding messages");
                tokio::select! {
                    _ = stop.cancelled() => return Ok(None),
                    _ = tokio::time::sleep(wait) => {}
                }
                wait = (wait * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// Publishes each message's copies (retries, dead letters, fan-out parts)
/// and waits for the broker to confirm each; only then is the original
/// acknowledged. A copy refused, returned unroutable (a deleted queue) or
/// unconfirmed leaves its original unacknowledged: it is handed back and
/// delivered again, and the queues are declared again.
async fn settle(
    channel: &Channel,
    publisher: &Channel,
    config: &BusConfig,
    status: &WorkerStatus,
    batch: &[Routed],
    settles: Vec<Settle>,
) -> Result<(), BusError> {
    let mut kept = Vec::with_capacity(batch.len());
    for (r, s) in batch.iter().zip(settles) {
        let mut ok = true;
        for copy in &s.copies {
            if let Err(why) = publish_copy(publisher, config, r, copy).await? {
                tracing::error!(topic = %r.message.topic, message.id = %r.message.id, %why, "copy not confirmed; the message will be delivered again");
                ok = false;
                break;
            }
            tracing::warn!(topic = %r.message.topic, message.id = %r.message.id, to = ?copy.to, reason = %copy.reason, "message not applied here");
        }
        if ok && !s.copies.is_empty() {
            status.count(&r.topic, s.outcome);
        }
        kept.push(ok);
    }
    let Some(last) = batch.last() else { return Ok(()) };
    if kept.iter().all(|ok| *ok) {
        channel.basic_ack(last.delivery.delivery_tag, BasicAckOptions { multiple: true }).await?;
        return Ok(());
    }
    for (r, ok) in batch.iter().zip(kept) {
        let tag = r.delivery.delivery_tag;
        match ok {
            true => channel.basic_ack(tag, BasicAckOptions { multiple: false }).await?,
            false => channel.basic_nack(tag, BasicNackOptions { multiple: false, requeue: true }).await?,
        }
    }
    declare(channel, config).await
}

/// Publishes one copy, mandatory and confirmed: `Ok(Err(why))` when the
/// broker refused it or could not route it.
async fn publish_copy(
    publisher: &Channel,
    config: &BusConfig,
    r: &Routed,
    copy: &Copy,
) -> Result<Result<(), String>, BusError> {
    let queue = match copy.to {
        CopyTo::Main => config.queue.clone(),
        CopyTo::Retry(n) => config.retry_queue(n),
        CopyTo::Dead => config.dead_queue(),
    };
    let mut headers = r.delivery.properties.headers().clone().unwrap_or_default();
    headers.insert(TOPIC_HEADER.into(), AMQPValue::LongString(r.message.topic.clone().into()));
    headers.insert(RETRIES_HEADER.into(), AMQPValue::LongUInt(copy.retries));
    headers.insert(ERROR_HEADER.into(), AMQPValue::LongString(copy.reason.clone().into()));
    let properties = r
        .delivery
        .properties
        .clone()
        .with_headers(headers)
        .with_delivery_mode(2)
        .with_message_id(copy.message_id.clone().into());
    let narrowed;
    let body: &[u8] = match &copy.body {
        Some(value) => {
            narrowed = serde_json::to_vec(value).unwrap_or_default();
            &narrowed
        }
        None => &r.delivery.data,
    };
    let options = BasicPublishOptions { mandatory: true, ..BasicPublishOptions::default() };
    let confirmation =
        publisher.basic_publish("".into(), queue.as_str().into(), options, body, properties).await?.await?;
    Ok(match confirmation {
        Confirmation::Ack(None) => Ok(()),
        Confirmation::Ack(Some(returned)) | Confirmation::Nack(Some(returned)) => {
            Err(format!("{queue}: returned ({} {})", returned.reply_code, returned.reply_text))
        }
        Confirmation::Nack(None) => Err(format!("{queue}: refused by the broker")),
        Confirmation::NotRequested => Err(format!("{queue}: not confirmed")),
    })
}

/// The durable queue bound to every handled topic under every prefix, one
/// retry queue per delay (each dead-letters back into the main queue after
/// its TTL), and the dead-letter queue.
pub async fn declare(channel: &Channel, config: &BusConfig) -> Result<(), BusError> {
    let durable = QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() };
    channel.queue_declare(config.queue.as_str().into(), durable, FieldTable::default()).await?;
    for prefix in &config.prefixes {
        for binding in topics::bindings() {
            let key = format!("{prefix}.{binding}");
            channel
                .queue_bind(
                    config.queue.as_str().into(),
                    "amq.topic".into(),
                    key.into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
    }
    for (i, delay) in config.retry_delays.iter().enumerate() {
        let mut args = FieldTable::default();
        args.insert("x-message-ttl".into(), AMQPValue::LongUInt(delay.as_millis() as u32));
        args.insert("x-dead-letter-exchange".into(), AMQPValue::LongString("".into()));
        args.insert("x-dead-letter-routing-key".into(), AMQPValue::LongString(config.queue.clone().into()));
        channel.queue_declare(config.retry_queue(i).as_str().into(), durable, args).await?;
    }
    channel.queue_declare(config.dead_queue().as_str().into(), durable, FieldTable::default()).await?;
    Ok(())
}

/// A publish helper for tools and tests: one fedora-messaging message, as
/// the real publisher sends it.
pub async fn publish(
    channel: &Channel,
    topic: &str,
    id: &str,
    headers: &serde_json::Value,
    body: &serde_json::Value,
) -> Result<(), BusError> {
    let mut table = FieldTable::default();
    if let Some(map) = headers.as_object() {
        for (k, v) in map {
            let value = match v {
                serde_json::Value::Bool(b) => AMQPValue::Boolean(*b),
                serde_json::Value::Number(n) if n.is_i64() => AMQPValue::LongLongInt(n.as_i64().unwrap_or_default()),
                serde_json::Value::String(s) => AMQPValue::LongString(s.clone().into()),
                serde_json::Value::Null => continue,
                other => AMQPValue::LongString(other.to_string().into()),
            };
            table.insert(k.as_str().into(), value);
        }
    }
    let properties = BasicProperties::default()
        .with_content_type("application/json".into())
        .with_content_encoding("utf-8".into())
        .with_message_id(id.into())
        .with_delivery_mode(2)
        .with_headers(table);
    let payload = serde_json::to_vec(body).unwrap_or_default();
    channel
        .basic_publish("amq.topic".into(), topic.into(), BasicPublishOptions::default(), &payload, properties)
        .await?
        .await?;
    Ok(())
}
