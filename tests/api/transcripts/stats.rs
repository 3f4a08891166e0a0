//! Statistics: on a hand-computed transcript and against the spec's analytics example.

use anam::transcript::{Figure, Source, Stats};
use anam::types::TranscriptRole;

use super::*;

/// A transcript whose statistics are worked out by hand in `hand_computed_stats`.
fn stats_case() -> Transcript {
    let at = |seconds: &str| format!("2026-04-20T10:00:{seconds}Z");
    serde_json::from_value(json!({
        "sessionId": "44444444-0000-0000-0000-000000000000",
        "personaName": "Cara",
        "startTime": at("00.000"),
        "endTime": at("30.000"),
        "transcriptsEnabled": true,
        "messages": [
            {"role": "persona", "message": "Hello there, how can I help?", "timestamp": at("01.000"), "speakingDurationSeconds": 2.0, "wasInterrupted": false},
            {"role": "user", "message": "I need help", "timestamp": at("04.000"), "speakingDurationSeconds": 1.5},
            {"role": "user", "message": "with my order", "timestamp": at("06.000"), "speakingDurationSeconds": 2.0},
            {"role": "persona", "message": "Sure, let me check that for you right now", "timestamp": at("07.800"), "speakingDurationSeconds": 3.0, "wasInterrupted": false},
            {"role": "user", "message": "Thanks", "timestamp": at("10.000"), "speakingDurationSeconds": 0.5},
            {"role": "persona", "message": "You are welcome", "timestamp": at("11.500"), "speakingDurationSeconds": null, "wasInterrupted": true},
            {"role": "persona", "message": "Anything else?", "timestamp": null, "speakingDurationSeconds": 1.0, "wasInterrupted": false},
            {"role": "user", "message": "No", "timestamp": at("20.000"), "speakingDurationSeconds": 0.4},
            {"role": "persona", "message": "Goodbye", "timestamp": at("21.000"), "speakingDurationSeconds": 1.0, "wasInterrupted": false}
        ]
    }))
    .expect("a Transcript")
}

