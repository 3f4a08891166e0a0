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
mod args;
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

use clap::{ArgMatches, FromArgMatches};

use args::{Cli, Command, Globals, command};
use output::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, InputError, Io, Outcome};

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

/// Prints an error and its chain of causes to stderr.
fn report(error: &(dyn std::error::Error + 'static)) {
    output::note(&format!("error: {error}"));
    let mut source = error.source();
    while let Some(cause) = source {
        output::note(&format!("  caused by: {cause}"));
        source = cause.source();
    }
}
