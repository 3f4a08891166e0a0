//! Statistics of a transcript, optionally merged with the session's analytics.
//!
//! All arithmetic is done in whole milliseconds (`speakingDurationSeconds` is rounded to the
//! millisecond), so figures carry no floating-point noise and never NaN. A figure that needs a
//! timestamp or duration the transcript lacks is left out (`None`) rather than guessed; the
//! subtitle formats' estimates ([`Timeline`](super::timing::Timeline)) are not used here.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::types::{
    SessionAnalytics, SessionAnalyticsTurn, SessionAnalyticsTurnFinishReason, Transcript,
    TranscriptMessage, TranscriptRole,
};

use super::clean::single_line;
use super::speaker;
use super::timing::{delta_ms, duration_ms, session_ms, words};

/// Where a figure came from.
///
/// ```
/// use anam::transcript::{Source, Stats};
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
/// assert_eq!(stats.sources.get("gaps"), Some(&Source::Transcript));
/// assert_eq!(stats.sources.get("turnOutcomes"), None); // only with analytics
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

/// Statistics of one session's transcript.
///
/// A *turn* is a maximal run of consecutive messages with the same role. `sources` names, for
/// each figure below that is present and could come from either endpoint, where it came from:
/// its keys are `sessionSeconds`, `responseLatency`, `gaps`, `overlaps`, `longestMonologue`,
/// `turnOutcomes` and `pipelineLatencies` (per-role talk time has
/// [`RoleStats::talk_source`]). Serialized with camelCase keys; `Display` is a readable
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
    pub sources: BTreeMap<String, Source>,
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
    /// Its label, as [`speaker`] gives it.
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
/// session had). Example on [`Stats::with_analytics`].
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
/// [`Stats::with_analytics`].
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

impl Spacing {
    /// The spacing of `values` (positive milliseconds).
    fn of(values: &[u64]) -> Self {
        Self {
            count: values.len(),
            total_seconds: seconds(values.iter().fold(0, |a: u64, &v| a.saturating_add(v))),
            longest_seconds: values.iter().max().map(|&v| seconds(v)),
        }
    }
}

/// A run of consecutive messages with one role.
struct Turn<'a> {
    role: Option<&'a TranscriptRole>,
    first: usize,
    messages: usize,
    talk_ms: Option<u64>,
}

/// The turns of `messages`.
fn turns(messages: &[TranscriptMessage]) -> Vec<Turn<'_>> {
    let mut turns: Vec<Turn<'_>> = Vec::new();
    for (index, message) in messages.iter().enumerate() {
        let duration = duration_ms(message.speaking_duration_seconds);
        match turns.last_mut() {
            Some(turn) if turn.role == message.role.as_ref() => {
                turn.messages += 1;
                if let Some(ms) = duration {
                    turn.talk_ms = Some(turn.talk_ms.unwrap_or(0).saturating_add(ms));
                }
            }
            _ => turns.push(Turn {
                role: message.role.as_ref(),
                first: index,
                messages: 1,
                talk_ms: duration,
            }),
        }
    }
    turns
}

impl Stats {
    /// Computes every figure the transcript supports (see each field).
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
    /// assert_eq!((stats.messages, stats.turns), (3, 3));
    /// assert_eq!(stats.roles[0].speaker, "Cara");
    /// assert_eq!(stats.persona_interrupted, 0);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_transcript(transcript: &Transcript) -> Self {
        let messages = &transcript.messages;
        let turns = turns(messages);

