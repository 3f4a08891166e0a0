//! Sending one logical request: attempts, retries, waits and the span around each attempt.
//! Shared by the generated client (through its `exec` hook) and the hand-written uploads.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use reqwest::StatusCode;
use tracing::Instrument;

use crate::rate_gate::RateGate;
use crate::rate_limit::LimitKind;
use crate::retry::{RetryPolicy, Verdict, classify_failure, classify_response};
use crate::spec::Operation;

/// What every request of a client is sent with, held by its hooks' state: the retry policy,
/// the rate-limit pause the client and its clones share, and the limit on a success body.
#[derive(Clone, Debug)]
pub(crate) struct Sending {
    pub(crate) retry: RetryPolicy,
    pub(crate) gate: Arc<RateGate>,
    /// The largest success body read, in bytes.
    pub(crate) max_response_size: u64,
}

/// Bytes of an error response body read at most (the rest is not needed for the message).
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// What the transport learned about a call that progenitor's error value cannot carry: how
/// many attempts were made and the final status. Set by the `exec` hook inside the facade's
/// [`CALL`] scope (raw calls have none, and nothing is recorded).
#[derive(Debug, Default)]
pub(crate) struct CallRecord {
    attempts: std::cell::Cell<u32>,
    status: std::cell::Cell<Option<StatusCode>>,
}

tokio::task_local! {
    /// The record of the facade call being sent on this task.
    pub(crate) static CALL: CallRecord;
}

impl CallRecord {
    /// The attempts made and the final status, as recorded.
    pub(crate) fn recorded(&self) -> (u32, Option<StatusCode>) {
        (self.attempts.get(), self.status.get())
    }
}

/// Records the attempts and final status of the current facade call, if there is one.
pub(crate) fn record_attempts(attempts: u32, status: Option<StatusCode>) {
    let _ = CALL.try_with(|call| {
        call.attempts.set(attempts);
        call.status.set(status);
    });
}

/// How many attempts a response took, kept in its extensions for the error mapping.
#[derive(Clone, Copy, Debug)]
struct Attempts(u32);

/// The number of attempts that produced `response` (1 when it did not come through here).
pub(crate) fn attempts(response: &reqwest::Response) -> u32 {
    response.extensions().get::<Attempts>().map_or(1, |a| a.0)
}

/// Sends `request`, retrying as the client's policy allows and waiting out the client-wide
/// rate-limit pause before each attempt. `replay` returns a fresh copy of the request
/// for each retry, or `None` when the body cannot be sent again (then no retry happens).
///
/// Each attempt runs in an `anam.request` span with the operation id, method, path template
/// (`path`), attempt number, duration, and either the status or, when no response came, the
/// kind of failure (`error`: `timeout`, `connect`, `body`, `request`, `transport`). Neither
/// headers nor bodies are recorded.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep each argument twice in the future's state"
)]
pub(crate) fn send<'a>(
    http: &'a reqwest::Client,
    sending: &'a Sending,
    operation: Option<&'static Operation>,
    mut request: reqwest::Request,
    mut replay: impl FnMut() -> Option<reqwest::Request> + Send + 'a,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
    // A plain function around an `async move` block (not an `async fn`, which would keep each
    // argument twice in its state), with each attempt one future of its own under one span:
    // the whole call's future stays small, and it is moved into a box on every call.
    async move {
        let policy = &sending.retry;
        let started = Instant::now();
        let method = request.method().clone();
        let (id, path) = operation.map_or(("", ""), |op| (op.id, op.path));
        let mut attempt: u32 = 1;
        loop {
            let span = tracing::info_span!(
                "anam.request",
                operation = id,
                method = %method,
                path,
                attempt,
                status = tracing::field::Empty,
                error = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            // The attempt is timed only for a span something records.
            let timed = !span.is_disabled();
            let tried = one_attempt(http, sending, operation, request, timed)
                .instrument(span.clone())
                .await;
            let (outcome, verdict) = match tried.outcome {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    sending.gate.observe(&response, tried.limit, policy.budget);
                    let verdict = classify_response(&method, &response, tried.limit);
                    (Ok(response), verdict)
                }
                Err(error) => {
                    span.record("error", failure_kind(&error));
                    let verdict = classify_failure(&method, &error);
                    (Err(error), verdict)
                }
            };
            if let Some(started) = tried.started {
                span.record("duration_ms", started.elapsed().as_millis() as u64);
            }
            let retry = match verdict {
                Verdict::Retry(asked) if attempt < policy.max_attempts => {
                    let wait = asked.unwrap_or_else(|| policy.backoff(attempt));
                    // Only now is a copy of the request made; a body that cannot be replayed
                    // ends here.
                    (started.elapsed() + wait <= policy.budget)
                        .then(&mut replay)
                        .flatten()
                        .map(|next| (wait, next))
                }
                _ => None,
            };
            let Some((wait, next)) = retry else {
                record_attempts(attempt, outcome.as_ref().ok().map(|r| r.status()));
                return outcome.map(|mut response| {
                    // Absent means one attempt: the common case inserts nothing.
                    if attempt > 1 {
                        response.extensions_mut().insert(Attempts(attempt));
                    }
                    response
                });
            };
            span.in_scope(|| {
                tracing::debug!(
                    wait_ms = wait.as_millis() as u64,
                    "retrying after a retryable failure"
                )
            });
            // Reading the rest of a small error body lets the connection go back to the pool.
            if let Ok(mut response) = outcome {
                read_bounded(&mut response, ERROR_BODY_LIMIT).await;
            }
            tokio::time::sleep(wait).await;
            request = next;
            attempt += 1;
        }
    }
}

