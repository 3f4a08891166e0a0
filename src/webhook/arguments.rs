//! A webhook tool call's body, decoded into the tool's argument type, and the answer sent back.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::DecodeError;

/// The largest body [`decode_arguments`] accepts: 64 KiB. A tool's arguments are what an LLM
/// filled in from a JSON Schema that is itself at most 10,000 bytes, so real calls are a few
/// hundred bytes; anything near this is not a tool call.
pub const DEFAULT_MAX_ARGUMENTS_SIZE: usize = 64 * 1024;

/// The longest string an [`Answer`] keeps by default, in characters.
pub const DEFAULT_MAX_ANSWER_STRING: usize = 280;

/// Decodes a tool call's body (the arguments object Anam posts as JSON) into `T`, refusing a
/// body over [`DEFAULT_MAX_ARGUMENTS_SIZE`]. See [`decode_arguments_with_limit`].
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct LookupOrder { order_id: String }
///
/// let call: LookupOrder = anam::webhook::decode_arguments(br#"{"orderId":"A-1001"}"#)?;
/// assert_eq!(call.order_id, "A-1001");
///
/// let error = anam::webhook::decode_arguments::<LookupOrder>(br#"{"orderId":["4111 1111"]}"#).unwrap_err();
/// assert_eq!(error.to_string(), "the arguments do not match at `orderId`: invalid type: sequence, expected a string");
/// # Ok::<(), anam::webhook::ArgumentsError>(())
/// ```
pub fn decode_arguments<T: DeserializeOwned>(body: &[u8]) -> Result<T, ArgumentsError> {
    decode_arguments_with_limit(body, DEFAULT_MAX_ARGUMENTS_SIZE)
}

/// Decodes `body` into `T`, refusing one over `max_size` bytes before parsing it. A body that
/// does not match is [`ArgumentsError::Invalid`], naming the JSON path of the first bad value
/// and what was wrong without the value itself (the LLM filled it from what the user said).
/// The path names the type's fields: a member name of the body that is not a plain
/// identifier (a map's key could be anything) is written `?`, and an unknown field is not
/// named.
pub fn decode_arguments_with_limit<T: DeserializeOwned>(
    body: &[u8],
    max_size: usize,
) -> Result<T, ArgumentsError> {
    if body.len() > max_size {
        return Err(ArgumentsError::TooLarge { limit: max_size });
    }
    serde_json::from_slice(body).map_err(|error| ArgumentsError::Invalid {
        path: crate::error::json_path::field_path_of(body, &error),
        reason: DecodeError::reason_of(&error),
    })
}

/// Why a tool call's arguments were refused. Neither variant holds any of the body's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArgumentsError {
    /// The body is larger than the limit.
    #[error("the arguments are larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body is not JSON of the argument type.
    #[error("the arguments do not match at `{path}`: {reason}")]
    Invalid {
        /// JSON path of the first bad value (`items[1].sku`), `.` for the whole body.
        path: String,
        /// What was wrong, without the value (`invalid type: string, expected u32`).
        reason: String,
    },
}

/// The JSON a tool answers, written for the LLM that reads it verbatim: compact (no
/// whitespace), keys in the same order on every answer of a type, and every string cut to a
/// bounded length (default [`DEFAULT_MAX_ANSWER_STRING`] characters, ending in `…` when cut).
/// Anam's guidance is "a compact, LLM-friendly JSON response: stable keys, short strings".
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Order<'a> { status: &'a str, eta: &'a str, note: String }
///
/// let answer = anam::webhook::Answer::with_max_string(&Order {
///     status: "shipped", eta: "2 days", note: "x".repeat(500),
/// }, 8)?;
/// assert_eq!(answer.as_str(), r#"{"eta":"2 days","note":"xxxxxxxx…","status":"shipped"}"#);
/// assert_eq!(anam::webhook::Answer::error("no such order").as_str(), r#"{"error":"no such order"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// With the `axum` feature it is a response (`200`, `application/json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer(String);