#[test]
fn hand_computed_stats() {
    let stats = Stats::from_transcript(&stats_case());
    assert_eq!(
        stats.session_id.as_deref(),
        Some("44444444-0000-0000-0000-000000000000")
    );
    assert_eq!(stats.messages, 9);
    // P | U U | P | U | P P | U | P
    assert_eq!(stats.turns, 7);
    assert_eq!(stats.session_seconds, Some(30.0)); // endTime - startTime (no durationMs)

    let [persona, user] = &stats.roles[..] else {
        panic!("two roles: {:?}", stats.roles)
    };
    assert_eq!(persona.role, Some(TranscriptRole::Persona));
    assert_eq!(persona.speaker, "Cara");
    assert_eq!(
        (persona.messages, persona.turns, persona.words),
        (5, 4, 6 + 9 + 3 + 2 + 1)
    );
    // 2.0 + 3.0 + 1.0 + 1.0; "You are welcome" has no duration.
    assert_eq!(persona.talk_seconds, Some(7.0));
    assert_eq!(persona.talk_source, Some(Source::Transcript));
    assert_eq!(persona.untimed_messages, 1);
    assert_eq!(persona.talk_share, Some(7000.0 / 11400.0));
    // 18 words in the timed messages over 7 s.
    assert_eq!(persona.words_per_minute, Some(18.0 * 60_000.0 / 7000.0));

    assert_eq!(user.role, Some(TranscriptRole::User));
    assert_eq!(user.speaker, "User");
    assert_eq!(
        (user.messages, user.turns, user.words),
        (4, 3, 3 + 3 + 1 + 1)
    );
    assert_eq!(user.talk_seconds, Some(4.4)); // 1.5 + 2.0 + 0.5 + 0.4
    assert_eq!(user.untimed_messages, 0);
    assert_eq!(user.talk_share, Some(4400.0 / 11400.0));
    assert_eq!(user.words_per_minute, Some(8.0 * 60_000.0 / 4400.0));

    assert_eq!(stats.persona_interrupted, 1);
    // User end -> next persona start: 7.8 - 8.0, 11.5 - 10.5, 21.0 - 20.4.
    assert_serialized(
        &stats.response_latency,
        json!({"count": 3, "medianSeconds": 0.6, "p90Seconds": 1.0, "maxSeconds": 1.0,
               "meanSeconds": 1400.0 / 3.0 / 1000.0}),
    );
    // Consecutive pairs with both timestamps and the first's duration: 0-1 +1.0, 1-2 +0.5,
    // 2-3 -0.2, 3-4 -0.8, 4-5 +1.0, 7-8 +0.6 (5-6 and 6-7 lack a duration or timestamp).
    assert_serialized(
        &stats.gaps,
        json!({"count": 4, "totalSeconds": 3.1, "longestSeconds": 1.0}),
    );
    assert_serialized(
        &stats.overlaps,
        json!({"count": 2, "totalSeconds": 1.0, "longestSeconds": 0.8}),
    );
    let monologue = stats.longest_monologue.as_ref().expect("a monologue");
    assert_eq!(monologue.role, Some(TranscriptRole::User));
    assert_eq!(monologue.speaker, "User");
    assert_eq!((monologue.first_message, monologue.messages), (1, 2));
    assert_eq!(monologue.talk_seconds, 3.5);
    assert_eq!(stats.turn_outcomes, None);
    assert_eq!(stats.pipeline_latencies, None);
    let sources: Vec<(&str, Source)> = stats
        .sources
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        sources,
        [
            ("gaps", Source::Transcript),
            ("longestMonologue", Source::Transcript),
            ("overlaps", Source::Transcript),
            ("responseLatency", Source::Transcript),
            ("sessionSeconds", Source::Transcript),
        ]
    );

    assert_eq!(
        stats.to_string(),
        "9 messages in 7 turns, session 30 s\n\
         Cara (persona): 5 messages, 4 turns, 21 words, 7 s talking (61%), 1 message without a duration, 154 words/min\n\
         User: 4 messages, 3 turns, 8 words, 4.4 s talking (39%), 109 words/min\n\
         Persona messages interrupted: 1 of 5\n\
         Response latency: median 0.6 s, p90 1 s, max 1 s (3 responses)\n\
         Gaps: 4, 3.1 s in total, longest 1 s\n\
         Overlaps: 2, 1 s in total, longest 0.8 s\n\
         Longest monologue: User, 3.5 s (2 messages from message 2)\n"
    );

    let json = serde_json::to_value(&stats).expect("serializes");
    assert_eq!(json["responseLatency"]["p90Seconds"], 1.0);
    assert_eq!(json["roles"][0]["role"], "persona");
    assert_eq!(json["roles"][0]["talkSource"], "transcript");
    assert_eq!(json["longestMonologue"]["firstMessage"], 1);
    assert_eq!(json["sources"]["gaps"], "transcript");
    assert_eq!(json["turnOutcomes"], Value::Null);
}

/// The stats types are non-exhaustive: tests compare them through their serialized form.
fn assert_serialized(actual: &impl serde::Serialize, expected: Value) {
    assert_eq!(serde_json::to_value(actual).expect("serializes"), expected);
}

