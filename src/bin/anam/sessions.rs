//! `anam sessions …`: transcript, list, stop, stats, export.

use std::num::NonZeroU64;
use std::path::{Path, PathBuf};

use anam::Client;
use anam::transcript::{Format, Stats};
use anam::types::Transcript;
use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use uuid::Uuid;

use crate::listing::{self, Listed, Range, Walk};
use crate::output::{EXIT_OK, FileError, InputError, Io, Outcome};
use crate::{confirm, export, files, needed};

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Print or save a session's transcript.
    #[command(after_help = "Examples:
  anam sessions transcript 5b2c…                       # plain text
  anam sessions transcript 5b2c… --out call.vtt        # WebVTT, from the extension
  anam sessions transcript 5b2c… --json | jq .messages")]
    Transcript {
        /// The session id.
        id: Uuid,
        /// text, md, vtt, srt, json or jsonl [default: from the --out extension, else text,
        /// or json with --json]. `json` is the transcript as the server sent it.
        #[arg(long, short)]
        format: Option<Format>,
        /// Write to this file (atomically) instead of stdout. Its extension (.txt, .md, .vtt,
        /// .srt, .json, .jsonl) sets the format; a different --format is refused.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List sessions, newest first as the API returns them: one page unless --all or
    /// --limit. A table on a terminal; JSON Lines (each session as the server sent it) with
    /// --json or into a pipe.
    #[command(after_help = "Examples:
  anam sessions list                                   # the first page, as a table
  anam sessions list --all --since 2026-11-01 --until 2026-11-30
  anam sessions list --all --open | jq -r .id")]
    List(ListArgs),
    /// Stop a running session (asks first on a terminal; elsewhere needs --yes).
    #[command(after_help = "Examples:
  anam sessions stop 5b2c…
  anam sessions list --all --open | jq -r .id | xargs -n1 anam sessions stop --yes")]
    Stop {
        /// The session id.
        id: Uuid,
        /// Stop without asking.
        #[arg(long, short)]
        yes: bool,
    },
    /// Conversation statistics of a session (with the analytics endpoint's figures when it
    /// answers) or of a transcript saved as JSON (which needs no key and no server).
    #[command(after_help = "Examples:
  anam sessions stats 5b2c…
  anam sessions stats call.json --json                 # a transcript saved with --format json")]
    Stats {
        /// A session id, or the path of a transcript JSON file (`--format json`).
        source: String,
    },
    /// Export every matching session's transcript into a directory: bounded concurrency,
    /// shared rate-limit pauses, resumable (a re-run skips what is complete; Ctrl-C prints
    /// the summary so far).
    #[command(after_help = "Examples:
  anam sessions export --out archive --since 2026-11-01 --until 2026-11-30
  anam sessions export --out archive --format json,vtt --concurrency 4")]
    Export(export::ExportArgs),
}

impl SessionsCommand {
    /// Refuses what no request could satisfy (exit status 2), before connecting: a
    /// `--format` the `--out` extension contradicts, `--since` not before `--until`.
    pub fn check(&self) -> Result<(), InputError> {
        match self {
            SessionsCommand::Transcript { format, out, .. } => {
                transcript_format(*format, out.as_deref(), Io::new(false)).map(drop)
            }
            SessionsCommand::List(args) => args.range.check(),
            SessionsCommand::Export(args) => args.range.check(),
            _ => Ok(()),
        }
    }

    /// True when the command talks to the API: every one but `stats` of a file.
    pub fn needs_client(&self) -> bool {
        match self {
            SessionsCommand::Stats { source } => Uuid::parse_str(source).is_ok(),
            _ => true,
        }
    }
}

/// Filters and pages of `sessions list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only sessions of this persona.
    #[arg(long, value_name = "ID")]
    pub persona: Option<Uuid>,
    /// Only sessions matching this text.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Every session of every page (from --page, if given).
    #[arg(long)]
    pub all: bool,
    /// Stop after N sessions (across pages).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Start at this page (alone: print only this page).
    #[arg(long, value_name = "N")]
    pub page: Option<NonZeroU64>,
    #[command(flatten)]
    pub range: Range,
    /// Only sessions without an end time (still running, or never closed).
    #[arg(long)]
    pub open: bool,
}

