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
use std::time::Duration;

use serde_json::{Value, json};

use anam::spec::Operation;
use anam::transcript::{self, Figure, Format, Source, Stats};
use anam::types::{SessionAnalytics, Transcript, TranscriptRole};

use crate::support::{response_example, transcript_json};

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
// Subtitles
// ---------------------------------------------------------------------------------------------

/// A cue as checked: start and end in milliseconds, payload lines.
#[derive(Debug)]
struct Cue {
    start: u64,
    end: u64,
    payload: Vec<String>,
}

/// `HH:MM:SS<sep>mmm` with two or more hour digits, in milliseconds.
fn strict_time(text: &str, separator: char) -> u64 {
    let (clock, millis) = text
        .split_once(separator)
        .unwrap_or_else(|| panic!("{text:?}: no {separator:?}"));
    let parts: Vec<&str> = clock.split(':').collect();
    assert_eq!(parts.len(), 3, "{text:?}");
    assert!(parts[0].len() >= 2, "{text:?}: hours need two digits");
    assert!(
        parts[1].len() == 2 && parts[2].len() == 2 && millis.len() == 3,
        "{text:?}"
    );
    let digits = |s: &str| {
        assert!(s.bytes().all(|b| b.is_ascii_digit()), "{text:?}");
        s.parse::<u64>().expect("digits")
    };
    let (h, m, s, ms) = (
        digits(parts[0]),
        digits(parts[1]),
        digits(parts[2]),
        digits(millis),
    );
    assert!(m < 60 && s < 60, "{text:?}");
    ((h * 60 + m) * 60 + s) * 1000 + ms
}

/// A `start --> end` line.
fn strict_timing(line: &str, separator: char) -> (u64, u64) {
    let (start, end) = line
        .split_once(" --> ")
        .unwrap_or_else(|| panic!("{line:?} is no timing line"));
    (strict_time(start, separator), strict_time(end, separator))
}

/// Cue order and times: starts never decrease, none is negative (unsigned), each ends after
/// it starts, and no payload is empty or carries `-->`.
fn assert_cues_sound(what: &str, cues: &[Cue]) {
    for pair in cues.windows(2) {
        assert!(
            pair[0].start <= pair[1].start,
            "{what}: starts decrease: {pair:?}"
        );
    }
    for cue in cues {
        assert!(
            cue.end > cue.start,
            "{what}: {cue:?} does not end after it starts"
        );
        assert!(!cue.payload.is_empty(), "{what}: {cue:?} has no payload");
        for line in &cue.payload {
            assert!(
                !line.trim().is_empty(),
                "{what}: blank payload line in {cue:?}"
            );
            assert!(!line.contains("-->"), "{what}: --> in {cue:?}");
        }
    }
}

/// Our own strict WebVTT reading: header, `NOTE` blocks without `-->`, cues with full
/// timestamps and a voice span whose text escapes `<` and `&`.
fn strict_vtt(text: &str) -> Vec<Cue> {
    let body = text
        .strip_prefix("WEBVTT\n\n")
        .expect("WEBVTT header and a blank line");
    assert!(!body.contains("\n\n\n"), "a blank line inside a block");
    let mut cues = Vec::new();
    for block in body.trim_end_matches('\n').split("\n\n") {
        let lines: Vec<&str> = block.lines().collect();
        if lines[0] == "NOTE" || lines[0].starts_with("NOTE ") {
            assert!(!block.contains("-->"), "--> in a note: {block:?}");
            continue;
        }
        let (start, end) = strict_timing(lines[0], '.');
        let payload: Vec<String> = lines[1..].iter().map(|l| l.to_string()).collect();
        let first = payload.first().expect("a payload");
        let after_tag = first
            .strip_prefix("<v ")
            .and_then(|rest| rest.split_once('>'))
            .map(|(voice, text)| format!("{voice}{text}"))
            .unwrap_or_else(|| panic!("{first:?} has no voice span"));
        for line in std::iter::once(&after_tag).chain(&payload[1..]) {
            assert!(
                !line.contains('<') && !line.contains('>'),
                "unescaped markup: {line:?}"
            );
            let unescaped = line
                .replace("&amp;", "")
                .replace("&lt;", "")
                .replace("&gt;", "");
            assert!(!unescaped.contains('&'), "a bare & in {line:?}");
        }
        cues.push(Cue {
            start,
            end,
            payload,
        });
    }
    cues
}

