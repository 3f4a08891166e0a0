//! Running the shared generation pipeline for the tasks: spec bytes in, [`Surface`] and notes out.

use std::cell::Cell;
use std::path::Path;

use crate::codegen::{self, Generation, PipelineError};
use crate::surface::{self, Surface};

/// The vendored spec, relative to the workspace root.
pub const SPEC_PATH: &str = "openapi/swagger.json";

/// The checked-in surface listing, relative to the workspace root.
pub const SURFACE_PATH: &str = "openapi/surface.txt";

thread_local! {
    /// True while this thread runs the pipeline.
    static GENERATING: Cell<bool> = const { Cell::new(false) };
}

/// Keeps the default panic message for every panic except those progenitor raises inside
/// [`generate`], which the pipeline turns into a [`PipelineError::GeneratorPanicked`] that
/// carries the message anyway. Called once, by `main`.
pub fn silence_generator_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !GENERATING.with(Cell::get) {
            report(info);
        }
    }));
}

/// Runs the pipeline on the raw bytes of a spec.
pub fn generate(spec: &[u8]) -> Result<Generation, PipelineError> {
    GENERATING.with(|flag| flag.set(true));
    let generation = codegen::generate(spec);
    GENERATING.with(|flag| flag.set(false));
    generation
}

/// One pipeline run, reduced to what the tasks compare.
#[derive(Clone, Debug)]
pub struct Run {
    /// The generated API.
    pub surface: Surface,
    /// Every normalisation note, as `cargo xtask notes` prints it.
    pub notes: Vec<String>,
}

/// Generates the client for `spec` and reads its surface.
pub fn run(spec: &[u8]) -> Result<Run, String> {
    let generation = generate(spec).map_err(|e| e.to_string())?;
    let surface = surface::extract::surface(spec, &generation)?;
    let notes = generation.notes.iter().map(ToString::to_string).collect();
    Ok(Run { surface, notes })
}

/// Reads `path`, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The vendored spec and its pipeline run, shared by the unit tests (one generation per test
/// binary).
#[cfg(test)]
pub fn vendored() -> &'static (serde_json::Value, Run) {
    static VENDORED: std::sync::OnceLock<(serde_json::Value, Run)> = std::sync::OnceLock::new();
    VENDORED.get_or_init(|| {
        let spec = crate::codegen::vendored_spec();
        let doc = serde_json::from_slice(spec).expect("the vendored spec is JSON");
        let run = run(spec).expect("the vendored spec generates");
        (doc, run)
    })
}
