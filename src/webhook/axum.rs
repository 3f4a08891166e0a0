//! An axum extractor for webhook tool calls: [`SignedToolCall<T>`] verifies the call's signed
//! URL, then decodes its body into `T`, or answers as a web server should:
//!
//! | status | when | `error` in the JSON body |
//! | --- | --- | --- |
//! | 401 | no signature, a malformed, forged or altered one, or an expired URL (with `WWW-Authenticate: SignedURL`) | `missing_signature`, `invalid_signature`, `expired_signature` |
//! | 413 | a body (declared or read) over the limit | `arguments_too_large` |
//! | 400 | a body that is not JSON of type `T` (the message names the field, never the value), or that cannot be read | `invalid_arguments` (with `path`), `unreadable_body` |
//!
//! The signature is checked first: an unsigned caller never has its body read. Each body is
//! `{"error": "…", "message": "…"}`.
//!
//! ```no_run
//! use anam::webhook::axum::{SignedToolCall, ToolCallVerifier};
//! use anam::webhook::{Answer, UrlSigner, WebhookSecret};
//! use axum::{Router, routing::post};
//!
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! struct LookupOrder { order_id: String }
//!
//! async fn lookup_order(call: SignedToolCall<LookupOrder>) -> Answer {
//!     let user = call.url.param("uid").unwrap_or_default(); // bound when the URL was signed
//!     Answer::error(&format!("no order {} for {user}", call.arguments.order_id))
//! }
//!
//! # fn run(secret: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let verifier = ToolCallVerifier::new(UrlSigner::new(WebhookSecret::new(secret)?));
//! let app: Router = Router::new()
//!     .route("/tools/lookup-order", post(lookup_order))
//!     .with_state(verifier);
//! # Ok(())
//! # }
//! ```
//!
//! The state only needs to give a [`ToolCallVerifier`] (`FromRef`), so it can be one field of
//! the application's own state.
//!
//! **Behind a proxy.** Only the method, path and query are signed, so a proxy that terminates
//! TLS or rewrites `Host` needs nothing. One that strips a path prefix (the public
//! `https://example.com/backend/tools/x` reaching the service as `/tools/x`) does: give the
//! public base with [`ToolCallVerifier::external_base_url`], and its path is put back in
//! front of the request's before verifying. Routes nested with `Router::nest` are verified on
//! their full path (axum's `OriginalUri`).

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::{FromRef, FromRequest, OriginalUri, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use url::Url;

use super::{
    Answer, ArgumentsError, DEFAULT_MAX_ARGUMENTS_SIZE, SignatureError, UrlSigner, VerifiedUrl,
};

/// What [`SignedToolCall`] checks calls with: the signer's secrets, the service's public base
/// URL, and the largest body accepted. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ToolCallVerifier {
    signer: Arc<UrlSigner>,
    prefix: String,
    max_body_size: usize,
}

impl ToolCallVerifier {
    /// Verifies with `signer`, for a service reached at its own paths, taking bodies up to
    /// [`DEFAULT_MAX_ARGUMENTS_SIZE`].
    pub fn new(signer: UrlSigner) -> Self {
        Self {
            signer: Arc::new(signer),
            prefix: String::new(),
            max_body_size: DEFAULT_MAX_ARGUMENTS_SIZE,
        }
    }

    /// The URL the service is reached at from outside, as the signed URLs have it
    /// (`https://example.com/backend`). Its path is put in front of each request's path
    /// before verifying; its scheme and host are not signed, so they do not matter.
    pub fn external_base_url(mut self, base: &Url) -> Self {
        self.prefix = base.path().trim_end_matches('/').to_string();
        self
    }

    /// The largest body accepted, in bytes; a larger one is answered 413.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The signer, to sign the URLs this verifier accepts.
    pub fn signer(&self) -> &UrlSigner {
        &self.signer
    }

