//! Multipart uploads, written by hand because progenitor cannot encode `multipart/form-data`.
//! They share the generated operations' authentication, retries, tracing and error mapping.

use std::path::PathBuf;
use std::sync::Mutex;

use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use tokio::io::AsyncRead;

use crate::spec::Operation;
use crate::{Client, Error, Result};

type BoxedReader = Box<dyn AsyncRead + Send + Unpin>;

/// A file to upload: from a path, from bytes in memory, or from an async reader.
///
/// The content type is guessed from the file name (`voice.mp3` → `audio/mpeg`) unless set with
/// [`content_type`](Self::content_type). Paths and bytes can be sent again, so their uploads
/// are retried like any other POST that never reached the server; a reader can be read only
/// once, so its upload is never retried.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use anam::UploadFile;
///
/// let image = UploadFile::from_path("cara.png");
/// let document = UploadFile::from_bytes("faq.md", "# Opening hours\n\nNine to five.");
/// let audio = UploadFile::from_reader("call.mp3", tokio::fs::File::open("call.mp3").await?);
/// # Ok(())
/// # }
/// ```
pub struct UploadFile {
    file_name: String,
    content_type: Option<String>,
    source: Source,
}

enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Reader(Mutex<Option<BoxedReader>>),
}

impl std::fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => path.display().to_string(),
            Source::Reader(_) => "reader".to_string(),
        };
        f.debug_struct("UploadFile")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("source", &source)
            .finish()
    }
}

impl UploadFile {
    /// The file at `path`; its name is the path's last component. The file is read when the
    /// upload is sent.
    ///
    /// ```
    /// let image = anam::UploadFile::from_path("assets/cara.png");
    /// assert_eq!(image.file_name(), "cara.png");
    /// ```
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "upload".to_string());
        Self {
            file_name,
            content_type: None,
            source: Source::Path(path),
        }
    }

    /// `bytes`, sent under `file_name`.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{DocumentUploadOptions, UploadFile};
    ///
    /// let faq = UploadFile::from_bytes("faq.md", "# Opening hours\n\nNine to five.");
    /// let group = "00000000-0000-0000-0000-000000000000";
    /// let options = DocumentUploadOptions::default();
    /// let document = anam.knowledge().upload_document(group, faq, options).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: None,
            source: Source::Bytes(bytes.into()),
        }
    }

    /// Whatever `reader` yields, streamed under `file_name` (never retried).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use anam::{UploadFile, VoiceUploadOptions};
    ///
    /// let reader = tokio::fs::File::open("sample.mp3").await?;
    /// let audio = UploadFile::from_reader("sample.mp3", reader);
    /// let options = VoiceUploadOptions::default();
    /// let voice = anam.voices().clone_from_audio("Narrator", audio, options).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_reader(
        file_name: impl Into<String>,
        reader: impl AsyncRead + Send + Unpin + 'static,
    ) -> Self {
        Self {
            file_name: file_name.into(),
            content_type: None,
            source: Source::Reader(Mutex::new(Some(Box::new(reader)))),
        }
    }

    /// Overrides the content type guessed from the file name.
    ///
    /// ```
    /// let notes = anam::UploadFile::from_bytes("notes", "Opening hours: nine to five.")
    ///     .content_type("text/plain");
    /// ```
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent to the API. Example on [`from_path`](Self::from_path).
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    fn mime(&self) -> String {
        self.content_type.clone().unwrap_or_else(|| {
            mime_guess::from_path(&self.file_name)
                .first_or_octet_stream()
                .essence_str()
                .to_string()
        })
    }
}

/// The file's bytes, when they can be sent more than once.
enum Body {
    Replayable(Bytes),
    Once(BoxedReader),
}

