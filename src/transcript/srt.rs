//! [`Format::Srt`](super::Format::Srt): SubRip cues numbered from 1, `Speaker: text`.
//!
//! SubRip has no escapes: text is written as it is, except that each `-->` becomes `->` and
//! blank lines are dropped, so a message can neither fake a timing line nor end its cue.
//! Timestamps use a comma and take more than two hour digits past 99 hours. Cue times follow
//! [`Timeline`]. SubRip has no header or comments: a transcript without messages is an empty
//! file, and when transcripts were disabled the first cue (0 to 5 s) says so.

use std::io::{self, Write};

use crate::types::Transcript;

use super::clean::{lines, without_arrows};
use super::header::DISABLED_NOTICE;
use super::label;
use super::timing::{Timeline, cue_time};

/// How long the cue announcing disabled transcripts lasts.
const NOTICE_MS: u64 = 5_000;

/// Writes one cue; `number` counts from 1.
fn cue(
    out: &mut impl Write,
    number: usize,
    start: u64,
    end: u64,
    text: &[String],
) -> io::Result<()> {
    if number > 1 {
        writeln!(out)?;
    }
    writeln!(out, "{number}")?;
    writeln!(out, "{} --> {}", cue_time(start, ','), cue_time(end, ','))?;
    for line in text {
        writeln!(out, "{}", without_arrows(line))?;
    }
    Ok(())
}

/// Writes the SubRip rendering.
pub(crate) fn write(transcript: &Transcript, out: &mut impl Write) -> io::Result<()> {
    let mut number = 0;
    if transcript.transcripts_enabled == Some(false) {
        number += 1;
        cue(out, number, 0, NOTICE_MS, &[format!("[{DISABLED_NOTICE}]")])?;
    }
    let timeline = Timeline::new(transcript);
    for (message, timing) in transcript.messages.iter().zip(&timeline.cues) {
        number += 1;
        let mut text = lines(message.message.as_deref().unwrap_or_default());
        let speaker = label(transcript, message);
        match text.first_mut() {
            Some(first) => *first = format!("{speaker}: {first}"),
            None => text.push(format!("{speaker}:")),
        }
        cue(out, number, timing.start, timing.end, &text)?;
    }
    Ok(())
}
