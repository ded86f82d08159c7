//! The AMQP side: queues and bindings, the consume loop with reconnection,
//! batching what is already queued, and settling each batch (retry queues
//! with growing delays, a dead-letter queue, acknowledgement after commit).
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, ConfirmSelectOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

use super::apply::{self, Settle, Settled};
use super::message::{RETRIES_HEADER, TOPIC_HEADER};
use super::status::{Outcome, WorkerStatus};
use super::topics::BINDINGS;
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

    loop {
        let first = tokio::select! {
            _ = stop.cancelled() => break,
            next = consumer.next() => next,
        };
        let Some(first) = first else {
            if stop.is_cancelled() {
                break;
            }
            return Err(BusError::Closed);
        };
        let mut batch = vec![first?];
        // Coalesce what is already queued, and only that: take what has
        // arrived, then, if the broker says more is ready (a burst), what it
        // is still handing over. An idle queue adds no wait at all.
        while batch.len() < config.batch_max {
            match consumer.next().now_or_never() {
                Some(Some(Ok(delivery))) => batch.push(delivery),
                _ => break,
            }
        }
        if batch.len() > 1 && batch.len() < config.batch_max {
            let ready = ready_count(&channel, config).await.unwrap_or(0) as usize;
            let want = (batch.len() + ready).min(config.batch_max);
            let deadline = tokio::time::Instant::now() + Duration::from_millis(200);
            while batch.len() < want {
                match tokio::time::timeout_at(deadline, consumer.next()).await {
                    Ok(Some(Ok(delivery))) => batch.push(delivery),
                    _ => break,
                }
            }
        }
        let started = std::time::Instant::now();
        let settled = apply_with_db_retry(pool, upstream, config, status, &batch, stop).await?;
        let Some(settled) = settled else { break };
        settle(&publisher, config, status, settled).await?;
        // Every message of the batch is settled: acknowledge them all at once.
        if let Some(last) = batch.last() {
            channel.basic_ack(last.delivery_tag, BasicAckOptions { multiple: true }).await?;
        }
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

/// Messages ready in the queue, not yet handed to any consumer.
async fn ready_count(channel: &Channel, config: &BusConfig) -> Result<u32, BusError> {
    let passive = QueueDeclareOptions { passive: true, ..QueueDeclareOptions::default() };
    Ok(channel.queue_declare(config.queue.as_str().into(), passive, FieldTable::default()).await?.message_count())
}

/// While the database is down, hold the batch (unacknowledged) and wait for it.
async fn apply_with_db_retry<'a>(
    pool: &PgPool,
    upstream: &Upstream,
    config: &BusConfig,
    status: &WorkerStatus,
    batch: &'a [Delivery],
    stop: &CancellationToken,
) -> Result<Option<Vec<Settled<'a>>>, BusError> {
    let mut wait = Duration::from_millis(250);
    loop {
        match apply::process(pool, upstream, config, status, batch).await {
            Ok(settled) => return Ok(Some(settled)),
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

/// Publishes the messages to retry or park; each publish is confirmed by the
/// broker before the batch is acknowledged.
async fn settle(
    publisher: &Channel,
    config: &BusConfig,
    status: &WorkerStatus,
    settled: Vec<Settled<'_>>,
) -> Result<(), BusError> {
    for s in settled {
        let (queue, reason, retries, outcome) = match s.settle {
            Settle::Done(_) => continue,
            Settle::Retry { reason } if (s.message.retries as usize) < config.retry_delays.len() => {
                (config.retry_queue(s.message.retries as usize), reason, s.message.retries + 1, Outcome::Retried)
            }
            Settle::Retry { reason } => (
                config.dead_queue(),
                format!("gave up after {} retries: {reason}", s.message.retries),
                s.message.retries,
                Outcome::DeadLettered,
            ),
            Settle::DeadLetter { reason } => (config.dead_queue(), reason, s.message.retries, Outcome::DeadLettered),
        };
        tracing::warn!(topic = %s.message.topic, message.id = %s.message.id, to = %queue, %reason, "message not applied");
        let mut headers = s.delivery.properties.headers().clone().unwrap_or_default();
        headers.insert(TOPIC_HEADER.into(), AMQPValue::LongString(s.message.topic.clone().into()));
        headers.insert(RETRIES_HEADER.into(), AMQPValue::LongUInt(retries));
        headers.insert("fedora_packages_error".into(), AMQPValue::LongString(reason.into()));
        let properties = s.delivery.properties.clone().with_headers(headers).with_delivery_mode(2);
        publisher
            .basic_publish(
                "".into(),
                queue.as_str().into(),
                BasicPublishOptions::default(),
                &s.delivery.data,
                properties,
            )
            .await?
            .await?;
        status.count(&s.message.topic, outcome);
    }
    Ok(())
}

/// The durable queue bound to every handled topic under every prefix, one
/// retry queue per delay (each dead-letters back into the main queue after
/// its TTL), and the dead-letter queue.
pub async fn declare(channel: &Channel, config: &BusConfig) -> Result<(), BusError> {
    let durable = QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() };
    channel.queue_declare(config.queue.as_str().into(), durable, FieldTable::default()).await?;
    for prefix in &config.prefixes {
        for binding in BINDINGS {
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
