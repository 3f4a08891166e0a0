//! `anam`: the Anam AI API from a shell. Session transcripts in every format, conversation
//! statistics, listing and stopping sessions, and a resumable bulk export.
//!
//! Data goes to stdout, diagnostics to stderr. Without an API key every command runs against
//! a built-in mock server that serves the spec's examples, and says so.

mod connect;
mod export;
mod files;
mod sessions;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};

/// Exit status: everything succeeded.
const EXIT_OK: u8 = 0;
/// Exit status: the command failed (API, network, file or configuration error).
const EXIT_FAILED: u8 = 1;
/// Exit status: an export finished, but some sessions could not be exported.
const EXIT_PARTIAL: u8 = 3;

/// The Anam AI API from a shell.
///
/// The API key comes from ANAM_API_KEY or --api-key-file (never from a command-line value);
/// without one, commands run against a built-in mock server that serves the API spec's
/// examples. Data goes to stdout, diagnostics to stderr.
///
/// Each request attempt may take at most --timeout seconds (default 60), from connecting to
/// the end of the response; a timed-out GET is retried (3 attempts in all), so one request
/// gives up after about three times the timeout.
///
/// Exit status: 0 success; 1 the command failed (API, network, file or configuration error);
/// 2 invalid usage; 3 an export finished but some sessions failed.
#[derive(Debug, Parser)]
#[command(name = "anam", version, propagate_version = true)]
struct Cli {
    /// API address (default https://api.anam.ai).
    #[arg(long, global = true, env = "ANAM_BASE_URL", value_name = "URL")]
    base_url: Option<String>,
    /// Read the API key from this file instead of ANAM_API_KEY.
    #[arg(long, global = true, value_name = "PATH")]
    api_key_file: Option<PathBuf>,
    /// Machine-readable JSON on stdout instead of human output.
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sessions: transcripts, statistics, listing, stopping, bulk export.
    #[command(subcommand)]
    Sessions(sessions::SessionsCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    ///
    /// bash: `anam completions bash > ~/.local/share/bash-completion/completions/anam`;
    /// zsh: `anam completions zsh > "${fpath[1]}/_anam"`;
    /// fish: `anam completions fish > ~/.config/fish/completions/anam.fish`;
    /// PowerShell: `anam completions powershell >> $PROFILE`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            report(error.as_ref());
            ExitCode::from(EXIT_FAILED)
        }
    }
}

async fn run(cli: Cli) -> Result<u8, Box<dyn std::error::Error + Send + Sync>> {
    let command = match cli.command {
        Command::Sessions(command) => command,
        Command::Completions { shell } => {
            // Needs no key, no server and no network.
            clap_complete::generate(shell, &mut Cli::command(), "anam", &mut std::io::stdout());
            return Ok(EXIT_OK);
        }
    };
    let connection = connect::connect(
        cli.base_url.as_deref(),
        cli.api_key_file.as_deref(),
        cli.timeout,
    )
    .await?;
    let output = sessions::Output { json: cli.json };
    sessions::run(&connection.client, command, output).await
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
