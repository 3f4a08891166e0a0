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

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `cargo xtask` accepts.
const USAGE: &str = "usage: cargo xtask <task> [options]

tasks:
  notes [--spec <path>]
      print every change the generation pipeline makes to the spec, and the operations
      left to the hand-written facade
  normalized [--spec <path>]
      print the normalised OpenAPI 3.0 document progenitor is given
  surface [--check] [--root <dir>]
      rewrite openapi/surface.txt, the listing of the generated public API; with --check,
      write nothing and fail with a diff when the file is stale
  update-spec [--from <url-or-path>] [--dry-run] [--force] [--skip-build-check]
              [--date <YYYY-MM-DD>] [--root <dir>]
      fetch the spec (default https://api.anam.ai/swagger.json), check it generates and that
      the whole workspace (all targets, all features) still compiles against it in a scratch
      copy, print the API changes from the checked-in openapi/surface.txt (what users have;
      so a pipeline change counts too: --from openapi/swagger.json) classified, the
      hand-written code that breaks and the suggested version bump, then vendor it byte for
      byte, rewrite openapi/surface.txt and rewrite the spec's pins (sha256, date) in
      openapi/README.md, tests/api/spec_examples.rs and src/spec.rs
        --dry-run           write nothing
        --force             vendor even when hand-written code no longer compiles
        --skip-build-check  judge the generated surface only (no scratch build)
        --date              the date written into the pins (default: today, UTC)

  fixtures <dir>
      write the classification's single-change fixtures (the vendored spec with one upstream
      change each) into <dir> as <name>.json, and print each name with the bump update-spec
      suggests for it, for judging the same changes with another tool (cargo-semver-checks)
  build-times [--jobs <n>]
      clean-build the crate (default features, then `cli`) in fresh target directories with
      `cargo build --timings` and print the wall time, units, the build script's compile and
      run times, and the lib's and binary's compile times (default --jobs 2)
  msrv
      fail when a crate anam builds with (normal and build dependencies, all features, as
      locked) declares a rust-version newer than anam's (clippy's incompatible_msrv checks the
      crate's own code)
  package-check
      `cargo package` the crate, check its files (nothing a build lacks, nothing users never
      need, size and count within limits), then build the unpacked copy from a fresh
      downstream crate with default features, then with `mock` and `cli` (and the packaged
      `anam` binary in the same build), run each build's program and the binary's mock
      transcript, all in
      <target>/package-check/
  instructions
      count the client benchmarks' workloads (benches/instructions.rs) in instructions under
      valgrind's callgrind, each side of each pair, and print `ratio <name> <anam / baseline>`
      lines: unlike wall time on a shared machine, the counts repeat from run to run

--spec defaults to <workspace>/openapi/swagger.json, --root to the workspace root. The
build check runs in $CARGO_TARGET_DIR (else <root>/target)/update-spec-check.";

/// The workspace this xtask was built in.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.join(".."), Path::to_path_buf)
}

