//! Sending a generated builder: `.await` it for the body, or
//! [`with_response`](crate::raw::builder::GetSessionTranscript::with_response) for the body
//! with its status, headers and rate limits.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;
use futures_util::FutureExt;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::raw::{self, ResponseValue};
use crate::transport::{CALL, CallRecord, ERROR_BODY_LIMIT, read_bounded};
use crate::{DecodeError, Error, RateLimit, Result};

/// The future a request builder becomes when awaited.
pub type ResponseFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// A generated operation builder. The pipeline implements it for every generated operation;
/// it is what lets the crate send any of them the same way.
pub trait Operation: Sized + Send {
    /// The decoded success body.
    type Output: serde::de::DeserializeOwned + Send;
    /// The spec's `operationId`.
    const ID: &'static str;
    /// Sends the request through the generated client (progenitor's own `send()`).
    fn send(
        self,
    ) -> impl Future<Output = std::result::Result<ResponseValue<Self::Output>, raw::Error<()>>> + Send;
}

/// A decoded success body with the response's status, headers and rate limits.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) -> anam::Result<()> {
/// let response = anam.sessions().list().per_page(10).with_response().await?;
/// if let Some(left) = response.rate_limit().remaining {
///     println!("{left} requests left in this window");
/// }
/// let page = response.into_body();
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status (some 2xx). Example on [`headers`](Self::headers).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every response header.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let response = anam.sessions().concurrency().with_response().await?;
    /// let request_id = response.headers().get("x-request-id");
    /// println!("HTTP {} (request id {request_id:?})", response.status());
    /// # Ok(())
    /// # }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers, parsed. Example on [`Response`].
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The decoded body. Example on [`Meetings`](crate::resources::Meetings).
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, by value. Example on [`Response`].
    pub fn into_body(self) -> T {
        self.body
    }
}

/// A success response as the server sent it: status, headers, the body's bytes, and the
/// body decoded into its type, or why it did not decode. A body that does not match the
/// spec is not an error here, so what the server answered (a created id) is never lost.
///
/// ```no_run
/// # async fn run(anam: &anam::Client, body: anam::types::CreatePersonaBody) -> anam::Result<()> {
/// let response = anam.personas().create(body).with_raw().await?;
/// // The JSON as sent: key order, nulls, empty lists and number text as the server wrote them.
/// println!("{}", String::from_utf8_lossy(response.body()));
/// match response.decoded() {
///     Ok(persona) => println!("created {:?}", persona.id),
///     Err(e) => eprintln!("created, but the answer is off-spec at `{}`: {}", e.path, e.reason),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct RawResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    rate_limit: RateLimit,
    body: Bytes,
    decoded: std::result::Result<T, Box<DecodeError>>,
}

impl<T> RawResponse<T> {
    /// A response of a hand-written sender ([`Client::raw_json`](crate::Client::raw_json)).
    pub(crate) fn new(
        status: StatusCode,
        rate_limit: RateLimit,
        headers: HeaderMap,
        body: Bytes,
        decoded: std::result::Result<T, Box<DecodeError>>,
    ) -> Self {
        Self {
            status,
            headers,
            rate_limit,
            body,
            decoded,
        }
    }

    /// The HTTP status (some 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers, parsed.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.rate_limit
    }

    /// The body's bytes exactly as received (empty for an operation without a body). At most
    /// the client's [`max_response_size`](crate::ClientBuilder::max_response_size).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body's bytes as shared [`Bytes`] (no copy).
    pub fn body_bytes(&self) -> Bytes {
        self.body.clone()
    }

    /// The body decoded into its type, or where and why it did not decode. Example on
    /// [`RawResponse`].
    pub fn decoded(&self) -> std::result::Result<&T, &DecodeError> {
        self.decoded.as_ref().map_err(|e| &**e)
    }

    /// The decoded body, or [`Error::Decode`] as `.await` would have failed.
    pub fn into_result(self) -> Result<T> {
        self.decoded.map_err(Error::Decode)
    }

    /// The body's bytes and the decode result, by value.
    pub fn into_parts(self) -> (Bytes, std::result::Result<T, Box<DecodeError>>) {
        (self.body, self.decoded)
    }
}

