//! [`Format::WebVtt`](super::Format::WebVtt): `WEBVTT`, a `NOTE` with the session facts, then
//! one cue per message with the speaker as a voice span.
//!
//! Cue text and voice names escape `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;` (which also
//! rules out `-->` in a payload); the note, which has no escapes, has each `-->` replaced by
//! `->`. No block holds a blank line. Timestamps always carry hours, with more than two digits
//! past 99 hours, as the format allows. Cue times follow [`Timeline`].

use std::io::{self, Write};

use crate::types::Transcript;

use super::clean::{lines, without_arrows};
use super::header::Header;
use super::label;
use super::timing::{Timeline, cue_time};

/// `text` with `&`, `<` and `>` written as character references.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the WebVTT rendering.
pub(crate) fn write(transcript: &Transcript, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "WEBVTT")?;
    writeln!(out)?;
    writeln!(out, "NOTE")?;
    for line in Header::new(transcript).lines() {
        writeln!(out, "{}", without_arrows(&line))?;
    }
    let timeline = Timeline::new(transcript);
    for (message, cue) in transcript.messages.iter().zip(&timeline.cues) {
        writeln!(out)?;
        let (start, end) = (cue_time(cue.start, '.'), cue_time(cue.end, '.'));
        writeln!(out, "{start} --> {end}")?;
        write!(out, "<v {}>", escape(&label(transcript, message)))?;
        let text = message.message.as_deref().unwrap_or_default();
        for (index, line) in lines(text).iter().enumerate() {
            if index > 0 {
                writeln!(out)?;
            }
            write!(out, "{}", escape(line))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn references() {
        assert_eq!(escape("a<b>&c -->"), "a&lt;b&gt;&amp;c --&gt;");
    }
}
