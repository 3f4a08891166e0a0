//! A local mock Anam server for your own tests (feature `mock`).
//!
//! [`MockAnam::start`] runs an [`httpmock`] server on 127.0.0.1 that answers every operation
//! of the spec with the spec's own example response (an empty object, array or `204` where the
//! spec has none), so it follows the spec automatically. [`operations`] and [`MockServerExt`]
//! are progenitor's typed helpers for precise per-operation expectations.
//!
//! ```no_run
//! # async fn run() -> anam::Result<()> {
//! let mock = anam::mock::MockAnam::start().await;
//! let anam = mock.client()?;
//! let transcript = anam.sessions().transcript("00000000-0000-0000-0000-000000000000").await?;
//! assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
//! assert_eq!(mock.calls("getSessionTranscript"), 1);
//! # Ok(())
//! # }
//! ```

use serde_json::Value;

pub use httpmock;

#[allow(missing_docs, unused_imports, clippy::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/anam_httpmock.rs"));
}

pub use generated::{MockServerExt, operations};

/// The API key [`MockAnam::client`] uses.
pub const MOCK_API_KEY: &str = "anam-mock-key";

/// A running mock Anam server with one canned response per operation.
pub struct MockAnam {
    server: httpmock::MockServer,
    mocks: Vec<(&'static str, usize)>,
}

impl std::fmt::Debug for MockAnam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockAnam")
            .field("base_url", &self.server.base_url())
            .field("operations", &self.mocks.len())
            .finish()
    }
}

impl MockAnam {
    /// Starts the server and loads a response for every operation of the spec.
    pub async fn start() -> Self {
        let server = httpmock::MockServer::start_async().await;
        let spec: Value =
            serde_json::from_str(include_str!("../openapi/swagger.json")).unwrap_or(Value::Null);
        let mut mocks = Vec::new();
        for operation in crate::spec::OPERATIONS {
            let canned = canned_response(&spec, operation);
            let pattern = path_pattern(&spec, operation);
            let mock = server
                .mock_async(|when, then| {
                    when.method(operation.method.as_str())
                        .path_matches(pattern.as_str());
                    let then = then.status(canned.status);
                    if let Some(body) = &canned.body {
                        then.header("content-type", "application/json")
                            .json_body(body.clone());
                    }
                })
                .await;
            mocks.push((operation.id, mock.id()));
        }
        Self { server, mocks }
    }

    /// The server's base URL (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server, to add expectations (they take precedence over the canned ones
    /// only if they are more specific; prefer a fresh `MockServer` with [`MockServerExt`] for
    /// exact control).
    pub fn server(&self) -> &httpmock::MockServer {
        &self.server
    }

    /// A [`Client`](crate::Client) pointed at this server, authenticated with
    /// [`MOCK_API_KEY`].
    pub fn client(&self) -> crate::Result<crate::Client> {
        crate::Client::builder()
            .api_key(MOCK_API_KEY)
            .base_url(self.base_url())
            .build()
    }

    /// How many requests the canned response of `operation_id` has answered.
    pub fn calls(&self, operation_id: &str) -> usize {
        self.mocks
            .iter()
            .filter(|(id, _)| *id == operation_id)
            .map(|(_, mock)| httpmock::Mock::new(*mock, &self.server).calls())
            .sum()
    }

    /// Every operation id that has answered at least one request.
    pub fn called_operations(&self) -> Vec<&'static str> {
        self.mocks
            .iter()
            .filter(|(_, mock)| httpmock::Mock::new(*mock, &self.server).calls() > 0)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// The status and body the mock answers an operation with.
struct Canned {
    status: u16,
    body: Option<Value>,
}

/// The operation's object in the spec.
fn operation_json<'s>(spec: &'s Value, operation: &crate::spec::Operation) -> Option<&'s Value> {
    spec.get("paths")?
        .get(operation.path)?
        .get(operation.method.as_str().to_ascii_lowercase())
}

/// The first documented 2xx response, with its example (resolved through
/// `components/examples`), or an empty value of the schema's type when there is no example.
fn canned_response(spec: &Value, operation: &crate::spec::Operation) -> Canned {
    let responses = operation_json(spec, operation)
        .and_then(|op| op.get("responses"))
        .and_then(Value::as_object);
    let Some((status, response)) = responses.and_then(|r| {
        let mut successes: Vec<(&String, &Value)> =
            r.iter().filter(|(s, _)| s.starts_with('2')).collect();
        successes.sort_by(|a, b| a.0.cmp(b.0));
        successes.into_iter().next()
    }) else {
        return Canned {
            status: 200,
            body: Some(Value::Object(Default::default())),
        };
    };
    let status = status.parse().unwrap_or(200);
    let Some(media) = response.pointer("/content/application~1json") else {
        return Canned { status, body: None };
    };
    let example = media.get("example").cloned().or_else(|| {
        let first = media.get("examples")?.as_object()?.values().next()?;
        match first.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.trim_start_matches("#/components/examples/");
                spec.pointer(&format!("/components/examples/{name}/value"))
                    .cloned()
            }
            None => first.get("value").cloned(),
        }
    });
    let body =
        example.unwrap_or_else(
            || match media.pointer("/schema/type").and_then(Value::as_str) {
                Some("array") => Value::Array(Vec::new()),
                _ => Value::Object(Default::default()),
            },
        );
    Canned {
        status,
        body: Some(body),
    }
}

/// A regex matching the operation's path: UUID path parameters match only UUIDs, so
/// `/v1/sessions/concurrency` never answers as `/v1/sessions/{id}`.
fn path_pattern(spec: &Value, operation: &crate::spec::Operation) -> String {
    let uuid_params: Vec<String> = operation_json(spec, operation)
        .and_then(|op| op.get("parameters"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.pointer("/schema/format").and_then(Value::as_str) == Some("uuid"))
        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let mut pattern = String::from("^");
    for segment in operation.path.split('/').filter(|s| !s.is_empty()) {
        pattern.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if uuid_params.iter().any(|p| p == name) => pattern.push_str(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            ),
            Some(_) => pattern.push_str("[^/]+"),
            None => pattern.push_str(&regex_escape(segment)),
        }
    }
    pattern.push('$');
    pattern
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}
