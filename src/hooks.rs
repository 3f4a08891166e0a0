//! The hooks progenitor's generated client calls around every request.
//!
//! The pipeline generates the client with `HooksMode::Expected`, so the crate must implement
//! [`ClientHooks`] for [`raw::Client`](crate::raw::Client); this is that implementation:
//!
//! - `pre`: adds `Authorization: Bearer <key>` (built once, marked sensitive, so HTTP-level
//!   logging redacts it) and removes the `api-version` header progenitor always adds: Anam's API does not ask
//!   for one;
//! - `exec`: sends the request with the client's [`RetryPolicy`] and tracing span.

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::raw::{Client, Error};
use crate::{ApiKey, ConfigError, RetryPolicy};

/// The header progenitor adds to every request with the spec's `info.version`.
const PROGENITOR_VERSION_HEADER: &str = "api-version";

/// State the hooks need, held by the generated client as its `inner` value.
#[derive(Clone, Debug)]
pub struct HookState {
    /// `Bearer <key>`, built once and marked sensitive (its `Debug` prints `Sensitive`).
    authorization: HeaderValue,
    retry: RetryPolicy,
}

impl HookState {
    /// Hooks that authenticate every request with `api_key`, with the default [`RetryPolicy`].
    /// A key an HTTP header cannot carry is [`ConfigError::InvalidApiKey`].
    pub fn new(api_key: impl Into<ApiKey>) -> Result<Self, ConfigError> {
        let api_key = api_key.into();
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", api_key.expose()))
            .map_err(|_| ConfigError::InvalidApiKey)?;
        authorization.set_sensitive(true);
        Ok(Self {
            authorization,
            retry: RetryPolicy::default(),
        })
    }

    /// The same hooks with another retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The retry policy in force.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Adds the `Authorization` header and removes progenitor's `api-version` header.
    pub(crate) fn authorize(&self, request: &mut reqwest::Request) {
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_VERSION_HEADER);
        headers.insert(AUTHORIZATION, self.authorization.clone());
    }
}

impl ClientHooks<HookState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        self.inner.authorize(request);
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let template = request.try_clone();
        // Progenitor reports the method name; spans and errors use the spec's operation.
        let operation = crate::spec::operation_by_method(info.operation_id);
        crate::transport::send(&self.client, &self.inner.retry, operation, request, || {
            template.as_ref().and_then(reqwest::Request::try_clone)
        })
        .await
    }
}
