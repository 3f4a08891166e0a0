//! `anam`: the Anam AI API from a shell. Session transcripts in every format, conversation
//! statistics, listing and stopping sessions, and a resumable bulk export.
//!
//! Data goes to stdout (through `output::Io`), diagnostics to stderr. A command that needs
//! the API needs a key, or `--mock` for the built-in mock server; a closed stdout ends any
//! command quietly with exit status 0.

// Every byte goes through `output` (stdout through `Io`, diagnostics through `note`): the
// print macros panic on a closed or full stream.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod api;
mod auth;
mod commands;
mod config;
mod confirm;
mod context;
mod export;
mod files;
mod ids;
mod invoke;
mod jq;
mod listing;
mod output;
mod secret;
mod sessions;
mod table;
mod uploads;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use output::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError, Io, Outcome};

/// The Anam AI API from a shell.
///
/// Every operation of the API is a command, `anam <resource> <verb>` (`anam personas list`,
/// `anam share-links update <id> …`), generated from the API spec; `anam sessions` adds
/// transcripts in every format, statistics and a bulk export. Responses print as JSON.
///
/// The API key comes from, in this order: --api-key-file, ANAM_API_KEY, then the profile
/// stored by `anam auth login` (--profile or ANAM_PROFILE, else `default`); never from a
/// command-line value. Without one a command refuses to run. --mock (or ANAM_MOCK=1) runs it
/// against a built-in mock server that serves the API spec's examples instead. Data goes to stdout, diagnostics
/// to stderr. Deleting (and stopping a session)
/// asks first on a terminal and needs --yes elsewhere.
///
/// Each request attempt may take at most --timeout seconds (default 60), from connecting to
/// the end of the response. A timed-out GET is retried (3 attempts at most) only while a new
/// attempt can start within 30 s of the first: at the default timeout there is no retry; with
/// --timeout 5 a request gives up after about 15 s.
///
/// Output: a table on a terminal (lists and single objects), JSON into a pipe or with --json
/// (compact) or --output json; --output table forces the table. A list prints its items as
/// JSON Lines, whether one page or --all (the page's `meta` is left out: `anam api` prints
/// the page as sent). --jq EXPR filters the JSON (each item of a list). A closed stdout
/// (`| head -1`) ends a command quietly with status 0. --debug shows each request on
/// stderr; --dry-run prints each request instead of sending it.
///
/// Exit status: 0 success; 1 the command failed (API, network, file or configuration error,
/// no API key, a full disk); 2 input refused before sending (bad arguments or body, an
/// inverted --since/--until, a deletion without --yes or declined: nothing was sent); 3 an
/// export finished but some sessions failed; 130 an export stopped by Ctrl-C.
#[derive(Debug, Parser)]
#[command(name = "anam", propagate_version = true)]
struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

/// `anam --version`: the crate's version, and the date and sha256 prefix of the API spec it
/// was generated from.
fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (Anam API spec of {}, sha256 {})",
            env!("CARGO_PKG_VERSION"),
            anam::spec::SPEC_DATE,
            anam::spec::SPEC_SHA256
                .get(..12)
                .unwrap_or(anam::spec::SPEC_SHA256)
        )
    })
}
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
struct Globals {
    /// API address (default https://api.anam.ai).
    #[arg(long, global = true, env = "ANAM_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// Read the API key from this file (before ANAM_API_KEY and any profile).
    #[arg(long, global = true, value_name = "PATH")]
    api_key_file: Option<PathBuf>,
    /// The stored profile (`anam auth login --profile NAME`) whose key and base URL to use
    /// [default: `default`]; ANAM_API_KEY and --api-key-file come first.
    #[arg(long, global = true, env = "ANAM_PROFILE", value_name = "NAME")]
    profile: Option<String>,
    /// `table` or `json`, whatever stdout is [default: a table on a terminal, else JSON].
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    output: Option<output::Format>,
    /// Filter the JSON output with this jq expression (each item of a list); strings print
    /// as text.
    #[arg(long, global = true, value_name = "EXPR")]
    jq: Option<String>,
    /// Show each request on stderr: method, URL, status, duration, attempt, request id
    /// (never the key).
    #[arg(
        long,
        global = true,
        env = "ANAM_DEBUG",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    debug: bool,
    /// Print each request (method, URL, body) on stdout instead of sending it; exit 0.
    #[arg(long, global = true)]
    dry_run: bool,
    /// Run against the built-in mock Anam server, which answers with the API spec's examples
    /// (nothing reaches Anam; no key needed).
    #[arg(
        long,
        global = true,
        env = "ANAM_MOCK",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    mock: bool,
    /// Machine-readable output: compact JSON (JSON Lines for lists) instead of human output
    /// or indented JSON.
    #[arg(long, global = true)]
    json: bool,
    /// Time allowed for each request attempt, in seconds (default 60; fractions such as 0.5
    /// work), from connecting to the end of the response. A timed-out GET is retried only
    /// while a new attempt can start within 30 s of the first (3 attempts at most): none at
    /// the default.
    #[arg(
        long,
        global = true,
        env = "ANAM_TIMEOUT",
        value_name = "SECONDS",
        value_parser = parse_timeout,
        allow_negative_numbers = true
    )]
    timeout: Option<Duration>,
}

