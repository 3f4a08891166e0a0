//! What every command shares: exit statuses, how data is printed, and the errors for the
//! user's own input and files. Commands import this module; it imports none of them.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use serde::Serialize;

/// Exit status: everything succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit status: the command failed (API, network, file or configuration error).
pub const EXIT_FAILED: u8 = 1;
/// Exit status: invalid usage (clap's own status for a bad command line), a bad body or
/// argument, or a destructive command refused without `--yes`. Nothing was sent.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: an export finished, but some sessions could not be exported.
pub const EXIT_PARTIAL: u8 = 3;

/// A command's result: its exit status, or an error to report.
pub type Outcome = Result<u8, Box<dyn std::error::Error + Send + Sync>>;

/// The owner of stdout, in the spirit of gh's `iostreams`: every byte of data a command
/// prints goes through it, so how output is laid out (JSON for a script, human output for a
/// person) and what a failed write means are decided here once.
///
/// A write to a closed stdout (`anam personas list --all | head -1`) is
/// [`OutputError::Closed`], which ends the command quietly with exit status 0: the reader
/// took what it wanted, and `set -o pipefail` scripts go on. Any other failed write (a full
/// disk) is [`OutputError::Failed`], an error (exit status 1). JSON is encoded into a buffer
/// before it is written, so the io error's kind is never hidden inside a serde_json error.
#[derive(Clone, Copy, Debug)]
pub struct Io {
    /// `--json`.
    json: bool,
    /// True when stdout is a terminal.
    terminal: bool,
    /// `--output`.
    format: Format,
    /// `--jq`, compiled once for the process.
    jq: Option<&'static crate::jq::Jq>,
}

/// `--output`: a table or JSON, whatever stdout is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table on a terminal, JSON elsewhere.
    #[default]
    #[value(skip)]
    Auto,
    /// A table (lists and single objects; other output as on a terminal).
    Table,
    /// JSON: indented on a terminal, compact elsewhere (with --json, always compact).
    Json,
}

/// Why a write to stdout failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The reader went away (`EPIPE`): not an error, the command stops quietly.
    #[error("standard output is closed")]
    Closed,
    /// Any other failure (`ENOSPC` on a full disk, …).
    #[error("cannot write to standard output")]
    Failed(#[source] std::io::Error),
}

impl From<std::io::Error> for OutputError {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            OutputError::Closed
        } else {
            OutputError::Failed(error)
        }
    }
}

impl Io {
    /// The streams of this process, with `--json` as given.
    pub fn new(json: bool) -> Self {
        Self {
            json,
            terminal: std::io::stdout().is_terminal(),
            format: Format::Auto,
            jq: None,
        }
    }

    /// The same streams with `--output` and `--jq` as given.
    pub fn with(mut self, format: Format, jq: Option<&'static crate::jq::Jq>) -> Self {
        self.format = format;
        self.jq = jq;
        self
    }

    /// True when output is for a program: `--json`, `--output json`, `--jq`, or stdout is not
    /// a terminal (without `--output table`). Every command then prints JSON (compact, one
    /// document or one item a line).
    pub fn machine(self) -> bool {
        match self.format {
            _ if self.json || self.jq.is_some() => true,
            Format::Json => true,
            Format::Table => false,
            Format::Auto => !self.terminal,
        }
    }

    /// True when lists and objects print as a table.
    pub fn table(self) -> bool {
        !self.machine()
    }

    /// True when `--json` was given.
    pub fn json_flag(self) -> bool {
        self.json
    }

    /// True when JSON is printed indented: on a terminal, without `--json` or `--jq`.
    pub fn pretty(self) -> bool {
        self.terminal && !self.json && self.jq.is_none()
    }

