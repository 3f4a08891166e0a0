//! [`Format::Json`](super::Format::Json) and [`Format::JsonLines`](super::Format::JsonLines).

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::types::{Transcript, TranscriptRole};

use super::speaker;
use super::timing::{offset_ms, origin};

/// The whole transcript as the API's JSON, pretty-printed, ending in a newline.
pub(crate) fn write_json(transcript: &Transcript, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, transcript)?;
    writeln!(out)
}

/// One JSON Lines record: a message with its session and place.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line<'a> {
    session_id: Option<&'a str>,
    index: usize,
    role: Option<&'a TranscriptRole>,
    speaker: String,
    offset_seconds: Option<f64>,
    timestamp: Option<DateTime<Utc>>,
    duration_seconds: Option<f64>,
    interrupted: Option<bool>,
    text: Option<&'a str>,
}

/// One object per message per line, every key always present (`null` when unknown):
/// `sessionId`, `index` (from 0, the message's place in `messages`), `role` (as sent),
/// `speaker` (see [`speaker`]), `offsetSeconds` (timestamp minus the session
/// origin, clamped at 0), `timestamp`, `durationSeconds` (`speakingDurationSeconds`),
/// `interrupted` (`wasInterrupted`) and `text` (verbatim).
pub(crate) fn write_lines(transcript: &Transcript, out: &mut impl Write) -> io::Result<()> {
    let origin = origin(transcript);
    for (index, message) in transcript.messages.iter().enumerate() {
        let line = Line {
            session_id: transcript.session_id.as_deref(),
            index,
            role: message.role.as_ref(),
            speaker: speaker(transcript, message),
            offset_seconds: offset_ms(origin, message).map(|ms| ms as f64 / 1000.0),
            timestamp: message.timestamp,
            duration_seconds: message.speaking_duration_seconds,
            interrupted: message.was_interrupted,
            text: message.message.as_deref(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}
