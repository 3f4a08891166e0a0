//! Where each message sits on the session's clock.
//!
//! Every time is in whole milliseconds after the *origin*: the session's `startTime`, or the
//! first message timestamp when the transcript has no start time. Two views exist:
//!
//! - the **recorded offset** ([`offset_ms`]) of a message: its timestamp minus the origin,
//!   clamped at 0, and `None` for a message without a timestamp (text, Markdown, JSON Lines);
//! - the **timeline** ([`Timeline`]), where every message gets a cue that never runs backwards
//!   (WebVTT, SRT); the rules are on [`Timeline::new`].

use chrono::{DateTime, Utc};

use crate::types::{Transcript, TranscriptMessage};

/// Spoken words per minute assumed for a message without `speakingDurationSeconds` (150, a
/// common conversational rate: 400 ms per word).
pub(crate) const ESTIMATE_MS_PER_WORD: u64 = 400;

/// The shortest estimated cue for a message without `speakingDurationSeconds`.
pub(crate) const ESTIMATE_MIN_MS: u64 = 1_000;

/// The session's time origin: `startTime`, else the first message timestamp.
pub(crate) fn origin(transcript: &Transcript) -> Option<DateTime<Utc>> {
    transcript
        .start_time
        .or_else(|| transcript.messages.iter().find_map(|m| m.timestamp))
}

/// Milliseconds from `from` to `to` (negative when `to` is earlier).
pub(crate) fn delta_ms(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    to.signed_duration_since(from).num_milliseconds()
}

/// A message's recorded offset from `origin` in milliseconds, clamped at 0; `None` without a
/// timestamp.
pub(crate) fn offset_ms(origin: Option<DateTime<Utc>>, message: &TranscriptMessage) -> Option<u64> {
    let timestamp = message.timestamp?;
    let origin = origin.unwrap_or(timestamp);
    Some(u64::try_from(delta_ms(origin, timestamp)).unwrap_or(0))
}

/// `speakingDurationSeconds` in milliseconds: `None` when absent, NaN or infinite; a negative
/// duration is 0.
pub(crate) fn duration_ms(seconds: Option<f64>) -> Option<u64> {
    let seconds = seconds.filter(|s| s.is_finite())?;
    // `as` saturates: a huge duration becomes u64::MAX milliseconds, never a panic.
    Some((seconds.max(0.0) * 1000.0).round() as u64)
}

/// Whitespace-separated words of a message.
pub(crate) fn words(message: &TranscriptMessage) -> usize {
    message
        .message
        .as_deref()
        .map_or(0, |text| text.split_whitespace().count())
}

/// The session length in milliseconds: `durationMs`, else `endTime - startTime`.
pub(crate) fn session_ms(transcript: &Transcript) -> Option<u64> {
    let from_fields = transcript.duration_ms.and_then(|ms| u64::try_from(ms).ok());
    from_fields.or_else(|| {
        let ms = delta_ms(transcript.start_time?, transcript.end_time?);
        u64::try_from(ms).ok()
    })
}

/// One message's cue on the timeline, in milliseconds after the origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cue {
    /// Where the cue starts.
    pub start: u64,
    /// Where it ends; always after `start`.
    pub end: u64,
}

/// A cue for every message, in message order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Timeline {
    /// One per message, same order.
    pub cues: Vec<Cue>,
}

impl Timeline {
    /// Places every message, keeping their order:
    ///
    /// - a cue starts at the message's recorded offset ([`offset_ms`]: before the origin clamps
    ///   to 0), but never before the previous cue's start, so start times never decrease
    ///   (cues may overlap: people talk over each other);
    /// - a message without a timestamp starts where the previous cue ended (0 for the first);
    /// - a cue lasts `speakingDurationSeconds`; without one (or with NaN), it lasts 400 ms per
    ///   word with a minimum of 1 s, cut short where the next message's recorded offset begins
    ///   if that is later than this start;
    /// - a cue always ends after it starts: a zero or negative duration gives a 1 ms cue, since
    ///   WebVTT requires a cue's end time to be greater than its start time.
    pub(crate) fn new(transcript: &Transcript) -> Self {
        let origin = origin(transcript);
        let offsets: Vec<Option<u64>> = transcript
            .messages
            .iter()
            .map(|m| offset_ms(origin, m))
            .collect();
        let mut cues: Vec<Cue> = Vec::with_capacity(offsets.len());
        for (index, message) in transcript.messages.iter().enumerate() {
            let previous = cues.last().copied();
            let start = match (offsets[index], previous) {
                (Some(offset), Some(previous)) => offset.max(previous.start),
                (Some(offset), None) => offset,
                (None, Some(previous)) => previous.end,
                (None, None) => 0,
            };
            let length = duration_ms(message.speaking_duration_seconds).unwrap_or_else(|| {
                let estimate = (words(message) as u64)
                    .saturating_mul(ESTIMATE_MS_PER_WORD)
                    .max(ESTIMATE_MIN_MS);
                match offsets.get(index + 1).copied().flatten() {
                    Some(next) if next > start => estimate.min(next - start),
                    _ => estimate,
                }
            });
            let end = start.saturating_add(length.max(1));
            cues.push(Cue { start, end });
        }
        Self { cues }
    }
}