    /// `bytes` on stdout, flushed.
    pub fn write(self, bytes: &[u8]) -> Result<(), OutputError> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()?;
        Ok(())
    }

    /// `text` and a line break on stdout (human output).
    pub fn line(self, text: &str) -> Result<(), OutputError> {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        self.write(&bytes)
    }

    /// `value` as JSON on stdout: indented on a terminal, one compact line with `--json` or
    /// into a pipe. Encoded before anything is written.
    pub fn print<T: Serialize + ?Sized>(self, value: &T) -> Outcome {
        let value = to_value(value)?;
        if let Some(jq) = self.jq {
            self.write(&jq.run(&serde_json::to_vec(&value)?)?)?;
            return Ok(EXIT_OK);
        }
        let mut text = if self.pretty() {
            serde_json::to_vec_pretty(&value)?
        } else {
            serde_json::to_vec(&value)?
        };
        text.push(b'\n');
        self.write(&text)?;
        Ok(EXIT_OK)
    }

    /// A response body as the server sent it, on stdout: JSON re-laid out (indented on a
    /// terminal, one compact line with `--json` or into a pipe) with nothing else changed;
    /// a body that is not JSON is copied as it is. Nothing for an empty body.
    pub fn print_body(self, body: &[u8]) -> Outcome {
        if self.table() {
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(serde_json::Value::Object(object)) => {
                    self.write(crate::table::record(&object, crate::table::width()).as_bytes())?;
                    return Ok(EXIT_OK);
                }
                Ok(serde_json::Value::Array(items)) => {
                    self.write(crate::table::items(&items, crate::table::width()).as_bytes())?;
                    return Ok(EXIT_OK);
                }
                _ => {}
            }
        }
        self.print_json(body)
    }

    /// A body as the server sent it, as JSON whatever `--output` says (`anam api`): through
    /// `--jq` when given, else re-laid out as [`print_body`](Self::print_body) says.
    pub fn print_json(self, body: &[u8]) -> Outcome {
        if let Some(jq) = self.jq {
            if !body.is_empty() {
                self.write(&jq.run(body)?)?;
            }
            return Ok(EXIT_OK);
        }
        match relayout(body, self.pretty()) {
            Some(mut text) => {
                text.push(b'\n');
                self.write(&text)?;
            }
            None => self.write(body)?,
        }
        Ok(EXIT_OK)
    }
}

impl Io {
    /// One list item as the server wrote it: one compact line (JSON Lines), or its `--jq`
    /// results.
    pub fn item(self, json: &[u8]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if let Some(jq) = self.jq {
            self.write(&jq.run(json)?)?;
            return Ok(());
        }
        let mut line = relayout(json, false).unwrap_or_else(|| json.to_vec());
        line.push(b'\n');
        self.write(&line)?;
        Ok(())
    }

    /// A table of list items, each the JSON text the server wrote.
    pub fn items_table<J: AsRef<[u8]>>(self, items: &[J]) -> Outcome {
        let values: Vec<serde_json::Value> = items
            .iter()
            .map(|json| serde_json::from_slice(json.as_ref()).unwrap_or(serde_json::Value::Null))
            .collect();
        self.write(crate::table::items(&values, crate::table::width()).as_bytes())?;
        Ok(EXIT_OK)
    }
}

/// `--dry-run`: a request the client did not send, on stdout: its method and URL, then its
/// body (as it would be sent) or a note that it is a streamed upload. Never its headers.
pub fn print_planned(planned: &anam::dry_run::PlannedRequest) {
    let mut text = format!("{} {}\n", planned.method, planned.url).into_bytes();
    match (&planned.body, planned.streamed) {
        (Some(body), _) => {
            text.extend_from_slice(body);
            if !body.ends_with(b"\n") {
                text.push(b'\n');
            }
        }
        (None, true) => {
            text.extend_from_slice(b"(a streamed multipart body: the file's content)\n")
        }
        (None, false) => {}
    }
    // A closed stdout ends the command in any case, with the dry run's own status.
    let _ = Io::new(true).write(&text);
}

/// A line of diagnostics on stderr. A closed or full stderr is not worth failing (or
/// panicking, as `eprintln!` does) for, so it is ignored.
pub fn note(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
    let _ = stderr.flush();
}

/// True when `error`, or one of its causes, is a write to a closed stdout.
pub fn is_closed(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if matches!(error.downcast_ref(), Some(OutputError::Closed)) {
            return true;
        }
        next = error.source();
    }
    false
}

