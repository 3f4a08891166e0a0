//! [`Format::Markdown`](super::Format::Markdown): a title, the session facts as a list, one
//! paragraph per message.
//!
//! Message text, speakers and facts are escaped so that no text can start a block or an inline
//! construct of its own. Everywhere, a backslash goes before `\` `` ` `` `*` `_` `[` `]` `<`
//! `&` `|` `~` `$` (emphasis, code, links and images, autolinks and HTML, entities, tables,
//! strikethrough, math). At the start of a line it also goes before `#` `>` `-` `+` `=`, and
//! before the `.` or `)` of a leading number (headings, block quotes, lists, setext
//! underlines). Lines are trimmed, so indentation cannot make a code block. Bare URLs are left
//! as they are: GitHub links them, showing the URL itself.

use std::io::{self, Write};

use crate::types::Transcript;

use super::clean::lines;
use super::header::{DISABLED_NOTICE, Header};
use super::label;
use super::timing::{clock, offset_ms, origin};

/// `text` escaped as described in the module docs; `line_start` when it begins a line.
pub(crate) fn escape(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    if line_start {
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && matches!(text[digits.len()..].chars().next(), Some('.' | ')')) {
            out.push_str(&digits);
            out.push('\\');
            for _ in 0..digits.len() {
                chars.next();
            }
        } else if matches!(text.chars().next(), Some('#' | '>' | '-' | '+' | '=')) {
            out.push('\\');
        }
    }
    for c in chars {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '|' | '~' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Writes the Markdown rendering.
pub(crate) fn write(transcript: &Transcript, out: &mut impl Write) -> io::Result<()> {
    let header = Header::new(transcript);
    match &header.persona {
        Some(persona) => writeln!(out, "# Transcript with {}", escape(persona, false))?,
        None => writeln!(out, "# Transcript")?,
    }
    writeln!(out)?;
    let session = header.session.as_deref().unwrap_or("(no id)");
    writeln!(out, "- Session: {}", escape(session, false))?;
    let started = header.started.as_deref().unwrap_or("unknown");
    writeln!(out, "- Started: {started}")?;
    writeln!(
        out,
        "- Ended: {}",
        header.ended.as_deref().unwrap_or("in progress")
    )?;
    if let Some(duration) = &header.duration {
        writeln!(out, "- Duration: {duration}")?;
    }
    writeln!(out, "- Messages: {}", header.messages)?;
    if header.disabled {
        writeln!(out)?;
        writeln!(out, "> **Note:** {DISABLED_NOTICE}")?;
    }
    if transcript.messages.is_empty() {
        writeln!(out)?;
        return writeln!(out, "*No messages.*");
    }
    let origin = origin(transcript);
    for message in &transcript.messages {
        writeln!(out)?;
        let speaker = escape(&label(transcript, message), false);
        let at = offset_ms(origin, message).map_or_else(|| "--:--".to_owned(), clock);
        write!(out, "**{speaker}** ({at}):")?;
        let text = message.message.as_deref().unwrap_or_default();
        for (index, line) in lines(text).iter().enumerate() {
            if index == 0 {
                write!(out, " {}", escape(line, false))?;
            } else {
                // A trailing backslash is a hard line break.
                write!(out, "\\\n{}", escape(line, true))?;
            }
        }
        if message.was_interrupted == Some(true) {
            write!(out, " *(interrupted)*")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn inline_constructs_are_escaped() {
        assert_eq!(
            escape(
                "[click](https://x.test) <b>*hi*</b> a_b `c` &amp; | ~~s~~ $x$ \\",
                false
            ),
            "\\[click\\](https://x.test) \\<b>\\*hi\\*\\</b> a\\_b \\`c\\` \\&amp; \\| \\~\\~s\\~\\~ \\$x\\$ \\\\"
        );
        // Mid-line, block markers are inert and left alone.
        assert_eq!(escape("# 1. - > =", false), "# 1. - > =");
    }

    #[test]
    fn block_markers_are_escaped_at_line_start() {
        assert_eq!(escape("# Heading", true), "\\# Heading");
        assert_eq!(escape("> quote", true), "\\> quote");
        assert_eq!(escape("- item", true), "\\- item");
        assert_eq!(escape("+ item", true), "\\+ item");
        assert_eq!(escape("===", true), "\\===");
        assert_eq!(escape("---", true), "\\---");
        assert_eq!(escape("12. item", true), "12\\. item");
        assert_eq!(escape("3) item", true), "3\\) item");
        assert_eq!(escape("2026 was fine", true), "2026 was fine");
        assert_eq!(
            escape("[x]: https://x.test", true),
            "\\[x\\]: https://x.test"
        );
    }
}
