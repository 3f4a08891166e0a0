//! Renderings and statistics of a session transcript ([`Transcript`], from
//! `anam.sessions().transcript(id)`).
//!
//! [`write()`] and [`render`] turn a transcript into one of six [`Format`]s; [`Stats`] sums it
//! up, optionally with the session's analytics ([`Stats::with_analytics`]).
//!
//! ```
//! use anam::transcript::{self, Format, Stats};
//!
//! let transcript: anam::types::Transcript = serde_json::from_str(r#"{
//!     "sessionId": "00000000-0000-0000-0000-000000000000",
//!     "personaName": "Cara",
//!     "startTime": "2026-04-20T09:00:00Z",
//!     "endTime": null,
//!     "messages": [
//!         {"role": "persona", "message": "Hi! How can I help?",
//!          "timestamp": "2026-04-20T09:00:01Z", "speakingDurationSeconds": 1.4},
//!         {"role": "user", "message": "Can you tell me a joke?",
//!          "timestamp": "2026-04-20T09:00:05Z", "speakingDurationSeconds": 2.1}
//!     ]
//! }"#)?;
//!
//! assert_eq!(
//!     transcript::render(&transcript, Format::Text),
//!     "Session 00000000-0000-0000-0000-000000000000 with Cara\n\
//!      Started 2026-04-20 09:00:00 UTC, in progress, 2 messages\n\
//!      \n\
//!      [00:01] Cara: Hi! How can I help?\n\
//!      [00:05] User: Can you tell me a joke?\n"
//! );
//! let vtt = transcript::render(&transcript, "vtt".parse()?);
//! assert!(vtt.contains("00:00:01.000 --> 00:00:02.400\n<v Cara>Hi! How can I help?\n"));
//!
//! let stats = Stats::from_transcript(&transcript);
//! assert_eq!(stats.gaps.map(|g| g.total_seconds), Some(2.6));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Formats
//!
//! | [`Format`] | Layout |
//! | --- | --- |
//! | `text` | a two-line header, a blank line, then `[MM:SS] Speaker: text` per message |
//! | `md` | a title, the session facts as a list, a paragraph `**Speaker** (MM:SS): text` per message |
//! | `vtt` | `WEBVTT`, a `NOTE` with the header, a cue `<v Speaker>text` per message |
//! | `srt` | a numbered cue `Speaker: text` per message |
//! | `json` | the transcript as the API sent it, pretty-printed |
//! | `jsonl` | one object per message: `sessionId`, `index`, `role`, `speaker`, `offsetSeconds`, `timestamp`, `durationSeconds`, `interrupted`, `text` |
//!
//! Output is UTF-8 without a byte order mark, with `\n` line endings, and ends in a newline
//! (an SRT file without cues is empty).
//!
//! **Header.** Text, Markdown and WebVTT start with the session id, persona, start and end
//! (`in progress` while `endTime` is null), length (`durationMs`, else end minus start) and
//! message count (`2 of 6` when `totalMessages` counts more than the transcript holds).
//! When `transcriptsEnabled` is `false`, each human format says so (a header line, a Markdown
//! note, a line of the WebVTT `NOTE`, and a first SRT cue from 0 to 5 s) rather than looking
//! like a silent session. A transcript without messages is a valid file with just its
//! header; the text format adds `No messages.`, Markdown `*No messages.*`.
//!
//! **Offsets.** A message's offset is its timestamp minus the session's `startTime` (minus the
//! first message timestamp when there is no start time), clamped at 0. Text and Markdown show
//! it as `MM:SS`, or `H:MM:SS` from an hour on, and `--:--` for a message without a
//! timestamp; JSON Lines gives it in seconds (`null` without a timestamp).
//!
//! **Cues** (WebVTT, SRT) keep the messages' order and never run backwards: a cue starts at
//! the message's offset, but never before the previous cue's start; a message without a
//! timestamp starts where the previous cue ended. A cue lasts `speakingDurationSeconds`;
//! without one it lasts 400 ms per word (at least 1 s), cut short where the next message
//! begins. Every cue ends after it starts (1 ms at least). Hours take more than two digits
//! past 99.
//!
//! **Text.** Each message is split into lines (any line break), each line trimmed, blank lines
//! dropped and other control characters replaced by U+FFFD. In the text format a message's
//! later lines are indented four spaces, so every unindented line starts a message; Markdown
//! joins them with hard line breaks. Markdown escapes what could start a heading, list, quote,
//! link, image, HTML, table or emphasis (the exact set is on the Markdown writer); WebVTT
//! writes `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (in voice names too), which also keeps
//! `-->` out of cues; SRT, which has no escapes, turns each `-->` into `->`. Interrupted
//! persona messages end with `[interrupted]` in text and `*(interrupted)*` in Markdown.
//!
//! **Speakers** are given by [`speaker`]: the persona's name (or `Persona`), `User`, an
//! unknown role's raw value, or `Unknown`.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::str::FromStr;