/// `json` with only its layout changed: indented as serde_json's pretty printer indents
/// (two spaces, `"key": value`, `[]` and `{}` kept empty), or compact. Every token is copied
/// as written, so key order, duplicate keys, `null`s, empty lists, number text (`1.50`,
/// `1e3`, integers past 64 bits) and string escapes are the server's own. `None` when `json`
/// is not one JSON value (checked by serde_json first) or is empty.
///
/// Why not re-serialise with serde_json (through `serde_transcode` or a `Value`): numbers go
/// through `f64`/`u64` on the way, so `1.50` would print as `1.5` and a large integer
/// would be rounded, and only serde_json's `arbitrary_precision` feature avoids that, which
/// would change number handling in the whole build. Copying tokens needs no number handling
/// at all.
pub fn relayout(json: &[u8], pretty: bool) -> Option<Vec<u8>> {
    serde_json::from_slice::<serde::de::IgnoredAny>(json).ok()?;
    let mut out = Vec::with_capacity(json.len() + json.len() / 4);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', depth * 2));
    };
    let mut bytes = json.iter().copied().enumerate().peekable();
    while let Some((at, byte)) = bytes.next() {
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'"' => {
                // A string, escapes and all, up to its closing quote (the JSON is valid).
                let mut end = at + 1;
                let mut escaped = false;
                for (i, b) in bytes.by_ref() {
                    end = i;
                    match b {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' => break,
                        _ => {}
                    }
                }
                out.extend_from_slice(&json[at..=end]);
            }
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                while bytes.next_if(|(_, b)| b" \t\n\r".contains(b)).is_some() {}
                if bytes.next_if(|&(_, b)| b == close).is_some() {
                    out.extend_from_slice(&[byte, close]);
                    continue;
                }
                out.push(byte);
                depth += 1;
                if pretty {
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if pretty {
                    newline(&mut out, depth);
                }
                out.push(byte);
            }
            b',' => {
                out.push(byte);
                if pretty {
                    newline(&mut out, depth);
                }
            }
            b':' => out.extend_from_slice(if pretty { b": " } else { b":" }),
            other => out.push(other),
        }
    }
    Some(out)
}

/// `value` as a [`serde_json::Value`], the one form the command line prints. Its keys come out
/// sorted, as they do from the generated types (typify orders their fields by name).
///
/// Going through a `Value` costs a copy, and saves the binary from compiling a serialiser of
/// its own per generated type and output format: the library already holds every response
/// type's serialiser into a `Value` (`anam::raw::spec_table::decode_success_body` uses them),
/// and a debug build shares those. Printing each response type directly, in two formats, gave
/// the binary a tenth more code to compile (1.34 million lines of LLVM IR instead of 1.20).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<serde_json::Value> {
    serde_json::to_value(value)
}

/// Input the command line refuses before sending anything (exit status [`EXIT_USAGE`]): a
/// body that is not JSON or does not match its type, a missing file. The message names the
/// file, parameter or field, never the values in it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}", path.display())]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_changes_and_nothing_else() {
        let sent = br#" {"b":null, "a" : [ ], "n":1.50, "big":123456789012345678901234,
            "e":1e3, "s":"a \"q\" \u00e9 \\", "o":{}, "t":"2026-04-20T09:00:00.000Z", "l":[1,{"x":[true]}]} "#;
        let compact = relayout(sent, false).unwrap();
        assert_eq!(
            String::from_utf8(compact).unwrap(),
            r#"{"b":null,"a":[],"n":1.50,"big":123456789012345678901234,"e":1e3,"s":"a \"q\" \u00e9 \\","o":{},"t":"2026-04-20T09:00:00.000Z","l":[1,{"x":[true]}]}"#
        );
        // Indented exactly as serde_json indents, for a body serde_json would write the same.
        let plain = br#"{"a":[],"b":{"c":[1,2,{"d":null}],"e":{}},"f":"x, y: {z}"}"#;
        let value: serde_json::Value = serde_json::from_slice(plain).unwrap();
        assert_eq!(
            String::from_utf8(relayout(plain, true).unwrap()).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
        assert_eq!(relayout(b"<html>", false), None);
        assert_eq!(relayout(b"", false), None);
        assert_eq!(relayout(b"{} {}", false), None);
    }
}
