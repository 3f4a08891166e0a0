//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod scripted;

use serde_json::Value;

/// The vendored upstream document, as JSON.
pub fn spec() -> Value {
    serde_json::from_str(include_str!("../../openapi/swagger.json")).expect("vendored spec is JSON")
}

/// The `value` of `components.examples.<name>`.
pub fn component_example(name: &str) -> Value {
    spec()["components"]["examples"][name]["value"].clone()
}

/// A generated client pointed at `base_url`, authenticated with `key`.
pub fn raw_client(base_url: &str, key: &str) -> anam::raw::Client {
    let http = anam::http::default_client().expect("HTTP client builds");
    anam::raw::Client::new_with_client(base_url, http, anam::hooks::HookState::new(key))
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