use crate::types::{Transcript, TranscriptMessage, TranscriptRole};

mod clean;
mod header;
mod json;
mod markdown;
mod srt;
mod stats;
mod text;
mod timing;
mod webvtt;

pub use stats::{
    Figure, Latency, Monologue, PipelineLatencies, RoleStats, Source, Spacing, Stats, TurnOutcomes,
};

/// A rendering of a transcript. It parses from its name or extension.
///
/// ```
/// use anam::transcript::Format;
///
/// let format: Format = "VTT".parse()?;
/// assert_eq!(format, Format::WebVtt);
/// assert_eq!(format!("session.{}", format.extension()), "session.vtt");
/// # Ok::<(), anam::transcript::ParseFormatError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Plain text, `[MM:SS] Speaker: text` per message (`text`, `.txt`).
    Text,
    /// Markdown (`md`, `.md`).
    Markdown,
    /// WebVTT subtitles (`vtt`, `.vtt`).
    WebVtt,
    /// SubRip subtitles (`srt`, `.srt`).
    Srt,
    /// The transcript as pretty-printed JSON (`json`, `.json`).
    Json,
    /// JSON Lines, one object per message (`jsonl`, `.jsonl`).
    JsonLines,
}

impl Format {
    /// Every format, in this order: text, md, vtt, srt, json, jsonl.
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Markdown,
        Format::WebVtt,
        Format::Srt,
        Format::Json,
        Format::JsonLines,
    ];

    /// Its short name: `text`, `md`, `vtt`, `srt`, `json`, `jsonl`.
    ///
    /// ```
    /// use anam::transcript::Format;
    ///
    /// let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    /// assert_eq!(names, ["text", "md", "vtt", "srt", "json", "jsonl"]);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "md",
            Format::WebVtt => "vtt",
            Format::Srt => "srt",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
        }
    }

    /// Its file extension, without the dot: `txt`, `md`, `vtt`, `srt`, `json`, `jsonl`.
    ///
    /// ```
    /// use anam::transcript::Format;
    ///
    /// assert_eq!(Format::Text.name(), "text");
    /// assert_eq!(Format::Text.extension(), "txt");
    /// ```
    pub fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            other => other.name(),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no [`Format`].
///
/// ```
/// use anam::transcript::Format;
///
/// let error = "docx".parse::<Format>().unwrap_err();
/// assert_eq!(error.input(), "docx");
/// // unknown transcript format "docx"; expected one of text, md, vtt, srt, json, jsonl (…)
/// println!("{error}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseFormatError {
    input: String,
}

impl ParseFormatError {
    /// The string that was given. Example on [`ParseFormatError`].
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for ParseFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown transcript format {:?}; expected one of ",
            self.input
        )?;
        for (index, format) in Format::ALL.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            f.write_str(format.name())?;
        }
        f.write_str(" (or the extension txt)")
    }
}

impl std::error::Error for ParseFormatError {}

impl FromStr for Format {
    type Err = ParseFormatError;

    /// A format's name or extension, in any case (`text`, `txt`, `MD`, `vtt`, …); `markdown`
    /// and `webvtt` are accepted too.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let wanted = input.to_ascii_lowercase();
        let alias = match wanted.as_str() {
            "markdown" => Some(Format::Markdown),
            "webvtt" => Some(Format::WebVtt),
            _ => None,
        };
        alias
            .or_else(|| {
                Format::ALL
                    .into_iter()
                    .find(|f| f.name() == wanted || f.extension() == wanted)
            })
            .ok_or_else(|| ParseFormatError {
                input: input.to_owned(),
            })
    }
}

/// Renders into any writer (the CLI streams to a file or stdout). Writes are buffered and
/// flushed before returning; the only errors are the writer's.
///
/// ```no_run
/// # fn save(transcript: &anam::types::Transcript) -> std::io::Result<()> {
/// use anam::transcript::{self, Format};
///
/// let mut file = std::fs::File::create("session.srt")?;
/// transcript::write(transcript, Format::Srt, &mut file)?;
/// # Ok(())
/// # }
/// ```
pub fn write(transcript: &Transcript, format: Format, out: &mut dyn Write) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    match format {
        Format::Text => text::write(transcript, &mut out)?,
        Format::Markdown => markdown::write(transcript, &mut out)?,
        Format::WebVtt => webvtt::write(transcript, &mut out)?,
        Format::Srt => srt::write(transcript, &mut out)?,
        Format::Json => json::write_json(transcript, &mut out)?,
        Format::JsonLines => json::write_lines(transcript, &mut out)?,
    }
    out.flush()
}

