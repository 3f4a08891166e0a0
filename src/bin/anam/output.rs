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

/// How a command prints its data.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    /// Machine-readable JSON on stdout instead of human output (compact JSON for the
    /// resource commands).
    pub json: bool,
}

impl Output {
    /// `value` as JSON on stdout: indented on a terminal, one compact line with `--json` or
    /// into a pipe.
    pub fn print<T: Serialize + ?Sized>(self, value: &T) -> Outcome {
        let value = to_value(value)?;
        let mut stdout = std::io::stdout().lock();
        if !self.json && std::io::stdout().is_terminal() {
            serde_json::to_writer_pretty(&mut stdout, &value)?;
        } else {
            serde_json::to_writer(&mut stdout, &value)?;
        }
        writeln!(stdout)?;
        stdout.flush()?;
        Ok(EXIT_OK)
    }
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