/// `[MM:SS]`-style clock for the text formats: `MM:SS`, or `H:MM:SS` from one hour on
/// (whole seconds, rounded down).
pub(crate) fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours == 0 {
        format!("{minutes:02}:{seconds:02}")
    } else {
        format!("{hours}:{minutes:02}:{seconds:02}")
    }
}

/// A subtitle timestamp `HH:MM:SS<sep>mmm`; hours take as many digits as they need.
pub(crate) fn cue_time(ms: u64, separator: char) -> String {
    let (hours, minutes) = (ms / 3_600_000, ms / 60_000 % 60);
    let (seconds, millis) = (ms / 1000 % 60, ms % 1000);
    format!("{hours:02}:{minutes:02}:{seconds:02}{separator}{millis:03}")
}

/// A date and time for headers: `2026-04-20 09:00:00 UTC`.
pub(crate) fn date_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(1_776_675_600 + seconds, 0)
    }

    fn message(timestamp: Option<i64>, duration: Option<f64>, text: &str) -> TranscriptMessage {
        TranscriptMessage {
            message: Some(text.to_owned()),
            timestamp: timestamp.and_then(at),
            speaking_duration_seconds: duration,
            ..Default::default()
        }
    }

    fn transcript(messages: Vec<TranscriptMessage>) -> Transcript {
        Transcript {
            start_time: at(0),
            messages,
            ..Default::default()
        }
    }

    fn cues(t: &Transcript) -> Vec<(u64, u64)> {
        Timeline::new(t)
            .cues
            .iter()
            .map(|c| (c.start, c.end))
            .collect()
    }

    #[test]
    fn clocks() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(1_999), "00:01");
        assert_eq!(clock(3_599_999), "59:59");
        assert_eq!(clock(3_600_000), "1:00:00");
        assert_eq!(clock(360_000_000 + 61_000), "100:01:01");
        assert_eq!(cue_time(0, '.'), "00:00:00.000");
        assert_eq!(cue_time(3_723_004, ','), "01:02:03,004");
        assert_eq!(cue_time(360_000_000, '.'), "100:00:00.000");
        assert_eq!(cue_time(u64::MAX, '.'), "5124095576030:25:51.615");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_ms(Some(1.4)), Some(1400));
        assert_eq!(duration_ms(Some(-2.0)), Some(0));
        assert_eq!(duration_ms(Some(f64::NAN)), None);
        assert_eq!(duration_ms(Some(f64::INFINITY)), None);
        assert_eq!(duration_ms(Some(1e300)), Some(u64::MAX));
        assert_eq!(duration_ms(None), None);
    }

    #[test]
    fn cues_follow_timestamps_and_durations() {
        let t = transcript(vec![
            message(Some(1), Some(1.4), "a"),
            message(Some(5), Some(2.1), "b"),
        ]);
        assert_eq!(cues(&t), [(1000, 2400), (5000, 7100)]);
    }

    #[test]
    fn missing_timestamp_starts_at_previous_end() {
        let t = transcript(vec![
            message(None, Some(1.0), "first"),
            message(Some(3), Some(1.0), "b"),
            message(None, Some(0.5), "c"),
        ]);
        assert_eq!(cues(&t), [(0, 1000), (3000, 4000), (4000, 4500)]);
    }

    #[test]
    fn missing_duration_is_estimated_and_cut_at_the_next_message() {
        let t = transcript(vec![
            message(Some(0), None, "one two three four five"), // 2 s estimate
            message(Some(10), None, "hi"),                     // 1 s minimum
            message(Some(10), None, "one two three four five six"), // next starts at 11 s
            message(Some(11), Some(1.0), "x"),
        ]);
        assert_eq!(
            cues(&t),
            [
                (0, 2000),
                (10_000, 11_000),
                (10_000, 11_000),
                (11_000, 12_000)
            ]
        );
    }

    #[test]
    fn cues_never_run_backwards() {
        let mut t = transcript(vec![
            message(Some(-5), Some(1.0), "before the start"),
            message(Some(10), Some(-3.0), "negative duration"),
            message(Some(4), Some(1.0), "out of order"),
        ]);
        assert_eq!(cues(&t), [(0, 1000), (10_000, 10_001), (10_000, 11_000)]);
        // Without a start time the first timestamp is the origin.
        t.start_time = None;
        assert_eq!(cues(&t)[0], (0, 1000));
        assert_eq!(cues(&t)[1].0, 15_000);
    }

    #[test]
    fn session_length() {
        let mut t = transcript(Vec::new());
        assert_eq!(session_ms(&t), None);
        t.end_time = at(754);
        assert_eq!(session_ms(&t), Some(754_000));
        t.duration_ms = Some(1_000);
        assert_eq!(session_ms(&t), Some(1_000));
    }
}