#[test]
fn stats_with_the_spec_analytics_agree_with_its_summary() {
    let analytics = spec_analytics();
    let summary = analytics
        .summary
        .clone()
        .expect("the example has a summary");
    let stats = Stats::from_transcript(&spec_example()).with_analytics(&analytics);

    // The transcript alone: no user message is followed by a persona message.
    assert_eq!(
        Stats::from_transcript(&spec_example()).response_latency,
        None
    );
    // The analytics' one user turn: firstAudioLatencySeconds 1.39.
    assert_serialized(
        &stats.response_latency,
        json!({"count": 1, "medianSeconds": 1.39, "p90Seconds": 1.39, "maxSeconds": 1.39,
               "meanSeconds": 1.39}),
    );
    assert_eq!(stats.sources[&Figure::ResponseLatency], Source::Analytics);

    // Outcomes and averages are the summary's.
    assert_serialized(
        &stats.turn_outcomes,
        json!({
            "total": summary.total_turns,
            "completed": summary.completed_turns,
            "interrupted": summary.interrupted_turns,
            "interruptionRate": summary.interruption_rate,
        }),
    );
    let averages = summary.average_latencies.clone().expect("averages");
    assert_serialized(
        &stats.pipeline_latencies,
        json!({
            "transcriptionSeconds": averages.transcription_latency_seconds,
            "llmTimeToFirstOutputSeconds": averages.llm_time_to_first_output_seconds,
            "ttsGenerationSeconds": averages.tts_generation_duration_seconds,
            "firstAudioSeconds": averages.first_audio_latency_seconds,
        }),
    );
    assert_eq!(stats.sources[&Figure::TurnOutcomes], Source::Analytics);
    assert_eq!(stats.sources[&Figure::PipelineLatencies], Source::Analytics);

    // Both endpoints agree on the session length; the transcript's figure is kept.
    assert_eq!(stats.session_seconds, analytics.duration_seconds);
    assert_eq!(stats.sources[&Figure::SessionSeconds], Source::Transcript);
    // The transcript has talk times, so they stay.
    for role in &stats.roles {
        assert_eq!(role.talk_source, Some(Source::Transcript), "{role:?}");
    }

    // Cross-check: counted from the listed turns alone, the outcomes match the summary
    // (completed 1, interrupted 1, rate 0.5), except the total: the example lists 2 of its 4.
    let mut turns_only = analytics.clone();
    turns_only.summary = None;
    let counted = Stats::from_transcript(&spec_example()).with_analytics(&turns_only);
    assert_serialized(
        &counted.turn_outcomes,
        json!({
            "total": analytics.turns.len(),
            "completed": summary.completed_turns,
            "interrupted": summary.interrupted_turns,
            "interruptionRate": summary.interruption_rate,
        }),
    );
    // Means over the listed turns; TTS generation is (1.7 + 1.8) / 2.
    assert_serialized(
        &counted.pipeline_latencies,
        json!({
            "transcriptionSeconds": 0.34,
            "llmTimeToFirstOutputSeconds": 0.57,
            "ttsGenerationSeconds": 1.75,
            "firstAudioSeconds": 1.39,
        }),
    );

    // Cross-check: without the reported latency, the turn timings give the same figure
    // (personaStartSpeakingTime 12.690 - userSpeechEndTime 11.300).
    let mut timings_only = analytics.clone();
    for turn in &mut timings_only.turns {
        turn.first_audio_latency_seconds = None;
    }
    let timed = Stats::from_transcript(&spec_example()).with_analytics(&timings_only);
    assert_eq!(timed.response_latency, stats.response_latency);

    // A transcript without durations takes talk time from the analytics: the user's from the
    // summary (9.4 s), the persona's summed over the listed turns (4.48 + 3.51).
    let mut untimed = spec_example();
    for message in &mut untimed.messages {
        message.speaking_duration_seconds = None;
    }
    let filled = Stats::from_transcript(&untimed).with_analytics(&analytics);
    let talk: Vec<_> = filled
        .roles
        .iter()
        .map(|r| (r.role.clone(), r.talk_seconds, r.talk_source))
        .collect();
    assert_eq!(
        talk,
        [
            (
                Some(TranscriptRole::Persona),
                Some(7.99),
                Some(Source::Analytics)
            ),
            (
                Some(TranscriptRole::User),
                summary.total_user_speech_duration_seconds,
                Some(Source::Analytics)
            ),
        ]
    );
    assert_eq!(filled.roles[0].talk_share, Some(7990.0 / 17390.0));

    let text = stats.to_string();
    assert!(
        text.contains(
            "\nResponse latency (analytics): median 1.39 s, p90 1.39 s, max 1.39 s (1 response)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nTurns (analytics): 4, 1 completed, 1 interrupted (50% of responses)\n"),
        "{text}"
    );
    assert!(text.ends_with("\nAverage latencies (analytics): transcription 0.31 s, LLM first output 0.58 s, TTS generation 1.12 s, first audio 1.24 s\n"), "{text}");
}

#[test]
fn stats_never_produce_nan() {
    for (case, transcript) in cases() {
        let stats = Stats::from_transcript(&transcript).with_analytics(&spec_analytics());
        // Debug prints every float, NaN as `NaN` and infinities as `inf`.
        let debug = format!("{stats:?}");
        assert!(
            !debug.contains("NaN") && !debug.contains("inf"),
            "{case}: {debug}"
        );
        assert!(!stats.to_string().contains("NaN"), "{case}");
    }
    let stats = Stats::from_transcript(&edge_cases());
    assert_eq!(stats.roles.len(), 4, "persona, user, system, no role");
    assert_eq!(stats.roles[2].speaker, "system");
    assert_eq!(stats.roles[3].role, None);
}
