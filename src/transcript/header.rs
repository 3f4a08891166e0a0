//! The session facts every human format states before the messages.

use crate::types::Transcript;

use super::clean::single_line;
use super::timing::{clock, date_time, session_ms};

/// What the human formats say when `transcriptsEnabled` is `false`.
pub(crate) const DISABLED_NOTICE: &str =
    "Transcripts were disabled for this session: its messages were not recorded.";

/// The session facts, each on one line (control characters scrubbed), not yet escaped.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    /// `sessionId`.
    pub session: Option<String>,
    /// `personaName`.
    pub persona: Option<String>,
    /// `startTime`.
    pub started: Option<String>,
    /// `endTime`; `None` while the session is in progress.
    pub ended: Option<String>,
    /// The session length (`durationMs`, else end minus start) as a clock.
    pub duration: Option<String>,
    /// `2`, or `2 of 6` when `totalMessages` counts more than the transcript holds.
    pub messages: String,
    /// True when `transcriptsEnabled` is `false` (absent means enabled).
    pub disabled: bool,
}

impl Header {
    /// The facts of `transcript`.
    pub(crate) fn new(transcript: &Transcript) -> Self {
        let label =
            |value: &Option<String>| value.as_deref().map(single_line).filter(|s| !s.is_empty());
        let held = transcript.messages.len();
        let messages = match transcript
            .total_messages
            .and_then(|n| usize::try_from(n).ok())
        {
            Some(total) if total > held => format!("{held} of {total}"),
            _ => held.to_string(),
        };
        Self {
            session: label(&transcript.session_id),
            persona: label(&transcript.persona_name),
            started: transcript.start_time.map(date_time),
            ended: transcript.end_time.map(date_time),
            duration: session_ms(transcript).map(clock),
            messages,
            disabled: transcript.transcripts_enabled == Some(false),
        }
    }

    /// `2 messages`, `1 message`, `2 of 6 messages`.
    pub(crate) fn message_count(&self) -> String {
        let noun = if self.messages == "1" {
            "message"
        } else {
            "messages"
        };
        format!("{} {noun}", self.messages)
    }

    /// The plain-text header (text format, WebVTT note):
    ///
    /// ```text
    /// Session 00000000-0000-0000-0000-000000000000 with Cara
    /// Started 2026-04-20 09:00:00 UTC, ended 2026-04-20 09:12:34 UTC (12:34), 2 of 6 messages
    /// ```
    ///
    /// "(no id)" stands for a missing session id, "start time unknown" for a missing start,
    /// "in progress" for a missing end; a third line carries [`DISABLED_NOTICE`] when
    /// transcripts were disabled.
    pub(crate) fn lines(&self) -> Vec<String> {
        let mut first = format!("Session {}", self.session.as_deref().unwrap_or("(no id)"));
        if let Some(persona) = &self.persona {
            first.push_str(" with ");
            first.push_str(persona);
        }
        let started = match &self.started {
            Some(at) => format!("Started {at}"),
            None => "Start time unknown".to_owned(),
        };
        let ended = match (&self.ended, &self.duration) {
            (Some(at), Some(duration)) => format!("ended {at} ({duration})"),
            (Some(at), None) => format!("ended {at}"),
            (None, _) => "in progress".to_owned(),
        };
        let mut lines = vec![
            first,
            format!("{started}, {ended}, {}", self.message_count()),
        ];
        if self.disabled {
            lines.push(DISABLED_NOTICE.to_owned());
        }
        lines
    }
}
