//! `anam::transcript`: every format against golden files, every subtitle file parsed back
//! (by the independent `subtp` parser, and by strict checks of our own), and statistics on a
//! hand-computed transcript and against the spec's analytics example.
//!
//! The golden files live in `tests/golden/transcripts/<case>.<extension>` and are compared
//! byte for byte. After an intended change to a rendering, regenerate them with
//!
//! ```sh
//! ANAM_UPDATE_GOLDEN=1 cargo test --all-features --test api transcripts
//! ```
//!
//! and review the diff before committing.

use std::io;
use std::path::PathBuf;

use serde_json::{Value, json};

use anam::spec::Operation;
use anam::transcript::{self, Format};
use anam::types::{SessionAnalytics, Transcript};

use crate::support::{response_example, transcript_json};

mod stats;
mod subtitles;

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/// The spec's example transcript.
fn spec_example() -> Transcript {
    serde_json::from_value(transcript_json()).expect("the example is a Transcript")
}

/// The spec's example analytics.
fn spec_analytics() -> SessionAnalytics {
    serde_json::from_value(response_example(Operation::GET_SESSION_ANALYTICS))
        .expect("the example is a SessionAnalytics")
}

/// Everything that trips renderers: nulls, emoji, RTL and combining characters, multi-line
/// text with blank lines, markup and `-->`, overlapping and out-of-order timestamps, a
/// timestamp before the start, a negative duration, an unknown and a missing role, an empty
/// message, cues past 99 hours, and a session still in progress.
fn edge_cases_json() -> Value {
    json!({
        "sessionId": "11111111-2222-3333-4444-555555555555",
        "personaName": "Zoë <AI> & co -->",
        "startTime": "2026-04-20T09:00:00.000Z",
        "endTime": null,
        "durationMs": null,
        "totalMessages": 12,
        "transcriptsEnabled": true,
        "messages": [
            {
                "role": "persona",
                "message": "Hello 👋🏽! Ask me anything, e.g. \"is 2 < 3 && 3 > 2?\"",
                "timestamp": "2026-04-20T09:00:00.500Z",
                "speakingDurationSeconds": 2.25,
                "wasInterrupted": false
            },
            {
                "role": "user",
                "message": "שלום! مرحبا، كيف حالك؟ café (cafe\u{301})",
                "timestamp": "2026-04-20T09:00:04.000Z",
                "speakingDurationSeconds": 3.0
            },
            {
                "role": "persona",
                "message": "Sure:\n\n# Not a heading\n- not a list\n\n\n1. nor this\r\n[link](https://evil.test) <script>alert(1)</script> *bold* `code` | pipe\n--> arrow ---> long\n> quote",
                "timestamp": "2026-04-20T09:00:06.500Z",
                "speakingDurationSeconds": 5.5,
                "wasInterrupted": true
            },
            {
                "role": "user",
                "message": "(no timestamp)",
                "timestamp": null,
                "speakingDurationSeconds": 1.2
            },
            {
                "role": "system",
                "message": "Session recording paused & resumed",
                "timestamp": "2026-04-20T09:00:05.000Z",
                "speakingDurationSeconds": null
            },
            {
                "message": null,
                "timestamp": null,
                "speakingDurationSeconds": null
            },
            {
                "role": "user",
                "message": "stamped before the session started",
                "timestamp": "2026-04-20T08:59:57.000Z",
                "speakingDurationSeconds": 1.0
            },
            {
                "role": "persona",
                "message": "Still here after 100 hours?\r\nYes.\u{2028}Really.",
                "timestamp": "2026-04-24T13:01:02.345Z",
                "speakingDurationSeconds": 1.5,
                "wasInterrupted": false
            },
            {
                "role": "user",
                "message": "  \t padded\ttext, a bell \u{7} and an escape \u{1b}[31m  ",
                "timestamp": "2026-04-24T13:01:05.000Z",
                "speakingDurationSeconds": -1.0
            },
            {
                "role": "user",
                "message": "",
                "timestamp": "2026-04-24T13:01:06.000Z",
                "speakingDurationSeconds": 0.3
            }
        ]
    })
}

/// Index of the first edge-case message past 99 hours.
const PAST_99_HOURS: usize = 7;

fn edge_cases() -> Transcript {
    serde_json::from_value(edge_cases_json()).expect("the edge cases are a Transcript")
}

/// The edge cases without the cues past 99 hours, which `subtp` cannot read.
fn edge_cases_under_100_hours() -> Transcript {
    let mut transcript = edge_cases();
    transcript.messages.truncate(PAST_99_HOURS);
    transcript
}

