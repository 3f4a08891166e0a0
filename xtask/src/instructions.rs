//! `cargo xtask instructions`: the client benchmarks' workloads counted in instructions under
//! callgrind (`benches/instructions.rs`), each side of each pair in its own run, and the
//! ratio of the counts. Wall-clock medians on a shared 2-core machine swing by tens of
//! percent from run to run; these counts repeat, so a change of one percent shows.
//!
//! glibc's `memcpy` is told not to use `rep movsb`, which callgrind counts once per byte:
//! with it, a 4 KB copy would weigh as much as 4,000 instructions of real work.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Each benchmark and how many iterations are counted (after the harness's warm-up).
const PAIRS: &[(&str, usize)] = &[("round_trip", 200), ("stream", 10), ("decode", 10)];

/// Keeps glibc's `memcpy` on its vector loop for every size.
const NO_REP_MOVSB: &str = "glibc.cpu.x86_rep_movsb_threshold=4294967295";

/// One benchmark's counts, per iteration.
#[derive(Debug, PartialEq)]
pub struct Counted {
    pub name: String,
    pub baseline: f64,
    pub anam: f64,
}

/// Builds the harness (bench profile) and counts every pair.
pub fn measure(root: &Path) -> Result<Vec<Counted>, String> {
    let version = Command::new("valgrind").arg("--version").output();
    if !version.is_ok_and(|o| o.status.success()) {
        return Err(
            "valgrind is not installed: `apt-get install valgrind` (callgrind counts the instructions)"
                .into(),
        );
    }
    let harness = build(root)?;
    let mut counted = Vec::new();
    for &(name, iterations) in PAIRS {
        let baseline = count(&harness, &format!("{name}/baseline"), iterations)?;
        let anam = count(&harness, &format!("{name}/anam"), iterations)?;
        counted.push(Counted {
            name: name.to_string(),
            baseline,
            anam,
        });
    }
    Ok(counted)
}

/// `cargo bench --bench instructions --no-run`, and the harness executable it reports.
fn build(root: &Path) -> Result<PathBuf, String> {
    let output = crate::cargo::command()
        .current_dir(root)
        .args([
            "bench",
            "--package",
            "anam",
            "--bench",
            "instructions",
            "--no-run",
            "--locked",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the harness failed: {}", output.status));
    }
    executable(&String::from_utf8_lossy(&output.stdout))
        .ok_or_else(|| "cargo reported no `instructions` executable".into())
}

/// The `instructions` bench executable among cargo's JSON messages.
pub fn executable(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "instructions")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

/// Instructions per iteration of one case.
fn count(harness: &Path, case: &str, iterations: usize) -> Result<f64, String> {
    let out = std::env::temp_dir().join(format!(
        "anam-callgrind-{}-{}.out",
        std::process::id(),
        case.replace('/', "-")
    ));
    let status = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--toggle-collect=instructions::measured",
        ])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(harness)
        .args([case, &iterations.to_string()])
        .env("GLIBC_TUNABLES", NO_REP_MOVSB)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let _ = std::fs::remove_file(&out);
    if !status.success() {
        return Err(format!("`{case}` failed under callgrind: {status}"));
    }
    match summary(&text) {
        Some(total) if total > 0 => Ok(total as f64 / iterations as f64),
        _ => Err(format!(
            "callgrind counted nothing for `{case}` (is `instructions::measured` still there?)"
        )),
    }
}

/// The `summary:` total of a callgrind output file.
pub fn summary(callgrind_out: &str) -> Option<u64> {
    callgrind_out
        .lines()
        .find_map(|line| line.strip_prefix("summary:"))
        .and_then(|total| total.trim().parse().ok())
}

/// A table of the counts, then a `ratio <name> <anam / baseline>` line per pair.
pub fn report(counted: &[Counted]) -> String {
    let mut text =
        String::from("benchmark      baseline (instr/iter)   anam (instr/iter)   ratio\n");
    for c in counted {
        text.push_str(&format!(
            "{:<14} {:>21.0}   {:>17.0}   {:.3}\n",
            c.name,
            c.baseline,
            c.anam,
            c.anam / c.baseline
        ));
    }
    for c in counted {
        text.push_str(&format!("ratio {} {:.3}\n", c.name, c.anam / c.baseline));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_is_read_from_a_callgrind_file() {
        let file = "version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 44380790\n\nfn=(1) main\n10 5\ntotals: 44380790\n";
        assert_eq!(summary(file), Some(44_380_790));
        assert_eq!(summary("events: Ir\n"), None);
    }

    #[test]
    fn the_harness_is_found_among_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"name":"anam"},"executable":null}
{"reason":"compiler-artifact","target":{"name":"instructions"},"executable":"/t/release/deps/instructions-1234"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            executable(messages),
            Some(PathBuf::from("/t/release/deps/instructions-1234"))
        );
        assert_eq!(executable(r#"{"reason":"build-finished"}"#), None);
    }

    #[test]
    fn the_report_ends_with_a_ratio_per_pair() {
        let text = report(&[Counted {
            name: "round_trip".into(),
            baseline: 200_000.0,
            anam: 206_000.0,
        }]);
        assert!(text.ends_with("ratio round_trip 1.030\n"), "{text}");
        assert!(text.contains("200000"), "{text}");
    }
}
