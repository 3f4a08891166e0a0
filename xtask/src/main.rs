//! Maintainer tasks for the `anam` crate: `cargo xtask <task>`.

#[allow(dead_code)]
#[path = "../../src/codegen/mod.rs"]
mod codegen;

mod build_check;
mod build_times;
mod cargo;
mod classify;
mod diff;
mod instructions;
mod msrv;
mod package_check;
mod pins;
mod pipeline;
mod report;
mod surface;
mod surface_file;
mod update_spec;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Maintainer tasks for the `anam` crate.
///
/// The build check of update-spec runs in `$CARGO_TARGET_DIR/update-spec-check` (else
/// `<root>/target/update-spec-check`).
#[derive(Debug, Parser)]
#[command(name = "xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Print every change the pipeline makes to the spec
    ///
    /// Every change the generation pipeline makes to the spec, and the operations left to the
    /// hand-written facade.
    Notes {
        /// The spec (default: the vendored openapi/swagger.json).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Print the normalised OpenAPI 3.0 document progenitor is given.
    Normalized {
        /// The spec (default: the vendored openapi/swagger.json).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Rewrite openapi/surface.txt (or check it)
    ///
    /// openapi/surface.txt lists the generated public API.
    Surface {
        /// Write nothing; fail with a diff when the file is stale.
        #[arg(long)]
        check: bool,
        /// The workspace (default: this one).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Vendor a new upstream spec, with its changes classified
    ///
    /// Fetch the spec, check it generates and that the whole workspace (all targets, all
    /// features) still compiles against it in a scratch copy, print the API changes from the
    /// checked-in openapi/surface.txt (what users have; so a pipeline change counts too:
    /// --from openapi/swagger.json) classified, the hand-written code that breaks and the
    /// suggested version bump, then vendor it byte for byte, rewrite openapi/surface.txt and
    /// rewrite the spec's pins (sha256, date) in openapi/README.md, tests/api/spec_examples.rs
    /// and src/spec.rs.
    UpdateSpec {
        /// A URL or a path.
        #[arg(long, default_value = update_spec::DEFAULT_SOURCE)]
        from: String,
        /// Write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Vendor even when hand-written code no longer compiles.
        #[arg(long)]
        force: bool,
        /// Judge the generated surface only (no scratch build).
        #[arg(long)]
        skip_build_check: bool,
        /// The date written into the pins, YYYY-MM-DD (default: today, UTC).
        #[arg(long, value_parser = parse_date)]
        date: Option<String>,
        /// The workspace (default: this one).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Write the classification's single-change fixtures
    ///
    /// Write the classification's single-change fixtures (the vendored spec with one upstream
    /// change each) into DIR as `<name>.json`, and print each name with the bump update-spec
    /// suggests for it, for judging the same changes with another tool (cargo-semver-checks).
    Fixtures {
        /// Where the fixtures go.
        dir: PathBuf,
    },
    /// Measure clean builds of the crate
    ///
    /// Clean-build the crate (default features, then `cli`) in fresh target directories with
    /// `cargo build --timings` and print the wall time, units, the build script's compile and
    /// run times, and the lib's and binary's compile times.
    BuildTimes {
        /// Parallel jobs.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
    },
    /// Check the dependencies' rust-version against anam's
    ///
    /// Fail when a crate anam builds with (normal and build dependencies, all features, as
    /// locked) declares a rust-version newer than anam's (clippy's incompatible_msrv checks
    /// the crate's own code).
    Msrv,
    /// Check the .crate users get: its files, and downstream builds
    ///
    /// `cargo package` the crate, check its files (nothing a build lacks, nothing users never
    /// need, size and count within limits), then build the unpacked copy from a fresh
    /// downstream crate with default features, then with `mock` and `cli` (and the packaged
    /// `anam` binary in the same build), and run each build's program and the binary's mock
    /// transcript; the sources in `<target>/package-check/`, built in the workspace's target
    /// directory.
    PackageCheck,
    /// Count the client benchmarks in instructions (callgrind)
    ///
    /// Count the client benchmarks' workloads (benches/instructions.rs) in instructions under
    /// valgrind's callgrind, each side of each pair, and print `ratio <name> <anam /
    /// baseline>` lines: unlike wall time on a shared machine, the counts repeat from run to
    /// run.
    Instructions,
}

/// `--date`: YYYY-MM-DD.
fn parse_date(date: &str) -> Result<String, String> {
    if pins::is_date(date) {
        Ok(date.to_string())
    } else {
        Err(format!("wants YYYY-MM-DD, not `{date}`"))
    }
}

/// The workspace this xtask was built in.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.join(".."), Path::to_path_buf)
}

fn main() -> ExitCode {
    pipeline::silence_generator_panics();
    // Usage errors exit with 2, `--help` with 0, as clap decides.
    let cli = Cli::parse();
    let spec = |given: Option<PathBuf>| {
        given.unwrap_or_else(|| workspace_root().join(pipeline::SPEC_PATH))
    };
    let root = |given: Option<PathBuf>| given.unwrap_or_else(workspace_root);
    match cli.task {
        Task::Notes { spec: given } => notes(&spec(given)),
        Task::Normalized { spec: given } => normalized(&spec(given)),
        Task::Surface { check, root: given } => run_surface(&root(given), check),
        Task::UpdateSpec {
            from,
            dry_run,
            force,
            skip_build_check,
            date,
            root: given,
        } => run_update_spec(update_spec::Options {
            from,
            dry_run,
            force,
            skip_build_check,
            date,
            root: root(given),
        }),
        Task::Fixtures { dir } => write_fixtures(&dir),
        Task::BuildTimes { jobs } => {
            match build_times::measure(&workspace_root(), &["", "cli"], jobs) {
                Ok(results) => {
                    print!("{}", build_times::report(&results));
                    ExitCode::SUCCESS
                }
                Err(message) => failure(&message),
            }
        }
        Task::Msrv => match msrv::run(&workspace_root()) {
            Ok(outcome) => {
                print!("{}", msrv::report(&outcome));
                if outcome.too_new.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    failure("dependencies need a newer Rust than the declared rust-version")
                }
            }
            Err(message) => failure(&message),
        },
        Task::PackageCheck => {
            let root = workspace_root();
            let target_dir = build_check::Settings::new(&root).target_dir;
            match package_check::run(&root, &target_dir) {
                Ok(summary) => {
                    print!("{}", package_check::report(&summary));
                    ExitCode::SUCCESS
                }
                Err(message) => failure(&message),
            }
        }
        Task::Instructions => match instructions::measure(&workspace_root()) {
            Ok(counted) => {
                print!("{}", instructions::report(&counted));
                ExitCode::SUCCESS
            }
            Err(message) => failure(&message),
        },
    }
}

/// `fixtures <dir>`: each fixture of the classification tests as `<dir>/<name>.json`.
fn write_fixtures(dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        return failure(&format!("cannot create {}: {e}", dir.display()));
    }
    let spec = workspace_root().join(pipeline::SPEC_PATH);
    let doc: serde_json::Value = match std::fs::read(&spec)
        .map_err(|e| e.to_string())
        .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
    {
        Ok(doc) => doc,
        Err(e) => return failure(&format!("cannot read {}: {e}", spec.display())),
    };
    for fixture in classify::fixtures::FIXTURES {
        let mut changed = doc.clone();
        (fixture.mutate)(&mut changed);
        let path = dir.join(format!("{}.json", fixture.name));
        let mut bytes = serde_json::to_vec_pretty(&changed).expect("a JSON value serialises");
        bytes.push(b'\n');
        if let Err(e) = std::fs::write(&path, bytes) {
            return failure(&format!("cannot write {}: {e}", path.display()));
        }
        println!("{} {:?}", fixture.name, fixture.bump);
    }
    ExitCode::SUCCESS
}

