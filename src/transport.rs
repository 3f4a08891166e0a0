//! Sending one logical request: attempts, retries, waits and the span around each attempt.
//! Shared by the generated client (through its `exec` hook) and the hand-written uploads.

use std::time::Instant;

use tracing::Instrument;

use crate::retry::{RetryPolicy, Verdict, classify};

/// Sends `request`, retrying as `policy` allows. `replay` returns a fresh copy of the request
/// for each retry, or `None` when the body cannot be sent again (then no retry happens).
///
/// Each attempt runs in an `anam.request` span with the operation id, method, path template
/// (`path`), attempt number, status and duration. Neither headers nor bodies are recorded.
pub(crate) async fn send(
    http: &reqwest::Client,
    policy: &RetryPolicy,
    operation: &'static str,
    path: &'static str,
    request: reqwest::Request,
    mut replay: impl FnMut() -> Option<reqwest::Request>,
) -> reqwest::Result<reqwest::Response> {
    let started = Instant::now();
    let method = request.method().clone();
    let mut request = request;
    let mut attempt: u32 = 1;
    loop {
        let span = tracing::info_span!(
            "anam.request",
            operation,
            method = %method,
            path,
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let attempt_started = Instant::now();
        let outcome = http.execute(request).instrument(span.clone()).await;
        span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
        match &outcome {
            Ok(response) => span.record("status", response.status().as_u16()),
            Err(_) => span.record("status", 0u16),
        };
        let Verdict::Retry(asked) = classify(&method, &outcome) else {
            return outcome;
        };
        if attempt >= policy.max_attempts {
            return outcome;
        }
        let wait = asked.unwrap_or_else(|| policy.backoff(attempt));
        if started.elapsed() + wait > policy.budget {
            return outcome;
        }
        // Only now is a copy of the request made; a body that cannot be replayed ends here.
        let Some(next) = replay() else {
            return outcome;
        };
        span.in_scope(|| {
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "retrying after a retryable failure"
            )
        });
        drop(outcome);
        tokio::time::sleep(wait).await;
        request = next;
        attempt += 1;
    }
}
