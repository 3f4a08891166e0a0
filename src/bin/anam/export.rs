//! `anam sessions export`: every matching session's transcript into a directory.
//!
//! - Sessions are listed lazily; at most `--concurrency` transcripts are fetched at once, and
//!   as many written: a fetch slot is free again as soon as its transcript is decoded, so
//!   writing and syncing files never delays the next request. Each transcript is rendered
//!   straight into its files and dropped, so memory stays flat however many sessions there
//!   are.
//! - All workers share one client, and so one rate-limit pause: when a response says the
//!   window is exhausted or a request-rate 429 arrives, every worker waits for the reset.
//! - Files are written to a temporary name and renamed, so a killed run never leaves a half
//!   file; a re-run removes such leftovers and skips every session whose files are complete.
//! - The summary lists what was exported, skipped and failed (with the reason); the exit
//!   status is 3 when any session failed.

use std::io::{BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anam::Client;
use anam::transcript::Format;
use anam::types::{Session, Transcript};
use clap::Args;
use futures_util::StreamExt;
use uuid::Uuid;

use crate::files;
use crate::listing::{self, Range, Walk};
use crate::output::{EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, FileError, Io, Outcome, note};

/// Exit status of an export stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Options of `sessions export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Directory to write into (created if missing): `<session-id>.<ext>` per format.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only sessions of this persona.
    #[arg(long, value_name = "ID")]
    pub persona: Option<Uuid>,
    #[command(flatten)]
    pub range: Range,
    /// Formats to write, comma-separated: text, md, vtt, srt, json, jsonl.
    #[arg(long, short, value_delimiter = ',', default_value = "json")]
    pub format: Vec<Format>,
    /// Transcripts fetched at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

/// What became of one session.
enum Done {
    Exported,
    Skipped,
    Failed(String),
}

/// The run's tally, printed as JSON with camelCase keys like the API's.
#[derive(Debug, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    exported: usize,
    skipped: usize,
    failed: Vec<Failure>,
    /// Set when listing the sessions failed: the export stopped there.
    listing_error: Option<String>,
    /// True when Ctrl-C stopped the export: a re-run resumes it.
    interrupted: bool,
    elapsed_seconds: f64,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Failure {
    session: String,
    reason: String,
}

/// Runs the export.
pub async fn run(client: &Client, args: ExportArgs, io: Io) -> Outcome {
    let started = Instant::now();
    args.range.check()?;
    let cannot_write = |source| FileError {
        path: args.out.clone(),
        source,
    };
    std::fs::create_dir_all(&args.out).map_err(cannot_write)?;
    let leftovers = files::remove_partials(&args.out).map_err(cannot_write)?;
    // Fail before the first request when nothing could be written there.
    files::check_writable(&args.out).map_err(cannot_write)?;
    if leftovers.removed > 0 {
        note(&format!(
            "removed {} partial file(s) an interrupted run left behind",
            leftovers.removed
        ));
    }
    // Into an empty directory nothing can be complete yet: no session's files are checked
    // before its transcript is fetched (a file access less per session on the blocking pool).
    let resuming = leftovers.others > 0;
    let mut formats = args.format.clone();
    formats.dedup();
    // The list's total is the number to expect only when the export takes every session
    // the API counts.
    let counted = args.range.since.is_none() && args.range.until.is_none();
    let progress = Progress::new();
    let sessions = listing::sessions(
        client,
        Walk {
            persona: args.persona,
            range: args.range,
            every_page: true,
            ..Walk::default()
        },
    );
    let dir = args.out.as_path();
    let formats = formats.as_slice();
    let concurrency = usize::from(args.concurrency);
    let progress_ref = &progress;
    // Two stages: a fetch slot is freed as soon as its transcript is decoded, and the files
    // are written (and synced) in a second stage of as many slots, so slow file work never
    // delays the next request. At most 2 x `concurrency` transcripts are held at once.
    let results = sessions
        .map(|item| async move {
            match item {
                Ok(listed) => {
                    if counted && let Some(total) = listed.total {
                        progress_ref.expect(total);
                    }
                    Ok(match listed.decoded {
                        Ok(session) => fetch_one(client, &session, dir, formats, resuming).await,
                        Err(reason) => (
                            format!("(a session on page {})", listed.page),
                            Fetched::Done(Done::Failed(format!(
                                "it does not match the API spec: {reason}"
                            ))),
                        ),
                    })
                }
                Err(error) => Err(error),
            }
        })
        .buffer_unordered(concurrency)
        .map(|fetched| async move {
            match fetched {
                Ok((name, Fetched::Transcript(transcript, missing))) => {
                    Ok(write_one(name, *transcript, missing).await)
                }
                Ok((name, Fetched::Done(done))) => Ok((name, done)),
                Err(error) => Err(error),
            }
        })
        .buffer_unordered(concurrency);
    let mut results = Box::pin(results);
    let mut interrupt = std::pin::pin!(tokio::signal::ctrl_c());
    let mut summary = Summary::default();
    loop {
        let result = tokio::select! {
            biased;
            _ = &mut interrupt => {
                summary.interrupted = true;
                break;
            }
            result = results.next() => result,
        };
        let Some(result) = result else { break };
        match result {
            Ok((session, Done::Exported)) => {
                summary.exported += 1;
                progress.done(&session, "exported");
            }
            Ok((session, Done::Skipped)) => {
                summary.skipped += 1;
                progress.done(&session, "skipped (complete)");
            }
            Ok((session, Done::Failed(reason))) => {
                progress.done(&session, &format!("failed: {reason}"));
                summary.failed.push(Failure { session, reason });
            }
            Err(error) => {
                summary.listing_error = Some(error.to_string());
                break;
            }
        }
    }
    drop(results);
    progress.finish();
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    print_summary(&summary, io)?;
    Ok(if summary.interrupted {
        note(
            "interrupted: run the same command again to resume (complete sessions are skipped, \
             partial files removed)",
        );
        EXIT_INTERRUPTED
    } else if summary.listing_error.is_some() {
        EXIT_FAILED
    } else if summary.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// What fetching one session came to: its transcript and the files still to write, or
/// already the end (skipped, or failed).
enum Fetched {
    Transcript(Box<Transcript>, Vec<(Format, PathBuf)>),
    Done(Done),
}

/// Fetches one session's transcript unless every format is already complete (checked only
/// when `resuming`, that is, when the directory held files at the start). File checks run on
/// the blocking pool, so they never stall the tasks that keep requests in flight.
async fn fetch_one(
    client: &Client,
    session: &Session,
    dir: &Path,
    formats: &[Format],
    resuming: bool,
) -> (String, Fetched) {
    let Some(id) = session.id else {
        return (
            "(no id)".into(),
            Fetched::Done(Done::Failed("the session has no id".into())),
        );
    };
    let name = id.to_string();
    let targets: Vec<(Format, PathBuf)> = formats
        .iter()
        .map(|&format| (format, dir.join(format!("{name}.{}", format.extension()))))
        .collect();
    // A session still open can be complete in no file: its transcript may grow.
    let open = session.end_time.is_none();
    let missing = if resuming && !open {
        match blocking(move || {
            targets
                .into_iter()
                .filter(|(format, path)| !is_complete(path, *format))
                .collect::<Vec<_>>()
        })
        .await
        {
            Ok(missing) => missing,
            Err(reason) => return (name, Fetched::Done(Done::Failed(reason))),
        }
    } else {
        targets
    };
    if missing.is_empty() {
        return (name, Fetched::Done(Done::Skipped));
    }
    match client.sessions().transcript(id).await {
        Ok(transcript) => (name, Fetched::Transcript(Box::new(transcript), missing)),
        Err(error) => (name, Fetched::Done(Done::Failed(error.to_string()))),
    }
}

/// Writes every missing format of one transcript, each atomically, on the blocking pool.
async fn write_one(
    name: String,
    transcript: Transcript,
    missing: Vec<(Format, PathBuf)>,
) -> (String, Done) {
    let written = blocking(move || {
        for (format, path) in missing {
            files::write_atomically(&path, |writer| {
                anam::transcript::write(&transcript, format, writer)
            })
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        }
        Ok::<(), String>(())
    })
    .await;
    match written {
        Ok(Ok(())) => (name, Done::Exported),
        Ok(Err(reason)) | Err(reason) => (name, Done::Failed(reason)),
    }
}

/// Runs `work` on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| format!("file work failed: {error}"))
}

/// True when `path` holds a whole file of `format`, of a session that had ended. Files are
/// only ever renamed into place whole, so this guards against files something else put
/// there: JSON must parse as a transcript with an `endTime` (one saved while the session was
/// open is not complete), JSON Lines line by line, WebVTT must start with its header, the
/// rest must not be empty.
fn is_complete(path: &Path, format: Format) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if file.metadata().map(|m| m.len() == 0).unwrap_or(true) {
        return false;
    }
    let mut reader = std::io::BufReader::new(file);
    match format {
        Format::Json => serde_json::from_reader::<_, Transcript>(reader)
            .is_ok_and(|transcript| transcript.end_time.is_some()),
        Format::JsonLines => reader
            .lines()
            .all(|line| line.is_ok_and(|l| serde_json::from_str::<serde_json::Value>(&l).is_ok())),
        Format::WebVtt => {
            let mut head = [0u8; 6];
            reader.read_exact(&mut head).is_ok() && &head == b"WEBVTT"
        }
        _ => true,
    }
}

/// Progress on stderr: a bar on a terminal, one plain line per session otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {pos} sessions  {per_sec}  {elapsed}  {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    /// The list says `total` sessions are coming: the bar shows the total and an ETA.
    fn expect(&self, total: u64) {
        if let Some(bar) = &self.bar
            && bar.length() != Some(total)
        {
            bar.set_length(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {bar:30} {pos}/{len} sessions  {per_sec}  {elapsed}, ETA {eta}  {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
    }

    fn done(&self, session: &str, what: &str) {
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                if what.starts_with("failed") {
                    bar.println(format!("{session}: {what}"));
                }
            }
            None => note(&format!("{session}: {what}")),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The summary: compact JSON on stdout with `--json` or into a pipe; lines on stderr on a
/// terminal.
fn print_summary(
    summary: &Summary,
    io: Io,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if io.machine() {
        io.print(summary)?;
        return Ok(());
    }
    note(&format!(
        "{}exported {}, skipped {}, failed {} in {:.1} s",
        if summary.interrupted {
            "interrupted: "
        } else {
            ""
        },
        summary.exported,
        summary.skipped,
        summary.failed.len(),
        summary.elapsed_seconds
    ));
    for failure in &summary.failed {
        note(&format!("  failed {}: {}", failure.session, failure.reason));
    }
    if let Some(error) = &summary.listing_error {
        note(&format!(
            "listing the sessions failed, so the export stopped early: {error}"
        ));
    }
    Ok(())
}
