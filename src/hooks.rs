//! The hooks progenitor's generated client calls around every request.
//!
//! The pipeline generates the client with `HooksMode::Expected`, so the crate must implement
//! [`ClientHooks`] for [`raw::Client`](crate::raw::Client); this is that implementation:
//!
//! - `pre`: refuses a request whose path lost its operation's shape (a path id `..`, `.` or
//!   empty, resolved away by the URL), then adds `Authorization: Bearer <key>` (built once,
//!   marked sensitive, so HTTP-level logging redacts it); progenitor's `api-version` header is
//!   already gone, removed from the generated code by the pipeline;
//! - `exec`: sends the request with the client's [`RetryPolicy`], its shared rate-limit pause
//!   and tracing span.

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use std::sync::Arc;

use crate::raw::{Client, Error};
use crate::transport::Sending;
use crate::{ApiKey, ConfigError, RetryPolicy};

/// Default limit on a success body: 32 MiB, far above any real Anam response (a two-hour
/// transcript is about 1 MB).
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 32 * 1024 * 1024;

/// State the hooks need, held by the generated client as its `inner` value.
///
/// Build one to run the generated client on its own, with the crate's authentication and
/// retries:
///
/// ```
/// # fn main() -> anam::Result<()> {
/// use anam::hooks::HookState;
///
/// let hooks = HookState::new("your-api-key")?
///     .with_retry(anam::RetryPolicy::none())
///     .with_max_response_size(8 * 1024 * 1024);
/// assert_eq!(hooks.max_response_size(), 8 * 1024 * 1024);
/// let http = anam::http::default_client()?;
/// let raw = anam::raw::Client::new_with_client("https://api.anam.ai", http, hooks);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct HookState {
    /// `Bearer <key>`, built once and marked sensitive (its `Debug` prints `Sensitive`).
    authorization: HeaderValue,
    /// What the transport sends each request with.
    pub(crate) sending: Sending,
}

impl HookState {
    /// Hooks that authenticate every request with `api_key`, with the default [`RetryPolicy`].
    /// An empty (or whitespace-only) key is [`ConfigError::EmptyApiKey`], a key an HTTP header
    /// cannot carry [`ConfigError::InvalidApiKey`]. Example on [`HookState`].
    pub fn new(api_key: impl Into<ApiKey>) -> Result<Self, ConfigError> {
        let api_key = api_key.into();
        if api_key.expose().trim().is_empty() {
            return Err(ConfigError::EmptyApiKey);
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", api_key.expose()))
            .map_err(|_| ConfigError::InvalidApiKey)?;
        authorization.set_sensitive(true);
        Ok(Self {
            authorization,
            sending: Sending {
                retry: RetryPolicy::default(),
                gate: Arc::default(),
                max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
                dry_run: None,
            },
        })
    }

    /// The same hooks with another retry policy. Example on [`HookState`].
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.sending.retry = retry;
        self
    }

    /// The same hooks with another limit on the size of a success body, in bytes. Example on
    /// [`HookState`].
    pub fn with_max_response_size(mut self, bytes: u64) -> Self {
        self.sending.max_response_size = bytes;
        self
    }

    /// The same hooks, sending nothing: each request is handed to `describe` instead (see
    /// [`ClientBuilder::dry_run`](crate::ClientBuilder::dry_run)).
    pub fn with_dry_run(
        mut self,
        describe: impl Fn(&crate::dry_run::PlannedRequest) + Send + Sync + 'static,
    ) -> Self {
        self.sending.dry_run = Some(crate::dry_run::DryRun(Arc::new(describe)));
        self
    }

    /// The largest success body read, in bytes. Example on [`HookState`].
    pub fn max_response_size(&self) -> u64 {
        self.sending.max_response_size
    }

    /// The retry policy in force.
    ///
    /// ```
    /// let hooks = anam::hooks::HookState::new("your-api-key")?;
    /// assert_eq!(hooks.retry(), &anam::RetryPolicy::default());
    /// # Ok::<(), anam::ConfigError>(())
    /// ```
    pub fn retry(&self) -> &RetryPolicy {
        &self.sending.retry
    }

    /// What the transport sends each request with: the retry policy, the client-wide
    /// rate-limit pause and the success-body limit.
    pub(crate) fn sending(&self) -> &Sending {
        &self.sending
    }

    /// Adds the `Authorization` header.
    pub(crate) fn authorize(&self, request: &mut reqwest::Request) {
        request
            .headers_mut()
            .insert(AUTHORIZATION, self.authorization.clone());
    }
}

impl ClientHooks<HookState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // The facade refuses such ids by name before building; a `raw()` call reaches here.
        // When every path parameter is a UUID (or there is none), the generated builder can
        // only have written the template with hex digits and hyphens in its places (it takes
        // a `Uuid`, and `ClientBuilder` refuses a base URL with a query or fragment), so the
        // check, which runs on every call, is skipped.
        if let Some(operation) = crate::spec::operation_by_method(info.operation_id)
            && !operation.path_parameters.iter().all(|p| p.uuid)
        {
            crate::spec::check_request_path(operation, request.url().path())
                .map_err(Error::InvalidRequest)?;
        }
        self.inner.authorize(request);
        Ok(())
    }

    // A plain function returning the transport's future, not an `async fn`: that would keep
    // `request` in its own state beside the future it is moved into.
    fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> impl Future<Output = reqwest::Result<reqwest::Response>> {
        // A copy for a retry is kept only when the policy allows one.
        let template = (self.inner.retry().max_attempts > 1)
            .then(|| request.try_clone())
            .flatten();
        // Progenitor reports the method name; spans and errors use the spec's operation.
        let operation = crate::spec::operation_by_method(info.operation_id);
        crate::transport::send(
            &self.client,
            self.inner.sending(),
            operation,
            request,
            move || template.as_ref().and_then(reqwest::Request::try_clone),
        )
    }
}
