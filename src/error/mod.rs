//! One error type for every call: [`Error`], with predicates for the cases callers branch on.
//! What a refusing server said is in `api`, a body that did not decode in `decode` (which
//! finds the JSON path with `json_path`).

use std::time::Duration;

use reqwest::StatusCode;

use crate::rate_limit::{LimitKind, RateLimit};

mod api;
mod decode;
pub(crate) mod json_path;

pub use api::ApiError;
pub(crate) use api::request_id;
pub use decode::DecodeError;

/// Longest part of a response body kept in an error (bytes, cut on a character boundary).
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling the Anam API.
///
/// Branch on the predicates ([`is_not_found`](Error::is_not_found),
/// [`is_rate_limited`](Error::is_rate_limited), …) or match the variants.
///
/// `Display` is one line that never repeats its [`source`](std::error::Error::source) (print
/// the chain for the whole story) and never contains a response body: a transcript is a
/// user's conversation, and error messages end up in logs. The bounded body snippet is a
/// field ([`ApiError::body`], [`DecodeError::body`]) for when you need it. The API key
/// appears nowhere in an error.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) -> anam::Result<()> {
/// let id = "00000000-0000-0000-0000-000000000000";
/// match anam.sessions().transcript(id).await {
///     Ok(transcript) => println!("{} messages", transcript.messages.len()),
///     Err(e) if e.is_not_found() => println!("no transcript for session {id}"),
///     Err(e) if e.is_unauthorized() => println!("check ANAM_API_KEY"),
///     Err(e) if e.is_retryable() => println!("try again later: {e}"),
///     Err(e) => return Err(e),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request or its response took longer than the configured timeout.
    #[error("{operation}: timed out{}", after(*attempts))]
    Timeout {
        /// `operationId` of the call.
        operation: &'static str,
        /// Attempts made in all, the last included.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The request could not be sent or the response not read (DNS, connect, TLS, reset).
    #[error("{operation}: transport error{}", after(*attempts))]
    Transport {
        /// `operationId` of the call.
        operation: &'static str,
        /// Attempts made in all, the last included.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A success body larger than the client's limit
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)); no
    /// more than the limit was held in memory.
    #[error("{operation}: the response body is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// `operationId` of the call.
        operation: &'static str,
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// A 2xx response whose body does not match the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A list ended before its server said it would: a page came back empty, or the same as
    /// the one before, while `meta.lastPage` or `meta.total` said more remain. The items
    /// before it were handed out; this is the stream's last item.
    #[error(
        "{operation}: the list ended early at page {page} after {items} items{}",
        promised(*last_page, *total)
    )]
    IncompleteList {
        /// `operationId` of the list.
        operation: &'static str,
        /// The page that came back empty or repeated.
        page: u64,
        /// Items counted so far (those of skipped pages, when the walk started later, too).
        items: u64,
        /// The last `meta.lastPage` the server sent.
        last_page: Option<u64>,
        /// The last `meta.total` the server sent.
        total: Option<u64>,
    },
    /// An argument was rejected before any request was sent (e.g. a malformed UUID).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The client is misconfigured; see [`ConfigError`].
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The client was built with
    /// [`ClientBuilder::dry_run`](crate::ClientBuilder::dry_run): the request was described
    /// to it and not sent.
    #[error("{operation}: not sent (dry run)")]
    DryRun {
        /// `operationId` of the call (`request` for a path outside the spec).
        operation: &'static str,
    },
}

/// A body a builder refused (`try_into()` on a generated builder: a missing required field,
/// a value outside the spec's constraints) is [`Error::InvalidInput`], so `?` works in a
/// function returning [`crate::Result`].
impl From<crate::types::error::ConversionError> for Error {
    fn from(error: crate::types::error::ConversionError) -> Self {
        Self::InvalidInput(error.to_string())
    }
}

