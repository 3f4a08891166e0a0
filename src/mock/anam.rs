//! [`MockAnam`]: an [`httpmock`] server pre-loaded with the spec's examples (feature `mock`).

#[allow(missing_docs, unused_imports, clippy::all)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/anam_httpmock.rs"));
}

/// Typed expectations on an [`httpmock::MockServer`], one method per operation; a fresh server
/// answers only what you set.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> anam::Result<()> {
/// use anam::mock::{MockServerExt, httpmock::MockServer};
/// use anam::types::ConcurrencyStatus;
///
/// let server = MockServer::start_async().await;
/// let full = ConcurrencyStatus { can_start_session: Some(false), ..Default::default() };
/// let concurrency = server.get_session_concurrency(|_, then| {
///     then.success(200, &full);
/// });
/// let anam = anam::Client::builder().api_key("key").base_url(server.base_url()).build()?;
/// assert_eq!(anam.sessions().concurrency().await?.can_start_session, Some(false));
/// concurrency.assert();
/// # Ok(())
/// # }
/// ```
pub use generated::MockServerExt;
pub use generated::operations;

use super::{MOCK_API_KEY, canned_body};

/// A running mock Anam server with one canned response per operation.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> anam::Result<()> {
/// let mock = anam::mock::MockAnam::start().await;
/// let anam = mock.client()?;
/// let personas = anam.personas().list().await?;
/// assert_eq!(personas.data[0].name.as_deref(), Some("Cara"));
/// assert_eq!(mock.called_operations(), ["listPersonas"]);
/// # Ok(())
/// # }
/// ```
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
    /// Starts the server and loads a response for every operation of the spec. Example on
    /// [`MockAnam`].
    pub async fn start() -> Self {
        let server = httpmock::MockServer::start_async().await;
        let mut mocks = Vec::new();
        for operation in crate::spec::OPERATIONS {
            let pattern = path_pattern(operation);
            let body = canned_body(operation);
            let mock = server
                .mock_async(|when, then| {
                    when.method(operation.method.as_str())
                        .path_matches(pattern.as_str());
                    let then = then.status(operation.success_status);
                    if let Some(body) = &body {
                        then.header("content-type", "application/json")
                            .body(body.as_str());
                    }
                })
                .await;
            mocks.push((operation.id, mock.id()));
        }
        Self { server, mocks }
    }

    /// The server's base URL (`http://127.0.0.1:<port>`), for a client with your own settings.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> anam::Result<()> {
    /// let mock = anam::mock::MockAnam::start().await;
    /// let anam = anam::Client::builder()
    ///     .api_key("test-key")
    ///     .base_url(mock.base_url())
    ///     .retry_policy(anam::RetryPolicy::none())
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server. An expectation added here answers only requests that no canned
    /// answer matches (httpmock tries mocks in the order they were added, and every operation
    /// already has one), so it cannot override an operation's answer: for that, start a fresh
    /// `httpmock::MockServer` and use [`MockServerExt`].
    pub fn server(&self) -> &httpmock::MockServer {
        &self.server
    }

    /// A [`Client`](crate::Client) pointed at this server, authenticated with
    /// [`MOCK_API_KEY`]. Example on [`MockAnam`].
    pub fn client(&self) -> crate::Result<crate::Client> {
        crate::Client::builder()
            .api_key(MOCK_API_KEY)
            .base_url(self.base_url())
            .build()
    }

    /// How many requests the canned response of `operation_id` has answered.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> anam::Result<()> {
    /// let mock = anam::mock::MockAnam::start().await;
    /// let anam = mock.client()?;
    /// anam.sessions().stop("00000000-0000-0000-0000-000000000000").await?;
    /// assert_eq!(mock.calls("stopSession"), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn calls(&self, operation_id: &str) -> usize {
        self.mocks
            .iter()
            .filter(|(id, _)| *id == operation_id)
            .map(|(_, mock)| httpmock::Mock::new(*mock, &self.server).calls())
            .sum()
    }

    /// Every operation id that has answered at least one request. Example on [`MockAnam`].
    pub fn called_operations(&self) -> Vec<&'static str> {
        self.mocks
            .iter()
            .filter(|(_, mock)| httpmock::Mock::new(*mock, &self.server).calls() > 0)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// A regex matching the operation's path: UUID path parameters match only UUIDs, so
/// `/v1/sessions/concurrency` never answers as `/v1/sessions/{id}`.
fn path_pattern(operation: &crate::spec::Operation) -> String {
    let mut pattern = String::from("^");
    for segment in operation.path.split('/').filter(|s| !s.is_empty()) {
        pattern.push('/');
        let parameter = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .map(|name| {
                operation
                    .path_parameters
                    .iter()
                    .any(|p| p.name == name && p.uuid)
            });
        match parameter {
            Some(true) => pattern.push_str(
                "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            ),
            Some(false) => pattern.push_str("[^/]+"),
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
