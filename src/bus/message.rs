//! A fedora-messaging message as it arrives over AMQP: routing key = topic,
//! JSON body, headers, AMQP message-id.
use lapin::types::{AMQPValue, FieldTable};
use serde_json::{Map, Value};

use crate::model::storable;

/// Header under which a retried message keeps its original topic (the retry
/// queue dead-letters it back with the queue name as routing key).
pub const TOPIC_HEADER: &str = "fedora_packages_topic";
/// How many times the worker has retried the message.
pub const RETRIES_HEADER: &str = "fedora_packages_retries";
/// Why the worker retried or dead-lettered the message.
pub const ERROR_HEADER: &str = "fedora_packages_error";

/// Message ids longer than this are kept as a hash (they key `bus_seen`).
const MAX_ID_BYTES: usize = 200;

#[derive(Debug, Clone)]
pub struct BusMessage {
    pub topic: String,
    pub id: String,
    pub headers: Value,
    pub body: Result<Value, String>,
    pub retries: u32,
}

impl BusMessage {
    /// Reads a delivery; a body over `max_bytes` is not parsed at all.
    /// Everything read is made storable here (`model::storable`).
    pub fn from_delivery(
        routing_key: &str,
        properties: &lapin::BasicProperties,
        data: &[u8],
        max_bytes: usize,
    ) -> Self {
        let mut headers = properties.headers().as_ref().map(table_to_json).unwrap_or(Value::Object(Map::new()));
        storable::clean_json(&mut headers);
        let topic = headers.get(TOPIC_HEADER).and_then(Value::as_str).unwrap_or(routing_key);
        let topic = storable::text(topic).into_owned();
        let retries = headers.get(RETRIES_HEADER).and_then(Value::as_u64).unwrap_or(0) as u32;
        let id = properties.message_id().as_ref().map(|m| m.to_string()).filter(|m| !m.is_empty()).unwrap_or_default();
        let id = match id.len() > MAX_ID_BYTES || id.contains('\0') {
            true => format!("xxh3:{:016x}", xxhash_rust::xxh3::xxh3_64(id.as_bytes())),
            false => id,
        };
        let body = if data.len() > max_bytes {
            Err(format!("too large: {} bytes (limit {max_bytes})", data.len()))
        } else {
            match std::str::from_utf8(data) {
                Ok(text) => serde_json::from_str(text)
                    .map(|mut v| {
                        storable::clean_json(&mut v);
                        v
                    })
                    .map_err(|e| format!("body is not JSON: {e}")),
                Err(e) => Err(format!("body is not UTF-8: {e}")),
            }
        };
        BusMessage { topic, id, headers, body, retries }
    }
}

/// AMQP header values as JSON, for routing and display.
pub fn table_to_json(table: &FieldTable) -> Value {
    Value::Object(table.inner().iter().map(|(k, v)| (k.to_string(), value_to_json(v))).collect())
}

fn value_to_json(v: &AMQPValue) -> Value {
    match v {
        AMQPValue::Boolean(b) => Value::Bool(*b),
        AMQPValue::ShortShortInt(n) => (*n).into(),
        AMQPValue::ShortShortUInt(n) => (*n).into(),
        AMQPValue::ShortInt(n) => (*n).into(),
        AMQPValue::ShortUInt(n) => (*n).into(),
        AMQPValue::LongInt(n) => (*n).into(),
        AMQPValue::LongUInt(n) => (*n).into(),
        AMQPValue::LongLongInt(n) => (*n).into(),
        AMQPValue::Float(f) => serde_json::Number::from_f64(f64::from(*f)).map(Value::Number).unwrap_or(Value::Null),
        AMQPValue::Double(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        AMQPValue::ShortString(s) => Value::String(s.to_string()),
        AMQPValue::LongString(s) => Value::String(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        AMQPValue::FieldArray(a) => Value::Array(a.as_slice().iter().map(value_to_json).collect()),
        AMQPValue::FieldTable(t) => table_to_json(t),
        AMQPValue::Timestamp(t) => (*t).into(),
        _ => Value::Null,
    }
}
