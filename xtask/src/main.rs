//! Maintainer tasks for the `anam` crate: `cargo xtask <task>`.

#[allow(dead_code)]
#[path = "../../src/codegen/mod.rs"]
mod codegen;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <notes|normalized> [--spec <path>]\n\n\
    notes        print every change the generation pipeline makes to the spec, and the\n\
                 operations left to the hand-written facade\n\
    normalized   print the normalised OpenAPI 3.0 document progenitor is given";

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let spec = match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("--spec"), Some(path)) => PathBuf::from(path),
        (None, _) => workspace_root().join("openapi/swagger.json"),
        _ => return usage_error(),
    };
    match args.first().map(String::as_str) {
        Some("notes") => notes(&spec),
        Some("normalized") => normalized(&spec),
        _ => usage_error(),
    }
}

fn normalized(spec: &std::path::Path) -> ExitCode {
    let parsed = std::fs::read(spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))
        .and_then(|bytes| {
            serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| e.to_string())
        });
    match parsed {
        Ok(mut doc) => {
            codegen::normalize(&mut doc);
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn notes(spec: &std::path::Path) -> ExitCode {
    let bytes = match std::fs::read(spec) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", spec.display());
            return ExitCode::FAILURE;
        }
    };
    match codegen::generate(&bytes) {
        Ok(generation) => {
            for note in &generation.notes {
                println!("{note}");
            }
            println!();
            for hand in &generation.hand_written {
                let scope = if hand.whole_operation {
                    "operation"
                } else {
                    "variant"
                };
                println!(
                    "hand-written {scope}: {} {} {} ({})",
                    hand.operation_id, hand.method, hand.path, hand.media_type
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
