//! The figures [`Stats`](super::Stats) is made of, each a type of its own, and where each came from.

use std::fmt;

use serde::Serialize;

use crate::types::TranscriptRole;

/// A figure of [`Stats`](super::Stats) that either endpoint can give: the keys of [`Stats::sources`](super::Stats::sources).
/// Serialized as its field's camelCase name (`responseLatency`); `Display` writes the same.
///
/// ```
/// use anam::transcript::Figure;
///
/// assert_eq!(Figure::ResponseLatency.to_string(), "responseLatency");
/// assert_eq!(serde_json::to_string(&Figure::Gaps).unwrap(), r#""gaps""#);
/// ```
// In the camelCase names' alphabetical order, so `sources` serializes in the order it did
// when its keys were strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Figure {
    /// [`Stats::gaps`](super::Stats::gaps).
    Gaps,
    /// [`Stats::longest_monologue`](super::Stats::longest_monologue).
    LongestMonologue,
    /// [`Stats::overlaps`](super::Stats::overlaps).
    Overlaps,
    /// [`Stats::pipeline_latencies`](super::Stats::pipeline_latencies) (analytics only).
    PipelineLatencies,
    /// [`Stats::response_latency`](super::Stats::response_latency).
    ResponseLatency,
    /// [`Stats::session_seconds`](super::Stats::session_seconds).
    SessionSeconds,
    /// [`Stats::turn_outcomes`](super::Stats::turn_outcomes) (analytics only).
    TurnOutcomes,
}

impl Figure {
    /// The figure's camelCase name, as in the JSON of [`Stats`](super::Stats).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gaps => "gaps",
            Self::LongestMonologue => "longestMonologue",
            Self::Overlaps => "overlaps",
            Self::PipelineLatencies => "pipelineLatencies",
            Self::ResponseLatency => "responseLatency",
            Self::SessionSeconds => "sessionSeconds",
            Self::TurnOutcomes => "turnOutcomes",
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a figure came from.
///
/// ```
/// use anam::transcript::{Figure, Source, Stats};
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
/// assert_eq!(stats.sources.get(&Figure::Gaps), Some(&Source::Transcript));
/// assert_eq!(stats.sources.get(&Figure::TurnOutcomes), None); // only with analytics
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Source {
    /// Computed from the transcript (`GET /v1/sessions/{id}/transcript`).
    Transcript,
    /// Taken or computed from the analytics endpoint (`GET /v1/sessions/{id}/analytics`).
    Analytics,
}

/// Figures for the messages of one role; `Display` gives them on one line.
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
/// for role in &stats.roles {
///     let share = role.talk_share.unwrap_or(0.0) * 100.0;
///     println!("{}: {} words, {share:.0}% of the talk time", role.speaker, role.words);
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoleStats {
    /// The role as sent; `None` for messages without one.
    pub role: Option<TranscriptRole>,
    /// Its label, as [`speaker`](crate::transcript::speaker) gives it.
    pub speaker: String,
    /// Messages with this role.
    pub messages: usize,
    /// Turns with this role.
    pub turns: usize,
    /// Whitespace-separated words in those messages.
    pub words: usize,
    /// Talk time: the sum of the known `speakingDurationSeconds`; `None` when no message of
    /// the role has one (analytics may then supply it).
    pub talk_seconds: Option<f64>,
    /// Where `talk_seconds` came from.
    pub talk_source: Option<Source>,
    /// This role's share of all roles' talk time, from 0 to 1.
    pub talk_share: Option<f64>,
    /// Messages of the role without a (finite) `speakingDurationSeconds`.
    pub untimed_messages: usize,
    /// Words per minute over the messages that have a duration: their words divided by their
    /// summed duration; `None` when that duration is zero.
    pub words_per_minute: Option<f64>,
}

impl RoleStats {
    /// A role with no messages, turns or figures yet.
    pub(super) fn empty(role: Option<TranscriptRole>, speaker: String) -> Self {
        Self {
            role,
            speaker,
            messages: 0,
            turns: 0,
            words: 0,
            talk_seconds: None,
            talk_source: None,
            talk_share: None,
            untimed_messages: 0,
            words_per_minute: None,
        }
    }
}

/// A distribution of latencies, in seconds.
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
/// let latency = stats.response_latency.expect("a user message followed by a persona one");
/// assert_eq!(latency.count, 1);
/// assert_eq!(latency.median_seconds, 0.4); // 07.5 s minus the user's end at 07.1 s
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Latency {
    /// How many values (at least one).
    pub count: usize,
    /// The median (the mean of the two middle values for an even count).
    pub median_seconds: f64,
    /// The 90th percentile, nearest-rank: the value at rank ⌈0.9 × count⌉.
    pub p90_seconds: f64,
    /// The largest value.
    pub max_seconds: f64,
    /// The arithmetic mean.
    pub mean_seconds: f64,
}

/// Gaps or overlaps between consecutive messages.
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
/// let gaps = stats.gaps.expect("timed messages");
/// assert_eq!((gaps.count, gaps.total_seconds), (2, 3.0));
/// assert_eq!(stats.overlaps.map(|o| o.count), Some(0));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Spacing {
    /// How many.
    pub count: usize,
    /// Their total length.
    pub total_seconds: f64,
    /// The longest one; `None` when there are none.
    pub longest_seconds: Option<f64>,
}

/// The longest turn by talk time.
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
/// if let Some(turn) = &stats.longest_monologue {
///     let (who, seconds) = (&turn.speaker, turn.talk_seconds);
///     println!("{who} talked {seconds} s from message {}", turn.first_message);
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Monologue {
    /// Its role.
    pub role: Option<TranscriptRole>,
    /// Its speaker label.
    pub speaker: String,
    /// The index in `messages` of its first message.
    pub first_message: usize,
    /// How many messages it spans.
    pub messages: usize,
    /// Its talk time.
    pub talk_seconds: f64,
}

/// Turn outcomes reported by the analytics endpoint. Each figure is the summary's, or, when the
/// summary lacks it, counted from the analytics `turns` (which may list fewer turns than the
/// session had). Example on [`Stats::with_analytics`](super::Stats::with_analytics).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TurnOutcomes {
    /// `totalTurns` (or the number of listed turns).
    pub total: Option<u64>,
    /// `completedTurns` (or turns with `finishReason: completed`).
    pub completed: Option<u64>,
    /// `interruptedTurns` (or turns with `wasInterrupted: true`).
    pub interrupted: Option<u64>,
    /// `interruptionRate`: interrupted turns over turns with an assistant response (or that
    /// ratio over the listed turns, those with a `finishReason` counting as responded).
    pub interruption_rate: Option<f64>,
}

/// The engine's per-session average latencies, in seconds. Each is the summary's
/// `averageLatencies` figure, or, when absent, the mean over the analytics `turns`. Example on
/// [`Stats::with_analytics`](super::Stats::with_analytics).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PipelineLatencies {
    /// User speech end to transcript complete.
    pub transcription_seconds: Option<f64>,
    /// Transcript complete to the LLM's first output.
    pub llm_time_to_first_output_seconds: Option<f64>,
    /// Text-to-speech generation time.
    pub tts_generation_seconds: Option<f64>,
    /// User speech end to the persona starting to speak.
    pub first_audio_seconds: Option<f64>,
}
