//! `cargo xtask package-check`: the crate as users get it. `cargo package` makes the `.crate`,
//! its file list is checked against what a build needs and nothing more, and the unpacked copy
//! is built from a fresh downstream crate with default features, and with `mock` and `cli`, in
//! a target directory of its own; each build runs a small program that prints the spec's
//! example transcript (and gets an answer through the program's own `reqwest::Client::new()`,
//! with reqwest's default features in the second build and without them in the first), and
//! the packaged `anam` binary, built from the unpacked copy in the second build, prints it
//! from its built-in mock server.
//!
//! The sources live in `<target>/package-check/` (the workspace excludes `target`, so the
//! unpacked crate and the downstream crate are a workspace of their own); they build in the
//! workspace's target directory, reusing the dependencies the tests compiled. A file the
//! package lacks fails a build; a file users never need fails the list check.

mod downstream;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::cargo;

/// The directory under the target directory that holds the check.
pub const CHECK_DIR: &str = "package-check";

/// Files a package may hold besides [`REQUIRED_FILES`] and `src/**/*.rs`: what cargo adds and
/// the spec's provenance note.
const ALSO_ALLOWED_FILES: &[&str] = &[
    "Cargo.toml.orig",
    ".cargo_vcs_info.json",
    "openapi/README.md",
];

/// Files the package must hold: the build's inputs, the binary and the licence texts.
const REQUIRED_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "README.md",
    "CHANGELOG.md",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "build.rs",
    "openapi/swagger.json",
    "src/lib.rs",
    "src/codegen/mod.rs",
    "src/bin/anam/main.rs",
];

/// The largest `.crate` accepted, compressed (today about 313 KiB: the spec, the pipeline,
/// the library and the binary; it was 210 KiB before the lossless, webhook, tools and gh-style
/// command-line work of 2026-12-07).
pub const MAX_CRATE_BYTES: u64 = 400 * 1024;

/// The most files accepted (today about 95).
pub const MAX_FILES: usize = 130;

/// The line every run must print: the spec example's first message, as `render` writes it.
pub const EXPECTED_LINE: &str = "[00:01] Cara: Hi! How can I help?";

/// What the check found.
#[derive(Debug)]
pub struct Summary {
    /// The `.crate` file.
    pub crate_file: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The files it holds.
    pub files: Vec<String>,
    /// Each step and its wall time, seconds.
    pub steps: Vec<(String, f64)>,
}

