//! Message text made safe for the line-oriented formats.
//!
//! Every human format (text, Markdown, WebVTT, SRT) sees a message as its *display lines*
//! ([`lines`]): the text split at line breaks (`\n`, `\r\n`, `\r`, vertical tab, form feed,
//! U+0085, U+2028, U+2029), each line trimmed, blank lines dropped, and every other control
//! character replaced by U+FFFD (a tab becomes a space), so no message can end a cue early,
//! forge a line of its own or send terminal escape sequences. JSON and JSON Lines keep the text
//! verbatim.

/// True for the characters that break a line.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// One line with tabs made spaces and other control characters replaced by U+FFFD.
fn scrub(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect()
}

/// The display lines of `text` (see the module docs); empty for empty or blank text.
pub(crate) fn lines(text: &str) -> Vec<String> {
    text.split(is_break)
        .map(|line| scrub(line).trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

/// `text` on one line: its display lines joined with single spaces, inner whitespace runs
/// collapsed (for labels such as speakers and persona names).
pub(crate) fn single_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in lines(text).iter().flat_map(|line| line.split_whitespace()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` without the cue-timing arrow `-->` (each becomes `->`, repeatedly, so `--->` cannot
/// leave one behind). For SRT payloads and WebVTT comments, which have no escapes.
pub(crate) fn without_arrows(text: &str) -> String {
    let mut text = text.to_owned();
    while text.contains("-->") {
        text = text.replace("-->", "->");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_trims_and_drops_blank_lines() {
        assert_eq!(
            lines("  a \r\n\r\n b\rc\u{2028}\n \t \nd  "),
            ["a", "b", "c", "d"]
        );
        assert!(lines("").is_empty());
        assert!(lines(" \n\t\n").is_empty());
    }

    #[test]
    fn replaces_control_characters() {
        assert_eq!(
            lines("a\u{1b}[31mb\u{0}\tc\u{7f}"),
            ["a\u{fffd}[31mb\u{fffd} c\u{fffd}"]
        );
    }

    #[test]
    fn keeps_unicode() {
        let text = "שלום 👋🏽 e\u{301}";
        assert_eq!(lines(text), [text]);
    }

    #[test]
    fn single_lines() {
        assert_eq!(single_line(" Dr.\n  Who \t x "), "Dr. Who x");
        assert_eq!(single_line("\n"), "");
    }

    #[test]
    fn arrows() {
        assert_eq!(without_arrows("a --> b ---> c ----->"), "a -> b -> c ->");
        assert_eq!(without_arrows("-- > ->"), "-- > ->");
    }
}