/// Our own strict SubRip reading: cues numbered from 1 with comma timestamps.
fn strict_srt(text: &str) -> Vec<Cue> {
    if text.is_empty() {
        return Vec::new();
    }
    assert!(!text.contains("\n\n\n"), "a blank line inside a cue");
    let mut cues = Vec::new();
    for (index, block) in text.trim_end_matches('\n').split("\n\n").enumerate() {
        let lines: Vec<&str> = block.lines().collect();
        assert_eq!(
            lines[0],
            (index + 1).to_string(),
            "cue numbers count from 1"
        );
        let (start, end) = strict_timing(lines[1], ',');
        let payload = lines[2..].iter().map(|l| l.to_string()).collect();
        cues.push(Cue {
            start,
            end,
            payload,
        });
    }
    cues
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).expect("fits")
}

/// WebVTT as read by `subtp`.
fn subtp_vtt(text: &str) -> Vec<Cue> {
    let vtt = subtp::vtt::WebVtt::parse(text).unwrap_or_else(|e| panic!("subtp: {e:?}\n{text}"));
    vtt.blocks
        .into_iter()
        .filter_map(|block| match block {
            subtp::vtt::VttBlock::Que(cue) => Some(Cue {
                start: millis(cue.timings.start.into()),
                end: millis(cue.timings.end.into()),
                payload: cue.payload,
            }),
            _ => None,
        })
        .collect()
}

/// SubRip as read by `subtp`.
fn subtp_srt(text: &str) -> Vec<Cue> {
    let srt = subtp::srt::SubRip::parse(text).unwrap_or_else(|e| panic!("subtp: {e:?}\n{text}"));
    srt.subtitles
        .into_iter()
        .enumerate()
        .map(|(index, subtitle)| {
            assert_eq!(subtitle.sequence as usize, index + 1);
            Cue {
                start: millis(subtitle.start.into()),
                end: millis(subtitle.end.into()),
                payload: subtitle.text,
            }
        })
        .collect()
}

/// Cues expected for `transcript`: one per message, plus the SRT notice when transcripts were
/// disabled.
fn expected_cues(transcript: &Transcript, format: Format) -> usize {
    let notice = format == Format::Srt && transcript.transcripts_enabled == Some(false);
    transcript.messages.len() + usize::from(notice)
}

#[test]
fn subtitles_parse_back_with_subtp() {
    // subtp 0.2 reads hours as exactly two digits, so the cues past 99 hours are left out
    // here and checked by `subtitles_pass_strict_checks` below; everything else, voice spans
    // and notes included, goes through subtp.
    let mut transcripts = cases();
    transcripts.retain(|(case, _)| *case != "edge_cases");
    transcripts.push(("edge_cases under 100 hours", edge_cases_under_100_hours()));
    for (case, transcript) in transcripts {
        let vtt = transcript::render(&transcript, Format::WebVtt);
        let cues = subtp_vtt(&vtt);
        assert_eq!(
            cues.len(),
            expected_cues(&transcript, Format::WebVtt),
            "{case}.vtt"
        );
        assert_cues_sound(&format!("{case}.vtt (subtp)"), &cues);
        for (cue, strict) in cues.iter().zip(strict_vtt(&vtt)) {
            assert_eq!(
                (cue.start, cue.end),
                (strict.start, strict.end),
                "{case}.vtt"
            );
            assert_eq!(cue.payload, strict.payload, "{case}.vtt");
        }

        let srt = transcript::render(&transcript, Format::Srt);
        let cues = subtp_srt(&srt);
        assert_eq!(
            cues.len(),
            expected_cues(&transcript, Format::Srt),
            "{case}.srt"
        );
        assert_cues_sound(&format!("{case}.srt (subtp)"), &cues);
        for (cue, strict) in cues.iter().zip(strict_srt(&srt)) {
            assert_eq!(
                (cue.start, cue.end),
                (strict.start, strict.end),
                "{case}.srt"
            );
            assert_eq!(cue.payload, strict.payload, "{case}.srt");
        }
    }
}