/// A finished session without messages or persona name.
fn empty() -> Transcript {
    serde_json::from_value(json!({
        "sessionId": "22222222-0000-0000-0000-000000000000",
        "startTime": "2026-04-20T09:00:00.000Z",
        "endTime": "2026-04-20T09:00:30.000Z",
        "durationMs": 30000,
        "totalMessages": 0,
        "transcriptsEnabled": true,
        "messages": []
    }))
    .expect("a Transcript")
}

/// A session that ran with transcripts disabled.
fn disabled() -> Transcript {
    serde_json::from_value(json!({
        "sessionId": "33333333-0000-0000-0000-000000000000",
        "personaName": "Cara",
        "startTime": "2026-04-20T09:00:00.000Z",
        "endTime": "2026-04-20T09:05:00.000Z",
        "durationMs": 300000,
        "totalMessages": 0,
        "transcriptsEnabled": false,
        "messages": []
    }))
    .expect("a Transcript")
}

/// Every golden case: its file stem and transcript.
fn cases() -> Vec<(&'static str, Transcript)> {
    vec![
        ("spec_example", spec_example()),
        ("edge_cases", edge_cases()),
        ("empty", empty()),
        ("disabled", disabled()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------------------------

fn golden_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/transcripts")
        .join(file)
}

/// Compares `actual` with the golden file exactly, or rewrites it when `ANAM_UPDATE_GOLDEN=1`.
fn assert_golden(file: &str, actual: &str) {
    let path = golden_path(file);
    if std::env::var("ANAM_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create golden dir");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (create it with ANAM_UPDATE_GOLDEN=1)",
            path.display()
        )
    });
    assert!(
        actual == expected,
        "{file} differs from its golden file (regenerate with ANAM_UPDATE_GOLDEN=1 if intended)\n\
         --- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn every_format_matches_its_golden_file() {
    for (case, transcript) in cases() {
        for format in Format::ALL {
            let rendered = transcript::render(&transcript, format);
            assert_golden(&format!("{case}.{}", format.extension()), &rendered);
        }
    }
}

#[test]
fn every_rendering_is_plain_utf8_with_newline_endings() {
    for (case, transcript) in cases() {
        for format in Format::ALL {
            let rendered = transcript::render(&transcript, format);
            assert!(!rendered.starts_with('\u{feff}'), "{case}.{format}: BOM");
            assert!(!rendered.contains('\r'), "{case}.{format}: CR");
            // Formats without a header have nothing to write for no messages.
            let nothing = transcript.messages.is_empty()
                && (format == Format::JsonLines
                    || format == Format::Srt && transcript.transcripts_enabled != Some(false));
            if nothing {
                assert_eq!(rendered, "", "{case}.{format}");
            } else {
                assert!(
                    rendered.ends_with('\n'),
                    "{case}.{format}: no final newline"
                );
            }
            // Only JSON may carry control characters, and only escaped.
            assert!(
                !rendered.chars().any(|c| c.is_control() && c != '\n'),
                "{case}.{format}: a control character"
            );
        }
    }
}

#[test]
fn write_streams_exactly_what_render_returns() {
    for (case, transcript) in cases() {
        for format in Format::ALL {
            let mut out = Vec::new();
            transcript::write(&transcript, format, &mut out).expect("a Vec never fails");
            assert_eq!(
                String::from_utf8(out).expect("UTF-8"),
                transcript::render(&transcript, format),
                "{case}.{format}"
            );
        }
    }
}

/// A writer that fails after `room` bytes.
struct Full {
    room: usize,
}

impl io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.room == 0 {
            return Err(io::Error::other("disk full"));
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_reports_the_writers_error() {
    for format in Format::ALL {
        let error = transcript::write(&edge_cases(), format, &mut Full { room: 10 })
            .expect_err("the writer fills up");
        assert_eq!(error.to_string(), "disk full", "{format}");
    }
}

// ---------------------------------------------------------------------------------------------
// Human formats
// ---------------------------------------------------------------------------------------------

#[test]
fn text_puts_one_message_per_unindented_line() {
    let text = transcript::render(&spec_example(), Format::Text);
    assert!(
        text.contains(
            "\n[00:01] Cara: Hi! How can I help?\n[00:05] User: Can you tell me a joke?\n"
        )
    );
    assert!(text.contains("ended 2026-04-20 09:12:34 UTC (12:34), 2 of 6 messages\n"));

    let text = transcript::render(&edge_cases(), Format::Text);
    let starts: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.is_empty())
        .skip(1)
        .filter(|line| !line.starts_with("    "))
        .collect();
    assert_eq!(starts.len(), edge_cases().messages.len(), "{text}");
    assert!(starts[3].starts_with("[--:--] User: (no timestamp)"));
    assert!(starts[4].starts_with("[00:05] system: "));
    assert!(starts[5].starts_with("[--:--] Unknown:"));
    assert!(starts[6].starts_with("[00:00] User: stamped before"));
    assert!(starts[7].starts_with("[100:01:02] Zoë <AI> & co -->: Still here"));
    assert!(text.contains("in progress, 10 of 12 messages\n"), "{text}");
    assert!(text.contains(" [interrupted]\n"));
}