/// `surface [--check]`: rewrites the surface file, or checks it and prints the diff.
fn run_surface(root: &Path, check: bool) -> ExitCode {
    let outcome = if check {
        surface_file::check(root).map(|check| match check {
            surface_file::Check::UpToDate => {
                eprintln!("{} is up to date", pipeline::SURFACE_PATH);
                ExitCode::SUCCESS
            }
            surface_file::Check::Stale(diff) => {
                print_out(&diff);
                eprintln!(
                    "error: {} does not match what {} generates; run `cargo xtask surface` \
                     and review the diff",
                    pipeline::SURFACE_PATH,
                    pipeline::SPEC_PATH
                );
                ExitCode::FAILURE
            }
        })
    } else {
        surface_file::write(root).map(|()| {
            eprintln!("wrote {}", root.join(pipeline::SURFACE_PATH).display());
            ExitCode::SUCCESS
        })
    };
    outcome.unwrap_or_else(|message| failure(&message))
}

/// `update-spec`: prints the report on stdout, what was written (or why not) on stderr.
fn run_update_spec(options: update_spec::Options) -> ExitCode {
    let outcome = match update_spec::run(&options) {
        Ok(outcome) => outcome,
        Err(message) => return failure(&message),
    };
    print_out(&outcome.report.render());
    let broken = outcome.report.broken();
    if outcome.refused {
        return failure(&format!(
            "not vendored: {} place(s) of hand-written code no longer compile against the \
             candidate (listed in the report); update them first, or run again with --force to \
             vendor it anyway and fix them afterwards",
            broken.len()
        ));
    }
    if outcome.written.is_empty() {
        if broken.is_empty() {
            eprintln!("dry run: nothing written");
        } else {
            eprintln!(
                "dry run: nothing written (without --force, update-spec would refuse: {} \
                 place(s) of hand-written code no longer compile)",
                broken.len()
            );
        }
        return ExitCode::SUCCESS;
    }
    for path in &outcome.written {
        eprintln!("wrote {}", path.display());
    }
    if !broken.is_empty() {
        eprintln!("vendored anyway (--force); this hand-written code must be fixed:");
        for error in broken {
            eprintln!("  {error}");
        }
    }
    eprintln!(
        "next: review `git diff`, bump the version as suggested, run `cargo test` (the pins \
         in {}, {} and {} are rewritten)",
        pins::README_PATH,
        pins::SPEC_TEST_PATH,
        pins::SPEC_MODULE_PATH
    );
    ExitCode::SUCCESS
}

