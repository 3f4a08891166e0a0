//! Local mock Anam servers that answer every operation of the spec with the spec's own example
//! response (an empty object, array or `204` where the spec has none), taken from the table the
//! pipeline generates ([`crate::spec`]), so they follow the spec automatically.
//!
//! - [`MockAnam`] (feature `mock`): an [`httpmock`] server, for your own tests; add your own
//!   expectations, or use progenitor's typed helpers ([`operations`], [`MockServerExt`]) on a
//!   fresh `httpmock::MockServer` for exact per-operation control.
//! - [`LocalServer`] (features `mock` or `cli`): the same canned answers from a small
//!   dependency-free server on tokio; the `anam` command line runs against it when no API key
//!   is set.
//!
//! Both check what they are sent: a JSON request body that its operation's generated type
//! refuses (not JSON, a value of the wrong type, a missing required field) is answered with
//! the API's 400, naming the field and what was wrong. Both keep the last
//! [`RECORDED_REQUESTS`] requests they received ([`ReceivedRequest`]: method, path, query,
//! body) for a test to read back.
//!
//! ```no_run
//! # #[cfg(feature = "mock")]
//! # async fn run() -> anam::Result<()> {
//! let mock = anam::mock::MockAnam::start().await;
//! let anam = mock.client()?;
//! let transcript = anam.sessions().transcript("00000000-0000-0000-0000-000000000000").await?;
//! assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
//! assert_eq!(mock.calls("getSessionTranscript"), 1);
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "mock")]
mod anam;
mod local;

#[cfg(feature = "mock")]
pub use anam::{MockAnam, MockServerExt, operations};
#[cfg(feature = "mock")]
pub use httpmock;
pub use local::LocalServer;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// How many requests a mock keeps for [`MockAnam::requests`] / [`LocalServer::requests`]:
/// the most recent ones, older ones are dropped.
pub const RECORDED_REQUESTS: usize = 100;

/// How much of each request body a mock keeps (bytes); the rest is dropped and
/// [`ReceivedRequest::body_truncated`] says so. A body is checked whole before that.
pub const RECORDED_BODY_LIMIT: usize = 256 * 1024;

/// A request a mock server received, as it arrived: method, path (still percent-encoded),
/// query and body. At most [`RECORDED_REQUESTS`] are kept, each body cut at
/// [`RECORDED_BODY_LIMIT`] bytes, so a long test's memory stays bounded.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = anam::mock::LocalServer::start().await?;
/// let anam = server.client()?;
/// anam.personas().delete("a/b").await?;
/// let received = server.requests();
/// assert_eq!(received[0].method, "DELETE");
/// assert_eq!(received[0].path, "/v1/personas/a%2Fb");
/// assert_eq!(received[0].operation, Some("deletePersona"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path as sent (`/v1/personas/a%2Fb`).
    pub path: String,
    /// The query string without its `?`, if there was one.
    pub query: Option<String>,
    /// The body (its first [`RECORDED_BODY_LIMIT`] bytes).
    pub body: Vec<u8>,
    /// True when the body was longer than what is kept.
    pub body_truncated: bool,
    /// The operation that answered it; `None` when none matched (a 404).
    pub operation: Option<&'static str>,
    /// The status the mock answered with.
    pub status: u16,
}

impl ReceivedRequest {
    /// The body as JSON, when it is JSON (and was kept whole).
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The shared, bounded list of received requests.
#[derive(Clone, Debug, Default)]
struct Recorder(Arc<Mutex<VecDeque<ReceivedRequest>>>);

impl Recorder {
    fn record(
        &self,
        method: &str,
        target: &str,
        body: &[u8],
        operation: Option<&'static str>,
        status: u16,
    ) {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query.to_string())),
            None => (target, None),
        };
        let kept = body.len().min(RECORDED_BODY_LIMIT);
        let request = ReceivedRequest {
            method: method.to_string(),
            path: path.to_string(),
            query,
            body: body[..kept].to_vec(),
            body_truncated: kept < body.len(),
            operation,
            status,
        };
        // A panicking test thread cannot poison what another test reads.
        let mut list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if list.len() == RECORDED_REQUESTS {
            list.pop_front();
        }
        list.push_back(request);
    }

    fn requests(&self) -> Vec<ReceivedRequest> {
        let list = self.0.lock().unwrap_or_else(|e| e.into_inner());
        list.iter().cloned().collect()
    }
}

/// The API's 400 for a request body of `operation` its generated type refuses (not JSON, a
/// value of the wrong type, a missing required field): the shape the spec documents for a
/// validation error (`error`, `details[{path, message, code}]`, `summary`), plus `message`,
/// which the client reads first. `None` when the body decodes, the operation takes no JSON
/// body, or the request says it sends another media type (a multipart upload to an operation
/// that also takes JSON). It never quotes the body's values.
fn body_problem(
    operation: &crate::spec::Operation,
    content_type: Option<&str>,
    body: &[u8],
) -> Option<String> {
    let media_type = content_type.map(|t| t.split(';').next().unwrap_or_default().trim());
    if media_type.is_some_and(|t| !t.eq_ignore_ascii_case("application/json")) {
        return None;
    }
    let (type_name, result) = crate::raw::spec_table::check_request_body(operation.id, body)?;
    let error = result.err()?;
    let reason = crate::DecodeError::reason_of(&error);
    let path = crate::error::json_path::path_of(body, &error);
    let (code, message) = match error.classify() {
        serde_json::error::Category::Data => {
            let code = if reason.starts_with("missing field") {
                "missing_field"
            } else if reason.starts_with("invalid type") {
                "invalid_type"
            } else {
                "invalid_value"
            };
            let message = format!("request body does not match {type_name} at `{path}`: {reason}");
            (code, message)
        }
        _ => (
            "invalid_json",
            format!("request body is not JSON: {reason}"),
        ),
    };
    Some(
        serde_json::json!({
            "message": message,
            "error": "Validation error",
            "details": [{"path": path, "message": reason, "code": code}],
            "summary": format!("{path}: {reason}"),
        })
        .to_string(),
    )
}

/// The API key mock clients use.
pub const MOCK_API_KEY: &str = "anam-mock-key";

/// The body a mock answers `operation` with: the spec's first example for its success status,
/// else an empty JSON object or array; `None` for a response without a body.
fn canned_body(operation: &crate::spec::Operation) -> Option<String> {
    let body = operation.success_body?;
    let status = operation.success_status.to_string();
    let example = operation
        .examples
        .iter()
        .find(|e| e.status == status || e.status.ends_with("XX"))
        .or(operation.examples.first());
    Some(match (example, body.array) {
        (Some(example), _) => example.json.to_string(),
        (None, true) => "[]".to_string(),
        (None, false) => "{}".to_string(),
    })
}