        let mut roles: Vec<RoleStats> = Vec::new();
        // Per role: known talk time and the words of the messages it covers.
        let mut timed: Vec<(Option<u64>, usize)> = Vec::new();
        for message in messages {
            let position = match roles.iter().position(|r| r.role == message.role) {
                Some(position) => position,
                None => {
                    let role = message.role.as_ref();
                    roles.push(RoleStats {
                        role: message.role.clone(),
                        speaker: speaker(transcript, message),
                        messages: 0,
                        turns: turns.iter().filter(|t| t.role == role).count(),
                        words: 0,
                        talk_seconds: None,
                        talk_source: None,
                        talk_share: None,
                        untimed_messages: 0,
                        words_per_minute: None,
                    });
                    timed.push((None, 0));
                    roles.len() - 1
                }
            };
            let (role, (talk, timed_words)) = (&mut roles[position], &mut timed[position]);
            role.messages += 1;
            role.words += words(message);
            match duration_ms(message.speaking_duration_seconds) {
                Some(ms) => {
                    *talk = Some(talk.unwrap_or(0).saturating_add(ms));
                    *timed_words += words(message);
                }
                None => role.untimed_messages += 1,
            }
        }
        for (role, (talk, words)) in roles.iter_mut().zip(timed) {
            role.talk_seconds = talk.map(seconds);
            role.talk_source = talk.map(|_| Source::Transcript);
            role.words_per_minute = talk
                .filter(|&ms| ms > 0)
                .map(|ms| words as f64 * 60_000.0 / ms as f64);
        }

        let persona_interrupted = messages
            .iter()
            .filter(|m| m.role == Some(TranscriptRole::Persona) && m.was_interrupted == Some(true))
            .count();

        // Consecutive pairs: the second's timestamp minus the first's end.
        let mut latencies = Vec::new();
        let (mut gaps, mut overlaps, mut measured) = (Vec::new(), Vec::new(), 0);
        for pair in messages.windows(2) {
            let (first, second) = (&pair[0], &pair[1]);
            let (Some(from), Some(to), Some(length)) =
                (first.timestamp, second.timestamp, signed_duration(first))
            else {
                continue;
            };
            let between = delta_ms(from, to).saturating_sub(length);
            measured += 1;
            if between > 0 {
                gaps.push(between.unsigned_abs());
            } else if between < 0 {
                overlaps.push(between.unsigned_abs());
            }
            if first.role == Some(TranscriptRole::User)
                && second.role == Some(TranscriptRole::Persona)
            {
                latencies.push(between);
            }
        }

        let longest_monologue = turns
            .iter()
            .filter_map(|turn| turn.talk_ms.map(|ms| (turn, ms)))
            .fold(None::<(&Turn<'_>, u64)>, |best, (turn, ms)| match best {
                Some((_, best_ms)) if best_ms >= ms => best,
                _ => Some((turn, ms)),
            })
            .map(|(turn, ms)| Monologue {
                role: turn.role.cloned(),
                speaker: speaker(transcript, &messages[turn.first]),
                first_message: turn.first,
                messages: turn.messages,
                talk_seconds: seconds(ms),
            });

