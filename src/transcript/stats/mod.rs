//! Statistics of a transcript, optionally merged with the session's analytics: [`Stats`] here,
//! its figures' types in `figures`, computed from the transcript in `transcript`, filled from
//! the analytics in `analytics`, and written for people in `display`.
//!
//! All arithmetic is done in whole milliseconds (`speakingDurationSeconds` is rounded to the
//! millisecond), so figures carry no floating-point noise and never NaN. A figure that needs a
//! timestamp or duration the transcript lacks is left out (`None`) rather than guessed; the
//! subtitle formats' estimates ([`Timeline`](super::timing::Timeline)) are not used here.

mod analytics;
mod display;
mod figures;
mod transcript;

pub use figures::{
    Figure, Latency, Monologue, PipelineLatencies, RoleStats, Source, Spacing, TurnOutcomes,
};

use std::collections::BTreeMap;

use serde::Serialize;

use super::timing::duration_ms;
use crate::types::{TranscriptMessage, TranscriptRole};

/// Statistics of one session's transcript.
///
/// A *turn* is a maximal run of consecutive messages with the same role. `sources` names, for
/// each figure below that is present and could come from either endpoint, where it came from,
/// keyed by [`Figure`] (per-role talk time has [`RoleStats::talk_source`]). Serialized with camelCase keys; `Display` is a readable
/// summary.
///
/// ```
/// use anam::transcript::Stats;
///
/// # let transcript: anam::types::Transcript = serde_json::from_str(r#"{
/// #     "personaName": "Cara", "startTime": "2026-04-20T09:00:00Z", "messages": [
/// #     {"role": "persona", "message": "Hi! How can I help?",
/// #      "timestamp": "2026-04-20T09:00:01Z", "speakingDurationSeconds": 1.4},
/// #     {"role": "user", "message": "Can you tell me a joke?",
/// #      "timestamp": "2026-04-20T09:00:05Z", "speakingDurationSeconds": 2.1},
/// #     {"role": "persona", "message": "Why did the avatar cross the road?",
/// #      "timestamp": "2026-04-20T09:00:07.5Z", "speakingDurationSeconds": 2.0}
/// # ]}"#)?;
/// let stats = Stats::from_transcript(&transcript);
/// println!("{stats}");
/// assert!(stats.to_string().starts_with("3 messages in 3 turns\nCara (persona): 2 messages"));
/// let json = serde_json::to_string_pretty(&stats)?;
/// assert!(json.contains("\"responseLatency\""));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Stats {
    /// `sessionId`.
    pub session_id: Option<String>,
    /// Messages in the transcript.
    pub messages: usize,
    /// Turns in the transcript.
    pub turns: usize,
    /// Session length: `durationMs`, else `endTime - startTime`; with analytics, its
    /// `durationSeconds` when the transcript has neither.
    pub session_seconds: Option<f64>,
    /// One entry per role, in order of first appearance (analytics may add `user` and
    /// `persona` entries with no messages, see [`Stats::with_analytics`]).
    pub roles: Vec<RoleStats>,
    /// Persona messages with `wasInterrupted: true`.
    pub persona_interrupted: usize,
    /// Persona response latency: for each user message immediately followed by a persona
    /// message, the persona message's timestamp minus the user message's end (its timestamp
    /// plus its speaking duration). Negative when the persona started before the user's
    /// recorded end. `None` when no such pair has all three values. With analytics, the
    /// engine's per-turn first-audio latency replaces it (see [`Stats::with_analytics`]).
    pub response_latency: Option<Latency>,
    /// Silences between consecutive messages: for each pair with both timestamps and the
    /// first one's duration, the second's timestamp minus the first's end, when positive.
    /// `None` when no pair could be measured.
    pub gaps: Option<Spacing>,
    /// Overlaps between consecutive messages: the same differences, when negative (counted
    /// by their size). `None` when no pair could be measured.
    pub overlaps: Option<Spacing>,
    /// The turn with the most talk time (the sum of its messages' known durations; the first
    /// such turn on a tie). `None` when no message has a duration.
    pub longest_monologue: Option<Monologue>,
    /// Turn outcomes from the analytics endpoint; `None` without analytics.
    pub turn_outcomes: Option<TurnOutcomes>,
    /// The engine's average pipeline latencies; `None` without analytics.
    pub pipeline_latencies: Option<PipelineLatencies>,
    /// Where each present figure came from (see above).
    pub sources: BTreeMap<Figure, Source>,
}

/// Milliseconds as seconds.
fn seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// Signed milliseconds as seconds.
fn signed_seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// Seconds (finite, non-negative) as whole milliseconds.
fn to_ms(seconds: f64) -> Option<u64> {
    duration_ms(Some(seconds))
}

/// A message's duration in milliseconds as a signed value.
fn signed_duration(message: &TranscriptMessage) -> Option<i64> {
    duration_ms(message.speaking_duration_seconds).map(|ms| i64::try_from(ms).unwrap_or(i64::MAX))
}

impl Latency {
    /// The distribution of `values` (milliseconds); `None` when empty.
    fn of(mut values: Vec<i64>) -> Option<Self> {
        values.sort_unstable();
        let count = values.len();
        let max = *values.last()?;
        let mid = count / 2;
        let median = if count % 2 == 1 {
            values[mid] as f64
        } else {
            (values[mid - 1] as f64 + values[mid] as f64) / 2.0
        };
        let rank = (9 * count).div_ceil(10).max(1);
        let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
        Some(Self {
            count,
            median_seconds: median / 1000.0,
            p90_seconds: signed_seconds(values[rank - 1]),
            max_seconds: signed_seconds(max),
            mean_seconds: sum as f64 / count as f64 / 1000.0,
        })
    }
}