#[test]
fn text_and_markdown_say_when_there_is_nothing_to_show() {
    let text = transcript::render(&empty(), Format::Text);
    assert!(text.ends_with("\n\nNo messages.\n"), "{text}");
    let markdown = transcript::render(&empty(), Format::Markdown);
    assert!(markdown.ends_with("\n\n*No messages.*\n"), "{markdown}");

    let notice = "Transcripts were disabled for this session";
    for format in [Format::Text, Format::Markdown, Format::WebVtt, Format::Srt] {
        let rendered = transcript::render(&disabled(), format);
        assert!(rendered.contains(notice), "{format}: {rendered}");
        let enabled = transcript::render(&spec_example(), format);
        assert!(!enabled.contains(notice), "{format}: {enabled}");
    }
    let markdown = transcript::render(&edge_cases(), Format::Markdown);
    assert!(markdown.contains("\n- Ended: in progress\n"), "{markdown}");
}

#[test]
fn markdown_text_cannot_start_blocks_or_links() {
    let markdown = transcript::render(&edge_cases(), Format::Markdown);
    let body = &markdown[markdown.find("\n\n**").expect("a message") + 2..];
    for line in body.lines() {
        for marker in ["#", "- ", "> ", "1. ", "---", "==="] {
            assert!(!line.starts_with(marker), "{line:?} starts a block");
        }
        // Every character that could open a link, HTML, emphasis or code is escaped.
        // (A message's first line follows its `**Speaker** (MM:SS):` label, and its last
        // may end with the renderer's own ` *(interrupted)*`.)
        let text = match line.strip_prefix("**") {
            Some(labelled) => labelled.split_once("):").map_or("", |(_, text)| text),
            None => line,
        };
        let text = text.strip_suffix(" *(interrupted)*").unwrap_or(text);
        let chars: Vec<char> = text.chars().collect();
        for (at, c) in chars.iter().enumerate() {
            if matches!(c, '[' | ']' | '<' | '*' | '`' | '|') {
                assert!(
                    at > 0 && chars[at - 1] == '\\',
                    "{text:?}: bare {c:?} at {at}"
                );
            }
        }
    }
    assert!(
        body.contains("\\[link\\](https://evil.test) \\<script>"),
        "{body}"
    );
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

#[test]
fn json_round_trips_the_transcript() {
    for (case, transcript) in cases() {
        let json = transcript::render(&transcript, Format::Json);
        let back: Transcript = serde_json::from_str(&json).expect("JSON");
        assert_eq!(back, transcript, "{case}");
    }
}

#[test]
fn json_lines_carry_one_message_each() {
    let transcript = edge_cases();
    let jsonl = transcript::render(&transcript, Format::JsonLines);
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), transcript.messages.len());
    let keys = [
        "sessionId",
        "index",
        "role",
        "speaker",
        "offsetSeconds",
        "timestamp",
        "durationSeconds",
        "interrupted",
        "text",
    ];
    for (index, (line, message)) in lines.iter().zip(&transcript.messages).enumerate() {
        let object = line.as_object().expect("an object");
        assert_eq!(object.keys().collect::<Vec<_>>().len(), keys.len());
        for key in keys {
            assert!(object.contains_key(key), "line {index} lacks {key}");
        }
        assert_eq!(line["index"], index);
        assert_eq!(line["sessionId"], "11111111-2222-3333-4444-555555555555");
        assert_eq!(line["speaker"], transcript::speaker(&transcript, message));
        assert_eq!(line["text"].as_str(), message.message.as_deref());
    }
    assert_eq!(lines[0]["offsetSeconds"], 0.5);
    assert_eq!(lines[0]["interrupted"], false);
    assert_eq!(lines[3]["offsetSeconds"], Value::Null);
    assert_eq!(lines[4]["role"], "system");
    assert_eq!(lines[5]["role"], Value::Null);
    assert_eq!(lines[5]["speaker"], "Unknown");
    assert_eq!(lines[6]["offsetSeconds"], 0.0);
    assert_eq!(lines[7]["offsetSeconds"], 360_062.345);
    assert_eq!(
        lines[8]["text"],
        "  \t padded\ttext, a bell \u{7} and an escape \u{1b}[31m  "
    );
}