/// The future behind `.await` on a builder: the decoded body.
pub(crate) fn body<'a, B: Operation + 'a>(builder: B) -> ResponseFuture<'a, B::Output> {
    call(builder, ResponseValue::into_inner)
}

/// The future behind `with_response()`: the body with status, headers and rate limits.
pub(crate) fn response<'a, B: Operation + 'a>(
    builder: B,
) -> ResponseFuture<'a, Response<B::Output>> {
    call(builder, |response| {
        let status = response.status();
        let headers = response.headers().clone();
        Response {
            status,
            rate_limit: RateLimit::from_headers(&headers),
            headers,
            body: response.into_inner(),
        }
    })
}

/// The future behind `with_raw()`: the body as received, with its decode (which may have
/// failed) and the status, headers and rate limits.
pub(crate) fn raw<'a, B: Operation + 'a>(builder: B) -> ResponseFuture<'a, RawResponse<B::Output>> {
    Box::pin(CALL.scope(CallRecord::keeping(), async move {
        // Every arm but the error's returns here, so nothing of the result is kept in the
        // future's state while the error is mapped (see `call`).
        let error = match builder.send().await {
            Ok(response) => {
                let kept = CALL.try_with(CallRecord::take_kept).ok().flatten();
                let status = response.status();
                let headers = response.headers().clone();
                let body = kept.map(|(_, body)| body).unwrap_or_default();
                return Ok(RawResponse {
                    status,
                    rate_limit: RateLimit::from_headers(&headers),
                    headers,
                    body,
                    decoded: Ok(response.into_inner()),
                });
            }
            Err(raw::Error::InvalidResponsePayload(body, error)) => {
                let kept = CALL.try_with(CallRecord::take_kept).ok().flatten();
                let status = CALL
                    .try_with(CallRecord::recorded)
                    .ok()
                    .and_then(|(_, status)| status)
                    .unwrap_or(StatusCode::OK);
                let headers = kept.map(|(headers, _)| headers).unwrap_or_default();
                let decoded = Err(DecodeError::new(B::ID, Some(status), &body, &error));
                return Ok(RawResponse {
                    status,
                    rate_limit: RateLimit::from_headers(&headers),
                    headers,
                    body,
                    decoded,
                });
            }
            Err(error) => error,
        };
        Err(failed::<B>(error).await)
    }))
}

// A call is one `async move` block (capturing only the small builder) inside its
// `CallRecord` scope: no `async fn` layers, which would keep each argument twice in the
// future's state, and no combinator layers, each of which moves the result once more. The
// whole future is moved into its box on every call, so its size matters. The error path is
// boxed: it is cold, and its futures would otherwise widen the hot one.

/// Sends `builder` in its own call scope; `success` makes the result of its response.
fn call<'a, B: Operation + 'a, T>(
    builder: B,
    success: impl FnOnce(ResponseValue<B::Output>) -> T + Send + 'a,
) -> ResponseFuture<'a, T> {
    Box::pin(CALL.scope(CallRecord::default(), async move {
        // Not `match … { Err(error) => Err(failed(error).await) }`: the matched result would
        // keep a slot in the future's state beside the request's future, for the error path.
        let error = match builder.send().await {
            Ok(response) => return Ok(success(response)),
            Err(error) => error,
        };
        Err(failed::<B>(error).await)
    }))
}

/// The crate's error for a failed call, completed with what the transport recorded of it
/// (attempts, final status). Runs inside the call's [`CALL`] scope.
fn failed<'a, B: Operation + 'a>(
    error: raw::Error<()>,
) -> Pin<Box<dyn Future<Output = Error> + Send + 'a>> {
    Box::pin(async move {
        let mut error = from_generated(B::ID, error).await;
        complete(&mut error);
        error
    })
}

/// Fills in the attempts and final status the transport recorded in the current call scope.
fn complete(error: &mut Error) {
    if let Ok((attempts, status)) = CALL.try_with(CallRecord::recorded) {
        error.set_call(attempts.max(1), status);
    }
}