/// Why a [`Client`](crate::Client) could not be built.
///
/// ```
/// use anam::{ConfigError, Error};
///
/// let built = anam::Client::builder().api_key("key").base_url("ftp://anam.example").build();
/// match built {
///     Err(Error::Config(ConfigError::UnsupportedScheme { scheme, .. })) => {
///         assert_eq!(scheme, "ftp");
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No API key was given. `variable` names the environment variable that was read, when
    /// the key was to come from one.
    #[error("no Anam API key: {}", match variable {
        Some(variable) => format!("set {variable}"),
        None => "call ClientBuilder::api_key".to_string(),
    })]
    MissingApiKey {
        /// The environment variable read (`ANAM_API_KEY`), if any.
        variable: Option<&'static str>,
    },
    /// The key holds characters an HTTP header cannot carry (a newline, say).
    #[error("the API key contains characters not allowed in an HTTP header")]
    InvalidApiKey,
    /// The key is empty or only whitespace: every request would be refused with a 401, so the
    /// client is not built.
    #[error("the API key is empty")]
    EmptyApiKey,
    /// The base URL's path already ends in the API's own prefix (`https://api.anam.ai/v1`):
    /// every request path starts with it (`/v1/sessions`), so each would go to `/v1/v1/…` and
    /// come back a 404 that looks like a missing resource. Give the URL without it. A base URL
    /// with a query or fragment, which every request path would land in, is refused the same
    /// way.
    #[error("base URL `{url}` {problem}")]
    MisleadingBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong and what to give instead.
        problem: String,
    },
    /// A plain `http://` base URL on a host that is not loopback, without
    /// [`allow_insecure_http`](crate::ClientBuilder::allow_insecure_http).
    #[error(
        "refusing plain-HTTP base URL `{url}`: the API key would travel unencrypted \
         (use https://, a loopback address, or ClientBuilder::allow_insecure_http)"
    )]
    InsecureBaseUrl {
        /// The refused URL.
        url: String,
    },
    /// The base URL does not parse.
    #[error("invalid base URL `{url}`")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// Why it does not parse.
        #[source]
        source: url::ParseError,
    },
    /// The base URL's scheme is neither `https` nor `http`.
    #[error("unsupported scheme `{scheme}` in base URL `{url}`")]
    UnsupportedScheme {
        /// The URL as given.
        url: String,
        /// Its scheme.
        scheme: String,
    },
    /// The TLS configuration could not be built (no usable root certificates, say).
    #[error("cannot set up TLS")]
    Tls(#[source] rustls::Error),
    /// reqwest refused to build the HTTP client.
    #[error("cannot build the HTTP client")]
    HttpClient(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status, for errors that carry a response.
    ///
    /// ```
    /// # fn log(error: &anam::Error) {
    /// match error.status() {
    ///     Some(status) => eprintln!("HTTP {status}: {error}"),
    ///     None => eprintln!("no response: {error}"),
    /// }
    /// # }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::Decode(decode) => decode.status,
            _ => None,
        }
    }

    /// The API error, if this is one. Example on [`ApiError`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }

    /// 401: the key is missing, malformed or revoked. Example on [`Error`].
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// 403: the key lacks the permission. Branch on it as in the example on [`Error`].
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// 404: no such resource.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let persona = match anam.personas().get("00000000-0000-0000-0000-000000000000").await {
    ///     Ok(persona) => Some(persona),
    ///     Err(e) if e.is_not_found() => None,
    ///     Err(e) => return Err(e),
    /// };
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// A 429 that is a request-rate limit (see [`limit`](Self::limit) for the other kinds and
    /// [`retry_after`](Self::retry_after) for the wait).
    ///
    /// The client has already retried it per its [`RetryPolicy`](crate::RetryPolicy); this is
    /// for a caller that wants to wait longer.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use std::time::Duration;
    ///
    /// let page = loop {
    ///     match anam.sessions().list().await {
    ///         Err(e) if e.is_rate_limited() => {
    ///             tokio::time::sleep(e.retry_after().unwrap_or(Duration::from_secs(5))).await;
    ///         }
    ///         other => break other?,
    ///     }
    /// };
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_rate_limited(&self) -> bool {
        self.limit() == Some(LimitKind::RateLimit)
    }

    /// For a 429, which limit was reached. Example on [`LimitKind`].
    pub fn limit(&self) -> Option<LimitKind> {
        self.api().and_then(|api| api.limit)
    }

    /// The rate-limit headers of the error response, if this is an API error.
    ///
    /// ```
    /// # fn log(error: &anam::Error) {
    /// if let Some(left) = error.rate_limit().and_then(|limit| limit.org_hour_remaining) {
    ///     eprintln!("{left} requests left this hour");
    /// }
    /// # }
    /// ```
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.api().map(|api| &api.rate_limit)
    }

    /// Any 5xx. Branch on it as in the example on [`Error`].
    pub fn is_server_error(&self) -> bool {
        matches!(self, Self::Api(api) if api.status.is_server_error())
    }

    /// The request timed out. Branch on it as in the example on [`Error`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// How long the server asked to wait before retrying, if it said. Example on
    /// [`is_rate_limited`](Self::is_rate_limited).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|api| api.retry_after)
    }

    /// The request id the server assigned, if it sent one.
    ///
    /// ```
    /// # fn log(error: &anam::Error) {
    /// eprintln!("{error} (request id {})", error.request_id().unwrap_or("none"));
    /// # }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(|api| api.request_id.as_deref())
    }

    /// True if sending the same request again later may succeed: timeouts, transport
    /// failures, 408, 502, 503, 504, and a 429 that is a request-rate limit (never a spend
    /// cap, a usage limit or the concurrent-session limit). Whether the client retries by
    /// itself also depends on the method; see [`RetryPolicy`](crate::RetryPolicy).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client, ids: Vec<String>) -> anam::Result<Vec<String>> {
    /// let mut later = Vec::new();
    /// for id in ids {
    ///     match anam.sessions().stop(id.as_str()).await {
    ///         Ok(_) => println!("stopped {id}"),
    ///         Err(e) if e.is_retryable() => later.push(id),
    ///         Err(e) => return Err(e),
    ///     }
    /// }
    /// # Ok(later)
    /// # }
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Api(api) => match api.limit {
                Some(limit) => limit.is_retryable(),
                None => crate::retry::is_retryable_status(api.status),
            },
            _ => false,
        }
    }

    /// Classifies a transport-level failure (one attempt; the caller corrects the count).
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Self::Timeout {
                operation,
                attempts: 1,
                source,
            }
        } else {
            Self::Transport {
                operation,
                attempts: 1,
                source,
            }
        }
    }

    /// Fills in what the transport recorded of the call: attempts made, final status.
    pub(crate) fn set_call(&mut self, made: u32, final_status: Option<StatusCode>) {
        match self {
            Self::Timeout { attempts, .. } | Self::Transport { attempts, .. } => *attempts = made,
            Self::Api(api) => api.attempts = api.attempts.max(made),
            Self::Decode(decode) if decode.status.is_none() => decode.status = final_status,
            _ => {}
        }
    }

    /// How many attempts the call made, for errors that come from the server or the network.
    ///
    /// ```
    /// # fn log(error: &anam::Error) {
    /// if let Some(attempts) = error.attempts().filter(|&n| n > 1) {
    ///     eprintln!("gave up after {attempts} attempts: {error}");
    /// }
    /// # }
    /// ```
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Api(api) => Some(api.attempts),
            Self::Timeout { attempts, .. } | Self::Transport { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }
}

/// `, but the server said there are N items` (or pages) for [`Error::IncompleteList`].
fn promised(last_page: Option<u64>, total: Option<u64>) -> String {
    match (total, last_page) {
        (Some(total), _) => format!(", but the server said there are {total}"),
        (None, Some(last)) => format!(", but the server said there are {last} pages"),
        (None, None) => String::new(),
    }
}

/// ` after N attempts` when there was more than one.
fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// The first [`BODY_SNIPPET_LIMIT`] bytes of `body` as text, cut on a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.len() <= BODY_SNIPPET_LIMIT {
        return text.to_string();
    }
    let mut end = BODY_SNIPPET_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary() {
        let body = "é".repeat(BODY_SNIPPET_LIMIT);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= BODY_SNIPPET_LIMIT + '…'.len_utf8());
        assert!(cut.ends_with('…'));
    }
}
