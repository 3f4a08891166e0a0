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
    /// Set by [`ClientBuilder::dry_run`](crate::ClientBuilder::dry_run): nothing is sent.
    pub(crate) dry_run: Option<crate::dry_run::DryRun>,
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
    /// True when the call wants the success body as received (`with_raw()`).
    keep: bool,
    /// The final success response's headers and body, when `keep` is set. Boxed: the record
    /// is part of every call's future, and only `with_raw()` calls keep anything.
    kept: std::cell::RefCell<Option<Box<(reqwest::header::HeaderMap, Bytes)>>>,
    /// The success body the transport read for this call's request, until the code decoding
    /// it takes it ([`crate::success`]). A call sends one request at a time, and the body is
    /// taken in the same poll that read its end.
    read: std::cell::RefCell<Option<Bytes>>,
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

    /// A record that also keeps the success body and headers as received.
    pub(crate) fn keeping() -> Self {
        Self {
            keep: true,
            ..Self::default()
        }
    }

    /// The kept headers and body of the final success response, if any was kept.
    pub(crate) fn take_kept(&self) -> Option<(reqwest::header::HeaderMap, Bytes)> {
        self.kept.borrow_mut().take().map(|kept| *kept)
    }
}

/// Hands `body` on to the code that decodes it, through the current call's record; gives it
/// back when there is no call (a `raw()` request, or the transport used on its own).
pub(crate) fn hand_on(body: Bytes) -> Option<Bytes> {
    let mut body = Some(body);
    let _ = CALL.try_with(|call| *call.read.borrow_mut() = body.take());
    body
}

/// The success body the transport handed on for the current call's request, if it did.
pub(crate) fn take_handed_on() -> Option<Bytes> {
    CALL.try_with(|call| call.read.borrow_mut().take())
        .ok()
        .flatten()
}

/// Keeps `body` (a shared handle, no copy) and `headers` in the current call's record when it
/// asked for them; a later attempt's success replaces an earlier one's.
pub(crate) fn keep(headers: &reqwest::header::HeaderMap, body: &Bytes) {
    let _ = CALL.try_with(|call| {
        if call.keep {
            *call.kept.borrow_mut() = Some(Box::new((headers.clone(), body.clone())));
        }
    });
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
/// (`path`), attempt number, duration, and either the status (and the server's request id,
/// `request_id`, when it sent one) or, when no response came, the kind of failure (`error`:
/// `timeout`, `connect`, `body`, `request`, `transport`); a `debug` event in it gives the
/// whole URL (`url`). Neither headers nor bodies are recorded. A client built with
/// [`ClientBuilder::dry_run`](crate::ClientBuilder::dry_run) sends nothing.
#[allow(
    clippy::manual_async_fn,
    reason = "an `async fn` would keep each argument twice in the future's state"
)]
pub(crate) fn send<'a>(
    http: &'a reqwest::Client,
    sending: &'a Sending,
    operation: Option<&'static Operation>,
    request: reqwest::Request,
    mut replay: impl FnMut() -> Option<reqwest::Request> + Send + 'a,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
    // A plain function around an `async move` block (not an `async fn`, which would keep each
    // argument twice in its state), with each attempt one future of its own under one span.
    // The first attempt is nearly always the whole call: retries (draining an error body,
    // the backoff, the next attempt) run in a boxed future of their own, made only when one
    // is due, so their state does not widen this one. Every layer of the call's future is
    // copied when it is made and again into its parent (and the whole into a box), so its
    // size is paid on every call, not only when retrying (docs/MAINTAINERS.md, Performance).
    async move {
        if let Some(dry_run) = &sending.dry_run {
            return Ok(crate::dry_run::answer(dry_run, operation, &request));
        }
        let started = Instant::now();
        let method = request.method().clone();
        let span = attempt_span(operation, &method, 1);
        // The whole URL (its query may hold search text) only at the debug level.
        span.in_scope(|| tracing::debug!(url = %request.url(), "sending"));
        // A span nobody listens to is not entered: the attempt's future is awaited as it is,
        // not moved into an `Instrumented` first.
        let tried = if span.is_disabled() {
            one_attempt(http, sending, operation, request, false).await
        } else {
            one_attempt(http, sending, operation, request, true)
                .instrument(span.clone())
                .await
        };
        let (outcome, verdict) = conclude(sending, &method, &span, tried);
        match next_attempt(&sending.retry, started, 1, verdict, &mut replay) {
            None => finish(outcome, 1),
            Some((wait, next)) => {
                let retrying = Retrying {
                    method,
                    started,
                    span,
                    outcome,
                    wait,
                    next,
                };
                Box::pin(retries(http, sending, operation, replay, retrying)).await
            }
        }
    }
}

/// Where a call stands when a retry is due: the previous attempt's span and outcome, the
/// wait before the next attempt and its request.
struct Retrying {
    method: reqwest::Method,
    /// When the first attempt started (the retry budget counts from it).
    started: Instant,
    span: tracing::Span,
    outcome: reqwest::Result<reqwest::Response>,
    wait: std::time::Duration,
    next: reqwest::Request,
}

