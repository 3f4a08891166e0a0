//! The hooks progenitor's generated client calls around every request.
//!
//! The pipeline generates the client with `HooksMode::Expected`, so the crate must implement
//! [`ClientHooks`] for [`raw::Client`](crate::raw::Client); this is that implementation. Before
//! each request it adds `Authorization: Bearer <key>` (marked sensitive, so HTTP-level logging
//! redacts it) and removes the `api-version` header progenitor always adds: Anam's API does
//! not ask for one.

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::ApiKey;
use crate::raw::{Client, Error};

/// The header progenitor adds to every request with the spec's `info.version`.
const PROGENITOR_VERSION_HEADER: &str = "api-version";

/// State the hooks need, held by the generated client as its `inner` value.
#[derive(Clone, Debug)]
pub struct HookState {
    api_key: ApiKey,
}

impl HookState {
    /// Hooks that authenticate every request with `api_key`.
    pub fn new(api_key: impl Into<ApiKey>) -> Self {
        Self {
            api_key: api_key.into(),
        }
    }

    /// The `Authorization` header value, marked sensitive.
    fn authorization(&self) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.api_key.expose()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl ClientHooks<HookState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        headers.remove(PROGENITOR_VERSION_HEADER);
        let authorization = self.inner.authorization().map_err(|_| {
            Error::InvalidRequest(
                "the API key contains characters not allowed in an HTTP header".into(),
            )
        })?;
        headers.insert(AUTHORIZATION, authorization);
        Ok(())
    }
}
