//! `anam`: the Anam AI API from a shell. Session transcripts in every format, conversation
//! statistics, listing and stopping sessions, and a resumable bulk export.
//!
//! Data goes to stdout, diagnostics to stderr. Without an API key every command runs against
//! a built-in mock server that serves the spec's examples, and says so.

mod commands;
mod confirm;
mod connect;
mod export;
mod files;
mod invoke;
mod output;
mod sessions;
mod uploads;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use output::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError, Outcome, Output};

/// The Anam AI API from a shell.
///
/// Every operation of the API is a command, `anam <resource> <verb>` (`anam personas list`,
/// `anam share-links update <id> …`), generated from the API spec; `anam sessions` adds
/// transcripts in every format, statistics and a bulk export. Responses print as JSON.
///
/// The API key comes from ANAM_API_KEY or --api-key-file (never from a command-line value);
/// without one, commands run against a built-in mock server that serves the API spec's
/// examples. Data goes to stdout, diagnostics to stderr. Deleting (and stopping a session)
/// asks first on a terminal and needs --yes elsewhere.
///
/// Each request attempt may take at most --timeout seconds (default 60), from connecting to
/// the end of the response; a timed-out GET is retried (3 attempts in all), so one request
/// gives up after about three times the timeout.
///
/// Exit status: 0 success; 1 the command failed (API, network, file or configuration error);
/// 2 invalid usage (bad arguments or body, or a deletion without --yes: nothing was sent);
/// 3 an export finished but some sessions failed.
#[derive(Debug, Parser)]
#[command(name = "anam", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

/// The options every command takes.
#[derive(Debug, Args)]
struct Globals {
    /// API address (default https://api.anam.ai).
    #[arg(long, global = true, env = "ANAM_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// Read the API key from this file instead of ANAM_API_KEY.
    #[arg(long, global = true, value_name = "PATH")]
    api_key_file: Option<PathBuf>,
    /// Machine-readable output: compact JSON (JSON Lines for lists) instead of human output
    /// or indented JSON.
    #[arg(long, global = true)]
    json: bool,
    /// Time allowed for each request attempt, in seconds (default 60; fractions such as 0.5
    /// work), from connecting to the end of the response.
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
    #[command(subcommand)]
    Sessions(sessions::SessionsCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    ///
    /// bash: `anam completions bash > ~/.local/share/bash-completion/completions/anam`;
    /// zsh: `anam completions zsh > "${fpath[1]}/_anam"`;
    /// fish: `anam completions fish > ~/.config/fish/completions/anam.fish`;
    /// PowerShell: `anam completions powershell >> $PROFILE`.
    // Listed after the resource commands, which are added to the tree later.
    #[command(display_order = 50)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The whole command line: the hand-written commands, the generated resource commands (a
/// hand-written command of the same name takes precedence) and the uploads.
fn command() -> clap::Command {
    let mut command = Cli::command();
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
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            report(error.as_ref());
            let usage = error.downcast_ref::<InputError>().is_some();
            ExitCode::from(if usage { EXIT_USAGE } else { EXIT_FAILED })
        }
    }
}

async fn run(matches: &ArgMatches) -> Outcome {
    let globals = Globals::from_arg_matches(matches)?;
    let output = Output { json: globals.json };
    let Some((resource, resource_matches)) = matches.subcommand() else {
        return Err(Box::new(InputError("no command given (see --help)".into())));
    };
    // The derived commands parse only what is theirs (a generated verb under `sessions` is
    // not), and the tree clap checked the line against holds them all, so this succeeds
    // exactly for the hand-written commands.
    if let Ok(cli) = Cli::from_arg_matches(matches) {
        let command = match cli.command {
            Command::Sessions(command) => command,
            Command::Completions { shell } => {
                // Needs no key, no server and no network.
                clap_complete::generate(shell, &mut command(), "anam", &mut std::io::stdout());
                return Ok(EXIT_OK);
            }
        };
        let connection = connect(&globals).await?;
        return sessions::run(&connection.client, command, output).await;
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
    if !listed.generated {
        let connection = connect(&globals).await?;
        return uploads::run(&connection.client, resource, verb, args, output).await;
    }
    let call = invoke::Call::new(args, output);
    if listed.destructive {
        let action = call.action(listed);
        if let Some(code) = confirm::ask(&action, call.yes())? {
            return Ok(code);
        }
    }
    let connection = connect(&globals).await?;
    commands::run(&connection.client, resource, verb, &call).await
}

async fn connect(globals: &Globals) -> Result<connect::Connection, connect::ConnectError> {
    connect::connect(
        globals.base_url.as_deref(),
        globals.api_key_file.as_deref(),
        globals.timeout,
    )
    .await
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
    eprintln!("error: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
}