/// Runs the whole check for the workspace at `root`, with `target_dir` as its target directory.
pub fn run(root: &Path, target_dir: &Path) -> Result<Summary, String> {
    let version = package_version(&read(&root.join("Cargo.toml"))?)
        .ok_or("Cargo.toml has no [package] version")?;
    let work = target_dir.join(CHECK_DIR);
    let mut steps = Vec::new();
    let mut timed = |name: &str, started: Instant| {
        let seconds = started.elapsed().as_secs_f64();
        eprintln!("package-check: {name} ({seconds:.1} s)");
        steps.push((name.to_string(), seconds));
    };

    let started = Instant::now();
    let crate_file = package(root, target_dir, &version)?;
    let bytes = std::fs::metadata(&crate_file)
        .map_err(|e| format!("cannot read {}: {e}", crate_file.display()))?
        .len();
    let prefix = format!("anam-{version}/");
    let files = packaged_files(&crate_file, &prefix)?;
    let problems = content_problems(&files, bytes);
    if !problems.is_empty() {
        return Err(format!(
            "the package is not what users should get:\n  {}",
            problems.join("\n  ")
        ));
    }
    timed("cargo package and the file list", started);

    let started = Instant::now();
    // A previous run's workspace manifest: the lock check below needs the unpacked crate to
    // find none above it.
    let _ = std::fs::remove_file(work.join("Cargo.toml"));
    let unpacked = work.join("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&unpacked)
        .map_err(|e| format!("cannot create {}: {e}", unpacked.display()))?;
    run_ok(
        Command::new("tar")
            .arg("-xzf")
            .arg(&crate_file)
            .arg("-C")
            .arg(&unpacked),
        "tar -xzf",
    )?;
    let crate_dir = unpacked.join(prefix.trim_end_matches('/'));
    check_lock(&crate_dir)?;
    let workspace = downstream::write(&work, &crate_dir)?;
    timed(
        "unpacked; its Cargo.lock holds; downstream crate written",
        started,
    );

    // The workspace's own target directory: the unpacked `anam` is a package of its own (its
    // path differs), so it and its build script are always compiled from the packaged files,
    // while each dependency unit the tests already compiled with the same version, features
    // and profile is reused. Until 2026-12-07 the check had a target directory of its own and
    // compiled the whole stack cold twice: 130 s against 92 s on the same machine
    // (docs/MAINTAINERS.md, The package check). A cold build's time is `cargo xtask
    // build-times`' measure, not this check's.
    let build_target = target_dir.to_path_buf();
    // Two builds. Default features, with the program's own reqwest without its default
    // features. Then `mock` and `cli` together, with reqwest's default features in the
    // program's own reqwest (the two ways a project has reqwest, at the cost of one build that
    // compiles reqwest's aws-lc-rs), and the packaged `anam` binary in the same cargo run, so
    // it links the library that build compiled. (Until 2026-12-07 `mock` and `cli` were two
    // builds: one more compile of the library and the stack above it, about 25 s.)
    for features in ["", "mock,cli,reqwest-default"] {
        let started = Instant::now();
        let with_binary = features.contains("cli");
        let mut command = cargo::command();
        command
            .args(["build", "--quiet", "--manifest-path"])
            .arg(&workspace)
            .args(["--package", downstream::PACKAGE])
            .env("CARGO_TARGET_DIR", &build_target);
        if with_binary {
            // The feature unification of one build gives `anam` its `cli`, which the binary
            // requires.
            command.args(["--package", "anam", "--bins"]);
        }
        if !features.is_empty() {
            let qualified: Vec<String> = features
                .split(',')
                .map(|feature| format!("{}/{feature}", downstream::PACKAGE))
                .collect();
            command.args(["--features", &qualified.join(",")]);
        }
        run_ok(
            &mut command,
            &format!("the downstream build ({features:?})"),
        )?;
        let output = run_ok(
            &mut Command::new(executable(&build_target, downstream::PACKAGE)),
            &format!("the downstream program ({features:?})"),
        )?;
        expect_transcript(&output, &format!("the downstream program ({features:?})"))?;
        expect_line(
            &output,
            downstream::OWN_REQWEST_LINE,
            &format!("the downstream program's own reqwest ({features:?})"),
        )?;
        if with_binary {
            run_binary(&build_target)?;
        }
        let label = match (features.is_empty(), with_binary) {
            (true, _) => "default features".to_string(),
            (false, false) => format!("features {features}"),
            (false, true) => {
                format!("features {features}, and the packaged binary's mock transcript")
            }
        };
        timed(&format!("downstream build and run, {label}"), started);
    }

    Ok(Summary {
        crate_file,
        bytes,
        files,
        steps,
    })
}

/// The files of the `.crate` at `crate_file`, by path inside it (without `prefix`), sorted.
fn packaged_files(crate_file: &Path, prefix: &str) -> Result<Vec<String>, String> {
    let listing = run_ok(Command::new("tar").arg("-tzf").arg(crate_file), "tar -tzf")?;
    let mut files: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .filter(|name| !name.is_empty() && !name.ends_with('/'))
        .map(str::to_string)
        .collect();
    files.sort();
    Ok(files)
}

/// Fails unless the package's own `Cargo.lock` resolves the unpacked crate at `crate_dir` as
/// it is, as `cargo install --locked anam` needs (`cargo metadata --locked` fails on a lock file
/// that would have to change).
fn check_lock(crate_dir: &Path) -> Result<(), String> {
    run_ok(
        cargo::command()
            .args(["metadata", "--quiet", "--locked", "--format-version", "1"])
            .arg("--manifest-path")
            .arg(crate_dir.join("Cargo.toml")),
        "cargo metadata --locked for the package on its own",
    )
    .map(drop)
}

/// A debug executable of the check's workspace.
fn executable(target_dir: &Path, name: &str) -> PathBuf {
    target_dir
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs the packaged `anam` binary (built beside the downstream `cli` build) on its mock
/// transcript (`--mock`: without it and without a key the binary sends nothing): it must print
/// the example and say it used the built-in mock.
fn run_binary(target_dir: &Path) -> Result<(), String> {
    let output = run_ok(
        Command::new(executable(target_dir, "anam"))
            .args(["--mock", "sessions", "transcript", downstream::SESSION])
            .env_remove("ANAM_API_KEY")
            .env_remove("ANAM_BASE_URL")
            .env_remove("ANAM_MOCK")
            .env_remove("ANAM_PROFILE")
            .stdin(Stdio::null()),
        "the packaged anam binary",
    )?;
    expect_transcript(&output, "the packaged anam binary")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("built-in mock Anam server") {
        Ok(())
    } else {
        Err(format!(
            "the packaged binary did not say it used the mock server:\n{stderr}"
        ))
    }
}

/// The report printed on stdout.
pub fn report(summary: &Summary) -> String {
    let mut out = format!(
        "package: {} ({} files, {:.1} KiB compressed; limits {} files, {} KiB)\n",
        summary.crate_file.display(),
        summary.files.len(),
        summary.bytes as f64 / 1024.0,
        MAX_FILES,
        MAX_CRATE_BYTES / 1024,
    );
    for (step, seconds) in &summary.steps {
        out.push_str(&format!("  {seconds:6.1} s  {step}\n"));
    }
    out.push_str("package check passed\n");
    out
}

/// What is wrong with a package of `files` (paths inside the crate) and `bytes`: files users
/// never need, files a build needs that are missing, and a size or count past the limits.
pub fn content_problems(files: &[String], bytes: u64) -> Vec<String> {
    let mut problems: Vec<String> = files
        .iter()
        .filter(|file| !is_allowed(file))
        .map(|file| format!("{file}: not needed by users (add it to `include` only if it is)"))
        .collect();
    problems.extend(
        REQUIRED_FILES
            .iter()
            .filter(|required| !files.iter().any(|file| file == *required))
            .map(|missing| format!("{missing}: missing (add it to `include` in Cargo.toml)")),
    );
    if files.len() > MAX_FILES {
        problems.push(format!(
            "{} files, more than the {MAX_FILES} allowed",
            files.len()
        ));
    }
    if bytes > MAX_CRATE_BYTES {
        problems.push(format!(
            "{bytes} bytes compressed, more than the {MAX_CRATE_BYTES} allowed"
        ));
    }
    problems
}

/// True for a file a user's build, docs or licence needs.
fn is_allowed(file: &str) -> bool {
    REQUIRED_FILES.contains(&file)
        || ALSO_ALLOWED_FILES.contains(&file)
        || (file.starts_with("src/") && file.ends_with(".rs"))
}

/// The `version` of the `[package]` table of a manifest.
pub fn package_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(value) = crate::cargo::version_value(line) {
            return Some(value.to_string());
        }
    }
    None
}

