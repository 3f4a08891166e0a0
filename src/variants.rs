//! How a JSON value becomes a variant of one of the spec's `oneOf` unions (a tool's `config`,
//! a session token's `personaConfig`, a persona's voice options): matched by its keys, never
//! guessed.
//!
//! The generated `Deserialize` of every such union calls [`decode`] with each variant's JSON
//! field names. The value goes to:
//!
//! 1. a variant that knows every key of the value and whose required fields are all there;
//!    where several do, the one with the most required fields, then the smallest, then the
//!    first the spec lists (any of them encodes back to the same JSON);
//! 2. where none does, the variant that knows the most of its keys; the keys it does not know
//!    are kept in its `extra` map (they are sent again as they came).
//!
//! ```
//! use anam::types::{CreateToolBodyConfig, ServerWebhookToolConfig};
//!
//! let config: CreateToolBodyConfig = serde_json::from_value(serde_json::json!({
//!     "url": "https://example.com/hook", "method": "POST"
//! }))?;
//! assert!(matches!(config, CreateToolBodyConfig::ServerWebhookToolConfig(_)));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::{Deserialize, Deserializer, Error as _};
use serde_json::Value;

use crate::unknown_fields;

/// One variant of a union, as the generated code describes it. Not for direct use.
#[doc(hidden)]
pub struct Variant<T> {
    /// The variant's name (for errors).
    pub name: &'static str,
    /// The JSON names of its fields.
    pub known: &'static [&'static str],
    /// The JSON names of its required fields.
    pub required: &'static [&'static str],
    /// Decodes a value as this variant.
    pub decode: fn(Value) -> Result<T, serde_json::Error>,
}

/// Decodes one union value; called by the generated `Deserialize` impls. Not for direct use.
#[doc(hidden)]
pub fn decode<'de, D, T>(deserializer: D, variants: &[Variant<T>]) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    pick(value, variants).map_err(D::Error::custom)
}

/// The order in which variants are tried for `value`: those that fit (rule 1) first, then the
/// rest by how many of its keys they know (rule 2).
fn ranking<T>(value: &Value, variants: &[Variant<T>]) -> Vec<usize> {
    let Some(object) = value.as_object() else {
        return (0..variants.len()).collect();
    };
    let knows = |variant: &Variant<T>, key: &str| variant.known.contains(&key);
    let mut order: Vec<(bool, usize, usize, usize, usize)> = variants
        .iter()
        .enumerate()
        .map(|(index, variant)| {
            let known = object.keys().filter(|key| knows(variant, key)).count();
            let missing = variant
                .required
                .iter()
                .filter(|field| !object.contains_key(**field))
                .count();
            let fits = known == object.len() && missing == 0;
            // Sorted ascending: fitting variants first, then (if fitting) more required fields,
            // else more known keys and fewer missing required ones; then fewer fields; then
            // the spec's order.
            let weight = if fits { variant.required.len() } else { known };
            (
                !fits,
                usize::MAX - weight,
                missing,
                variant.known.len(),
                index,
            )
        })
        .collect();
    order.sort();
    order.into_iter().map(|(_, _, _, _, index)| index).collect()
}

fn pick<T>(value: Value, variants: &[Variant<T>]) -> Result<T, String> {
    let mut first_error = None;
    for index in ranking(&value, variants) {
        let variant = &variants[index];
        let mark = unknown_fields::mark();
        match (variant.decode)(value.clone()) {
            Ok(decoded) => return Ok(decoded),
            Err(error) => {
                unknown_fields::rewind(mark);
                first_error.get_or_insert((variant.name, error));
            }
        }
    }
    Err(match first_error {
        Some((name, error)) => format!(
            "matches no variant (closest: {name}: {})",
            crate::DecodeError::reason_of(&error)
        ),
        None => "a union without variants".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq)]
    enum Picked {
        Client(Value),
        Rag(Value),
        Webhook(Value),
    }

    fn variants() -> Vec<Variant<Picked>> {
        vec![
            Variant {
                name: "Client",
                known: &["parameters", "awaitResult"],
                required: &[],
                decode: |v| Ok(Picked::Client(v)),
            },
            Variant {
                name: "Rag",
                known: &["documentFolderIds"],
                required: &["documentFolderIds"],
                decode: |v| Ok(Picked::Rag(v)),
            },
            Variant {
                name: "Webhook",
                known: &["url", "method", "headers"],
                required: &["url", "method"],
                decode: |v| match v.get("url") {
                    Some(Value::String(_)) => Ok(Picked::Webhook(v)),
                    _ => Err(serde_json::Error::custom(
                        "invalid type: integer `5`, expected a string",
                    )),
                },
            },
        ]
    }

    #[test]
    fn the_variant_that_knows_every_key_wins_over_the_first() {
        let value = json!({"url": "https://x", "method": "POST"});
        assert_eq!(pick(value.clone(), &variants()), Ok(Picked::Webhook(value)));
        let value = json!({"documentFolderIds": []});
        assert_eq!(pick(value.clone(), &variants()), Ok(Picked::Rag(value)));
    }

    #[test]
    fn an_empty_object_goes_to_the_smallest_variant_without_required_fields() {
        assert_eq!(pick(json!({}), &variants()), Ok(Picked::Client(json!({}))));
    }

    #[test]
    fn unknown_keys_go_to_the_closest_variant() {
        let value = json!({"url": "https://x", "method": "GET", "awaitResponse": true});
        assert_eq!(pick(value.clone(), &variants()), Ok(Picked::Webhook(value)));
    }

    #[test]
    fn a_variant_that_fails_to_decode_passes_to_the_next() {
        let value = json!({"url": 5, "method": "GET"});
        // Webhook fits by keys but refuses the value; Client takes it (it keeps unknown keys).
        assert_eq!(pick(value.clone(), &variants()), Ok(Picked::Client(value)));
    }

    #[test]
    fn the_error_names_the_closest_variant_without_the_value() {
        let only_webhook = vec![variants().remove(2)];
        let error = pick(json!({"url": 5, "method": "GET"}), &only_webhook).unwrap_err();
        assert!(error.contains("closest: Webhook"), "{error}");
        assert!(!error.contains('5'), "{error}");
    }
}
