//! How the generated types serialise their timestamps (the pipeline's `timestamps` rule
//! points every `DateTime<Utc>` field here): the RFC 3339 text chrono's own `Serialize`
//! writes, formatted first and written as one string, so a serialiser that escapes what it
//! is given (serde_json) does so once per timestamp instead of once per fragment.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// `time` as chrono's `Serialize` would write it (`2026-04-20T09:00:01.500Z`).
pub(crate) fn serialize<S: Serializer>(
    time: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// [`serialize`] for an optional timestamp (`None` as the serialiser writes none).
pub(crate) fn serialize_option<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serializer.serialize_some(&InOnePiece(time)),
        None => serializer.serialize_none(),
    }
}

struct InOnePiece<'a>(&'a DateTime<Utc>);

impl Serialize for InOnePiece<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use crate::types::TranscriptMessage;

    /// What chrono's own `Serialize` writes for `time`.
    fn chrono_json(time: &chrono::DateTime<chrono::Utc>) -> String {
        serde_json::to_string(time).unwrap()
    }

    #[test]
    fn generated_types_write_what_chrono_writes() {
        let base = chrono::Utc.with_ymd_and_hms(2026, 4, 20, 9, 0, 1).unwrap();
        let times = [
            base,
            base + chrono::Duration::milliseconds(500),
            base + chrono::Duration::microseconds(1_250),
            base + chrono::Duration::nanoseconds(7),
            chrono::Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap(),
            chrono::Utc
                .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
                .unwrap(),
            chrono::Utc
                .with_ymd_and_hms(12_345, 6, 7, 8, 9, 10)
                .unwrap(),
            chrono::DateTime::<chrono::Utc>::MIN_UTC,
            chrono::DateTime::<chrono::Utc>::MAX_UTC,
        ];
        for time in times {
            let message = TranscriptMessage {
                timestamp: Some(time),
                ..Default::default()
            };
            let json = serde_json::to_value(&message).unwrap();
            assert_eq!(
                json["timestamp"].to_string(),
                chrono_json(&time),
                "{time:?}"
            );
            let text = serde_json::to_string(&message).unwrap();
            let back: TranscriptMessage = serde_json::from_str(&text).unwrap();
            assert_eq!(back.timestamp, Some(time));
        }
        let none = serde_json::to_value(TranscriptMessage::default()).unwrap();
        assert!(none.get("timestamp").is_none(), "{none}");
    }
}
