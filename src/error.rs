//! One error type for every call: [`Error`], with predicates for the cases callers branch on.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::rate_limit::{LimitKind, RateLimit};

/// Longest part of a response body kept in an error (bytes, cut on a character boundary).
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// Response headers that carry a request id, in the order they are looked for.
const REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest server message kept for `Display` (characters).
const MESSAGE_LIMIT: usize = 200;

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
    /// An argument was rejected before any request was sent (e.g. a malformed UUID).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The client is misconfigured; see [`ConfigError`].
    #[error(transparent)]
    Config(#[from] ConfigError),
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

/// A non-2xx response from the API.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) {
/// if let Err(e) = anam.personas().get("00000000-0000-0000-0000-000000000000").await {
///     if let Some(api) = e.api() {
///         eprintln!("{} answered {}: {}", api.operation, api.status, api.message);
///         if let Some(id) = &api.request_id {
///             eprintln!("quote request id {id} to Anam support");
///         }
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// `operationId` of the call.
    pub operation: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// The server's own words: a JSON `message`/`error` field or the `<title>` of an HTML
    /// error page (at most 200 characters), else empty.
    pub message: String,
    /// What the spec says this status means for this operation, when it documents it.
    pub documented: Option<&'static str>,
    /// The request id header the server sent, if any.
    pub request_id: Option<String>,
    /// How long the server asked to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
    /// The rate-limit headers of the response.
    pub rate_limit: RateLimit,
    /// For a 429, which limit was reached.
    pub limit: Option<LimitKind>,
    /// How many attempts were made in all, the failing one included.
    pub attempts: u32,
    /// The start of the body (at most [`BODY_SNIPPET_LIMIT`] bytes). Not part of `Display`.
    pub body: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(limit) = self.limit {
            write!(f, " ({limit})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(documented) = self.documented {
            write!(f, " ({documented})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

/// A 2xx body that did not decode into the expected type.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) {
/// let id = "00000000-0000-0000-0000-000000000000";
/// if let Err(anam::Error::Decode(decode)) = anam.sessions().transcript(id).await {
///     // e.g. `messages[3].speakingDurationSeconds`: invalid type: string, expected f64
///     eprintln!("`{}`: {}", decode.path, decode.reason);
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// `operationId` of the call.
    pub operation: &'static str,
    /// HTTP status of the response.
    pub status: Option<StatusCode>,
    /// JSON path of the first value that failed (`messages[0].durationMs`), `.` for the root.
    pub path: String,
    /// What was wrong, without the offending value (`invalid type: string, expected f64`).
    pub reason: String,
    /// serde's own description, which may quote the offending value. Not part of `Display`.
    pub detail: String,
    /// The start of the body (at most [`BODY_SNIPPET_LIMIT`] bytes). Not part of `Display`.
    pub body: String,
}

impl DecodeError {
    /// What `error` says was wrong, without the values it quotes, as [`reason`](Self::reason)
    /// holds it: for decoding JSON of your own (a request body from a file) and reporting the
    /// failure without echoing its content.
    ///
    /// ```
    /// let error = serde_json::from_str::<u32>(r#""secret""#).unwrap_err();
    /// assert_eq!(anam::DecodeError::reason_of(&error), "invalid type: string, expected u32");
    /// ```
    pub fn reason_of(error: &serde_json::Error) -> String {
        without_values(error)
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.operation)?;
        if let Some(status) = self.status {
            write!(f, "HTTP {status}: ")?;
        }
        write!(
            f,
            "response body does not decode at `{}`: {}",
            self.path, self.reason
        )
    }
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

    /// Builds the error for a non-2xx response from its parts.
    pub(crate) fn from_response_parts(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        attempts: u32,
    ) -> Self {
        let spec = crate::spec::operation(operation);
        let documented = spec
            .and_then(|op| op.documented(status.as_u16()))
            .map(|e| e.description);
        let request_id = REQUEST_ID_HEADERS.iter().find_map(|name| {
            headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        let limit =
            (status == StatusCode::TOO_MANY_REQUESTS).then(|| LimitKind::of(spec, headers, body));
        Self::Api(Box::new(ApiError {
            operation,
            status,
            message: server_message(headers, body),
            documented,
            request_id,
            retry_after: crate::retry::retry_after(headers),
            rate_limit: RateLimit::from_headers(headers),
            limit,
            attempts,
            body: snippet(body),
        }))
    }

    /// Builds the error for a 2xx body that did not decode, from serde_json's `error`: the
    /// path of the value it is about, and why without the value.
    pub(crate) fn decode(
        operation: &'static str,
        status: Option<StatusCode>,
        body: &[u8],
        error: &serde_json::Error,
    ) -> Self {
        Self::Decode(Box::new(DecodeError {
            operation,
            status,
            path: crate::json_path::path_of(body, error),
            reason: without_values(error),
            detail: error.to_string(),
            body: snippet(body),
        }))
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

/// ` after N attempts` when there was more than one.
fn after(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// serde_json's description of a failure with the offending value left out: `invalid type:
/// string "hello", expected f64` becomes `invalid type: string, expected f64`, and an unknown
/// variant or field keeps only what was expected. Position suffixes are dropped (the JSON path
/// says where).
fn without_values(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    if error.classify() != serde_json::error::Category::Data {
        return text;
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let kind = rest.split([' ', ',']).next().unwrap_or_default();
            let kind = match kind {
                "floating" => "floating point",
                "unit" => "unit value",
                other => other,
            };
            let expected = rest
                .rfind(", expected ")
                .map(|at| &rest[at..])
                .unwrap_or_default();
            return format!("{prefix}{kind}{expected}");
        }
    }
    for (prefix, what) in [
        ("unknown variant ", "unknown variant"),
        ("unknown field ", "unknown field"),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let expected = rest
                .find(", expected ")
                .map(|at| &rest[at..])
                .unwrap_or_default();
            return format!("{what}{expected}");
        }
    }
    // Missing fields, lengths and syntax name the schema, not the data; anything else (a
    // custom message from a field's own parser) may quote the value, so it is not repeated.
    if text.starts_with("missing field") || text.starts_with("invalid length") {
        text
    } else {
        "the value does not parse as its type".to_string()
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

/// The server's own words: a JSON `message`/`error`/`detail`/`title` field, or an HTML page's
/// `<title>` (else its first `<h1>`), cut at [`MESSAGE_LIMIT`] characters. Any other body is
/// left out: it is kept, bounded, in the error's `body` field only.
fn server_message(headers: &HeaderMap, body: &[u8]) -> String {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        for key in ["message", "error", "detail", "title"] {
            let text = match json.get(key) {
                Some(serde_json::Value::String(text)) => Some(text.clone()),
                Some(serde_json::Value::Array(items)) if !items.is_empty() => Some(
                    items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Some(serde_json::Value::Object(inner)) => inner
                    .get("message")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
                _ => None,
            };
            if let Some(text) = text {
                return bounded(&text);
            }
        }
        return String::new();
    }
    let text = String::from_utf8_lossy(body);
    let is_html = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("html"))
        || text.trim_start().starts_with('<');
    if !is_html {
        return String::new();
    }
    match element_text(&text, "title").or_else(|| element_text(&text, "h1")) {
        Some(title) => format!("HTML error page: {}", bounded(&title)),
        None => "HTML error page".to_string(),
    }
}

/// `text` with white space folded, cut at [`MESSAGE_LIMIT`] characters.
fn bounded(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(MESSAGE_LIMIT) {
        Some((end, _)) => format!("{}…", &folded[..end]),
        None => folded,
    }
}

/// The text inside the first `<tag …>…</tag>` of `page`, tags inside it removed.
fn element_text(page: &str, tag: &str) -> Option<String> {
    let lower = page.to_ascii_lowercase();
    let start = lower.find(&format!("<{tag}"))?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find(&format!("</{tag}"))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in page[open_end..close].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, headers: &[(&'static str, &str)], body: &str) -> Error {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        Error::from_response_parts(
            "getSessionTranscript",
            StatusCode::from_u16(status).unwrap(),
            &map,
            body.as_bytes(),
            1,
        )
    }

    #[test]
    fn json_message_request_id_and_documented_meaning_are_kept() {
        let error = api(
            404,
            &[("x-request-id", "req-1")],
            r#"{"message":"Session not found"}"#,
        );
        assert!(error.is_not_found());
        assert_eq!(error.request_id(), Some("req-1"));
        assert_eq!(
            error.to_string(),
            "getSessionTranscript: HTTP 404 Not Found: Session not found \
             (Not Found - Session not found or no transcript available) [request id req-1]"
        );
    }

    #[test]
    fn html_pages_become_readable() {
        let error = api(
            502,
            &[("content-type", "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        );
        assert_eq!(
            error.api().unwrap().message,
            "HTML error page: 502 Bad Gateway"
        );
        assert!(error.is_server_error() && error.is_retryable());
        let error = api(
            503,
            &[],
            "<html><body><h1>Down <b>for</b> maintenance</h1><p>details</p></body></html>",
        );
        assert_eq!(
            error.api().unwrap().message,
            "HTML error page: Down for maintenance"
        );
    }

    #[test]
    fn a_plain_text_body_stays_out_of_the_message_and_display() {
        let error = api(500, &[], "User said: my card number is 4242");
        assert_eq!(error.api().unwrap().message, "");
        assert!(!error.to_string().contains("4242"), "{error}");
        assert!(error.api().unwrap().body.contains("4242"));
        let long = api(
            400,
            &[],
            &format!(r#"{{"message":"{}"}}"#, "x".repeat(5000)),
        );
        assert!(long.to_string().len() < 400, "{long}");
    }

    #[test]
    fn decode_reasons_leave_the_offending_value_out() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Message {
            seconds: f64,
            role: Role,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Role {
            #[serde(rename = "user")]
            User,
        }
        let reason = |body: &str| {
            let error = serde_json::from_str::<Message>(body).unwrap_err();
            let Error::Decode(decode) = Error::decode("op", None, body.as_bytes(), &error) else {
                panic!("not a decode error");
            };
            (decode.reason.clone(), decode.to_string())
        };
        let (why, shown) = reason(r#"{"seconds": "I told the persona my secret", "role": "user"}"#);
        assert_eq!(why, "invalid type: string, expected f64");
        assert!(!shown.contains("secret"), "{shown}");
        let (why, shown) = reason(r#"{"seconds": 1, "role": "my secret role"}"#);
        assert_eq!(why, "unknown variant, expected `user`");
        assert!(!shown.contains("secret"), "{shown}");
        let (why, _) = reason(r#"{"seconds": 1}"#);
        assert_eq!(why, "missing field `role`");
        let (why, _) = reason(r#"{"seconds": 1, "#);
        assert!(why.starts_with("EOF while parsing"), "{why}");
    }

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary() {
        let body = "é".repeat(BODY_SNIPPET_LIMIT);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= BODY_SNIPPET_LIMIT + '…'.len_utf8());
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn decode_errors_name_the_json_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            count: i64,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        let body = br#"{"items":[{"count":1},{"count":"two"}]}"#;
        let failure = serde_json::from_slice::<Page>(body).unwrap_err();
        let error = Error::decode("listX", Some(StatusCode::OK), body, &failure);
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.path, "items[1].count");
        assert!(error.to_string().contains("items[1].count"));
    }
}
