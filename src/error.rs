//! One error type for every call: [`Error`], with predicates for the cases callers branch on.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Longest part of a response body kept in an error (bytes, cut on a character boundary).
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// Response headers that carry a request id, in the order they are looked for.
const REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"];

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong calling the Anam API.
///
/// Branch on the predicates ([`is_not_found`](Error::is_not_found),
/// [`is_rate_limited`](Error::is_rate_limited), …) or match the variants. The API key never
/// appears in an error's `Debug` or `Display`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request or its response took longer than the configured timeout.
    #[error("{operation}: timed out: {source}")]
    Timeout {
        /// `operationId` of the call.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The request could not be sent or the response not read (DNS, connect, TLS, reset).
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// `operationId` of the call.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A 2xx response whose body does not match the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// An argument was rejected before any request was sent (e.g. a malformed UUID).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The client is misconfigured (missing API key, refused base URL, TLS setup).
    #[error("configuration error: {0}")]
    Config(String),
}

/// A non-2xx response from the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// `operationId` of the call.
    pub operation: &'static str,
    /// HTTP status.
    pub status: StatusCode,
    /// The server's message: a JSON `message`/`error` field when present, the title of an HTML
    /// error page, otherwise a bounded snippet of the body.
    pub message: String,
    /// What the spec says this status means for this operation, when it documents it.
    pub documented: Option<&'static str>,
    /// The request id header the server sent, if any.
    pub request_id: Option<String>,
    /// How long the server asked to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
    /// The start of the body (at most [`BODY_SNIPPET_LIMIT`] bytes).
    pub body: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(documented) = self.documented {
            write!(f, " ({documented})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// A 2xx body that did not decode into the expected type.
#[derive(Debug, Clone)]
pub struct DecodeError {
    /// `operationId` of the call.
    pub operation: &'static str,
    /// HTTP status of the response.
    pub status: Option<StatusCode>,
    /// JSON path of the first value that failed (`messages[0].durationMs`), `.` for the root.
    pub path: String,
    /// serde's description of the failure.
    pub reason: String,
    /// The start of the body (at most [`BODY_SNIPPET_LIMIT`] bytes).
    pub body: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: response body does not decode at `{}`: {}; body starts: {}",
            self.operation, self.path, self.reason, self.body
        )
    }
}

impl Error {
    /// The HTTP status, for errors that carry a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::Decode(decode) => decode.status,
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }

    /// 401: the key is missing, malformed or revoked.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// 403: the key lacks the permission.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// 404: no such resource.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// 429: rate limited; see [`retry_after`](Self::retry_after).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Any 5xx.
    pub fn is_server_error(&self) -> bool {
        matches!(self, Self::Api(api) if api.status.is_server_error())
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// How long the server asked to wait before retrying, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|api| api.retry_after)
    }

    /// The request id the server assigned, if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(|api| api.request_id.as_deref())
    }

    /// True if sending the same request again may succeed: timeouts, transport failures,
    /// 408, 429, 502, 503 and 504. (Whether the client retries also depends on the method; see
    /// [`RetryPolicy`](crate::RetryPolicy).)
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Api(api) => crate::retry::is_retryable_status(api.status),
            _ => false,
        }
    }

    /// Builds the error for a non-2xx response from its parts.
    pub(crate) fn from_response_parts(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let documented = crate::spec::operation(operation).and_then(|op| {
            op.documented_errors
                .iter()
                .find(|e| e.status == status.as_str())
                .map(|e| e.description)
        });
        let request_id = REQUEST_ID_HEADERS.iter().find_map(|name| {
            headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        Self::Api(Box::new(ApiError {
            operation,
            status,
            message: server_message(headers, body),
            documented,
            request_id,
            retry_after: crate::retry::retry_after(headers),
            body: snippet(body),
        }))
    }

    /// Builds the error for a 2xx body that did not decode into `T`, locating the failure.
    pub(crate) fn decode<T: serde::de::DeserializeOwned>(
        operation: &'static str,
        status: Option<StatusCode>,
        body: &[u8],
    ) -> Self {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let (path, reason) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => (e.path().to_string(), e.inner().to_string()),
            Ok(_) => (".".into(), "the body decodes when read again".into()),
        };
        Self::Decode(Box::new(DecodeError {
            operation,
            status,
            path,
            reason,
            body: snippet(body),
        }))
    }

    /// Classifies a transport-level failure.
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Self::Timeout { operation, source }
        } else {
            Self::Transport { operation, source }
        }
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

/// The server's own words: JSON `message`/`error`, an HTML page's `<title>`, else a snippet.
fn server_message(headers: &HeaderMap, body: &[u8]) -> String {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
        for key in ["message", "error", "detail", "title"] {
            match json.get(key) {
                Some(serde_json::Value::String(text)) => return text.clone(),
                Some(serde_json::Value::Array(items)) if !items.is_empty() => {
                    return items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join("; ");
                }
                Some(serde_json::Value::Object(inner)) => {
                    if let Some(serde_json::Value::String(text)) = inner.get("message") {
                        return text.clone();
                    }
                }
                _ => {}
            }
        }
    }
    let text = String::from_utf8_lossy(body);
    let is_html = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("html"))
        || text.trim_start().starts_with('<');
    if is_html {
        let title = html_title(&text).unwrap_or_else(|| strip_tags(&text));
        return format!("HTML error page: {}", snippet(title.as_bytes()));
    }
    snippet(body)
}

fn html_title(page: &str) -> Option<String> {
    let lower = page.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = page[open_end..close].trim();
    (!title.is_empty()).then(|| title.to_string())
}

fn strip_tags(page: &str) -> String {
    let mut text = String::with_capacity(page.len());
    let mut in_tag = false;
    for c in page.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
            "<html><body><h1>Down</h1> for maintenance</body></html>",
        );
        assert_eq!(
            error.api().unwrap().message,
            "HTML error page: Down for maintenance"
        );
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
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            count: i64,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        let error = Error::decode::<Page>(
            "listX",
            Some(StatusCode::OK),
            br#"{"items":[{"count":1},{"count":"two"}]}"#,
        );
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.path, "items[1].count");
        assert!(error.to_string().contains("items[1].count"));
    }
}
