//! WebVTT and SRT: parsed back by the independent `subtp` parser and by strict checks of our
//! own, against the documented timing rules and escaping.

use std::time::Duration;

use super::*;

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
