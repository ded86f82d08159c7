//! A fedora-messaging message as it arrives over AMQP: routing key = topic,
//! JSON body, headers, AMQP message-id.
use lapin::types::{AMQPValue, FieldTable};
use serde_json::{Map, Value};

/// Header under which a retried message keeps its original topic (the retry
/// queue dead-letters it back with the queue name as routing key).
pub const TOPIC_HEADER: &str = "fedora_packages_topic";
/// How many times the worker has retried the message.
pub const RETRIES_HEADER: &str = "fedora_packages_retries";

#[derive(Debug, Clone)]
pub struct BusMessage {
    pub topic: String,
    pub id: String,
    pub headers: Value,
    pub body: Result<Value, String>,
    pub retries: u32,
}

impl BusMessage {
    pub fn from_delivery(routing_key: &str, properties: &lapin::BasicProperties, data: &[u8]) -> Self {
        let headers = properties.headers().as_ref().map(table_to_json).unwrap_or(Value::Object(Map::new()));
        let topic = headers.get(TOPIC_HEADER).and_then(Value::as_str).unwrap_or(routing_key).to_string();
        let retries = headers.get(RETRIES_HEADER).and_then(Value::as_u64).unwrap_or(0) as u32;
        let id = properties.message_id().as_ref().map(|m| m.to_string()).filter(|m| !m.is_empty()).unwrap_or_default();
        let body = match std::str::from_utf8(data) {
            Ok(text) => serde_json::from_str(text).map_err(|e| format!("body is not JSON: {e}")),
            Err(e) => Err(format!("body is not UTF-8: {e}")),
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
