//! [`Format::Text`](super::Format::Text): a plain transcript, one message per line.

use std::io::{self, Write};

use crate::types::Transcript;

use super::clean::lines;
use super::header::Header;
use super::label;
use super::timing::{clock, offset_ms, origin};

/// Writes the header lines, a blank line, then `[MM:SS] Speaker: text` per message.
pub(crate) fn write(transcript: &Transcript, out: &mut impl Write) -> io::Result<()> {
    for line in Header::new(transcript).lines() {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    if transcript.messages.is_empty() {
        return writeln!(out, "No messages.");
    }
    let origin = origin(transcript);
    for message in &transcript.messages {
        let at = offset_ms(origin, message).map_or_else(|| "--:--".to_owned(), clock);
        write!(out, "[{at}] {}:", label(transcript, message))?;
        let text = message.message.as_deref().unwrap_or_default();
        for (index, line) in lines(text).iter().enumerate() {
            if index == 0 {
                write!(out, " {line}")?;
            } else {
                write!(out, "\n    {line}")?;
            }
        }
        if message.was_interrupted == Some(true) {
            write!(out, " [interrupted]")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
