//! The figures a transcript alone supports: turns, talk time, latencies, gaps and overlaps,
//! monologues, interruptions.

use std::collections::BTreeMap;

use crate::types::{Transcript, TranscriptMessage, TranscriptRole};

use super::super::speaker;
use super::super::timing::{delta_ms, duration_ms, session_ms, words};
use super::*;

impl Spacing {
    /// The spacing of `values` (positive milliseconds).
    pub(super) fn of(values: &[u64]) -> Self {
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
                        turns: turns.iter().filter(|t| t.role == role).count(),
                        ..RoleStats::empty(message.role.clone(), speaker(transcript, message))
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
            (Figure::SessionSeconds, stats.session_seconds.is_some()),
            (Figure::ResponseLatency, stats.response_latency.is_some()),
            (Figure::Gaps, stats.gaps.is_some()),
            (Figure::Overlaps, stats.overlaps.is_some()),
            (Figure::LongestMonologue, stats.longest_monologue.is_some()),
        ];
        for (figure, present) in present {
            if present {
                stats.sources.insert(figure, Source::Transcript);
            }
        }
        stats
    }
}
