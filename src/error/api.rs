//! The error for a response the API refused: its status, the server's message (from JSON,
//! HTML or plain text, bounded), the documented meaning and the request id.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};

use super::{Error, snippet};
use crate::rate_limit::{LimitKind, RateLimit};

/// Response headers that carry a request id, in the order they are looked for. Names made
/// once: a lookup by `&str` parses the name on every call.
static REQUEST_ID_HEADERS: [HeaderName; 4] = [
    HeaderName::from_static("x-request-id"),
    HeaderName::from_static("request-id"),
    HeaderName::from_static("x-amzn-requestid"),
    HeaderName::from_static("cf-ray"),
];

/// The request id a response's headers carry, if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(name).and_then(|v| v.to_str().ok()))
}

/// Longest server message kept for `Display` (characters).
const MESSAGE_LIMIT: usize = 200;

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
    /// The start of the body (at most [`BODY_SNIPPET_LIMIT`](crate::BODY_SNIPPET_LIMIT)
    /// bytes). Not part of `Display`.
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

impl Error {
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
        let request_id = request_id(headers).map(str::to_owned);
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
}