/// One multipart upload: text fields plus one file field.
pub(crate) struct Multipart {
    /// The operation in the spec.
    operation: &'static Operation,
    /// Path below the base URL, parameters filled in.
    path: String,
    /// Text fields, in order.
    fields: Vec<(&'static str, String)>,
    /// Name of the file field.
    file_field: &'static str,
}

impl Multipart {
    /// An upload to `operation`, its path parameters filled from `path_values`.
    pub(crate) fn new(
        operation: &'static Operation,
        path_values: &[(&str, &str)],
        fields: Vec<(&'static str, String)>,
        file_field: &'static str,
    ) -> Result<Self> {
        for (name, value) in path_values {
            if let Err(why) = crate::spec::check_path_value(value) {
                return Err(Error::InvalidInput(format!(
                    "{}: parameter `{name}` {why}",
                    operation.id
                )));
            }
        }
        let path = operation.fill_path(path_values).ok_or_else(|| {
            Error::InvalidInput(format!("{}: a path parameter has no value", operation.id))
        })?;
        Ok(Self {
            operation,
            path,
            fields,
            file_field,
        })
    }

    /// Sends the upload and decodes a 2xx body as `T`.
    pub(crate) async fn send<T: serde::de::DeserializeOwned>(
        self,
        client: &Client,
        file: UploadFile,
    ) -> Result<T> {
        let operation = self.operation.id;
        let (status, _, bytes) = crate::request::recorded(self.send_once(client, file)).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::decode(operation, Some(status), &bytes, &e))
    }

    /// Sends the upload and keeps a 2xx body as the server sent it, beside its decode as `T`
    /// (which may have failed: the upload went through all the same).
    pub(crate) async fn send_raw<T: serde::de::DeserializeOwned>(
        self,
        client: &Client,
        file: UploadFile,
    ) -> Result<crate::RawResponse<T>> {
        let operation = self.operation.id;
        let (status, headers, body) =
            crate::request::recorded(self.send_once(client, file)).await?;
        let json: &[u8] = if body.is_empty() { b"null" } else { &body };
        let decoded = serde_json::from_slice(json)
            .map_err(|e| crate::DecodeError::new(operation, Some(status), &body, &e));
        Ok(crate::RawResponse::new(
            status,
            crate::RateLimit::from_headers(&headers),
            headers,
            body,
            decoded,
        ))
    }

    /// Sends the upload: a 2xx answer's status, headers and body, or the error.
    async fn send_once(
        self,
        client: &Client,
        file: UploadFile,
    ) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Bytes)> {
        let spec = self.operation;
        let operation = spec.id;
        let mime = file.mime();
        let body = match file.source {
            Source::Bytes(bytes) => Body::Replayable(bytes),
            Source::Path(path) => Body::Replayable(
                tokio::fs::read(&path)
                    .await
                    .map_err(|e| {
                        Error::InvalidInput(format!(
                            "{operation}: cannot read {}: {e}",
                            path.display()
                        ))
                    })?
                    .into(),
            ),
            Source::Reader(reader) => match reader.lock().ok().and_then(|mut r| r.take()) {
                Some(reader) => Body::Once(reader),
                None => {
                    return Err(Error::InvalidInput(format!(
                        "{operation}: the upload's reader was already used"
                    )));
                }
            },
        };
        let url = format!("{}{}", client.base_url(), self.path);
        let build = |part: Part| -> Result<reqwest::Request> {
            let part = part
                .file_name(file.file_name.clone())
                .mime_str(&mime)
                .map_err(|e| Error::InvalidInput(format!("{operation}: bad content type: {e}")))?;
            let mut form = Form::new();
            for (name, value) in &self.fields {
                form = form.text(*name, value.clone());
            }
            let mut request = client
                .http()
                .post(&url)
                .header(reqwest::header::ACCEPT, "application/json")
                .multipart(form.part(self.file_field, part))
                .build()
                .map_err(|e| Error::InvalidInput(format!("{operation}: {e}")))?;
            client.hooks().authorize(&mut request);
            Ok(request)
        };
        let (first, replay_bytes) = match body {
            Body::Replayable(bytes) => (build(bytes_part(&bytes))?, Some(bytes)),
            Body::Once(reader) => {
                let stream = tokio_util::io::ReaderStream::new(reader);
                (
                    build(Part::stream(reqwest::Body::wrap_stream(stream)))?,
                    None,
                )
            }
        };
        let replay = || {
            replay_bytes
                .as_ref()
                .and_then(|bytes| build(bytes_part(bytes)).ok())
        };
        let response = crate::transport::send(
            client.http(),
            client.hooks().sending(),
            Some(spec),
            first,
            replay,
        )
        .await
        .map_err(|e| Error::transport(operation, e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(crate::request::from_response(operation, response).await);
        }
        let headers = response.headers().clone();
        let bytes = crate::success::body(response)
            .await
            .map_err(|e| crate::request::body_error(operation, e))?;
        Ok((status, headers, bytes))
    }
}

fn bytes_part(bytes: &Bytes) -> Part {
    Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
}
