//! `cargo xtask update-spec`: fetches a candidate spec, checks the pipeline generates a client
//! from it and that the whole workspace still compiles against it (in a scratch copy), reports
//! how the API would change, and (unless a dry run, or refused) vendors it byte for byte,
//! rewrites the surface file and rewrites the spec's pins.
//!
//! The API change is measured from the checked-in `openapi/surface.txt` (what the last release
//! generated, so what users have) to what the current pipeline generates from the candidate,
//! so a change of the pipeline is classified as well as a change of the spec. Only when that
//! file is missing or does not parse is the old side regenerated from the vendored spec, and
//! the report says so. The old side's normalisation notes always come from the current
//! pipeline on the vendored spec (the surface file has none).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build_check::{self, BuildCheck};
use crate::pins::{self, Pins};
use crate::pipeline::{self, SPEC_PATH, SURFACE_PATH};
use crate::report::{Baseline, Report};
use crate::surface::{Surface, parse, render, sha256_hex};

/// Where Anam publishes the spec.
pub const DEFAULT_SOURCE: &str = "https://api.anam.ai/swagger.json";

/// Seconds `curl` may take for the whole download.
const FETCH_TIMEOUT_SECS: &str = "30";

/// What `update-spec` was asked to do.
#[derive(Clone, Debug)]
pub struct Options {
    /// A URL (`http://` or `https://`) or a local path.
    pub from: String,
    /// Print the report, write nothing.
    pub dry_run: bool,
    /// Vendor even when hand-written code no longer compiles against the candidate.
    pub force: bool,
    /// Judge the generated surface only: no scratch build of the workspace.
    pub skip_build_check: bool,
    /// The date written into the pins (default: today, UTC).
    pub date: Option<String>,
    /// The workspace whose `openapi/` is updated.
    pub root: PathBuf,
}

/// What `update-spec` did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The report, ending with the suggested bump.
    pub report: Report,
    /// The files written (none on a dry run, or when refused).
    pub written: Vec<PathBuf>,
    /// True when the candidate was not vendored because hand-written code no longer compiles
    /// against it (and `--force` was not given).
    pub refused: bool,
}

/// Runs the task. Nothing is written unless the candidate generates a client and the
/// workspace compiles against it (or `force`).
pub fn run(options: &Options) -> Result<Outcome, String> {
    let candidate = fetch(&options.from)?;
    let new =
        pipeline::run(&candidate).map_err(|e| format!("{} was not vendored: {e}", options.from))?;
    let spec_path = options.root.join(SPEC_PATH);
    let current = pipeline::read(&spec_path)?;
    // The same bytes generate the same client: one run serves both sides (a refresh when
    // upstream has not changed, a pipeline change checked against the surface file).
    let vendored = if current == candidate {
        new.clone()
    } else {
        pipeline::run(&current).map_err(|e| {
            format!(
                "the current {} no longer generates, so its normalisation notes cannot be \
                 compared: {e}",
                spec_path.display()
            )
        })?
    };
    let (old, baseline) = old_surface(&options.root, &vendored.surface);
    // The pins are rewritten in memory first, so a missing pin fails before the build check.
    let spec_changed = sha256_hex(&current) != new.surface.spec_sha256;
    let pinned = if options.dry_run || !spec_changed {
        Vec::new()
    } else {
        let pins = Pins {
            sha256: new.surface.spec_sha256.clone(),
            date: options.date.clone().unwrap_or_else(pins::today_utc),
            operations: new.surface.operations.len(),
        };
        pins::rewrite(&options.root, &pins)?
    };
    let build = if options.skip_build_check {
        BuildCheck::Skipped
    } else {
        let settings = build_check::Settings::new(&options.root);
        let gone = build_check::gone(&vendored.surface, &new.surface);
        build_check::run(&settings, &candidate, &current, &gone).map_err(|e| {
            format!(
                "{} was not vendored: the build check failed: {e}",
                options.from
            )
        })?
    };
    let report = Report::new(&old, &new.surface, &vendored.notes, &new.notes)
        .with_baseline(baseline)
        .with_build(build);
    let refused = !report.broken().is_empty() && !options.force && !options.dry_run;
    let written = if options.dry_run || refused {
        Vec::new()
    } else {
        let surface_path = options.root.join(SURFACE_PATH);
        let surface = render::render(&new.surface);
        let mut files: Vec<(PathBuf, Vec<u8>)> =
            vec![(spec_path, candidate), (surface_path, surface.into_bytes())];
        files.extend(
            pinned
                .into_iter()
                .map(|(path, text)| (path, text.into_bytes())),
        );
        write_all(&files)?;
        files.into_iter().map(|(path, _)| path).collect()
    };
    Ok(Outcome {
        report,
        written,
        refused,
    })
}

/// The old side of the comparison: the checked-in surface file under `root`, parsed, or, when
/// it is missing or does not parse, `regenerated` (the current pipeline's surface of the
/// vendored spec), with the reason.
pub fn old_surface(root: &Path, regenerated: &Surface) -> (Surface, Baseline) {
    let path = root.join(SURFACE_PATH);
    let why = match std::fs::read_to_string(&path) {
        Ok(text) => match parse::parse(&text) {
            Ok(surface) => return (surface, Baseline::SurfaceFile),
            Err(e) => format!("{SURFACE_PATH} does not parse: {e}"),
        },
        Err(e) if e.kind() == ErrorKind::NotFound => format!("{SURFACE_PATH} is missing"),
        Err(e) => format!("cannot read {}: {e}", path.display()),
    };
    (regenerated.clone(), Baseline::Regenerated(why))
}

/// The bytes at `source`: downloaded with `curl` for a URL, read for a path.
pub fn fetch(source: &str) -> Result<Vec<u8>, String> {
    if source.starts_with("https://") || source.starts_with("http://") {
        download(source)
    } else {
        pipeline::read(Path::new(source))
    }
}

/// Downloads `url` with `curl` (fails on HTTP errors, follows redirects, times out).
fn download(url: &str) -> Result<Vec<u8>, String> {
    let output = Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location"])
        .args(["--max-time", FETCH_TIMEOUT_SECS, "--url", url])
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => format!(
                "cannot fetch {url}: `curl` is not installed; install it, or download the spec \
                 yourself and pass --from <path>"
            ),
            _ => format!("cannot fetch {url}: cannot run curl: {e}"),
        })?;
    if !output.status.success() {
        let reason = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "cannot fetch {url}: {} (offline? download the spec yourself and pass --from <path>)",
            reason.trim()
        ));
    }
    Ok(output.stdout)
}

/// Writes every file to a temporary sibling first, then renames them all into place, so a
/// failure leaves the originals untouched.
fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    let temporary = |path: &Path| path.with_extension("update-spec.tmp");
    for (path, bytes) in files {
        let staged = temporary(path);
        if let Err(e) = std::fs::write(&staged, bytes) {
            remove_staged(files, &temporary);
            return Err(format!("cannot write {}: {e}", staged.display()));
        }
    }
    for (path, _) in files {
        std::fs::rename(temporary(path), path)
            .map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Removes the staged copies of `files` after a failed write.
fn remove_staged(files: &[(PathBuf, Vec<u8>)], temporary: &dyn Fn(&Path) -> PathBuf) {
    for (path, _) in files {
        // Best effort: a staged file that was never written is simply absent.
        let _ = std::fs::remove_file(temporary(path));
    }
}