        let mut stats = Self {
            session_id: transcript.session_id.clone(),
            messages: messages.len(),
            turns: turns.len(),
            session_seconds: session_ms(transcript).map(seconds),
            roles,
            persona_interrupted,
            response_latency: Latency::of(latencies),
            gaps: (measured > 0).then(|| Spacing::of(&gaps)),
            overlaps: (measured > 0).then(|| Spacing::of(&overlaps)),
            longest_monologue,
            turn_outcomes: None,
            pipeline_latencies: None,
            sources: BTreeMap::new(),
        };
        stats.update_shares();
        let present = [
            ("sessionSeconds", stats.session_seconds.is_some()),
            ("responseLatency", stats.response_latency.is_some()),
            ("gaps", stats.gaps.is_some()),
            ("overlaps", stats.overlaps.is_some()),
            ("longestMonologue", stats.longest_monologue.is_some()),
        ];
        for (key, present) in present {
            if present {
                stats.sources.insert(key.to_owned(), Source::Transcript);
            }
        }
        stats
    }

    /// Merges the analytics endpoint's turn timings and latency figures; records which
    /// figures came from where. It does not check that both describe the same session.
    ///
    /// - `responseLatency` becomes the distribution of the turns' `firstAudioLatencySeconds`
    ///   (user speech end to persona speech start, measured by the engine), or, for a turn
    ///   without one, `personaStartSpeakingTime - userSpeechEndTime`; turns with neither
    ///   (such as the greeting) are skipped, and the transcript's figure stays when no turn
    ///   has one.
    /// - Talk time of `user` and `persona`, only where the transcript has none: the user's is
    ///   `totalUserSpeechDurationSeconds`, else the sum of the turns'
    ///   `userSpeechDurationSeconds`; the persona's is the sum of the turns'
    ///   `speakingDurationSeconds` (else `personaStopSpeakingTime - personaStartSpeakingTime`).
    ///   A role the transcript lacks is added with no messages; shares are recomputed.
    /// - `sessionSeconds` from `durationSeconds` (else end minus start) when the transcript
    ///   has none.
    /// - `turnOutcomes` and `pipelineLatencies`, which only the analytics endpoint has.
    ///
    /// ```
    /// # #[cfg(feature = "mock")]
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> anam::Result<()> {
    /// # let mock = anam::mock::MockAnam::start().await;
    /// # let anam = mock.client()?;
    /// use anam::transcript::{Source, Stats};
    ///
    /// let id = "00000000-0000-0000-0000-000000000000";
    /// let transcript = anam.sessions().transcript(id).await?;
    /// let analytics = anam.sessions().analytics(id).await?;
    /// let stats = Stats::from_transcript(&transcript).with_analytics(&analytics);
    /// let outcomes = stats.turn_outcomes.as_ref().expect("analytics");
    /// println!("{:?} of {:?} turns interrupted", outcomes.interrupted, outcomes.total);
    /// assert_eq!(stats.sources["responseLatency"], Source::Analytics);
    /// # Ok(())
    /// # }
    /// # #[cfg(not(feature = "mock"))]
    /// # fn main() {}
    /// ```
    pub fn with_analytics(mut self, analytics: &SessionAnalytics) -> Self {
        let turns = &analytics.turns;
        let summary = analytics.summary.as_ref();

        let latencies: Vec<i64> = turns
            .iter()
            .filter_map(|turn| {
                let reported = turn.first_audio_latency_seconds.filter(|s| s.is_finite());
                match reported {
                    Some(seconds) => Some((seconds * 1000.0).round() as i64),
                    None => Some(delta_ms(
                        turn.user_speech_end_time?,
                        turn.persona_start_speaking_time?,
                    )),
                }
            })
            .collect();
        if let Some(latency) = Latency::of(latencies) {
            self.response_latency = Some(latency);
            self.sources
                .insert("responseLatency".to_owned(), Source::Analytics);
        }

        let user_talk = summary
            .and_then(|s| s.total_user_speech_duration_seconds)
            .and_then(to_ms)
            .or_else(|| sum_ms(turns, |t| t.user_speech_duration_seconds.and_then(to_ms)));
        let persona_talk = sum_ms(turns, |turn| {
            turn.speaking_duration_seconds.and_then(to_ms).or_else(|| {
                let ms = delta_ms(
                    turn.persona_start_speaking_time?,
                    turn.persona_stop_speaking_time?,
                );
                u64::try_from(ms).ok()
            })
        });
        self.fill_talk(TranscriptRole::User, "User".to_owned(), user_talk);
        let persona = analytics
            .config
            .as_ref()
            .and_then(|c| c.persona_name.as_deref())
            .map(single_line)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "Persona".to_owned());
        self.fill_talk(TranscriptRole::Persona, persona, persona_talk);
        self.update_shares();

        if self.session_seconds.is_none() {
            let from_fields = analytics.duration_seconds.and_then(to_ms).or_else(|| {
                u64::try_from(delta_ms(analytics.start_time?, analytics.end_time?)).ok()
            });
            if let Some(ms) = from_fields {
                self.session_seconds = Some(seconds(ms));
                self.sources
                    .insert("sessionSeconds".to_owned(), Source::Analytics);
            }
        }

        let listed = |keep: fn(&SessionAnalyticsTurn) -> bool| {
            (!turns.is_empty()).then(|| turns.iter().filter(|t| keep(t)).count() as u64)
        };
        let listed_interrupted = listed(|t| t.was_interrupted == Some(true));
        let responded = listed(|t| t.finish_reason.is_some()).filter(|&n| n > 0);
        let outcomes = TurnOutcomes {
            total: summary
                .and_then(|s| s.total_turns)
                .and_then(|n| u64::try_from(n).ok())
                .or_else(|| listed(|_| true)),
            completed: summary
                .and_then(|s| s.completed_turns)
                .and_then(|n| u64::try_from(n).ok())
                .or_else(|| {
                    listed(|t| t.finish_reason == Some(SessionAnalyticsTurnFinishReason::Completed))
                }),
            interrupted: summary
                .and_then(|s| s.interrupted_turns)
                .and_then(|n| u64::try_from(n).ok())
                .or(listed_interrupted),
            interruption_rate: summary
                .and_then(|s| s.interruption_rate)
                .filter(|r| r.is_finite())
                .or_else(|| Some(listed_interrupted? as f64 / responded? as f64)),
        };
        if outcomes != TurnOutcomes::default() {
            self.turn_outcomes = Some(outcomes);
            self.sources
                .insert("turnOutcomes".to_owned(), Source::Analytics);
        }

        let averages = summary.and_then(|s| s.average_latencies.as_ref());
        let pipeline = PipelineLatencies {
            transcription_seconds: averages
                .and_then(|a| a.transcription_latency_seconds)
                .or_else(|| mean(turns, |t| t.transcription_latency_seconds)),
            llm_time_to_first_output_seconds: averages
                .and_then(|a| a.llm_time_to_first_output_seconds)
                .or_else(|| mean(turns, |t| t.llm_time_to_first_output_seconds)),
            tts_generation_seconds: averages
                .and_then(|a| a.tts_generation_duration_seconds)
                .or_else(|| mean(turns, |t| t.tts_generation_duration_seconds)),
            first_audio_seconds: averages
                .and_then(|a| a.first_audio_latency_seconds)
                .or_else(|| mean(turns, |t| t.first_audio_latency_seconds)),
        };
        if pipeline != PipelineLatencies::default() {
            self.pipeline_latencies = Some(pipeline);
            self.sources
                .insert("pipelineLatencies".to_owned(), Source::Analytics);
        }
        self
    }

    /// Gives `role` the analytics talk time `ms` when the transcript has none for it.
    fn fill_talk(&mut self, role: TranscriptRole, speaker: String, ms: Option<u64>) {
        let Some(ms) = ms else { return };
        let position = match self
            .roles
            .iter()
            .position(|r| r.role.as_ref() == Some(&role))
        {
            Some(position) => position,
            None => {
                self.roles.push(RoleStats {
                    role: Some(role),
                    speaker,
                    messages: 0,
                    turns: 0,
                    words: 0,
                    talk_seconds: None,
                    talk_source: None,
                    talk_share: None,
                    untimed_messages: 0,
                    words_per_minute: None,
                });
                self.roles.len() - 1
            }
        };
        let entry = &mut self.roles[position];
        if entry.talk_seconds.is_none() {
            entry.talk_seconds = Some(seconds(ms));
            entry.talk_source = Some(Source::Analytics);
        }
    }

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