/// What one attempt came to.
struct Tried {
    /// The response (its success body read whole), or why none came.
    outcome: reqwest::Result<reqwest::Response>,
    /// For a 429, which limit it reports.
    limit: Option<LimitKind>,
    /// When the request went out (after any rate-limit pause), if the attempt was timed.
    started: Option<Instant>,
}

/// One attempt: waits out the client-wide pause, sends, and reads a success body (bounded)
/// or, for a 429, enough of its body to tell which limit it is. Reading the body here puts
/// a timeout or reset while reading it inside the attempt, so it is retried like one before
/// the headers.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep `request` twice in the future's state"
)]
fn one_attempt<'a>(
    http: &'a reqwest::Client,
    sending: &'a Sending,
    operation: Option<&'static Operation>,
    request: reqwest::Request,
    timed: bool,
) -> impl Future<Output = Tried> + Send + 'a {
    async move {
        sending.gate.wait().await;
        let started = timed.then(Instant::now);
        let (outcome, limit) = match http.execute(request).await {
            Ok(response) if response.status().is_success() => (
                read_success(response, sending.max_response_size).await,
                None,
            ),
            Ok(response) => {
                let (response, limit) = read_limit(operation, response).await;
                (Ok(response), limit)
            }
            Err(error) => (Err(error), None),
        };
        Tried {
            outcome,
            limit,
            started,
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

/// Reads a success body whole, at most `limit` bytes, and rebuilds the response around it.
/// A read error is returned as the attempt's error; a body past the limit becomes a body
/// that fails with [`TooLarge`] (memory never holds more than `limit` bytes of it).
async fn read_success(
    mut response: reqwest::Response,
    limit: u64,
) -> reqwest::Result<reqwest::Response> {
    let declared = response.content_length();
    let too_large = |response: &mut reqwest::Response| {
        let error = TooLarge { limit };
        let body = futures_util::stream::once(std::future::ready(Err::<Bytes, _>(error)));
        rebuild(response, reqwest::Body::wrap_stream(body))
    };
    if declared.is_some_and(|length| length > limit) {
        return Ok(too_large(&mut response));
    }
    // Most bodies arrive in one chunk: keep it as it came, copying only when there are more.
    let Some(first) = response.chunk().await? else {
        return Ok(rebuild(&mut response, reqwest::Body::from(Bytes::new())));
    };
    if first.len() as u64 > limit {
        return Ok(too_large(&mut response));
    }
    let Some(second) = response.chunk().await? else {
        return Ok(rebuild(&mut response, reqwest::Body::from(first)));
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
    Ok(rebuild(&mut response, reqwest::Body::from(body)))
}

/// A response with `response`'s status, version, headers and URL, and `body`.
fn rebuild(response: &mut reqwest::Response, body: reqwest::Body) -> reqwest::Response {
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

/// For a 429, reads the (bounded) body to tell which limit it is, and rebuilds the response
/// around the bytes read so the caller still sees status, headers and body.
async fn read_limit(
    operation: Option<&'static Operation>,
    mut response: reqwest::Response,
) -> (reqwest::Response, Option<LimitKind>) {
    if response.status() != StatusCode::TOO_MANY_REQUESTS {
        return (response, None);
    }
    let body = read_bounded(&mut response, ERROR_BODY_LIMIT).await;
    let limit = LimitKind::of(operation, response.headers(), &body);
    (
        rebuild(&mut response, reqwest::Body::from(body)),
        Some(limit),
    )
}

/// The span's word for a failed attempt.
fn failure_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() || error.is_decode() {
        "body"
    } else if error.is_request() {
        "request"
    } else {
        "transport"
    }
}

/// Reads at most `limit` bytes of a body (a read error ends it early).
pub(crate) async fn read_bounded(response: &mut reqwest::Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < limit {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limit - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    body
}
