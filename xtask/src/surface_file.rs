//! `cargo xtask surface [--check]`: writes, or checks, `openapi/surface.txt`.

use std::path::Path;

use crate::diff;
use crate::pipeline::{self, SPEC_PATH, SURFACE_PATH};
use crate::surface::render;

/// The outcome of `surface --check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// The checked-in file is what the vendored spec generates.
    UpToDate,
    /// It is not; the unified diff from the checked-in file to the generated one.
    Stale(String),
}

/// The surface file's text for the spec under `root`.
pub fn generated_text(root: &Path) -> Result<String, String> {
    let spec = pipeline::read(&root.join(SPEC_PATH))?;
    let run = pipeline::run(&spec).map_err(|e| format!("{SPEC_PATH}: {e}"))?;
    Ok(render::render(&run.surface))
}

/// Rewrites `<root>/openapi/surface.txt`.
pub fn write(root: &Path) -> Result<(), String> {
    let text = generated_text(root)?;
    let path = root.join(SURFACE_PATH);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Compares `<root>/openapi/surface.txt` with what the spec under `root` generates.
pub fn check(root: &Path) -> Result<Check, String> {
    let generated = generated_text(root)?;
    let path = root.join(SURFACE_PATH);
    let checked_in = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run `cargo xtask surface` to create it)",
            path.display()
        )
    })?;
    let old_label = format!("{SURFACE_PATH} (checked in)");
    let new_label = format!("{SURFACE_PATH} (generated from {SPEC_PATH})");
    Ok(
        match diff::unified(&checked_in, &generated, &old_label, &new_label) {
            None => Check::UpToDate,
            Some(diff) => Check::Stale(diff),
        },
    )
}
