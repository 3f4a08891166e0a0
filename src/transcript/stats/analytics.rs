//! The session's analytics merged into a transcript's statistics: what the transcript lacks
//! is filled from them, and each such figure's source says so.

use crate::types::{
    SessionAnalytics, SessionAnalyticsTurn, SessionAnalyticsTurnFinishReason, TranscriptRole,
};

use super::super::clean::single_line;
use super::super::timing::delta_ms;
use super::*;

impl Stats {
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
    /// use anam::transcript::{Figure, Source, Stats};
    ///
    /// let id = "00000000-0000-0000-0000-000000000000";
    /// let transcript = anam.sessions().transcript(id).await?;
    /// let analytics = anam.sessions().analytics(id).await?;
    /// let stats = Stats::from_transcript(&transcript).with_analytics(&analytics);
    /// let outcomes = stats.turn_outcomes.as_ref().expect("analytics");
    /// println!("{:?} of {:?} turns interrupted", outcomes.interrupted, outcomes.total);
    /// assert_eq!(stats.sources[&Figure::ResponseLatency], Source::Analytics);
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
                .insert(Figure::ResponseLatency, Source::Analytics);
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
                    .insert(Figure::SessionSeconds, Source::Analytics);
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
            self.sources.insert(Figure::TurnOutcomes, Source::Analytics);
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
                .insert(Figure::PipelineLatencies, Source::Analytics);
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
                self.roles.push(RoleStats::empty(Some(role), speaker));
                self.roles.len() - 1
            }
        };
        let entry = &mut self.roles[position];
        if entry.talk_seconds.is_none() {
            entry.talk_seconds = Some(seconds(ms));
            entry.talk_source = Some(Source::Analytics);
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
