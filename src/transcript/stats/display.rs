//! `Display` for the statistics: a readable summary, one line per role.

use std::fmt;

use super::super::clean::single_line;
use super::*;

/// Seconds for display: at most two decimals, trailing zeros dropped (`1.4 s`).
pub(super) fn secs(value: f64) -> String {
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
                from(self.sources.get(&Figure::SessionSeconds))
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
            from(self.sources.get(&Figure::ResponseLatency))
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