impl Stats {
    /// Recomputes every role's `talk_share` from the talk times.
    fn update_shares(&mut self) {
        let total = self
            .roles
            .iter()
            .filter_map(|r| r.talk_seconds.and_then(to_ms))
            .fold(0, u64::saturating_add);
        for role in &mut self.roles {
            role.talk_share = role
                .talk_seconds
                .and_then(to_ms)
                .filter(|_| total > 0)
                .map(|ms| ms as f64 / total as f64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::display::secs;
    use super::*;
    use crate::types::{
        SessionAnalytics, SessionAnalyticsTurn, SessionAnalyticsTurnFinishReason, Transcript,
    };

    fn ms_latency(values: &[i64]) -> Latency {
        Latency::of(values.to_vec()).expect("values")
    }

    #[test]
    fn latency_percentiles() {
        assert_eq!(Latency::of(Vec::new()), None);
        let one = ms_latency(&[1500]);
        assert_eq!(
            (
                one.count,
                one.median_seconds,
                one.p90_seconds,
                one.max_seconds
            ),
            (1, 1.5, 1.5, 1.5)
        );
        let even = ms_latency(&[400, 100, 300, 200]);
        assert_eq!(
            (
                even.median_seconds,
                even.p90_seconds,
                even.max_seconds,
                even.mean_seconds
            ),
            (0.25, 0.4, 0.4, 0.25)
        );
        let ten: Vec<i64> = (1..=10).map(|v| v * 100).collect();
        let ten = ms_latency(&ten);
        assert_eq!((ten.median_seconds, ten.p90_seconds), (0.55, 0.9));
        let negative = ms_latency(&[-200, 100, 400]);
        assert_eq!((negative.median_seconds, negative.max_seconds), (0.1, 0.4));
    }

    #[test]
    fn spacing() {
        assert_eq!(
            Spacing::of(&[]),
            Spacing {
                count: 0,
                total_seconds: 0.0,
                longest_seconds: None
            }
        );
        assert_eq!(
            Spacing::of(&[300, 1200]),
            Spacing {
                count: 2,
                total_seconds: 1.5,
                longest_seconds: Some(1.2)
            }
        );
    }

    #[test]
    fn display_seconds() {
        assert_eq!(secs(1.4), "1.4 s");
        assert_eq!(secs(2.0), "2 s");
        assert_eq!(secs(0.125), "0.12 s");
        assert_eq!(secs(754.0), "754 s");
    }

    #[test]
    fn empty_transcript() {
        let stats = Stats::from_transcript(&Transcript::default());
        assert_eq!(stats.messages, 0);
        assert_eq!(stats.turns, 0);
        assert!(stats.roles.is_empty());
        assert_eq!(stats.response_latency, None);
        assert_eq!(stats.gaps, None);
        assert_eq!(stats.longest_monologue, None);
        assert!(stats.sources.is_empty());
        assert!(stats.to_string().starts_with("0 messages in 0 turns\n"));
    }

    #[test]
    fn analytics_fill_a_transcript_without_messages() {
        let transcript = Transcript {
            transcripts_enabled: Some(false),
            ..Default::default()
        };
        let analytics = SessionAnalytics {
            duration_seconds: Some(60.0),
            turns: vec![
                SessionAnalyticsTurn {
                    speaking_duration_seconds: Some(3.0),
                    user_speech_duration_seconds: Some(1.0),
                    finish_reason: Some(SessionAnalyticsTurnFinishReason::Interrupted),
                    was_interrupted: Some(true),
                    ..Default::default()
                },
                SessionAnalyticsTurn {
                    speaking_duration_seconds: Some(f64::NAN),
                    finish_reason: Some(SessionAnalyticsTurnFinishReason::Completed),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let stats = Stats::from_transcript(&transcript).with_analytics(&analytics);
        assert_eq!(stats.session_seconds, Some(60.0));
        let talk: Vec<_> = stats
            .roles
            .iter()
            .map(|r| {
                (
                    r.role.clone(),
                    r.messages,
                    r.talk_seconds,
                    r.talk_source,
                    r.talk_share,
                )
            })
            .collect();
        assert_eq!(
            talk,
            [
                (
                    Some(TranscriptRole::User),
                    0,
                    Some(1.0),
                    Some(Source::Analytics),
                    Some(0.25)
                ),
                (
                    Some(TranscriptRole::Persona),
                    0,
                    Some(3.0),
                    Some(Source::Analytics),
                    Some(0.75)
                ),
            ]
        );
        assert_eq!(
            stats.turn_outcomes,
            Some(TurnOutcomes {
                total: Some(2),
                completed: Some(1),
                interrupted: Some(1),
                interruption_rate: Some(0.5),
            })
        );
        assert_eq!(stats.pipeline_latencies, None);
        assert_eq!(
            stats.sources.get(&Figure::SessionSeconds),
            Some(&Source::Analytics)
        );
        assert_eq!(stats.sources.get(&Figure::ResponseLatency), None);
    }
}
