//! A success body, read once.
//!
//! The transport reads every success body whole before its attempt ends ([`read`]), so a
//! reset or a timeout while reading it is retried like one before the headers, and no more
//! than the client's limit is ever held. Inside a facade call the bytes are handed on through
//! the call's record ([`hand_on`](crate::transport::hand_on)) and the response goes on with
//! its body read to its end; the generated code decodes them from there ([`decode`], which
//! the pipeline's `success-body` rule calls in place of progenitor's
//! `ResponseValue::from_response`), and the crate's hand-written senders take them the same
//! way ([`body`]). So the body is read once and the response is not rebuilt around it. Outside
//! a facade call (a `raw()` request) the response is rebuilt around the bytes, as anyone
//! reading it expects.

use std::future::Future;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::raw::{Error, ResponseValue};
use crate::transport::{hand_on, take_handed_on};

/// A success response's body: the bytes the transport handed on, or the response's body.
pub(crate) async fn body(response: reqwest::Response) -> reqwest::Result<Bytes> {
    match take_handed_on() {
        Some(body) => Ok(body),
        None => response.bytes().await,
    }
}

/// A success response decoded as JSON into `T`, with its status and headers; what
/// progenitor's `ResponseValue::from_response` does, without reading the body a second time
/// or copying the headers. The pipeline's `success-body` rule calls it from every generated
/// `send()`, in the poll in which the transport handed the body on.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep `response` twice in the future's state"
)]
pub(crate) fn decode<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> + Send {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let handed_on = take_handed_on();
    async move {
        let body = match handed_on {
            Some(body) => body,
            None => response.bytes().await.map_err(Error::ResponseBodyError)?,
        };
        match serde_json::from_slice(&body) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(error) => Err(Error::InvalidResponsePayload(body, error)),
        }
    }
}

/// A success body larger than the client's limit: the response's body then fails with this
/// error, which the crate reports as [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
#[derive(Debug, thiserror::Error)]
#[error("the response body is larger than the client's limit of {limit} bytes")]
pub(crate) struct TooLarge {
    /// The limit in force.
    pub(crate) limit: u64,
}

/// Reads a success body whole, at most `limit` bytes, and hands it on ([`whole`]). A read
/// error is returned as the attempt's error; a body past the limit becomes a body that fails
/// with [`TooLarge`] (memory never holds more than `limit` bytes of it).
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep `response` twice in the future's state"
)]
pub(crate) fn read(
    mut response: reqwest::Response,
    limit: u64,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send {
    async move {
        let declared = response.content_length();
        let too_large = |response: &mut reqwest::Response| {
            // Nothing is handed on: the decoding reads this body, and fails with the error.
            let _ = take_handed_on();
            let error = TooLarge { limit };
            let body = futures_util::stream::once(std::future::ready(Err::<Bytes, _>(error)));
            rebuild(response, reqwest::Body::wrap_stream(body))
        };
        if declared.is_some_and(|length| length > limit) {
            return Ok(too_large(&mut response));
        }
        // Most bodies arrive in one chunk: keep it as it came, copying only when there are more.
        let Some(first) = response.chunk().await? else {
            return Ok(whole(response, Bytes::new()));
        };
        if first.len() as u64 > limit {
            return Ok(too_large(&mut response));
        }
        let Some(second) = response.chunk().await? else {
            return Ok(whole(response, first));
        };
        let capacity = usize::try_from(declared.unwrap_or(0).min(limit)).unwrap_or(0);
        let mut body = Vec::with_capacity(capacity.max(first.len() + second.len()));
        body.extend_from_slice(&first);
        let mut next = Some(second);
        while let Some(chunk) = next {
            if (body.len() + chunk.len()) as u64 > limit {
                return Ok(too_large(&mut response));
            }
            body.extend_from_slice(&chunk);
            next = response.chunk().await?;
        }
        Ok(whole(response, Bytes::from(body)))
    }
}

/// `response` with its whole success `body`, which the call keeps if it asked (`with_raw()`):
/// handed on through the call's record, or, outside a facade call, with the response rebuilt
/// around it.
fn whole(mut response: reqwest::Response, body: Bytes) -> reqwest::Response {
    crate::transport::keep(response.headers(), &body);
    match hand_on(body) {
        None => response,
        Some(body) => rebuild(&mut response, reqwest::Body::from(body)),
    }
}

/// A response with `response`'s status, version, headers and URL, and `body`.
pub(crate) fn rebuild(response: &mut reqwest::Response, body: reqwest::Body) -> reqwest::Response {
    use reqwest::ResponseBuilderExt;
    // The URL goes along as an extension; without it reqwest would parse a placeholder URL.
    let mut rebuilt = http::Response::builder()
        .url(response.url().clone())
        .body(body)
        .unwrap_or_else(|_| http::Response::new(reqwest::Body::from(Bytes::new())));
    *rebuilt.status_mut() = response.status();
    *rebuilt.version_mut() = response.version();
    *rebuilt.headers_mut() = std::mem::take(response.headers_mut());
    reqwest::Response::from(rebuilt)
}
