//! Decoding the generated open enums (a variant per documented value, `Unknown(String)` for
//! the rest): from the borrowed text when the decoder can lend it, so a known value costs no
//! allocation; an owned string is kept as it came for an unknown value.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Error, Visitor};

/// Decodes an open enum from a JSON string. The pipeline's generated `Deserialize` impls call
/// this.
pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    deserializer.deserialize_str(OpenEnum(PhantomData))
}

struct OpenEnum<T>(PhantomData<T>);

impl<T> Visitor<'_> for OpenEnum<T>
where
    T: for<'a> From<&'a str> + From<String>,
{
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

#[cfg(test)]
mod tests {
    use crate::raw::types::TranscriptRole;

    fn decode(json: &str) -> serde_json::Result<TranscriptRole> {
        serde_json::from_str(json)
    }

    #[test]
    fn known_unknown_escaped_and_wrong_values() {
        assert_eq!(decode(r#""persona""#).unwrap(), TranscriptRole::Persona);
        // An escape makes the decoder hand over its own buffer rather than lend the input.
        assert_eq!(decode(r#""us\u0065r""#).unwrap(), TranscriptRole::User);
        assert_eq!(
            decode(r#""narrator""#).unwrap(),
            TranscriptRole::Unknown("narrator".into())
        );
        assert_eq!(
            serde_json::from_value::<TranscriptRole>(serde_json::json!("system")).unwrap(),
            TranscriptRole::Unknown("system".into())
        );
        let error = decode("7").unwrap_err().to_string();
        assert!(error.contains("expected a string"), "{error}");
    }
}
