//! The candidate check's second half: the whole workspace (every target, every feature)
//! checked by cargo against the candidate spec, in a scratch copy, before anything is written.
//!
//! The surface diff sees what the spec generates; this sees the hand-written code that uses it
//! (the sub-clients, uploads, CLI, tests, examples, benches): when a candidate removes or
//! changes something they name, `cargo check` fails there, and each error is reported with its
//! file, line, enclosing item and the name that went missing.
//!
//! The check runs in one scratch copy, `<target>/update-spec-check/scratch/`, synced file by
//! file so unchanged files keep their timestamps and cargo rechecks only what changed: from one
//! check to the next (the candidate, then the vendored spec; one test's candidate, then
//! another's) only `openapi/swagger.json` differs, so the build script runs again and only the
//! targets of the workspace's own packages are checked again (not incrementally: a new spec
//! moves nearly every generated line, and incremental state cost more than it saved). The copy
//! shares the workspace's target directory, so dependencies are checked once, while its own
//! packages get a version of their own ([`scratch::distinguish`]), so their artifacts never mix
//! with the real workspace's. Results are cached by the content of the copy (and the
//! toolchain), so a `--dry-run` followed by the real run checks once. When the candidate has
//! errors, the vendored spec is checked too, and errors that occur with it as well are set
//! apart: they are work in progress, not the candidate's doing. That second check is skipped
//! when every error says a name is missing that the candidate removed ([`attribution`]): the
//! vendored spec has it, so it cannot have the error.

mod attribution;
mod diagnostics;
mod scratch;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub use attribution::gone;
pub use diagnostics::CompileError;

use crate::pipeline::SPEC_PATH;

/// The cargo command run in the scratch copy (`--keep-going`: every target that can be checked
/// is, so one broken test does not hide another).
///
/// The whole workspace, although only `anam` uses the generated client: these are the packages
/// and features a maintainer's `cargo clippy --workspace --all-targets --all-features` checks,
/// so the dependencies' check artifacts it left in the shared target directory are reused (in
/// CI, which lints inside its test build, this check makes them, and the docs step reuses
/// them). With `--package=anam`, features resolve for `anam` alone, every dependency it shares
/// with xtask was checked again, and the update-spec build tests took 63 s in CI instead of
/// 48 s.
pub const CARGO_ARGS: &[&str] = &[
    "check",
    "--workspace",
    "--all-targets",
    "--all-features",
    "--keep-going",
    "--message-format=json",
];

/// The directory under the target directory that holds the scratch copy and the cache.
pub const CHECK_DIR: &str = "update-spec-check";

/// The scratch copy's directory under [`CHECK_DIR`], and the build metadata of its packages'
/// versions (`0.1.0+update-spec.scratch`).
const COPY: &str = "scratch";

/// Where the check runs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The workspace whose sources are copied.
    pub root: PathBuf,
    /// The cargo target directory the scratch builds share.
    pub target_dir: PathBuf,
}

impl Settings {
    /// `root`'s check, in `$CARGO_TARGET_DIR` when set, else in `<root>/target`.
    pub fn new(root: &Path) -> Settings {
        let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => {
                let dir = PathBuf::from(dir);
                if dir.is_absolute() {
                    dir
                } else {
                    std::env::current_dir().unwrap_or_default().join(dir)
                }
            }
            _ => root.join("target"),
        };
        Settings {
            root: root.to_path_buf(),
            target_dir,
        }
    }
}

/// What the check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildCheck {
    /// Not run (`--skip-build-check`).
    Skipped,
    /// Run.
    Checked {
        /// Errors the candidate causes.
        broken: Vec<CompileError>,
        /// Errors that occur with the vendored spec too.
        preexisting: Vec<CompileError>,
    },
}

impl BuildCheck {
    /// The errors the candidate causes (none when skipped).
    pub fn broken(&self) -> &[CompileError] {
        match self {
            Self::Skipped => &[],
            Self::Checked { broken, .. } => broken,
        }
    }
}

/// Checks the workspace against `candidate` and, if that fails, against `vendored`, unless
/// every error says a name is missing that `gone` (the names the candidate's surface no longer
/// has, [`gone`]) holds: with the vendored spec those names exist, so such errors are the
/// candidate's doing without a second check.
pub fn run(
    settings: &Settings,
    candidate: &[u8],
    vendored: &[u8],
    gone: &std::collections::BTreeSet<String>,
) -> Result<BuildCheck, String> {
    let errors = check(settings, "candidate", candidate)?;
    if errors.is_empty() {
        return Ok(BuildCheck::Checked {
            broken: Vec::new(),
            preexisting: Vec::new(),
        });
    }
    if attribution::all_explained(&errors, gone) {
        eprintln!(
            "build check: {} error(s) with the candidate, each naming something it removes; \
             the vendored spec has them all, so it is not checked",
            errors.len()
        );
        return Ok(BuildCheck::Checked {
            broken: errors,
            preexisting: Vec::new(),
        });
    }
    eprintln!(
        "build check: {} error(s) with the candidate; checking the vendored spec too, to set \
         apart those that are not its doing",
        errors.len()
    );
    let baseline = check(settings, "vendored", vendored)?;
    Ok(split(errors, &baseline))
}