fn main() -> ExitCode {
    pipeline::silence_generator_panics();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        return usage_error("no task given");
    };
    let default_spec = || workspace_root().join(pipeline::SPEC_PATH);
    let outcome = match task.as_str() {
        "notes" => TaskArgs::parse(rest, &["--spec"], &[])
            .map(|args| notes(&args.path("--spec").unwrap_or_else(default_spec))),
        "normalized" => TaskArgs::parse(rest, &["--spec"], &[])
            .map(|args| normalized(&args.path("--spec").unwrap_or_else(default_spec))),
        "surface" => TaskArgs::parse(rest, &["--root"], &["--check"]).map(|args| {
            let root = args.path("--root").unwrap_or_else(workspace_root);
            run_surface(&root, args.has("--check"))
        }),
        "update-spec" => TaskArgs::parse(
            rest,
            &["--from", "--root", "--date"],
            &["--dry-run", "--force", "--skip-build-check"],
        )
        .and_then(|args| {
            let date = args.value("--date").map(str::to_string);
            if let Some(date) = &date
                && !pins::is_date(date)
            {
                return Err(format!("--date wants YYYY-MM-DD, not `{date}`"));
            }
            Ok(run_update_spec(update_spec::Options {
                from: args
                    .value("--from")
                    .unwrap_or(update_spec::DEFAULT_SOURCE)
                    .to_string(),
                dry_run: args.has("--dry-run"),
                force: args.has("--force"),
                skip_build_check: args.has("--skip-build-check"),
                date,
                root: args.path("--root").unwrap_or_else(workspace_root),
            }))
        }),
        "fixtures" => match rest {
            [dir] => Ok(write_fixtures(Path::new(dir))),
            _ => Err("fixtures wants one directory".to_string()),
        },
        "build-times" => TaskArgs::parse(rest, &["--jobs"], &[]).and_then(|args| {
            let jobs = match args.value("--jobs") {
                Some(n) => n
                    .parse()
                    .map_err(|_| format!("--jobs wants a number, not `{n}`"))?,
                None => 2,
            };
            Ok(
                match build_times::measure(&workspace_root(), &["", "cli"], jobs) {
                    Ok(results) => {
                        print!("{}", build_times::report(&results));
                        ExitCode::SUCCESS
                    }
                    Err(message) => failure(&message),
                },
            )
        }),
        "msrv" => TaskArgs::parse(rest, &[], &[]).map(|_| match msrv::run(&workspace_root()) {
            Ok(outcome) => {
                print!("{}", msrv::report(&outcome));
                if outcome.too_new.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    failure("dependencies need a newer Rust than the declared rust-version")
                }
            }
            Err(message) => failure(&message),
        }),
        "package-check" => TaskArgs::parse(rest, &[], &[]).map(|_| {
            let root = workspace_root();
            let target_dir = build_check::Settings::new(&root).target_dir;
            match package_check::run(&root, &target_dir) {
                Ok(summary) => {
                    print!("{}", package_check::report(&summary));
                    ExitCode::SUCCESS
                }
                Err(message) => failure(&message),
            }
        }),
        "instructions" => {
            TaskArgs::parse(rest, &[], &[]).map(
                |_| match instructions::measure(&workspace_root()) {
                    Ok(counted) => {
                        print!("{}", instructions::report(&counted));
                        ExitCode::SUCCESS
                    }
                    Err(message) => failure(&message),
                },
            )
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown task `{other}`")),
    };
    outcome.unwrap_or_else(|message| usage_error(&message))
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

/// The options of one task: `--name <value>` pairs and bare `--switch`es.
struct TaskArgs {
    values: BTreeMap<String, String>,
    switches: BTreeSet<String>,
}

impl TaskArgs {
    /// Parses `args` against the options a task accepts.
    fn parse(args: &[String], valued: &[&str], switches: &[&str]) -> Result<TaskArgs, String> {
        let mut parsed = TaskArgs {
            values: BTreeMap::new(),
            switches: BTreeSet::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let repeated = if valued.contains(&arg.as_str()) {
                let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
                parsed.values.insert(arg.clone(), value.clone()).is_some()
            } else if switches.contains(&arg.as_str()) {
                !parsed.switches.insert(arg.clone())
            } else {
                return Err(format!("unexpected argument `{arg}`"));
            };
            if repeated {
                return Err(format!("{arg} given twice"));
            }
        }
        Ok(parsed)
    }

    /// The value given to `--name`.
    fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The value given to `--name`, as a path.
    fn path(&self, name: &str) -> Option<PathBuf> {
        self.value(name).map(PathBuf::from)
    }

    /// True when `--switch` was given.
    fn has(&self, switch: &str) -> bool {
        self.switches.contains(switch)
    }
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

/// Prints the problem and the usage, and exits with 2.
fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
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