/// The hand-written commands; the generated resource commands join them in [`command`].
#[derive(Debug, Subcommand)]
enum Command {
    /// Sessions: transcripts, statistics, listing, stopping, bulk export, and every other
    /// session operation.
    #[command(
        subcommand,
        after_help = "Examples:
  anam sessions list --all --since 2026-11-01 | jq -r .id
  anam sessions transcript 5b2c… --out call.vtt
  anam sessions stats 5b2c…
  anam sessions export --out archive --since 2026-11-01"
    )]
    Sessions(sessions::SessionsCommand),
    /// Store, show and remove API keys (per profile).
    #[command(subcommand, display_order = 48)]
    Auth(auth::AuthCommand),
    /// Send any request with the key, as `gh api`: the client's retries and errors, the
    /// server's JSON printed as sent.
    #[command(
        display_order = 49,
        after_help = "Examples:
  anam api GET /v1/personas -f perPage=5
  anam api GET /v1/sessions --paginate --jq '.data[].id'
  anam api POST /v1/share-links -F usageLimit=10 -f personaId=5b2c…
  anam api PUT /v1/personas/5b2c… --input persona.json"
    )]
    Api(api::ApiArgs),
    /// Write a man page per command into DIR (default `man`).
    #[command(hide = true)]
    Man {
        /// The directory to write `anam.1`, `anam-personas-list.1`, … into.
        #[arg(default_value = "man")]
        dir: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    ///
    /// bash: `anam completions bash > ~/.local/share/bash-completion/completions/anam`;
    /// zsh: `anam completions zsh > "${fpath[1]}/_anam"`;
    /// fish: `anam completions fish > ~/.config/fish/completions/anam.fish`;
    /// PowerShell: `anam completions powershell >> $PROFILE`.
    // Listed after the resource commands, which are added to the tree later.
    #[command(
        display_order = 50,
        after_help = "Examples:
  anam completions bash > ~/.local/share/bash-completion/completions/anam
  anam completions zsh > \"${fpath[1]}/_anam\""
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The whole command line: the hand-written commands, the generated resource commands (a
/// hand-written command of the same name takes precedence) and the uploads.
fn command() -> clap::Command {
    let mut command = Cli::command().version(version());
    for resource in commands::resources() {
        let name = resource.get_name().to_string();
        if command.find_subcommand(&name).is_none() {
            command = command.subcommand(resource);
            continue;
        }
        command = command.mut_subcommand(&name, |mut curated| {
            for verb in resource.get_subcommands() {
                if curated.find_subcommand(verb.get_name()).is_none() {
                    curated = curated.subcommand(verb.clone());
                }
            }
            curated
        });
    }
    for (resource, upload) in uploads::commands() {
        command = command.mut_subcommand(resource, |parent| parent.subcommand(upload));
    }
    command
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            output::note(&format!("error: cannot start the async runtime: {error}"));
            return ExitCode::from(EXIT_FAILED);
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(code) => ExitCode::from(code),
        // The reader of stdout went away (`| head -1`): it took what it wanted, so the
        // command ends quietly and successfully, and `set -o pipefail` scripts go on.
        Err(error) if output::is_closed(error.as_ref()) => ExitCode::from(EXIT_OK),
        Err(error) => {
            report(error.as_ref());
            let usage = error.downcast_ref::<InputError>().is_some();
            ExitCode::from(if usage { EXIT_USAGE } else { EXIT_FAILED })
        }
    }
}

async fn run(matches: &ArgMatches) -> Outcome {
    let globals = Globals::from_arg_matches(matches)?;
    // Compiled before anything is sent, once for the process.
    let jq = match &globals.jq {
        Some(code) => Some(&*Box::leak(Box::new(jq::Jq::compile(code)?))),
        None => None,
    };
    let io = Io::new(globals.json).with(globals.output.unwrap_or_default(), jq);
    if globals.debug {
        debug_to_stderr();
    }
    let command = Resolved::from(matches)?;
    // Input refused before anything starts (exit status 2): no key is needed to hear it.
    command.check()?;
    // The one place that connects, for the commands that say they need the API: the others
    // (`completions`, `sessions stats FILE`) need no key and start no mock server. Connected
    // before anything else, so a missing key, and the mock's notice, come before any
    // question.
    let target = target(&globals);
    let connection = match command.needs_client() {
        true => Some(context::connect(target).await?),
        false => None,
    };
    let ran = command
        .run(connection.as_ref().map(|c| &c.client), target, io)
        .await;
    match ran {
        // The request was printed instead of sent: what was asked for.
        Err(error) if globals.dry_run && is_dry_run(error.as_ref()) => Ok(EXIT_OK),
        other => other,
    }
}

/// True when `error` or a cause is the client's "not sent (dry run)".
fn is_dry_run(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(error) = next {
        if matches!(error.downcast_ref(), Some(anam::Error::DryRun { .. })) {
            return true;
        }
        next = error.source();
    }
    false
}

/// `--debug`: the library's spans (one per request attempt: method, path, attempt, status,
/// request id, duration) and its debug events (the whole URL) on stderr. The library records
/// no header and no body, so never the key.
fn debug_to_stderr() {
    use tracing_subscriber::layer::SubscriberExt;
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::DEBUG)
        .finish()
        .with(
            tracing_subscriber::filter::Targets::new().with_target("anam", tracing::Level::DEBUG),
        );
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// The command the line names, parsed: a hand-written one, an upload or a generated one.
enum Resolved<'m> {
    Sessions(sessions::SessionsCommand),
    Completions(clap_complete::Shell),
    Auth(auth::AuthCommand),
    Api(api::ApiArgs),
    Man(PathBuf),
    Upload {
        resource: &'m str,
        verb: &'m str,
        args: &'m ArgMatches,
    },
    Generated {
        listed: &'static invoke::Listed,
        args: &'m ArgMatches,
    },
}