/// Runs one facade call in its own [`CallRecord`] scope; an error it ends with is completed
/// with what the transport recorded (attempts, final status).
pub(crate) fn recorded<T>(
    call: impl Future<Output = Result<T>>,
) -> impl Future<Output = Result<T>> {
    CALL.scope(
        CallRecord::default(),
        call.map(|result| {
            result.map_err(|mut error| {
                complete(&mut error);
                error
            })
        }),
    )
}

/// Maps a generated client's error to [`Error`]; a non-2xx response's body is read (bounded)
/// for the server's message.
pub(crate) async fn from_generated(operation: &'static str, error: raw::Error<()>) -> Error {
    match error {
        raw::Error::InvalidRequest(message) | raw::Error::Custom(message) => {
            Error::InvalidInput(format!("{operation}: {}", readable_conversion(&message)))
        }
        raw::Error::ResponseBodyError(source) => body_error(operation, source),
        raw::Error::CommunicationError(source) | raw::Error::InvalidUpgrade(source) => {
            Error::transport(operation, source)
        }
        raw::Error::InvalidResponsePayload(bytes, error) => {
            Error::decode(operation, None, &bytes, &error)
        }
        raw::Error::ErrorResponse(response) => {
            Error::from_response_parts(operation, response.status(), response.headers(), &[], 1)
        }
        raw::Error::UnexpectedResponse(response) => from_response(operation, response).await,
    }
}

/// The error for a failure reading a success body: [`Error::ResponseTooLarge`] when the
/// transport cut it at the client's limit, else a transport error.
pub(crate) fn body_error(operation: &'static str, source: reqwest::Error) -> Error {
    match too_large(&source) {
        Some(limit) => Error::ResponseTooLarge { operation, limit },
        None => Error::transport(operation, source),
    }
}

/// The limit a body exceeded, if `error` (or a cause of it) is the transport's [`TooLarge`].
///
/// [`TooLarge`]: crate::success::TooLarge
fn too_large(error: &(dyn std::error::Error + 'static)) -> Option<u64> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(found) = current.downcast_ref::<crate::success::TooLarge>() {
            return Some(found.limit);
        }
        cause = current.source();
    }
    None
}

/// Progenitor's "conversion to `:: uuid :: Uuid` for id failed" as "parameter `id` is not a
/// valid Uuid"; any other message unchanged.
fn readable_conversion(message: &str) -> String {
    let parsed = message
        .strip_prefix("conversion to `")
        .and_then(|rest| rest.split_once("` for "))
        .and_then(|(ty, rest)| Some((ty, rest.split_once(" failed")?)));
    match parsed {
        Some((ty, (name, detail))) => {
            let ty = ty.rsplit("::").next().unwrap_or(ty).trim();
            let detail = detail.trim_start_matches(':').trim();
            if detail.is_empty() {
                format!("parameter `{name}` is not a valid {ty}")
            } else {
                format!("parameter `{name}` is not a valid {ty}: {detail}")
            }
        }
        None => message.to_string(),
    }
}

/// The error for a non-2xx response, reading at most [`ERROR_BODY_LIMIT`] bytes of its body.
pub(crate) async fn from_response(
    operation: &'static str,
    mut response: reqwest::Response,
) -> Error {
    if response
        .extensions()
        .get::<crate::dry_run::NotSent>()
        .is_some()
    {
        return Error::DryRun { operation };
    }
    let status = response.status();
    let attempts = crate::transport::attempts(&response);
    let headers = std::mem::take(response.headers_mut());
    let body = read_bounded(&mut response, ERROR_BODY_LIMIT).await;
    Error::from_response_parts(operation, status, &headers, &body, attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_failures_name_the_parameter() {
        assert_eq!(
            readable_conversion("conversion to `:: uuid :: Uuid` for id failed"),
            "parameter `id` is not a valid Uuid"
        );
        assert_eq!(
            readable_conversion(
                "conversion to `CreateSessionTokenBody` for body failed: no value supplied for personaConfig"
            ),
            "parameter `body` is not a valid CreateSessionTokenBody: no value supplied for personaConfig"
        );
        assert_eq!(readable_conversion("something else"), "something else");
    }
}