    /// The URL a request for `path_and_query` was signed as.
    fn url_of(&self, path_and_query: &str) -> Option<Url> {
        // Scheme and host are not signed: any fixed pair will do.
        Url::parse(&format!(
            "http://service.invalid{}{path_and_query}",
            self.prefix
        ))
        .ok()
    }
}

/// A webhook tool call whose URL was verified and whose body decoded into `T`. Rejections
/// are [`ToolCallRejection`]; the module documentation has the statuses and an example.
#[derive(Debug)]
#[non_exhaustive]
pub struct SignedToolCall<T> {
    /// The tool's arguments.
    pub arguments: T,
    /// The verified URL: the parameters bound when it was signed (`uid`, …) and its expiry.
    pub url: VerifiedUrl,
}

impl<S, T> FromRequest<S> for SignedToolCall<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
    ToolCallVerifier: FromRef<S>,
{
    type Rejection = ToolCallRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = ToolCallVerifier::from_ref(state);
        let result = extract(&verifier, request).await;
        if let Err(rejection) = &result {
            tracing::debug!(target: "anam::webhook", status = rejection.status().as_u16(), "tool call refused: {rejection}");
        }
        result
    }
}

async fn extract<T: DeserializeOwned>(
    verifier: &ToolCallVerifier,
    request: Request,
) -> Result<SignedToolCall<T>, ToolCallRejection> {
    let uri = match request.extensions().get::<OriginalUri>() {
        Some(OriginalUri(uri)) => uri,
        None => request.uri(),
    };
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    let url = verifier
        .url_of(path_and_query)
        .ok_or(ToolCallRejection::Signature(SignatureError::Malformed))?;
    let verified = verifier
        .signer
        .verify(request.method(), &url, SystemTime::now())
        .map_err(ToolCallRejection::Signature)?;

    let limit = verifier.max_body_size;
    let too_large = ToolCallRejection::Arguments(ArgumentsError::TooLarge { limit });
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large);
    }
    let mut stream = request.into_body().into_data_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ToolCallRejection::UnreadableBody)?;
        if body.len() + chunk.len() > limit {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    let arguments =
        super::decode_arguments_with_limit(&body, limit).map_err(ToolCallRejection::Arguments)?;
    Ok(SignedToolCall {
        arguments,
        url: verified,
    })
}

/// Why [`SignedToolCall`] refused a request; as a response, its status and a small JSON body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ToolCallRejection {
    /// The URL's signature: 401.
    #[error(transparent)]
    Signature(SignatureError),
    /// The body: 413 when too large, 400 when it does not match the type.
    #[error(transparent)]
    Arguments(ArgumentsError),
    /// The body could not be read (the connection failed mid-body): 400.
    #[error("the request body could not be read")]
    UnreadableBody,
}

impl ToolCallRejection {
    /// The status it is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Signature(_) => StatusCode::UNAUTHORIZED,
            Self::Arguments(ArgumentsError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Arguments(_) | Self::UnreadableBody => StatusCode::BAD_REQUEST,
        }
    }

    /// The `error` code of its JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Signature(SignatureError::Missing) => "missing_signature",
            Self::Signature(SignatureError::Expired { .. }) => "expired_signature",
            Self::Signature(_) => "invalid_signature",
            Self::Arguments(ArgumentsError::TooLarge { .. }) => "arguments_too_large",
            Self::Arguments(_) => "invalid_arguments",
            Self::UnreadableBody => "unreadable_body",
        }
    }
}

impl IntoResponse for ToolCallRejection {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.code(), "message": self.to_string() });
        if let Self::Arguments(ArgumentsError::Invalid { path, .. }) = &self {
            body["path"] = path.as_str().into();
        }
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
        if let Self::Signature(_) = self {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("SignedURL"),
            );
        }
        response
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (
            [(header::CONTENT_TYPE, "application/json")],
            self.into_string(),
        )
            .into_response()
    }
}