/// The sum of `value` over the turns that have it; `None` when none has.
fn sum_ms(
    turns: &[SessionAnalyticsTurn],
    value: impl Fn(&SessionAnalyticsTurn) -> Option<u64>,
) -> Option<u64> {
    turns
        .iter()
        .filter_map(value)
        .fold(None, |sum: Option<u64>, ms| {
            Some(sum.unwrap_or(0).saturating_add(ms))
        })
}

/// The mean of the finite values of `value` over the turns, rounded to the millisecond.
fn mean(
    turns: &[SessionAnalyticsTurn],
    value: fn(&SessionAnalyticsTurn) -> Option<f64>,
) -> Option<f64> {
    let values: Vec<u64> = turns
        .iter()
        .filter_map(|t| value(t).and_then(to_ms))
        .collect();
    let count = u64::try_from(values.len()).ok().filter(|&n| n > 0)?;
    let sum: u128 = values.iter().map(|&v| u128::from(v)).sum();
    Some((sum as f64 / count as f64).round() / 1000.0)
}

/// Seconds for display: at most two decimals, trailing zeros dropped (`1.4 s`).
fn secs(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

/// `n noun`, pluralised with an `s`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// ` (analytics)` for figures from the analytics endpoint.
fn from(source: Option<&Source>) -> &'static str {
    match source {
        Some(Source::Analytics) => " (analytics)",
        _ => "",
    }
}

