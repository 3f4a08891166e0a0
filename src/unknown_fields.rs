//! Fields the API spec does not describe yet. Anam's API runs ahead of its published document
//! (its own examples send fields the schemas lack), so every request type keeps such fields in
//! a flattened `extra` map: decoding JSON into a body keeps them, sending the body sends them,
//! and a builder adds one with `extra_field`.
//!
//! ```
//! use anam::types::CreatePersonaBody;
//!
//! let body: CreatePersonaBody = serde_json::from_value(serde_json::json!({
//!     "name": "Cara", "temperature": 0.7
//! }))?;
//! assert_eq!(body.extra["temperature"], serde_json::json!(0.7));
//!
//! let (_, unknown) = anam::unknown_fields::decode::<CreatePersonaBody>(serde_json::json!({
//!     "name": "Cara", "sytemPrompt": "Be brief."
//! }))?;
//! assert_eq!(unknown, ["sytemPrompt"]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::{Map, Value};
use std::cell::RefCell;

thread_local! {
    /// The names captured while [`decode`] runs on this thread; `None` otherwise.
    static CAPTURED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Decodes `value` as `T` and names the fields, at any depth, that `T`'s part of the spec does
/// not describe (kept in `extra` maps, and sent). The command line warns about them; a strict
/// caller can refuse them.
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<(T, Vec<String>), serde_json::Error> {
    let outer = CAPTURED.with(|captured| captured.borrow_mut().replace(Vec::new()));
    let decoded = serde_json::from_value(value);
    let names = CAPTURED.with(|captured| {
        let mut captured = captured.borrow_mut();
        let names = captured.take().unwrap_or_default();
        *captured = outer;
        names
    });
    decoded.map(|decoded| (decoded, names))
}

/// Decodes a flattened `extra` map, recording its keys when [`decode`] is running. The
/// generated types call it. Not for direct use.
#[doc(hidden)]
pub fn capture<'de, D>(deserializer: D) -> Result<Map<String, Value>, D::Error>
where
    D: Deserializer<'de>,
{
    let map = Map::<String, Value>::deserialize(deserializer)?;
    if !map.is_empty() {
        CAPTURED.with(|captured| {
            if let Some(names) = captured.borrow_mut().as_mut() {
                names.extend(map.keys().cloned());
            }
        });
    }
    Ok(map)
}

/// How many names are recorded so far (for [`rewind`]).
pub(crate) fn mark() -> usize {
    CAPTURED.with(|captured| captured.borrow().as_ref().map_or(0, Vec::len))
}

/// Forgets the names recorded since `mark`: a union variant tried and given up.
pub(crate) fn rewind(mark: usize) {
    CAPTURED.with(|captured| {
        if let Some(names) = captured.borrow_mut().as_mut() {
            names.truncate(mark);
        }
    });
}