/// Runs `cargo package` for `anam` and returns the `.crate` it wrote.
fn package(root: &Path, target_dir: &Path, version: &str) -> Result<PathBuf, String> {
    run_ok(
        cargo::command()
            .current_dir(root)
            .args(["package", "--package", "anam", "--locked", "--no-verify"])
            // A maintainer checks work in progress; CI packages a clean clone.
            .arg("--allow-dirty")
            .env("CARGO_TARGET_DIR", target_dir),
        "cargo package",
    )?;
    let crate_file = target_dir
        .join("package")
        .join(format!("anam-{version}.crate"));
    if !crate_file.is_file() {
        return Err(format!("cargo package wrote no {}", crate_file.display()));
    }
    Ok(crate_file)
}

/// Fails unless a run printed `line` on stdout.
fn expect_line(output: &Output, line: &str, what: &str) -> Result<(), String> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.lines().any(|printed| printed == line) {
        Ok(())
    } else {
        Err(format!(
            "{what} did not print `{line}`:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Fails unless a run printed [`EXPECTED_LINE`] on stdout.
fn expect_transcript(output: &Output, what: &str) -> Result<(), String> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    if stdout.lines().any(|line| line == EXPECTED_LINE) {
        Ok(())
    } else {
        Err(format!(
            "{what} did not print the example transcript (`{EXPECTED_LINE}`):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs `command` (cargo's progress on this process's stderr for cargo commands) and fails with
/// its output unless it succeeds.
fn run_ok(command: &mut Command, what: &str) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// A file's text.
fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(extra: &[&str]) -> Vec<String> {
        REQUIRED_FILES
            .iter()
            .chain(["src/client.rs", ".cargo_vcs_info.json", "Cargo.toml.orig"].iter())
            .chain(extra.iter())
            .map(|name| name.to_string())
            .collect()
    }

    #[test]
    fn a_package_of_build_inputs_passes() {
        assert_eq!(
            content_problems(&listing(&[]), 180_000),
            Vec::<String>::new()
        );
    }

    #[test]
    fn what_users_never_need_and_what_is_missing_are_named() {
        let mut files = listing(&["tests/api/main.rs", "benches/client.rs", "src/notes.txt"]);
        files.retain(|file| file != "openapi/swagger.json");
        let problems = content_problems(&files, 180_000);
        assert_eq!(
            problems,
            [
                "tests/api/main.rs: not needed by users (add it to `include` only if it is)",
                "benches/client.rs: not needed by users (add it to `include` only if it is)",
                "src/notes.txt: not needed by users (add it to `include` only if it is)",
                "openapi/swagger.json: missing (add it to `include` in Cargo.toml)",
            ]
        );
    }

    #[test]
    fn size_and_file_count_have_limits() {
        let mut files = listing(&[]);
        files.extend((0..MAX_FILES).map(|i| format!("src/generated_{i}.rs")));
        let problems = content_problems(&files, MAX_CRATE_BYTES + 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("files, more than the"), "{problems:?}");
        assert!(problems[1].contains("bytes compressed"), "{problems:?}");
    }

    #[test]
    fn the_version_is_the_package_tables() {
        let manifest = "[workspace]\nversion = \"9\"\n[package]\nname = \"anam\"\nversion = \"0.2.0\"\n[dependencies]\nversion = \"1\"\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.2.0"));
        assert_eq!(package_version("[dependencies]\nversion = \"1\"\n"), None);
    }
}
