//! One pause for every request a [`Client`](crate::Client) sends: when a response says the
//! rate limit is exhausted (`RateLimit-Remaining: 0`) or a request-rate 429 arrives, every
//! request of that client (and of its clones) waits for the window to reset, instead of each
//! task finding out for itself with a 429 of its own.

use std::sync::Mutex;
use std::time::Duration;

// tokio's clock, not std's: the same in production, and a test with paused time sees the
// gate open when its clock passes the reset instead of spinning until real time does.
use tokio::time::Instant;

use reqwest::StatusCode;

use crate::rate_limit::{LimitKind, RateLimit, names};

/// The shared pause; cheap to consult when open.
#[derive(Debug, Default)]
pub(crate) struct RateGate {
    closed_until: Mutex<Option<Instant>>,
}

impl RateGate {
    /// Waits until the gate is open.
    pub(crate) async fn wait(&self) {
        loop {
            let until = *self.closed_until.lock().unwrap_or_else(|e| e.into_inner());
            match until {
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until).await;
                }
                _ => return,
            }
        }
    }

    /// Closes the gate for what `response` asks, at most `longest`: the reset of an
    /// exhausted window, or for a request-rate 429 its `Retry-After` (else the reset).
    pub(crate) fn observe(
        &self,
        response: &reqwest::Response,
        limit: Option<LimitKind>,
        longest: Duration,
    ) {
        let headers = response.headers();
        let is_429 = response.status() == StatusCode::TOO_MANY_REQUESTS;
        // The common case, a response with quota left, costs two header lookups.
        let exhausted = [names::REMAINING, names::ORG_HOUR_REMAINING]
            .into_iter()
            .any(|name| {
                headers
                    .get(name)
                    .is_some_and(|v| v.as_bytes().trim_ascii() == b"0")
            });
        if !is_429 && !exhausted {
            return;
        }
        let rate_limit = RateLimit::from_headers(headers);
        let pause = if is_429 {
            match limit {
                Some(LimitKind::RateLimit) => {
                    crate::retry::retry_after(response.headers()).or_else(|| rate_limit.wait())
                }
                _ => None,
            }
        } else if rate_limit.is_exhausted() {
            rate_limit.wait()
        } else {
            None
        };
        let Some(pause) = pause.filter(|p| !p.is_zero()) else {
            return;
        };
        let until = Instant::now() + pause.min(longest);
        let mut closed = self.closed_until.lock().unwrap_or_else(|e| e.into_inner());
        if closed.is_none_or(|current| current < until) {
            *closed = Some(until);
        }
        tracing::debug!(
            pause_ms = pause.min(longest).as_millis() as u64,
            "rate limit reached: pausing every request of this client"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        reqwest::Response::from(builder.body(Vec::<u8>::new()).unwrap())
    }

    #[tokio::test(start_paused = true)]
    async fn an_exhausted_window_closes_the_gate_until_its_reset() {
        let gate = RateGate::default();
        let exhausted = response(
            200,
            &[("ratelimit-remaining", "0"), ("ratelimit-reset", "2")],
        );
        gate.observe(&exhausted, None, Duration::from_secs(30));
        let started = tokio::time::Instant::now();
        gate.wait().await;
        assert!(started.elapsed() >= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_spend_cap_or_a_fresh_window_leaves_it_open_and_pauses_are_capped() {
        let gate = RateGate::default();
        let capped = response(429, &[("retry-after", "60")]);
        gate.observe(&capped, Some(LimitKind::SpendCap), Duration::from_secs(30));
        let fresh = response(
            200,
            &[("ratelimit-remaining", "5"), ("ratelimit-reset", "9")],
        );
        gate.observe(&fresh, None, Duration::from_secs(30));
        let started = tokio::time::Instant::now();
        gate.wait().await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        let storm = response(429, &[("retry-after", "3600")]);
        gate.observe(&storm, Some(LimitKind::RateLimit), Duration::from_secs(5));
        gate.wait().await;
        assert!(started.elapsed() >= Duration::from_secs(5));
        assert!(started.elapsed() < Duration::from_secs(6));
    }
}