impl Answer {
    /// `value` as a compact answer, strings cut at [`DEFAULT_MAX_ANSWER_STRING`] characters.
    /// Fails only where serde_json does (a map whose keys are not strings).
    pub fn new<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        Self::with_max_string(value, DEFAULT_MAX_ANSWER_STRING)
    }

    /// `value` as a compact answer, strings (object keys excepted) cut at `max_chars`
    /// characters plus `…`.
    pub fn with_max_string<T: Serialize + ?Sized>(
        value: &T,
        max_chars: usize,
    ) -> Result<Self, serde_json::Error> {
        let mut value = serde_json::to_value(value)?;
        shorten(&mut value, max_chars);
        Ok(Self(value.to_string()))
    }

    /// `{"error": message}`, for a call that could not be done (an order that does not
    /// exist): the LLM reads it and tells the user. `message` is cut like any string.
    pub fn error(message: &str) -> Self {
        let mut value = serde_json::json!({ "error": message });
        shorten(&mut value, DEFAULT_MAX_ANSWER_STRING);
        Self(value.to_string())
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JSON text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Cuts every string in `value` to `max_chars` characters plus `…`.
fn shorten(value: &mut serde_json::Value, max_chars: usize) {
    match value {
        serde_json::Value::String(text) => {
            if let Some((cut, _)) = text.char_indices().nth(max_chars) {
                text.truncate(cut);
                text.push('…');
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| shorten(v, max_chars)),
        serde_json::Value::Object(members) => {
            // Sorted whether or not serde_json keeps insertion order (its `preserve_order`
            // feature, which another crate of the build may turn on): stable keys.
            members.sort_keys();
            members.values_mut().for_each(|v| shorten(v, max_chars))
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct LookupOrder {
        order_id: String,
        items: Option<Vec<Item>>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Item {
        sku: String,
        quantity: u32,
    }

    #[test]
    fn arguments_decode_into_the_tool_type() {
        let call: LookupOrder =
            decode_arguments(br#"{"orderId":"A-1","items":[{"sku":"s","quantity":2}]}"#).unwrap();
        assert_eq!(call.order_id, "A-1");
        assert_eq!(call.items.unwrap()[0].quantity, 2);
    }

    #[test]
    fn errors_name_the_path_and_never_the_users_text() {
        let secret = "my card is 4111 1111 1111 1111";
        for (body, path, reason) in [
            (
                format!(r#"{{"orderId":["{secret}"]}}"#),
                "orderId",
                "invalid type: sequence, expected a string",
            ),
            (
                format!(
                    r#"{{"orderId":"A","items":[{{"sku":"s","quantity":1}},{{"sku":"s","quantity":"{secret}"}}]}}"#
                ),
                "items[1].quantity",
                "invalid type: string, expected u32",
            ),
            (
                format!(r#"{{"orderId":"A","{secret}":1}}"#),
                ".",
                "unknown field, expected `orderId` or `items`",
            ),
            (
                r#"{"items":[]}"#.to_string(),
                ".",
                "missing field `orderId`",
            ),
            (
                format!(r#"{{"orderId":"{secret}"#),
                "orderId",
                "EOF while parsing a string",
            ),
            (String::new(), ".", "EOF while parsing a value"),
        ] {
            let error = decode_arguments::<LookupOrder>(body.as_bytes()).unwrap_err();
            assert_eq!(
                error,
                ArgumentsError::Invalid {
                    path: path.into(),
                    reason: reason.into()
                },
                "{body}"
            );
            assert!(!error.to_string().contains("4111"), "{error}");
            assert!(!format!("{error:?}").contains("4111"), "{error:?}");
        }
        // A map's keys are the body's own text: named `?` unless plain identifiers.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Notes {
            notes: std::collections::HashMap<String, u32>,
        }
        for (body, path) in [
            (format!(r#"{{"notes":{{"{secret}":"x"}}}}"#), "notes.?"),
            (r#"{"notes":{"count_2":"x"}}"#.to_string(), "notes.count_2"),
        ] {
            assert_eq!(
                decode_arguments::<Notes>(body.as_bytes()).unwrap_err(),
                ArgumentsError::Invalid {
                    path: path.into(),
                    reason: "invalid type: string, expected u32".into()
                },
                "{body}"
            );
        }
    }

    #[test]
    fn the_size_limit_is_checked_before_parsing() {
        let body = format!(r#"{{"orderId":"{}"}}"#, "x".repeat(100));
        assert!(decode_arguments_with_limit::<LookupOrder>(body.as_bytes(), body.len()).is_ok());
        assert_eq!(
            decode_arguments_with_limit::<LookupOrder>(body.as_bytes(), body.len() - 1),
            Err(ArgumentsError::TooLarge {
                limit: body.len() - 1
            })
        );
        let big = vec![b' '; DEFAULT_MAX_ARGUMENTS_SIZE + 1];
        assert_eq!(
            decode_arguments::<LookupOrder>(&big),
            Err(ArgumentsError::TooLarge {
                limit: DEFAULT_MAX_ARGUMENTS_SIZE
            })
        );
    }

    #[test]
    fn answers_are_compact_stable_and_short() {
        #[derive(serde::Serialize)]
        struct Order {
            status: &'static str,
            lines: Vec<String>,
            total: f64,
        }
        let order = Order {
            status: "shipped",
            lines: vec!["é".repeat(5), "ab".into()],
            total: 12.5,
        };
        let answer = Answer::with_max_string(&order, 3).unwrap();
        assert_eq!(
            answer.as_str(),
            r#"{"lines":["ééé…","ab"],"status":"shi…","total":12.5}"#
        );
        assert_eq!(Answer::with_max_string(&order, 3).unwrap(), answer);
        let long = Answer::error(&"e".repeat(1000));
        assert_eq!(
            long.as_str().chars().count(),
            r#"{"error":""}"#.len() + DEFAULT_MAX_ANSWER_STRING + 1
        );
        let mut keys = std::collections::BTreeMap::new();
        keys.insert((1, 2), "pair");
        assert!(Answer::new(&keys).is_err());
    }
}
