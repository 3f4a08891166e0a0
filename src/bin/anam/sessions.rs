//! `anam sessions …`: transcript, list, stop, stats, export.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anam::Client;
use anam::transcript::{Format, Stats};
use anam::types::Transcript;
use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use uuid::Uuid;

use crate::output::{EXIT_OK, FileError, Outcome, Output};
use crate::{confirm, export, files};

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Print or save a session's transcript.
    Transcript {
        /// The session id.
        id: Uuid,
        /// text, md, vtt, srt, json or jsonl.
        #[arg(long, short, default_value = "text")]
        format: Format,
        /// Write to this file (atomically) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List sessions, newest first as the API returns them.
    List(ListArgs),
    /// Stop a running session (asks first on a terminal; elsewhere needs --yes).
    Stop {
        /// The session id.
        id: Uuid,
        /// Stop without asking.
        #[arg(long, short)]
        yes: bool,
    },
    /// Conversation statistics of a session (with the analytics endpoint's figures when it
    /// answers) or of a transcript saved as JSON.
    Stats {
        /// A session id, or the path of a transcript JSON file (`--format json`).
        source: String,
    },
    /// Export every matching session's transcript into a directory: bounded concurrency,
    /// shared rate-limit pauses, resumable (a re-run skips what is complete).
    Export(export::ExportArgs),
}

/// Filters of `sessions list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only sessions of this persona.
    #[arg(long, value_name = "ID")]
    pub persona: Option<Uuid>,
    /// Only sessions matching this text.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Print at most this many sessions.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only sessions without an end time (still running, or never closed).
    #[arg(long)]
    pub open: bool,
}

/// Runs one `sessions` command.
pub async fn run(client: &Client, command: SessionsCommand, output: Output) -> Outcome {
    match command {
        SessionsCommand::Transcript { id, format, out } => {
            transcript(client, id, format, out).await
        }
        SessionsCommand::List(args) => list(client, args, output).await,
        SessionsCommand::Stop { id, yes } => {
            if let Some(code) = confirm::ask(&format!("Stop session {id}"), yes)? {
                return Ok(code);
            }
            stop(client, id, output).await
        }
        SessionsCommand::Stats { source } => stats(client, &source, output).await,
        SessionsCommand::Export(args) => export::run(client, args, output).await,
    }
}

async fn transcript(client: &Client, id: Uuid, format: Format, out: Option<PathBuf>) -> Outcome {
    let transcript = client.sessions().transcript(id).await?;
    match out {
        Some(path) => {
            files::write_atomically(&path, |writer| {
                anam::transcript::write(&transcript, format, writer)
            })
            .map_err(|source| FileError {
                path: path.clone(),
                source,
            })?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            anam::transcript::write(&transcript, format, &mut stdout)?;
            stdout.flush()?;
        }
    }
    Ok(EXIT_OK)
}

async fn list(client: &Client, args: ListArgs, output: Output) -> Outcome {
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut sessions = export::matching(client, args.persona, args.search);
    let mut stdout = std::io::stdout().lock();
    let table = !output.json && std::io::stdout().is_terminal();
    if table {
        writeln!(
            stdout,
            "{:<36}  {:<20}  {:<20}  {:>9}  PERSONA",
            "ID", "STARTED", "ENDED", "LENGTH"
        )?;
    }
    let mut printed = 0;
    while printed < limit {
        let Some(session) = sessions.try_next().await? else {
            break;
        };
        if args.open && session.end_time.is_some() {
            continue;
        }
        printed += 1;
        if output.json {
            // JSON Lines: one session per line, so a script can stream any number of them.
            serde_json::to_writer(&mut stdout, &session)?;
            writeln!(stdout)?;
        } else {
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
            writeln!(
                stdout,
                "{id:<36}  {:<20}  {ended:<20}  {length:>9}  {persona}",
                time(started).unwrap_or_else(|| "-".into())
            )?;
        }
    }
    stdout.flush()?;
    if !output.json {
        eprintln!("{printed} session(s)");
    }
    Ok(EXIT_OK)
}

async fn stop(client: &Client, id: Uuid, output: Output) -> Outcome {
    let stopped = client.sessions().stop(id).await?;
    if output.json {
        println!("{}", serde_json::to_string(&stopped)?);
    } else {
        println!("stopped session {id}");
    }
    Ok(EXIT_OK)
}

async fn stats(client: &Client, source: &str, output: Output) -> Outcome {
    let stats = match Uuid::parse_str(source) {
        Ok(id) => {
            let transcript = client.sessions().transcript(id).await?;
            let stats = Stats::from_transcript(&transcript);
            match client.sessions().analytics(id).await {
                Ok(analytics) => stats.with_analytics(&analytics),
                Err(error) if error.is_not_found() || error.is_forbidden() => {
                    eprintln!(
                        "note: no analytics for this session ({error}); figures come from the transcript alone"
                    );
                    stats
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(_) => Stats::from_transcript(&read_transcript(Path::new(source))?),
    };
    if output.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        println!("{}", stats.to_string().trim_end());
    }
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