/// Runs one `sessions` command; `client` is there when [`SessionsCommand::needs_client`]
/// said so.
pub async fn run(
    client: Option<&Client>,
    command: SessionsCommand,
    target: crate::context::Target<'_>,
    io: Io,
) -> Outcome {
    match command {
        SessionsCommand::Transcript { id, format, out } => {
            let format = transcript_format(format, out.as_deref(), io)?;
            transcript(needed(client)?, id, format, out, io).await
        }
        SessionsCommand::List(args) => {
            args.range.check()?;
            list(needed(client)?, args, io).await
        }
        SessionsCommand::Stop { id, yes } => {
            let client = needed(client)?;
            // A dry run sends nothing, so there is nothing to confirm.
            if !target.dry_run
                && let Some(code) = confirm::ask(&format!("Stop session {id}"), yes)?
            {
                return Ok(code);
            }
            stop(client, id, io).await
        }
        SessionsCommand::Stats { source } => stats(client, &source, io).await,
        SessionsCommand::Export(args) => export::run(needed(client)?, args, io).await,
    }
}

/// The format of `sessions transcript`: `--format`, else the extension of `--out`, else
/// json with `--json`, else text. A `--format` that another extension contradicts is
/// refused before anything is fetched.
fn transcript_format(
    format: Option<Format>,
    out: Option<&Path>,
    io: Io,
) -> Result<Format, InputError> {
    let from_extension = out
        .and_then(Path::extension)
        .and_then(|extension| extension.to_str())
        .and_then(|extension| extension.parse::<Format>().ok());
    match (format, from_extension) {
        (Some(format), Some(inferred)) if format != inferred => Err(InputError(format!(
            "--format {format} does not match the extension of {} ({inferred}): change one of \
             them. Nothing was fetched.",
            out.map(|p| p.display().to_string()).unwrap_or_default()
        ))),
        (Some(format), _) | (None, Some(format)) => Ok(format),
        (None, None) if io.json_flag() => Ok(Format::Json),
        (None, None) => Ok(Format::Text),
    }
}

async fn transcript(
    client: &Client,
    id: Uuid,
    format: Format,
    out: Option<PathBuf>,
    io: Io,
) -> Outcome {
    let text = if format == Format::Json {
        // The server's own JSON, indented as `Format::Json` promises (one compact line with
        // `--json`), to stdout or the file alike; the human formats below render the typed
        // value.
        let response = client.sessions().transcript(id).with_raw().await?;
        let body = response.body();
        let mut text =
            crate::output::relayout(body, !io.json_flag()).unwrap_or_else(|| body.to_vec());
        text.push(b'\n');
        if let Err(off) = response.decoded() {
            crate::invoke::off_spec(off, None);
        }
        text
    } else {
        let transcript = client.sessions().transcript(id).await?;
        let mut text = Vec::new();
        anam::transcript::write(&transcript, format, &mut text)?;
        text
    };
    match out {
        Some(path) => {
            files::write_atomically(&path, |writer| writer.write_all(&text)).map_err(|source| {
                FileError {
                    path: path.clone(),
                    source,
                }
            })?;
            crate::output::note(&format!("wrote {}", path.display()));
        }
        None => io.write(&text)?,
    }
    Ok(EXIT_OK)
}

async fn list(client: &Client, args: ListArgs, io: Io) -> Outcome {
    let limit = args.limit.unwrap_or(usize::MAX);
    let walk = Walk {
        persona: args.persona,
        search: args.search,
        range: args.range,
        page: args.page,
        every_page: args.all || args.limit.is_some(),
    };
    let mut sessions = std::pin::pin!(listing::sessions(client, walk));
    let table = io.table();
    if table {
        io.line(&format!(
            "{:<36}  {:<20}  {:<20}  {:>9}  PERSONA",
            "ID", "STARTED", "ENDED", "LENGTH"
        ))?;
    }
    let mut printed = 0;
    while printed < limit {
        let Some(session) = sessions.try_next().await? else {
            break;
        };
        if args.open && ended(&session) {
            continue;
        }
        printed += 1;
        if table {
            io.line(&row(&session))?;
        } else {
            print_listed(io, &session)?;
        }
    }
    if table {
        crate::output::note(&format!("{printed} session(s)"));
    }
    Ok(EXIT_OK)
}

