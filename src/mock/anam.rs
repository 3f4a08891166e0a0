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
/// let full: ConcurrencyStatus = ConcurrencyStatus::builder().can_start_session(Some(false)).try_into()?;
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

use super::{MOCK_API_KEY, ReceivedRequest, Recorder, body_problem, canned_body};

/// A running mock Anam server with one canned response per operation. A JSON request body
/// its operation's generated type refuses is answered with the API's 400 naming the field
/// (see [`crate::mock`]); every request it answers is kept for [`requests`](Self::requests).
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
    recorder: Recorder,
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
        let recorder = Recorder::default();
        let mut mocks = Vec::new();
        for operation in crate::spec::OPERATIONS {
            let canned = canned_body(operation);
            let recorder = recorder.clone();
            let mock = server
                .mock_async(|when, then| {
                    // The spec's own router: a UUID parameter matches only a UUID, and a
                    // literal route wins over a parameter one.
                    when.method(operation.method.as_str()).is_true(
                        move |request: &httpmock::HttpMockRequest| {
                            crate::spec::route(operation.method, request.uri().path())
                                .is_some_and(|(found, _)| found.id == operation.id)
                        },
                    );
                    then.respond_with(move |request: &httpmock::HttpMockRequest| {
                        let body = request.body_ref();
                        let content_type = request
                            .headers_vec()
                            .iter()
                            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
                            .map(|(_, value)| value.as_str());
                        let (status, answer) = match body_problem(operation, content_type, body) {
                            Some(problem) => (400, Some(problem)),
                            None => (operation.success_status, canned.clone()),
                        };
                        let uri = request.uri();
                        let target = uri.path_and_query().map_or("/", |p| p.as_str());
                        recorder.record(
                            request.method_str(),
                            target,
                            body,
                            Some(operation.id),
                            status,
                        );
                        let response = httpmock::HttpMockResponse::builder().status(status);
                        match answer {
                            Some(answer) => response
                                .header("content-type", "application/json")
                                .body(answer),
                            None => response,
                        }
                        .build()
                    });
                })
                .await;
            mocks.push((operation.id, mock.id()));
        }
        Self {
            server,
            mocks,
            recorder,
        }
    }

    /// The requests the canned answers received, oldest first: the last
    /// [`RECORDED_REQUESTS`](super::RECORDED_REQUESTS), bodies cut at
    /// [`RECORDED_BODY_LIMIT`](super::RECORDED_BODY_LIMIT). A request no operation matched (and
    /// one answered by an expectation you added to [`server`](Self::server)) is not among them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> anam::Result<()> {
    /// let mock = anam::mock::MockAnam::start().await;
    /// let anam = mock.client()?;
    /// anam.sessions().list().search("support").await?;
    /// let sent = mock.requests();
    /// assert_eq!((sent[0].method.as_str(), sent[0].path.as_str()), ("GET", "/v1/sessions"));
    /// assert_eq!(sent[0].query.as_deref(), Some("search=support"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.recorder.requests()
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
