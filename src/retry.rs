//! Retry policy and classification: which failures are retried, and how long to wait.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use crate::rate_limit::{LimitKind, RateLimit};

/// When and how often a failed request is sent again.
///
/// - Idempotent methods (GET, PUT, DELETE, HEAD, OPTIONS) are retried on connect errors,
///   timeouts, 408, 502, 503 and 504.
/// - A 429 that is a request-rate limit ([`LimitKind::RateLimit`](crate::LimitKind)) is
///   retried for every method, POST included: the server refused it without acting on it. A
///   spend cap, a usage limit or the concurrent-session limit is never retried.
/// - Other methods (POST) are otherwise retried only when the request never reached the
///   server (connection refused, DNS failure).
///
/// Waits use exponential backoff with full jitter, except that the server's word wins:
/// `Retry-After` (seconds or HTTP date), else the reset of an exhausted rate-limit window. No
/// retry starts once [`budget`](Self::budget) would be exceeded.
///
/// ```
/// use std::time::Duration;
/// let policy = anam::RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(100))
///     .max_delay(Duration::from_secs(2))
///     .budget(Duration::from_secs(10));
/// assert_eq!(policy.max_attempts, 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubled for each later one.
    pub base_delay: Duration,
    /// Longest single backoff wait.
    pub max_delay: Duration,
    /// Total time, from the first attempt, after which no retry is started.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 250 ms base delay, 8 s maximum wait, 30 s budget.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            budget: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    ///
    /// ```
    /// let anam = anam::Client::builder()
    ///     .api_key("your-api-key")
    ///     .retry_policy(anam::RetryPolicy::none())
    ///     .build()?;
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1). Example on [`RetryPolicy`].
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before the first retry; doubled for each later one. Example on [`RetryPolicy`].
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Longest single backoff wait. Example on [`RetryPolicy`].
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Total time, from the first attempt, after which no retry is started. Example on
    /// [`RetryPolicy`].
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The backoff before retry number `retry` (1 for the first retry): a uniformly random
    /// duration in `[0, min(max_delay, base_delay * 2^(retry-1))]` ("full jitter").
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let policy = anam::RetryPolicy::default(); // 250 ms base delay, 8 s at most
    /// assert!(policy.backoff(1) <= Duration::from_millis(250));
    /// assert!(policy.backoff(3) <= Duration::from_millis(1000));
    /// assert!(policy.backoff(10) <= Duration::from_secs(8));
    /// ```
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (nanos + 1))
    }
}

/// A random `u64` from the standard library's per-process hasher keys, stirred with a counter.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// Statuses worth retrying: 408, 429, 502, 503, 504.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::REQUEST_TIMEOUT
            | StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// True for methods that may be repeated without changing the outcome.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
    )
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// What a finished attempt means for the next one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Hand the result to the caller.
    Done,
    /// Try again after at least this long (`None`: use the backoff).
    Retry(Option<Duration>),
}

/// Classifies a response. `limit` is the kind of a 429 (read from its body by the caller).
pub(crate) fn classify_response(
    method: &Method,
    response: &reqwest::Response,
    limit: Option<LimitKind>,
) -> Verdict {
    let asked = || {
        retry_after(response.headers())
            .or_else(|| RateLimit::from_headers(response.headers()).wait())
    };
    match limit {
        Some(kind) if kind.is_retryable() => Verdict::Retry(asked()),
        Some(_) => Verdict::Done,
        None if is_retryable_status(response.status()) && is_idempotent(method) => {
            Verdict::Retry(asked())
        }
        None => Verdict::Done,
    }
}

/// Classifies a failure to get a response.
pub(crate) fn classify_failure(method: &Method, error: &reqwest::Error) -> Verdict {
    // A connect failure means the server never saw the request: safe for any method.
    let never_arrived = error.is_connect();
    // A timeout, or a failure to send or to read the body (a reset mid-body), repeats safely
    // only where the method is idempotent.
    let repeatable =
        (error.is_timeout() || error.is_request() || error.is_body() || error.is_decode())
            && is_idempotent(method);
    if never_arrived || repeatable {
        Verdict::Retry(None)
    } else {
        Verdict::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_by_the_exponential_ceiling() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(40) <= Duration::from_millis(350));
        }
        let spread: std::collections::BTreeSet<Duration> =
            (0..50).map(|_| policy.backoff(3)).collect();
        assert!(spread.len() > 10, "full jitter spreads the waits");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(120);
        headers.insert(RETRY_AFTER, httpdate::fmt_http_date(later).parse().unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(115) && wait <= Duration::from_secs(120));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_idempotent_methods_and_retryable_statuses_qualify() {
        assert!(is_idempotent(&Method::PUT) && !is_idempotent(&Method::POST));
        for status in [408, 429, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(status).unwrap()));
        }
        for status in [400, 401, 404, 500, 501] {
            assert!(!is_retryable_status(StatusCode::from_u16(status).unwrap()));
        }
        assert_eq!(RetryPolicy::none().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    }
}
