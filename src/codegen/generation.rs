//! What one pipeline run produces ([`Generation`], the generated files kept as syntax and
//! printed on demand), the notes its rules record ([`Note`], [`Notes`]) and why a run fails
//! ([`PipelineError`]).

use std::fmt;

use serde_json::Value;

use super::{DocumentedError, HandWritten, OpenEnum, OperationRow, cli};

/// One change the pipeline made to the upstream document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The rule that made it (`type-array`, `open-enums`, …).
    pub rule: &'static str,
    /// JSON pointer (or operation) it applies to.
    pub location: String,
    /// What changed.
    pub detail: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.location, self.detail)
    }
}

/// The notes of one pipeline run, in the order rules made them.
#[derive(Clone, Debug, Default)]
pub struct Notes(pub Vec<Note>);

impl Notes {
    /// Records a note.
    pub fn add(&mut self, rule: &'static str, location: &str, detail: impl Into<String>) {
        self.0.push(Note {
            rule,
            location: location.to_string(),
            detail: detail.into(),
        });
    }

    /// The rule of every note, in order (handy in tests).
    pub fn rules(&self) -> Vec<&'static str> {
        self.0.iter().map(|note| note.rule).collect()
    }
}

/// Why the pipeline could not generate a client.
#[derive(Debug)]
pub enum PipelineError {
    /// The input is not JSON.
    Json(serde_json::Error),
    /// The input is JSON but not an OpenAPI 3.x document.
    NotOpenApi3(String),
    /// The normalised document does not deserialise as OpenAPI 3.0.
    Model(serde_json::Error),
    /// Progenitor refused the document.
    Progenitor(String),
    /// Progenitor panicked on the document.
    GeneratorPanicked(String),
    /// The generated tokens are not valid Rust.
    Syntax(String),
    /// The command line cannot be generated (two operations would share a command).
    Cli(String),
    /// A rule met generated code in a shape it does not know, and the client would be wrong.
    Rule(String),
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "the spec is not valid JSON: {e}"),
            Self::NotOpenApi3(found) => {
                write!(f, "the spec is not an OpenAPI 3.x document ({found})")
            }
            Self::Model(e) => write!(f, "the normalised spec is not valid OpenAPI 3.0: {e}"),
            Self::Progenitor(e) => write!(f, "progenitor rejected the spec: {e}"),
            Self::GeneratorPanicked(e) => write!(f, "progenitor panicked on the spec: {e}"),
            Self::Syntax(e) => write!(f, "the generated code does not parse: {e}"),
            Self::Cli(e) => write!(f, "the command line cannot be generated: {e}"),
            Self::Rule(e) => write!(f, "a pipeline rule does not know the generated code: {e}"),
        }
    }
}

impl std::error::Error for PipelineError {}

/// Everything one pipeline run produces. The generated files are kept as syntax and printed
/// on demand ([`Generation::code`] and its siblings): only the build script writes them, and
/// printing them was about a third of a run, which xtask and its tests never need.
pub struct Generation {
    /// The client as syntax ([`Generation::code`] prints it).
    pub file: syn::File,
    /// Progenitor's typed `httpmock` helpers (the `mock` feature) as syntax
    /// ([`Generation::httpmock_code`] prints them).
    pub httpmock_file: syn::File,
    /// The `anam` binary's generated commands as syntax ([`Generation::cli_code`] prints them).
    pub cli_file: syn::File,
    /// Every command of the command line, one per facade method.
    pub cli_commands: Vec<cli::CliCommand>,
    /// Every change made to the document, in order.
    pub notes: Vec<Note>,
    /// Operations (or request variants) left to the hand-written facade.
    pub hand_written: Vec<HandWritten>,
    /// Error responses the spec documents (removed from the generated methods).
    pub documented_errors: Vec<DocumentedError>,
    /// Enums generated open.
    pub open_enums: Vec<OpenEnum>,
    /// Every operation of the upstream document, generated or not.
    pub operations: Vec<OperationRow>,
    /// The normalised document progenitor was given.
    pub normalized: Value,
}

impl Generation {
    /// The formatted Rust source of the client (`$OUT_DIR/anam_generated.rs`).
    pub fn code(&self) -> String {
        prettyplease::unparse(&self.file)
    }

    /// The formatted Rust source of the typed `httpmock` helpers (`$OUT_DIR/anam_httpmock.rs`).
    pub fn httpmock_code(&self) -> String {
        prettyplease::unparse(&self.httpmock_file)
    }

    /// The formatted Rust source of the binary's commands (`$OUT_DIR/anam_cli.rs`).
    pub fn cli_code(&self) -> String {
        cli::code::print(&self.cli_file)
    }
}

/// Everything but the syntax trees, which [`Generation::code`] and its siblings print (syn
/// implements `Debug` only with a feature this crate does not build it with).
impl std::fmt::Debug for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generation")
            .field("cli_commands", &self.cli_commands)
            .field("notes", &self.notes)
            .field("hand_written", &self.hand_written)
            .field("documented_errors", &self.documented_errors)
            .field("open_enums", &self.open_enums)
            .field("operations", &self.operations)
            .field("normalized", &self.normalized)
            .finish_non_exhaustive()
    }
}
