//! The three upload commands, around the facade's hand-written `multipart/form-data` methods:
//! `voices clone-from-audio`, `avatars upload-image`, `knowledge upload-document`. The
//! generated list names them (`commands::COMMANDS`, not generated); a test holds the two
//! together. On a terminal, a file over a megabyte shows a progress bar as it is sent.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use anam::{AvatarUploadOptions, Client, DocumentUploadOptions, UploadFile, VoiceUploadOptions};
use clap::{Args, FromArgMatches};
use tokio::io::{AsyncRead, ReadBuf};

use crate::invoke::print_raw;
use crate::output::{InputError, Io, Outcome};

/// Files above this size get a progress bar on a terminal.
const PROGRESS_THRESHOLD: u64 = 1024 * 1024;

/// `anam voices clone-from-audio`: clone a voice from an audio file.
#[derive(Debug, Args)]
pub struct CloneFromAudio {
    /// Name of the new voice.
    #[arg(long)]
    name: String,
    /// The audio file (MP3, WAV, …).
    #[arg(long, value_name = "PATH")]
    file: PathBuf,
    /// Description of the voice.
    #[arg(long)]
    description: Option<String>,
    /// Language code (the server's default is `en`).
    #[arg(long)]
    language: Option<String>,
    /// Enhance the voice quality (`--enhance=false` to turn it off; the server's default is on).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    enhance: Option<bool>,
}

/// `anam avatars upload-image`: create an avatar from an image file.
#[derive(Debug, Args)]
pub struct UploadImage {
    /// Display name of the new avatar.
    #[arg(long)]
    display_name: String,
    /// The image (JPEG, PNG or WebP, at most 4.5 MB).
    #[arg(long, value_name = "PATH")]
    file: PathBuf,
    /// Avatar model (e.g. `cara-3`); the server's default otherwise.
    #[arg(long)]
    avatar_model: Option<String>,
}

/// `anam knowledge upload-document`: upload a document into a knowledge group.
#[derive(Debug, Args)]
pub struct UploadDocument {
    /// The knowledge group's id.
    #[arg(value_parser = crate::ids::path_id)]
    group: String,
    /// The document (PDF, TXT, MD, DOCX or CSV, at most 50 MB).
    #[arg(long, value_name = "PATH")]
    file: PathBuf,
    /// Characters per chunk (the server's default is 1000).
    #[arg(long)]
    chunk_size: Option<u32>,
    /// Characters shared by consecutive chunks (the server's default is 200).
    #[arg(long)]
    chunk_overlap: Option<u32>,
}

/// `(resource, command)` of each upload command.
pub fn commands() -> [(&'static str, clap::Command); 3] {
    let command =
        |verb: &'static str, about: &'static str, args: fn(clap::Command) -> clap::Command| {
            args(clap::Command::new(verb).about(about))
        };
    [
        (
            "voices",
            command(
                "clone-from-audio",
                "Clone a voice from an audio file (multipart upload)",
                CloneFromAudio::augment_args,
            ),
        ),
        (
            "avatars",
            command(
                "upload-image",
                "Create an avatar from an image file (multipart upload)",
                UploadImage::augment_args,
            ),
        ),
        (
            "knowledge",
            command(
                "upload-document",
                "Upload a document into a knowledge group (multipart upload)",
                UploadDocument::augment_args,
            ),
        ),
    ]
}

/// Runs the upload command `resource verb`.
pub async fn run(
    client: &Client,
    resource: &str,
    verb: &str,
    matches: &clap::ArgMatches,
    output: Io,
) -> Outcome {
    match (resource, verb) {
        ("voices", "clone-from-audio") => {
            let args = CloneFromAudio::from_arg_matches(matches)?;
            let mut options = VoiceUploadOptions::default();
            options.description = args.description;
            options.language = args.language;
            options.enhance = args.enhance;
            let file = open(&args.file).await?;
            let answer = client
                .voices()
                .clone_from_audio_raw(args.name, file, options)
                .await?;
            print_raw(output, &answer)
        }
        ("avatars", "upload-image") => {
            let args = UploadImage::from_arg_matches(matches)?;
            let mut options = AvatarUploadOptions::default();
            options.avatar_model = args.avatar_model;
            let file = open(&args.file).await?;
            let answer = client
                .avatars()
                .upload_image_raw(args.display_name, file, options)
                .await?;
            print_raw(output, &answer)
        }
        ("knowledge", "upload-document") => {
            let args = UploadDocument::from_arg_matches(matches)?;
            let mut options = DocumentUploadOptions::default();
            options.chunk_size = args.chunk_size;
            options.chunk_overlap = args.chunk_overlap;
            let file = open(&args.file).await?;
            let answer = client
                .knowledge()
                .upload_document_raw(&args.group, file, options)
                .await?;
            print_raw(output, &answer)
        }
        _ => Err(crate::invoke::not_generated(resource, verb)),
    }
}

/// The file to upload: checked before anything is sent, and read through a progress bar
/// when it is large and stderr is a terminal.
async fn open(path: &Path) -> Result<UploadFile, InputError> {
    let cannot = |e: std::io::Error| InputError(format!("cannot read {}: {e}", path.display()));
    let metadata = tokio::fs::metadata(path).await.map_err(cannot)?;
    if !metadata.is_file() {
        return Err(InputError(format!("{} is not a file", path.display())));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "upload".into());
    if metadata.len() < PROGRESS_THRESHOLD || !std::io::IsTerminal::is_terminal(&std::io::stderr())
    {
        return Ok(UploadFile::from_path(path));
    }
    let file = tokio::fs::File::open(path).await.map_err(cannot)?;
    let bar = indicatif::ProgressBar::new(metadata.len()).with_style(
        indicatif::ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {bytes_per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Ok(UploadFile::from_reader(name, Progress { inner: file, bar }))
}

/// A reader that advances a progress bar by what it reads, and clears it at the end.
struct Progress<R> {
    inner: R,
    bar: indicatif::ProgressBar,
}

impl<R: AsyncRead + Unpin> AsyncRead for Progress<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if let Poll::Ready(Ok(())) = &poll {
            if read == 0 {
                self.bar.finish_and_clear();
            } else {
                self.bar.inc(read as u64);
            }
        }
        poll
    }
}