/// One session as the server wrote it, one compact line (JSON Lines, or its `--jq`
/// results); one off the spec is printed all the same, then a warning on stderr says where
/// it is off.
fn print_listed(io: Io, session: &Listed) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    io.item(&session.json)?;
    if let Err(off) = &session.decoded {
        crate::output::note(&format!(
            "warning: printed as the server sent it, but it does not match the API spec (page {}): {off}",
            session.page
        ));
    }
    Ok(())
}

/// A row of the table a person reads on a terminal.
fn row(session: &Listed) -> String {
    let Ok(session) = &session.decoded else {
        return format!("{:<36}  (does not match the API spec; see --json)", "-");
    };
    let id = session
        .id
        .map(|id| id.to_string())
        .unwrap_or_else(|| "-".into());
    let started = session.start_time.or(session.created_at);
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
    };
    let ended = time(session.end_time).unwrap_or_else(|| "open".into());
    let length = session
        .session_length_ms
        .map(|ms| format!("{:.0}s", ms as f64 / 1000.0))
        .unwrap_or_else(|| "-".into());
    let persona = session
        .persona_id
        .map(|p| p.to_string())
        .unwrap_or_else(|| "-".into());
    format!(
        "{id:<36}  {:<20}  {ended:<20}  {length:>9}  {persona}",
        time(started).unwrap_or_else(|| "-".into())
    )
}

/// True when the session has an end time (read from the JSON as sent when it is off-spec).
fn ended(session: &Listed) -> bool {
    match &session.decoded {
        Ok(decoded) => decoded.end_time.is_some(),
        Err(_) => serde_json::from_slice::<serde_json::Value>(&session.json)
            .is_ok_and(|json| !json["endTime"].is_null()),
    }
}

/// Stops the session: a line for a person on a terminal, else (`--json`, a pipe) the
/// server's answer as it sent it.
async fn stop(client: &Client, id: Uuid, io: Io) -> Outcome {
    let stopped = client.sessions().stop(id).with_raw().await?;
    if io.machine() {
        return crate::invoke::print_raw(io, &stopped);
    }
    io.line(&format!("stopped session {id}"))?;
    Ok(EXIT_OK)
}

/// Statistics of a session (through the API) or of a transcript file (no API at all): a
/// report on a terminal, compact JSON with `--json` or into a pipe.
async fn stats(client: Option<&Client>, source: &str, io: Io) -> Outcome {
    let stats = match Uuid::parse_str(source) {
        Ok(id) => {
            let client = needed(client)?;
            let transcript = client.sessions().transcript(id).await?;
            let stats = Stats::from_transcript(&transcript);
            match client.sessions().analytics(id).await {
                Ok(analytics) => stats.with_analytics(&analytics),
                Err(error) if error.is_not_found() || error.is_forbidden() => {
                    crate::output::note(&format!(
                        "note: no analytics for this session ({error}); figures come from the transcript alone"
                    ));
                    stats
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(_) => Stats::from_transcript(&read_transcript(Path::new(source))?),
    };
    if io.machine() {
        return io.print(&stats);
    }
    io.line(stats.to_string().trim_end())?;
    Ok(EXIT_OK)
}

/// A transcript saved as JSON (`--format json`), or the API's own transcript body.
fn read_transcript(path: &Path) -> Result<Transcript, Box<dyn std::error::Error + Send + Sync>> {
    let bytes = std::fs::read(path).map_err(|source| ReadError {
        path: path.to_path_buf(),
        source,
    })?;
    let transcript = serde_json::from_slice(&bytes).map_err(|e| InvalidTranscript {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
    })?;
    Ok(transcript)
}

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}", path.display())]
struct ReadError {
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

/// A file that is not a transcript; where it stops parsing, never its content.
#[derive(Debug, thiserror::Error)]
#[error("{} is not a transcript JSON file (parsing stops at line {line}, column {column})", path.display())]
struct InvalidTranscript {
    path: PathBuf,
    line: usize,
    column: usize,
}