impl<'m> Resolved<'m> {
    fn from(matches: &'m ArgMatches) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let Some((resource, resource_matches)) = matches.subcommand() else {
            return Err(Box::new(InputError("no command given (see --help)".into())));
        };
        // The derived commands parse only what is theirs (a generated verb under `sessions`
        // is not), and the tree clap checked the line against holds them all, so this
        // succeeds exactly for the hand-written commands.
        if let Ok(cli) = Cli::from_arg_matches(matches) {
            return Ok(match cli.command {
                Command::Sessions(command) => Resolved::Sessions(command),
                Command::Completions { shell } => Resolved::Completions(shell),
                Command::Auth(command) => Resolved::Auth(command),
                Command::Api(args) => Resolved::Api(args),
                Command::Man { dir } => Resolved::Man(dir),
            });
        }
        let Some((verb, args)) = resource_matches.subcommand() else {
            return Err(Box::new(InputError(format!(
                "`anam {resource}` needs a command (see --help)"
            ))));
        };
        let Some(listed) = commands::COMMANDS
            .iter()
            .find(|c| c.resource == resource && c.verb == verb)
        else {
            return Err(invoke::not_generated(resource, verb));
        };
        Ok(if listed.generated {
            Resolved::Generated { listed, args }
        } else {
            Resolved::Upload {
                resource,
                verb,
                args,
            }
        })
    }

    /// Refuses input that no request could satisfy, before connecting.
    fn check(&self) -> Result<(), InputError> {
        match self {
            Resolved::Sessions(command) => command.check(),
            Resolved::Api(args) => args.check(),
            _ => Ok(()),
        }
    }

    /// True when the command talks to the API (or the mock), and so needs a client.
    fn needs_client(&self) -> bool {
        match self {
            Resolved::Sessions(command) => command.needs_client(),
            Resolved::Completions(_) | Resolved::Auth(_) | Resolved::Man(_) => false,
            Resolved::Upload { .. } | Resolved::Generated { .. } | Resolved::Api(_) => true,
        }
    }

    /// Runs the command; `client` is there when [`needs_client`](Self::needs_client) said so.
    async fn run(
        self,
        client: Option<&anam::Client>,
        target: context::Target<'_>,
        io: Io,
    ) -> Outcome {
        match self {
            Resolved::Sessions(command) => sessions::run(client, command, target, io).await,
            Resolved::Auth(command) => auth::run(command, target, io).await,
            Resolved::Api(args) => api::run(needed(client)?, args, io).await,
            Resolved::Man(dir) => man(&dir),
            Resolved::Completions(shell) => {
                let mut script = Vec::new();
                clap_complete::generate(shell, &mut command(), "anam", &mut script);
                io.write(&script)?;
                Ok(EXIT_OK)
            }
            Resolved::Upload {
                resource,
                verb,
                args,
            } => uploads::run(needed(client)?, resource, verb, args, io).await,
            Resolved::Generated { listed, args } => {
                let client = needed(client)?;
                let call = invoke::Call::new(args, io);
                // A dry run sends nothing, so there is nothing to confirm.
                if listed.destructive && !target.dry_run {
                    let action = call.action(listed);
                    if let Some(code) = confirm::ask(&action, call.yes())? {
                        return Ok(code);
                    }
                }
                commands::run(client, listed.resource, listed.verb, &call).await
            }
        }
    }
}