/// Splits the candidate's errors into those it causes and those `baseline` has too.
pub fn split(errors: Vec<CompileError>, baseline: &[CompileError]) -> BuildCheck {
    let (preexisting, broken) = errors
        .into_iter()
        .partition(|error| baseline.iter().any(|other| other.same_error(error)));
    BuildCheck::Checked {
        broken,
        preexisting,
    }
}

/// The errors of `cargo check` on the copy of the workspace with `spec` vendored; `slot` names
/// the spec in messages (`candidate`, `vendored`).
fn check(settings: &Settings, slot: &str, spec: &[u8]) -> Result<Vec<CompileError>, String> {
    if !settings.root.join("Cargo.toml").is_file() {
        return Err(format!(
            "{} has no Cargo.toml: the build check needs the whole workspace (pass \
             --skip-build-check to judge the generated surface only)",
            settings.root.display()
        ));
    }
    let base = settings.target_dir.join(CHECK_DIR);
    std::fs::create_dir_all(&base).map_err(|e| format!("cannot create {}: {e}", base.display()))?;
    let _lock = scratch::lock(&base.join(format!("{COPY}.lock")), slot)?;
    let mut files = scratch::sources(&settings.root, &[&settings.target_dir])?;
    files.insert(PathBuf::from(SPEC_PATH), spec.to_vec());
    scratch::distinguish(&mut files, COPY);
    let key = scratch::cache_key(&files, &toolchain(&settings.root));
    let raw = match scratch::cached(&base, &key) {
        Some(raw) => {
            eprintln!("build check ({slot}): unchanged since the last check, reusing its result");
            raw
        }
        None => {
            let dir = base.join(COPY);
            scratch::sync(&dir, &files)?;
            let raw = run_cargo(&dir, &settings.target_dir, slot)?;
            scratch::store(&base, &key, &raw);
            raw
        }
    };
    Ok(diagnostics::enrich(raw, &files))
}

/// Runs [`CARGO_ARGS`] in `dir` and collects its errors. Cargo's progress goes to stderr.
fn run_cargo(
    dir: &Path,
    target_dir: &Path,
    slot: &str,
) -> Result<Vec<diagnostics::RawError>, String> {
    eprintln!(
        "build check ({slot}): cargo {} in {}",
        CARGO_ARGS.join(" "),
        dir.display()
    );
    let started = Instant::now();
    let output = crate::cargo::command()
        .args(CARGO_ARGS)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        // Not incremental: a new spec moves nearly every line of the generated code, so
        // incremental state saved little and cost more to keep. Measured on the 2-core machine
        // (a check after removing one operation, every target): 15.6 s incremental, 10.6 s not.
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo for the build check: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let errors = diagnostics::parse(&stdout, dir, target_dir);
    eprintln!(
        "build check ({slot}): {} error(s) in {:.0} s",
        errors.len(),
        started.elapsed().as_secs_f64()
    );
    if !output.status.success() && errors.is_empty() {
        return Err(format!(
            "cargo check failed in the scratch copy {} without a compiler error (its output is \
             above); pass --skip-build-check to judge the generated surface only",
            dir.display()
        ));
    }
    Ok(errors)
}

/// What identifies the toolchain the check ran with: `rustc -vV` (in `root`, so a
/// `rust-toolchain` file applies) and the flags cargo passes on.
fn toolchain(root: &Path) -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(rustc)
        .arg("-vV")
        .current_dir(root)
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default();
    let flags: Vec<String> = ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "RUSTC_WRAPPER"]
        .iter()
        .map(|name| format!("{name}={}", std::env::var(name).unwrap_or_default()))
        .collect();
    format!("{version}\n{}\n{}", flags.join("\n"), CARGO_ARGS.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(file: &str, line: usize, message: &str) -> CompileError {
        CompileError {
            file: file.into(),
            line,
            column: 5,
            message: message.into(),
            targets: vec!["test api".into()],
            item: None,
            missing: None,
        }
    }

    #[test]
    fn errors_the_vendored_spec_has_too_are_set_apart() {
        let candidate = vec![
            error("tests/api/coverage.rs", 117, "no method named `delete`"),
            error("src/transcript/timing.rs", 234, "no field `start`"),
        ];
        let baseline = vec![error("src/transcript/timing.rs", 234, "no field `start`")];
        let BuildCheck::Checked {
            broken,
            preexisting,
        } = split(candidate, &baseline)
        else {
            panic!("checked");
        };
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].file, "tests/api/coverage.rs");
        assert_eq!(preexisting.len(), 1);
        assert_eq!(preexisting[0].file, "src/transcript/timing.rs");
    }

    #[test]
    fn the_target_directory_defaults_to_the_workspace_one() {
        let settings = Settings::new(Path::new("/somewhere/repo"));
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => assert!(settings.target_dir.is_absolute()),
            _ => assert_eq!(settings.target_dir, Path::new("/somewhere/repo/target")),
        }
    }
}