/// The attempts after the first, as many as the policy allows. Boxed by its caller and made
/// only when a retry is due, so its size costs nothing on the common path.
#[allow(
    clippy::manual_async_fn,
    reason = "kept like `send`, whose future it continues; an `async fn` would keep `retrying` twice"
)]
fn retries<'a>(
    http: &'a reqwest::Client,
    sending: &'a Sending,
    operation: Option<&'static Operation>,
    mut replay: impl FnMut() -> Option<reqwest::Request> + Send + 'a,
    retrying: Retrying,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a {
    async move {
        let Retrying {
            method,
            started,
            mut span,
            mut outcome,
            mut wait,
            next: mut request,
        } = retrying;
        let mut attempt: u32 = 1;
        loop {
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
            attempt += 1;
            span = attempt_span(operation, &method, attempt);
            span.in_scope(|| tracing::debug!(url = %request.url(), "sending"));
            let tried = one_attempt(http, sending, operation, request, !span.is_disabled())
                .instrument(span.clone())
                .await;
            let verdict;
            (outcome, verdict) = conclude(sending, &method, &span, tried);
            match next_attempt(&sending.retry, started, attempt, verdict, &mut replay) {
                None => return finish(outcome, attempt),
                Some((next_wait, next)) => {
                    wait = next_wait;
                    request = next;
                }
            }
        }
    }
}

/// The span of attempt number `attempt`.
fn attempt_span(
    operation: Option<&'static Operation>,
    method: &reqwest::Method,
    attempt: u32,
) -> tracing::Span {
    let (id, path) = operation.map_or(("", ""), |op| (op.id, op.path));
    tracing::info_span!(
        "anam.request",
        operation = id,
        method = %method,
        path,
        attempt,
        status = tracing::field::Empty,
        error = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        request_id = tracing::field::Empty,
    )
}

/// An attempt's outcome and what it means for the next: records the status or the kind of
/// failure (and, if timed, the duration) in its span, and tells the rate-limit gate.
fn conclude(
    sending: &Sending,
    method: &reqwest::Method,
    span: &tracing::Span,
    tried: Tried,
) -> (reqwest::Result<reqwest::Response>, Verdict) {
    let (outcome, verdict) = match tried.outcome {
        Ok(response) => {
            span.record("status", response.status().as_u16());
            // Looked up only for a span someone listens to (recording into a disabled one
            // does nothing, but the lookup would still run on every call).
            if !span.is_disabled()
                && let Some(id) = crate::error::request_id(response.headers())
            {
                span.record("request_id", id);
            }
            sending
                .gate
                .observe(&response, tried.limit, sending.retry.budget);
            let verdict = classify_response(method, &response, tried.limit);
            (Ok(response), verdict)
        }
        Err(error) => {
            span.record("error", failure_kind(&error));
            let verdict = classify_failure(method, &error);
            (Err(error), verdict)
        }
    };
    if let Some(started) = tried.started {
        span.record("duration_ms", started.elapsed().as_millis() as u64);
    }
    (outcome, verdict)
}

/// The wait and the request of the next attempt, if `verdict` asks for one and the policy
/// allows it (attempts left, the wait within the budget, a request that can be sent again).
fn next_attempt(
    policy: &RetryPolicy,
    started: Instant,
    attempt: u32,
    verdict: Verdict,
    replay: &mut impl FnMut() -> Option<reqwest::Request>,
) -> Option<(std::time::Duration, reqwest::Request)> {
    match verdict {
        Verdict::Retry(asked) if attempt < policy.max_attempts => {
            let wait = asked.unwrap_or_else(|| policy.backoff(attempt));
            // Only now is a copy of the request made; a body that cannot be replayed ends
            // here.
            (started.elapsed() + wait <= policy.budget)
                .then(replay)
                .flatten()
                .map(|next| (wait, next))
        }
        _ => None,
    }
}

/// The call's result after its last attempt, recorded in the call's record.
fn finish(
    outcome: reqwest::Result<reqwest::Response>,
    attempt: u32,
) -> reqwest::Result<reqwest::Response> {
    record_attempts(attempt, outcome.as_ref().ok().map(|r| r.status()));
    outcome.map(|mut response| {
        // Absent means one attempt: the common case inserts nothing.
        if attempt > 1 {
            response.extensions_mut().insert(Attempts(attempt));
        }
        response
    })
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
        // The response is matched out of the result before anything else is awaited: a
        // value still being matched (a `match` guard, a binding) keeps its slot in the
        // future's state while the body is read.
        let response = match http.execute(request).await {
            Ok(response) => response,
            Err(error) => {
                return Tried {
                    outcome: Err(error),
                    limit: None,
                    started,
                };
            }
        };
        let status = response.status();
        let (outcome, limit) = if status.is_success() {
            (
                crate::success::read(response, sending.max_response_size).await,
                None,
            )
        } else if status == StatusCode::TOO_MANY_REQUESTS {
            // Rare: boxed, so its state does not widen every attempt's.
            let (response, limit) = Box::pin(read_limit(operation, response)).await;
            (Ok(response), limit)
        } else {
            (Ok(response), None)
        };
        Tried {
            outcome,
            limit,
            started,
        }
    }
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
        crate::success::rebuild(&mut response, reqwest::Body::from(body)),
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
