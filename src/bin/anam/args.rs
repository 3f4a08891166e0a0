//! The command tree: the global options, the hand-written commands and, joined to them, the
//! generated resource commands and the uploads (`command()`), as clap parses them and
//! `--help` shows them.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::{api, auth, commands, output, sessions, uploads};

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
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) globals: Globals,
    #[command(subcommand)]
    pub(crate) command: Command,
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
pub(crate) struct Globals {
    /// API address (default https://api.anam.ai).
    #[arg(long, global = true, env = "ANAM_BASE_URL", value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Read the API key from this file (before ANAM_API_KEY and any profile).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) api_key_file: Option<PathBuf>,
    /// The stored profile (`anam auth login --profile NAME`) whose key and base URL to use
    /// [default: `default`]; ANAM_API_KEY and --api-key-file come first.
    #[arg(long, global = true, env = "ANAM_PROFILE", value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// `table` or `json`, whatever stdout is [default: a table on a terminal, else JSON].
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub(crate) output: Option<output::Format>,
    /// Filter the JSON output with this jq expression (each item of a list); strings print
    /// as text.
    #[arg(long, global = true, value_name = "EXPR")]
    pub(crate) jq: Option<String>,
    /// Show each request on stderr: method, URL, status, duration, attempt, request id
    /// (never the key).
    #[arg(
        long,
        global = true,
        env = "ANAM_DEBUG",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub(crate) debug: bool,
    /// Print each request (method, URL, body) on stdout instead of sending it; exit 0.
    #[arg(long, global = true)]
    pub(crate) dry_run: bool,
    /// Run against the built-in mock Anam server, which answers with the API spec's examples
    /// (nothing reaches Anam; no key needed).
    #[arg(
        long,
        global = true,
        env = "ANAM_MOCK",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub(crate) mock: bool,
    /// Machine-readable output: compact JSON (JSON Lines for lists) instead of human output
    /// or indented JSON.
    #[arg(long, global = true)]
    pub(crate) json: bool,
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
    pub(crate) timeout: Option<Duration>,
}

/// The hand-written commands; the generated resource commands join them in [`command`].
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
pub(crate) fn command() -> clap::Command {
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