/// Prints `error: <message>` and fails.
fn failure(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// `normalized`: prints the normalised document.
fn normalized(spec: &Path) -> ExitCode {
    let parsed = pipeline::read(spec).and_then(|bytes| {
        serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| e.to_string())
    });
    match parsed {
        Ok(mut doc) => {
            codegen::normalize(&mut doc);
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            print_out(&format!("{text}\n"));
            ExitCode::SUCCESS
        }
        Err(message) => failure(&message),
    }
}

/// `notes`: prints the pipeline's notes and the hand-written operations.
fn notes(spec: &Path) -> ExitCode {
    let generation = pipeline::read(spec)
        .and_then(|bytes| pipeline::generate(&bytes).map_err(|e| e.to_string()));
    match generation {
        Ok(generation) => {
            let mut text = String::new();
            for note in &generation.notes {
                text.push_str(&format!("{note}\n"));
            }
            text.push('\n');
            for hand in &generation.hand_written {
                let scope = if hand.whole_operation {
                    "operation"
                } else {
                    "variant"
                };
                text.push_str(&format!(
                    "hand-written {scope}: {} {} {} ({})\n",
                    hand.operation_id, hand.method, hand.path, hand.media_type
                ));
            }
            print_out(&text);
            ExitCode::SUCCESS
        }
        Err(message) => failure(&message),
    }
}

/// Writes `text` to stdout. A reader that went away (`| head`) is no reason to panic.
fn print_out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