/// The client of a command that said it needs one.
pub fn needed(client: Option<&anam::Client>) -> Result<&anam::Client, NoClient> {
    client.ok_or(NoClient)
}

/// A command ran without the client it needs: its `needs_client` is wrong.
#[derive(Debug, thiserror::Error)]
#[error("internal error: this command needs the API but declared it does not")]
pub struct NoClient;

/// Where requests go, as the global options say.
fn target(globals: &Globals) -> context::Target<'_> {
    context::Target {
        base_url: globals.base_url.as_deref(),
        key_file: globals.api_key_file.as_deref(),
        profile: globals.profile.as_deref(),
        timeout: globals.timeout,
        mock: globals.mock,
        dry_run: globals.dry_run,
    }
}

/// `anam man DIR`: a man page per command (clap_mangen, from the same definition as
/// `--help`), `anam.1`, `anam-personas.1`, `anam-personas-list.1`, …
fn man(dir: &std::path::Path) -> Outcome {
    let written = |source| output::FileError {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(written)?;
    let command = command();
    let mut pages = 0;
    let mut pending = vec![(String::from("anam"), command)];
    while let Some((name, command)) = pending.pop() {
        if command.is_hide_set() {
            continue;
        }
        // clap names are `&'static str` without its `string` feature; a man run is one shot.
        let static_name: &'static str = Box::leak(name.clone().into_boxed_str());
        let command = command.name(static_name).bin_name(name.replace('-', " "));
        for sub in command.get_subcommands() {
            pending.push((format!("{name}-{}", sub.get_name()), sub.clone()));
        }
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(written)?;
        std::fs::write(dir.join(format!("{name}.1")), page).map_err(written)?;
        pages += 1;
    }
    output::note(&format!("wrote {pages} man pages into {}", dir.display()));
    Ok(EXIT_OK)
}

/// A positive, finite number of seconds (`30`, `0.5`).
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if seconds.is_nan() || seconds <= 0.0 {
        return Err(format!(
            "the timeout must be more than 0 seconds, not {text}"
        ));
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("`{text}` seconds is too long"))
}

/// Prints an error and its chain of causes to stderr.
fn report(error: &(dyn std::error::Error + 'static)) {
    output::note(&format!("error: {error}"));
    let mut source = error.source();
    while let Some(cause) = source {
        output::note(&format!("  caused by: {cause}"));
        source = cause.source();
    }
}