impl fmt::Display for RoleStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", single_line(&self.speaker))?;
        if self.role == Some(TranscriptRole::Persona) && self.speaker != "Persona" {
            write!(f, " (persona)")?;
        }
        write!(
            f,
            ": {}, {}, {}",
            count(self.messages, "message"),
            count(self.turns, "turn"),
            count(self.words, "word")
        )?;
        if let Some(talk) = self.talk_seconds {
            write!(
                f,
                ", {} talking{}",
                secs(talk),
                from(self.talk_source.as_ref())
            )?;
            if let Some(share) = self.talk_share {
                write!(f, " ({:.0}%)", share * 100.0)?;
            }
        }
        if self.untimed_messages > 0 {
            write!(
                f,
                ", {} without a duration",
                count(self.untimed_messages, "message")
            )?;
        }
        if let Some(wpm) = self.words_per_minute {
            write!(f, ", {wpm:.0} words/min")?;
        }
        Ok(())
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {}",
            count(self.messages, "message"),
            count(self.turns, "turn")
        )?;
        if let Some(length) = self.session_seconds {
            write!(
                f,
                ", session {}{}",
                secs(length),
                from(self.sources.get("sessionSeconds"))
            )?;
        }
        writeln!(f)?;
        for role in &self.roles {
            writeln!(f, "{role}")?;
        }
        let persona_messages: usize = self
            .roles
            .iter()
            .filter(|r| r.role == Some(TranscriptRole::Persona))
            .map(|r| r.messages)
            .sum();
        writeln!(
            f,
            "Persona messages interrupted: {} of {persona_messages}",
            self.persona_interrupted
        )?;
        write!(
            f,
            "Response latency{}: ",
            from(self.sources.get("responseLatency"))
        )?;
        match &self.response_latency {
            Some(l) => writeln!(
                f,
                "median {}, p90 {}, max {} ({})",
                secs(l.median_seconds),
                secs(l.p90_seconds),
                secs(l.max_seconds),
                count(l.count, "response")
            )?,
            None => writeln!(f, "unknown")?,
        }
        for (name, spacing) in [("Gaps", &self.gaps), ("Overlaps", &self.overlaps)] {
            match spacing {
                None => writeln!(f, "{name}: unknown")?,
                Some(s) => match s.longest_seconds {
                    Some(longest) if s.count > 0 => writeln!(
                        f,
                        "{name}: {}, {} in total, longest {}",
                        s.count,
                        secs(s.total_seconds),
                        secs(longest)
                    )?,
                    _ => writeln!(f, "{name}: none")?,
                },
            }
        }
        match &self.longest_monologue {
            Some(m) => writeln!(
                f,
                "Longest monologue: {}, {} ({} from message {})",
                single_line(&m.speaker),
                secs(m.talk_seconds),
                count(m.messages, "message"),
                m.first_message + 1
            )?,
            None => writeln!(f, "Longest monologue: unknown")?,
        }
        if let Some(o) = &self.turn_outcomes {
            let n = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
            write!(
                f,
                "Turns (analytics): {}, {} completed, {} interrupted",
                n(o.total),
                n(o.completed),
                n(o.interrupted)
            )?;
            if let Some(rate) = o.interruption_rate {
                write!(f, " ({:.0}% of responses)", rate * 100.0)?;
            }
            writeln!(f)?;
        }
        if let Some(p) = &self.pipeline_latencies {
            let parts: Vec<String> = [
                ("transcription", p.transcription_seconds),
                ("LLM first output", p.llm_time_to_first_output_seconds),
                ("TTS generation", p.tts_generation_seconds),
                ("first audio", p.first_audio_seconds),
            ]
            .into_iter()
            .filter_map(|(name, v)| {
                v.filter(|v| v.is_finite())
                    .map(|v| format!("{name} {}", secs(v)))
            })
            .collect();
            writeln!(f, "Average latencies (analytics): {}", parts.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            stats.sources.get("sessionSeconds"),
            Some(&Source::Analytics)
        );
        assert_eq!(stats.sources.get("responseLatency"), None);
    }
}