#[test]
fn subtitles_pass_strict_checks() {
    for (case, transcript) in cases() {
        let vtt = strict_vtt(&transcript::render(&transcript, Format::WebVtt));
        assert_eq!(
            vtt.len(),
            expected_cues(&transcript, Format::WebVtt),
            "{case}.vtt"
        );
        assert_cues_sound(&format!("{case}.vtt"), &vtt);
        let srt = strict_srt(&transcript::render(&transcript, Format::Srt));
        assert_eq!(
            srt.len(),
            expected_cues(&transcript, Format::Srt),
            "{case}.srt"
        );
        assert_cues_sound(&format!("{case}.srt"), &srt);
    }
}

#[test]
fn cues_follow_the_documented_timing_rules() {
    let cues = strict_vtt(&transcript::render(&edge_cases(), Format::WebVtt));
    let times: Vec<(u64, u64)> = cues.iter().map(|c| (c.start, c.end)).collect();
    let hours_100 = 100 * 3_600_000;
    assert_eq!(
        times,
        [
            (500, 2_750),   // timestamp + duration
            (4_000, 7_000), // overlaps the next message, which starts at 6.5 s
            (6_500, 12_000),
            (12_000, 13_200), // no timestamp: starts where the previous cue ended
            (12_000, 14_000), // stamped 5 s, before the previous start: clamped; 5 words, 2 s
            (14_000, 15_000), // no timestamp, no duration, no words: 1 s
            (14_000, 15_000), // stamped before the session start: clamped
            (hours_100 + 62_345, hours_100 + 63_845),
            (hours_100 + 65_000, hours_100 + 65_001), // negative duration: 1 ms
            (hours_100 + 66_000, hours_100 + 66_300),
        ]
    );
    let srt = strict_srt(&transcript::render(&edge_cases(), Format::Srt));
    let srt_times: Vec<(u64, u64)> = srt.iter().map(|c| (c.start, c.end)).collect();
    assert_eq!(srt_times, times);
    let vtt = transcript::render(&edge_cases(), Format::WebVtt);
    assert!(vtt.contains("\n100:01:02.345 --> 100:01:03.845\n"), "{vtt}");
    let srt = transcript::render(&edge_cases(), Format::Srt);
    assert!(srt.contains("\n100:01:02,345 --> 100:01:03,845\n"), "{srt}");
}

#[test]
fn subtitle_payloads_escape_what_they_must() {
    let vtt = transcript::render(&edge_cases(), Format::WebVtt);
    assert!(vtt.contains("<v Zoë &lt;AI&gt; &amp; co --&gt;>Hello 👋🏽! Ask me anything, e.g. \"is 2 &lt; 3 &amp;&amp; 3 &gt; 2?\"\n"), "{vtt}");
    assert!(
        vtt.contains("\n--&gt; arrow ---&gt; long\n&gt; quote\n"),
        "{vtt}"
    );
    assert!(
        vtt.contains("NOTE\nSession 11111111-2222-3333-4444-555555555555 with Zoë <AI> & co ->\n"),
        "{vtt}"
    );
    let srt = transcript::render(&edge_cases(), Format::Srt);
    assert!(srt.contains("\n-> arrow -> long\n> quote\n"), "{srt}");
    assert!(
        srt.contains("\nsystem: Session recording paused & resumed\n"),
        "{srt}"
    );
    assert!(srt.contains("\nUnknown:\n"), "{srt}");
    let disabled = transcript::render(&disabled(), Format::Srt);
    assert_eq!(
        disabled,
        "1\n00:00:00,000 --> 00:00:05,000\n[Transcripts were disabled for this session: its \
         messages were not recorded.]\n"
    );
    assert_eq!(transcript::render(&empty(), Format::Srt), "");
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

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

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
