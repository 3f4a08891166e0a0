//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod scripted;

use serde_json::Value;

use std::time::Duration;

use anam::spec::Operation;
use anam::{Client, RetryPolicy};

/// The key every test client uses.
pub const KEY: &str = "sk-test-abcdef0123456789";

/// A session id.
pub const SESSION: &str = "00000000-0000-0000-0000-000000000001";

/// The vendored upstream document, as JSON (only for tests of the generated tables).
pub fn spec() -> Value {
    serde_json::from_str(include_str!("../../../openapi/swagger.json"))
        .expect("vendored spec is JSON")
}

/// The spec's first success example of `operation`, from the generated table.
pub fn response_example(operation: &Operation) -> Value {
    let example = operation
        .examples
        .first()
        .unwrap_or_else(|| panic!("{} has no response example", operation.id));
    serde_json::from_str(example.json).expect("examples are JSON")
}

/// The spec's request example of `operation` decoded as `T` (or `fallback` when it has none).
pub fn request_body<T: serde::de::DeserializeOwned>(operation: &Operation, fallback: Value) -> T {
    let value = operation
        .request_example
        .map(|json| serde_json::from_str(json).expect("examples are JSON"))
        .unwrap_or(fallback);
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{} body: {e}", operation.id))
}

/// The example transcript (`getSessionTranscript`).
pub fn transcript_json() -> Value {
    response_example(Operation::GET_SESSION_TRANSCRIPT)
}

/// Three quick attempts.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
        .budget(Duration::from_secs(10))
}

/// A client for `base_url` with [`KEY`] and `retry`.
pub fn client(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(retry)
        .build()
        .expect("client builds")
}

/// `error` and every `source()` below it, one per line (what an error reporter prints).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push('\n');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A generated client pointed at `base_url`, authenticated with [`KEY`].
pub fn raw_client(base_url: &str) -> anam::raw::Client {
    let http = anam::http::default_client().expect("HTTP client builds");
    let hooks = anam::hooks::HookState::new(KEY).expect("the key is a valid header");
    anam::raw::Client::new_with_client(base_url, http, hooks)
}

/// True if every value in `expected` is present in `actual` with the same value (numbers
/// compared as `f64`, timestamps as instants; `actual` may hold more fields). This is the
/// "decoding lost nothing" check. A `null`, `[]` or `{}` may come back absent: generated types
/// model an optional collection as an empty one and an optional nullable value as `None`.
pub fn contains_json(actual: &Value, expected: &Value) -> Result<(), String> {
    contains_at(actual, expected, "$")
}

/// Two RFC 3339 timestamps naming the same instant (`.000Z` and `Z` are the same time).
fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(members) => members.is_empty(),
        _ => false,
    }
}

fn contains_at(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Null, Value::Null) => Ok(()),
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        (Value::String(e), Value::String(a)) if same_instant(e, a) => Ok(()),
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    Some(found) => contains_at(found, value, &child)?,
                    None if is_empty(value) => {}
                    None => return Err(format!("{child} was lost in decoding")),
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .try_for_each(|(i, (e, a))| contains_at(a, e, &format!("{path}[{i}]"))),
        (e, a) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a}")),
    }
}
