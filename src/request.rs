//! [`Request`]: one call to a generated operation, sent with the crate's error mapping.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use crate::raw::{self, ResponseValue};
use crate::{Error, Result};

/// Bytes of an error response body read at most (the rest is not needed for the message).
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// A generated operation builder. Implemented by the pipeline for every generated operation.
pub trait Operation: Sized + Send {
    /// The decoded success body.
    type Output: serde::de::DeserializeOwned + Send;
    /// The spec's `operationId`.
    const ID: &'static str;
    /// Sends the request through the generated client.
    fn send(
        self,
    ) -> impl Future<Output = std::result::Result<ResponseValue<Self::Output>, raw::Error<()>>> + Send;
}

/// One call, ready to send: `.await` it (or call [`send`](Request::send)) for the decoded
/// body; [`with`](Request::with) sets optional parameters on the generated builder first.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) -> anam::Result<()> {
/// let page = anam.sessions().list().with(|b| b.search("support")).await?;
/// # Ok(())
/// # }
/// ```
///
/// `'a` is the borrow of the [`Client`](crate::Client) the request was made from.
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct Request<'a, B> {
    builder: Result<B>,
    client: PhantomData<&'a ()>,
}

impl<'a, B: Operation + 'a> Request<'a, B> {
    pub(crate) fn new(builder: B) -> Self {
        Self::from_result(Ok(builder))
    }

    pub(crate) fn from_result(builder: Result<B>) -> Self {
        Self {
            builder,
            client: PhantomData,
        }
    }

    /// The generated builder, or the error that stopped it from being made.
    pub(crate) fn into_builder(self) -> Result<B> {
        self.builder
    }

    /// Adjusts the generated builder (optional query parameters, body fields).
    pub fn with(self, configure: impl FnOnce(B) -> B) -> Self {
        Self::from_result(self.builder.map(configure))
    }

    /// Sends the request and returns the decoded body.
    pub async fn send(self) -> Result<B::Output> {
        self.send_with_response()
            .await
            .map(ResponseValue::into_inner)
    }

    /// Sends the request and returns the decoded body with the response's status and headers.
    pub async fn send_with_response(self) -> Result<ResponseValue<B::Output>> {
        match self.builder?.send().await {
            Ok(response) => Ok(response),
            Err(error) => Err(from_generated::<B::Output>(B::ID, error).await),
        }
    }
}

impl<'a, B: Operation + 'a> IntoFuture for Request<'a, B> {
    type Output = Result<B::Output>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Maps a generated client's error to [`Error`]; a non-2xx response's body is read (bounded)
/// for the server's message.
pub(crate) async fn from_generated<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    error: raw::Error<()>,
) -> Error {
    match error {
        raw::Error::InvalidRequest(message) | raw::Error::Custom(message) => {
            Error::InvalidInput(format!("{operation}: {message}"))
        }
        raw::Error::CommunicationError(source)
        | raw::Error::ResponseBodyError(source)
        | raw::Error::InvalidUpgrade(source) => Error::transport(operation, source),
        raw::Error::InvalidResponsePayload(bytes, _) => Error::decode::<T>(operation, None, &bytes),
        raw::Error::ErrorResponse(response) => {
            Error::from_response_parts(operation, response.status(), response.headers(), &[])
        }
        raw::Error::UnexpectedResponse(response) => from_response(operation, response).await,
    }
}

/// The error for a non-2xx response, reading at most [`ERROR_BODY_LIMIT`] bytes of its body.
pub(crate) async fn from_response(
    operation: &'static str,
    mut response: reqwest::Response,
) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    Error::from_response_parts(operation, status, &headers, &body)
}
