//! A dry run: the client describes each request it would send, and sends nothing
//! ([`ClientBuilder::dry_run`](crate::ClientBuilder::dry_run)).

use std::sync::Arc;

use bytes::Bytes;

/// A request the client was about to send when it was built with
/// [`ClientBuilder::dry_run`](crate::ClientBuilder::dry_run): what a person checking a command
/// needs to see. Headers are left out, so the key is never in it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PlannedRequest {
    /// `operationId` of the call (`None` for a request to a path outside the spec).
    pub operation: Option<&'static str>,
    /// `GET`, `POST`, …
    pub method: String,
    /// The whole URL, query included.
    pub url: String,
    /// The body as it would be sent; `None` without a body.
    pub body: Option<Bytes>,
    /// True for a body that is streamed (a multipart upload): `body` is then `None`.
    pub streamed: bool,
}

/// What a dry-running client calls for each request, instead of sending it.
#[derive(Clone)]
pub(crate) struct DryRun(pub(crate) Arc<dyn Fn(&PlannedRequest) + Send + Sync>);

impl std::fmt::Debug for DryRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DryRun")
    }
}

/// Marks the stand-in response of a request that was not sent, so the error mapping turns it
/// into [`Error::DryRun`](crate::Error::DryRun).
#[derive(Clone, Copy, Debug)]
pub(crate) struct NotSent;

/// Describes `request` to `dry_run`, and returns the stand-in response that ends the call with
/// [`Error::DryRun`](crate::Error::DryRun): an undocumented status (418), marked [`NotSent`].
pub(crate) fn answer(
    dry_run: &DryRun,
    operation: Option<&'static crate::spec::Operation>,
    request: &reqwest::Request,
) -> reqwest::Response {
    let body = request.body();
    let bytes = body.and_then(|b| b.as_bytes()).map(Bytes::copy_from_slice);
    let planned = PlannedRequest {
        operation: operation.map(|op| op.id),
        method: request.method().to_string(),
        url: request.url().to_string(),
        streamed: body.is_some() && bytes.is_none(),
        body: bytes,
    };
    (dry_run.0)(&planned);
    let mut response = http::Response::new(reqwest::Body::from(Bytes::new()));
    *response.status_mut() = http::StatusCode::IM_A_TEAPOT;
    response.extensions_mut().insert(NotSent);
    reqwest::Response::from(response)
}