/// Renders into a String. More in the [module example](self).
///
/// ```no_run
/// # fn save(transcript: &anam::types::Transcript) -> std::io::Result<()> {
/// use anam::transcript::{self, Format};
///
/// for format in Format::ALL {
///     let path = format!("session.{}", format.extension());
///     std::fs::write(path, transcript::render(transcript, format))?;
/// }
/// # Ok(())
/// # }
/// ```
pub fn render(transcript: &Transcript, format: Format) -> String {
    let mut buffer = Vec::new();
    // Writing to a Vec cannot fail, and every writer emits UTF-8.
    let _ = write(transcript, format, &mut buffer);
    String::from_utf8(buffer).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Speaker label: the persona name (or "Persona" when the transcript has none) for the
/// persona, "User" for the user, and for an unknown role its raw value (e.g. "system");
/// "Unknown" when the role is missing. A blank name or role counts as none. The label is as
/// sent; each format makes it safe for itself.
///
/// ```
/// use anam::transcript::speaker;
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
/// for message in &transcript.messages {
///     let text = message.message.as_deref().unwrap_or("");
///     println!("{}: {text}", speaker(&transcript, message));
/// }
/// assert_eq!(speaker(&transcript, &transcript.messages[1]), "User");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn speaker(transcript: &Transcript, message: &TranscriptMessage) -> String {
    let nonblank = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
    match &message.role {
        Some(TranscriptRole::Persona) => transcript
            .persona_name
            .as_deref()
            .and_then(nonblank)
            .unwrap_or_else(|| "Persona".to_owned()),
        Some(TranscriptRole::User) => "User".to_owned(),
        Some(TranscriptRole::Unknown(raw)) => nonblank(raw).unwrap_or_else(|| "Unknown".to_owned()),
        None => "Unknown".to_owned(),
    }
}

/// [`speaker`] on one clean line, for the line-oriented formats.
fn label(transcript: &Transcript, message: &TranscriptMessage) -> String {
    let label = clean::single_line(&speaker(transcript, message));
    if label.is_empty() {
        "Unknown".to_owned()
    } else {
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(format.extension().parse::<Format>(), Ok(format));
            assert_eq!(format.name().to_uppercase().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.name());
        }
        assert_eq!("TXT".parse::<Format>(), Ok(Format::Text));
        assert_eq!("Markdown".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("webvtt".parse::<Format>(), Ok(Format::WebVtt));
        let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, ["text", "md", "vtt", "srt", "json", "jsonl"]);
        let extensions: Vec<_> = Format::ALL.iter().map(|f| f.extension()).collect();
        assert_eq!(extensions, ["txt", "md", "vtt", "srt", "json", "jsonl"]);
    }

    #[test]
    fn unknown_format_names_the_valid_ones() {
        let error = "docx".parse::<Format>().expect_err("not a format");
        assert_eq!(error.input(), "docx");
        assert_eq!(
            error.to_string(),
            "unknown transcript format \"docx\"; expected one of text, md, vtt, srt, json, jsonl \
             (or the extension txt)"
        );
        assert!("".parse::<Format>().is_err());
        assert!(" text".parse::<Format>().is_err());
    }

    #[test]
    fn speakers() {
        let mut transcript = Transcript {
            persona_name: Some("Cara".into()),
            ..Default::default()
        };
        let said = |role: Option<TranscriptRole>| TranscriptMessage {
            role,
            ..Default::default()
        };
        assert_eq!(
            speaker(&transcript, &said(Some(TranscriptRole::Persona))),
            "Cara"
        );
        assert_eq!(
            speaker(&transcript, &said(Some(TranscriptRole::User))),
            "User"
        );
        assert_eq!(speaker(&transcript, &said(Some("system".into()))), "system");
        assert_eq!(speaker(&transcript, &said(Some(" ".into()))), "Unknown");
        assert_eq!(speaker(&transcript, &said(None)), "Unknown");
        transcript.persona_name = Some("  ".into());
        assert_eq!(
            speaker(&transcript, &said(Some(TranscriptRole::Persona))),
            "Persona"
        );
        transcript.persona_name = None;
        assert_eq!(
            speaker(&transcript, &said(Some(TranscriptRole::Persona))),
            "Persona"
        );
        transcript.persona_name = Some("Dr.\nWho".into());
        assert_eq!(
            label(&transcript, &said(Some(TranscriptRole::Persona))),
            "Dr. Who"
        );
    }
}
