//! `cargo xtask build-times`: what a clean build of the crate costs a user, with default
//! features and with `cli`, and what the build script itself takes, from `cargo build
//! --timings` in a fresh target directory.

use std::path::Path;
use std::time::Instant;

/// One clean build's figures.
#[derive(Debug, Default, PartialEq)]
pub struct Timing {
    /// Wall time of the whole build, seconds.
    pub total: f64,
    /// Units built.
    pub units: usize,
    /// Compiling `build.rs` (the pipeline), seconds.
    pub build_script_compile: f64,
    /// Running it (normalise, generate, format), seconds.
    pub build_script_run: f64,
    /// Compiling the `anam` library, seconds.
    pub lib: f64,
    /// Compiling the `anam` binary, seconds (with `cli`).
    pub bin: f64,
}

/// Runs a clean `cargo build -j<jobs> --timings` of the root package for each feature set and
/// returns the figures, in order.
pub fn measure(
    root: &Path,
    feature_sets: &[&str],
    jobs: usize,
) -> Result<Vec<(String, Timing)>, String> {
    let mut results = Vec::new();
    for features in feature_sets {
        let target = std::env::temp_dir().join(format!(
            "anam-build-times-{}-{}",
            std::process::id(),
            results.len()
        ));
        let _ = std::fs::remove_dir_all(&target);
        let mut command = crate::cargo::command();
        command
            .current_dir(root)
            .args([
                "build",
                "--package",
                "anam",
                "--locked",
                "--timings",
                "-j",
                &jobs.to_string(),
            ])
            .env("CARGO_TARGET_DIR", &target);
        if !features.is_empty() {
            command.args(["--features", features]);
        }
        let started = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let total = started.elapsed().as_secs_f64();
        if !status.success() {
            return Err(format!(
                "the build with features `{features}` failed: {status}"
            ));
        }
        let html = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html"))
            .map_err(|e| format!("no timing report: {e}"))?;
        let mut timing = parse_timings(&html)?;
        timing.total = total;
        let _ = std::fs::remove_dir_all(&target);
        results.push((features.to_string(), timing));
    }
    Ok(results)
}

/// The `anam` units of a `cargo-timing.html` report.
pub fn parse_timings(html: &str) -> Result<Timing, String> {
    let start = html
        .find("const UNIT_DATA = ")
        .ok_or("the report has no UNIT_DATA")?
        + "const UNIT_DATA = ".len();
    let end = start + html[start..].find("];").ok_or("UNIT_DATA does not end")? + 1;
    let units: Vec<serde_json::Value> = serde_json::from_str(&html[start..end])
        .map_err(|e| format!("UNIT_DATA is not JSON: {e}"))?;
    let mut timing = Timing {
        units: units.len(),
        ..Timing::default()
    };
    for unit in units.iter().filter(|u| u["name"] == "anam") {
        let duration = unit["duration"].as_f64().unwrap_or(0.0);
        match unit["target"].as_str().unwrap_or("").trim() {
            "build-script" => timing.build_script_compile = duration,
            "build-script (run)" => timing.build_script_run = duration,
            "" => timing.lib = duration,
            target if target.contains("bin") => timing.bin = duration,
            _ => {}
        }
    }
    Ok(timing)
}

/// The report, one line a feature set.
pub fn report(results: &[(String, Timing)]) -> String {
    let mut text = String::from(
        "features        clean build  units  build.rs compile  build.rs run  lib    bin\n",
    );
    for (features, t) in results {
        let name = if features.is_empty() {
            "default"
        } else {
            features.as_str()
        };
        text.push_str(&format!(
            "{name:<15} {:>9.1} s  {:>5}  {:>14.1} s  {:>10.2} s  {:>4.1} s  {:>4.1} s\n",
            t.total, t.units, t.build_script_compile, t.build_script_run, t.lib, t.bin
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anam_units_are_read_from_a_timing_report() {
        let html = r#"<script>
const UNIT_DATA = [{"i":0,"name":"serde","version":"1.0","mode":"todo","target":"","start":0.0,"duration":2.5},
{"i":1,"name":"anam","version":"0.1.0","mode":"todo","target":" build-script","start":1.0,"duration":3.3},
{"i":2,"name":"anam","version":"0.1.0","mode":"run-custom-build","target":" build-script (run)","start":4.3,"duration":0.9},
{"i":3,"name":"anam","version":"0.1.0","mode":"todo","target":"","start":5.2,"duration":12.6},
{"i":4,"name":"anam","version":"0.1.0","mode":"todo","target":" bin \"anam\"","start":17.8,"duration":4.0}];
const CONCURRENCY_DATA = [];</script>"#;
        let timing = parse_timings(html).unwrap();
        assert_eq!(
            timing,
            Timing {
                total: 0.0,
                units: 5,
                build_script_compile: 3.3,
                build_script_run: 0.9,
                lib: 12.6,
                bin: 4.0
            }
        );
        assert!(report(&[("cli".into(), timing)]).contains("cli"));
        assert!(parse_timings("<html>").is_err());
    }
}
