//! Anam's rate-limit headers as data, and which kind of limit a `429` reports.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};

/// The six header names, built at compile time: a lookup by `HeaderName` hashes it directly,
/// where a lookup by `&str` would parse and validate the name on every response.
pub(crate) mod names {
    use super::HeaderName;

    pub(crate) const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
    pub(crate) const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
    pub(crate) const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");
    pub(crate) const ORG_HOUR_LIMIT: HeaderName =
        HeaderName::from_static("x-ratelimit-org-hour-limit");
    pub(crate) const ORG_HOUR_REMAINING: HeaderName =
        HeaderName::from_static("x-ratelimit-org-hour-remaining");
    pub(crate) const ORG_HOUR_RESET: HeaderName =
        HeaderName::from_static("x-ratelimit-org-hour-reset");
}

/// The rate-limit headers of one response; a header the server did not send is `None`.
///
/// Anam sends `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (the most
/// constrained active window for this requester) and `X-RateLimit-Org-Hour-Limit`,
/// `-Remaining` and `-Reset` (the organisation's hourly window). A reset is the time left
/// until the window starts again, not a point in time.
///
/// ```
/// # use reqwest::header::HeaderMap;
/// let mut headers = HeaderMap::new();
/// headers.insert("ratelimit-remaining", "0".parse().unwrap());
/// headers.insert("ratelimit-reset", "12".parse().unwrap());
/// let limit = anam::RateLimit::from_headers(&headers);
/// assert_eq!(limit.remaining, Some(0));
/// assert_eq!(limit.wait(), Some(std::time::Duration::from_secs(12)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `RateLimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `RateLimit-Reset`: time until the window resets.
    pub reset: Option<Duration>,
    /// `X-RateLimit-Org-Hour-Limit`: the organisation's requests per hour.
    pub org_hour_limit: Option<u64>,
    /// `X-RateLimit-Org-Hour-Remaining`: what is left of them this hour.
    pub org_hour_remaining: Option<u64>,
    /// `X-RateLimit-Org-Hour-Reset`: time until the hourly window resets.
    pub org_hour_reset: Option<Duration>,
}

impl RateLimit {
    /// Reads the six headers; malformed values count as absent. Example on [`RateLimit`].
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: HeaderName| leading_number(headers.get(name)?.to_str().ok()?);
        let seconds = |name: HeaderName| number(name).map(Duration::from_secs);
        Self {
            limit: number(names::LIMIT),
            remaining: number(names::REMAINING),
            reset: seconds(names::RESET),
            org_hour_limit: number(names::ORG_HOUR_LIMIT),
            org_hour_remaining: number(names::ORG_HOUR_REMAINING),
            org_hour_reset: seconds(names::ORG_HOUR_RESET),
        }
    }

    /// True when the server sent none of the headers.
    ///
    /// ```
    /// let limit = anam::RateLimit::from_headers(&reqwest::header::HeaderMap::new());
    /// assert!(limit.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// True when a window has no requests left.
    ///
    /// The client itself pauses its requests while `RateLimit-Remaining` is 0; this is for a
    /// caller that wants to know.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let response = anam.sessions().list().with_response().await?;
    /// let limit = response.rate_limit();
    /// if limit.is_exhausted() {
    ///     println!("no requests left; the window resets in {:?}", limit.wait());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0) || self.org_hour_remaining == Some(0)
    }

    /// How long until every exhausted window has reset (`None` when none is exhausted, or an
    /// exhausted one gives no reset). Example on [`RateLimit`].
    pub fn wait(&self) -> Option<Duration> {
        let window = |remaining: Option<u64>, reset: Option<Duration>| match remaining {
            Some(0) => Some(reset),
            _ => None,
        };
        let exhausted: Vec<Option<Duration>> = [
            window(self.remaining, self.reset),
            window(self.org_hour_remaining, self.org_hour_reset),
        ]
        .into_iter()
        .flatten()
        .collect();
        if exhausted.is_empty() {
            return None;
        }
        exhausted
            .into_iter()
            .try_fold(Duration::ZERO, |longest, reset| Some(longest.max(reset?)))
    }
}

/// The integer a header value starts with: `"10"`, `"10, 10;w=60"` (the IETF draft's list
/// form) and `"4.2"` (rounded up) all give a number.
fn leading_number(value: &str) -> Option<u64> {
    let value = value.trim();
    let end = value
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(value.len());
    let number = &value[..end];
    match number.split_once('.') {
        None => number.parse().ok(),
        Some((whole, fraction)) => {
            let whole: u64 = if whole.is_empty() {
                0
            } else {
                whole.parse().ok()?
            };
            let up = fraction.bytes().any(|b| b != b'0');
            Some(whole + u64::from(up))
        }
    }
}

/// What a `429 Too Many Requests` means.
///
/// Read the way Anam's own Python and JavaScript SDKs read it: the JSON body's `error` field
/// names a concurrent-session limit, a spend cap or a usage limit; otherwise rate-limit headers or
/// `Retry-After` mark a request-rate limit; any other 429 on an operation that starts a
/// session is a usage limit, and on any other operation a request-rate limit.
///
/// ```
/// use anam::LimitKind;
///
/// # fn log(error: &anam::Error) {
/// match error.limit() {
///     Some(LimitKind::SpendCap) => eprintln!("raise the spend cap"),
///     Some(LimitKind::ConcurrentSessions) => eprintln!("wait for a session to end"),
///     Some(kind) => eprintln!("{kind}: {error}"),
///     None => eprintln!("{error}"),
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// Too many requests for now: waiting cures it, so it is retried within the
    /// [`RetryPolicy`](crate::RetryPolicy).
    RateLimit,
    /// `Concurrent session limit reached`: the organisation already runs as many sessions as
    /// its plan allows. Not retried: a slot frees only when a session ends.
    ConcurrentSessions,
    /// `Spend cap reached`: never retried.
    SpendCap,
    /// Any other limit on starting a session (a plan's usage allowance): never retried.
    UsageLimit,
}

impl LimitKind {
    /// True only for [`RateLimit`](Self::RateLimit), the one kind waiting cures.
    ///
    /// ```
    /// use anam::LimitKind;
    ///
    /// assert!(LimitKind::RateLimit.is_retryable());
    /// assert!(!LimitKind::SpendCap.is_retryable());
    /// ```
    pub fn is_retryable(self) -> bool {
        self == Self::RateLimit
    }

    /// Classifies a 429 of `operation` from its headers and (bounded) body.
    pub(crate) fn of(
        operation: Option<&crate::spec::Operation>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let reason = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|json| {
                ["error", "message"]
                    .iter()
                    .find_map(|key| json.get(key)?.as_str().map(str::to_ascii_lowercase))
            })
            .unwrap_or_default();
        if reason.contains("concurrent session limit") {
            Self::ConcurrentSessions
        } else if reason.contains("spend cap") {
            Self::SpendCap
        } else if reason.contains("usage limit") {
            Self::UsageLimit
        } else if !RateLimit::from_headers(headers).is_empty()
            || headers.contains_key(reqwest::header::RETRY_AFTER)
        {
            Self::RateLimit
        } else if operation.is_some_and(crate::spec::Operation::starts_session) {
            Self::UsageLimit
        } else {
            Self::RateLimit
        }
    }
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::RateLimit => "request rate limit",
            Self::ConcurrentSessions => "concurrent session limit",
            Self::SpendCap => "spend cap",
            Self::UsageLimit => "usage limit",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Operation;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn header_values_in_every_form_parse_and_junk_is_absent() {
        assert_eq!(leading_number("10"), Some(10));
        assert_eq!(leading_number(" 10, 10;w=60"), Some(10));
        assert_eq!(leading_number("4.2"), Some(5));
        assert_eq!(leading_number("4.0"), Some(4));
        assert_eq!(leading_number("soon"), None);
        assert_eq!(leading_number("-1"), None);
        let limit = RateLimit::from_headers(&headers(&[("ratelimit-limit", "many")]));
        assert!(limit.is_empty());
    }

    #[test]
    fn the_wait_covers_every_exhausted_window() {
        let limit = RateLimit::from_headers(&headers(&[
            ("ratelimit-remaining", "0"),
            ("ratelimit-reset", "5"),
            ("x-ratelimit-org-hour-remaining", "0"),
            ("x-ratelimit-org-hour-reset", "1800"),
        ]));
        assert_eq!(limit.wait(), Some(Duration::from_secs(1800)));
        let fresh = RateLimit::from_headers(&headers(&[("ratelimit-remaining", "3")]));
        assert!(!fresh.is_exhausted());
        assert_eq!(fresh.wait(), None);
        let no_reset = RateLimit::from_headers(&headers(&[("ratelimit-remaining", "0")]));
        assert_eq!(no_reset.wait(), None);
    }

    #[test]
    fn a_429_is_classified_by_body_then_headers_then_operation() {
        let none = HeaderMap::new();
        let engine = Some(Operation::CREATE_ENGINE_SESSION);
        let body = |error: &str| serde_json::json!({ "error": error }).to_string();
        let kind =
            |op, headers: &HeaderMap, body: &str| LimitKind::of(op, headers, body.as_bytes());
        assert_eq!(
            kind(engine, &none, &body("Concurrent session limit reached")),
            LimitKind::ConcurrentSessions
        );
        assert_eq!(
            kind(None, &none, &body("Spend cap reached")),
            LimitKind::SpendCap
        );
        assert_eq!(
            kind(None, &none, &body("Usage limit reached")),
            LimitKind::UsageLimit
        );
        assert_eq!(
            kind(engine, &none, &body("Quota exhausted")),
            LimitKind::UsageLimit
        );
        assert_eq!(kind(engine, &none, "<html>"), LimitKind::UsageLimit);
        let retry_after = headers(&[("retry-after", "3")]);
        assert_eq!(kind(engine, &retry_after, "{}"), LimitKind::RateLimit);
        let rate = headers(&[("ratelimit-remaining", "0")]);
        assert_eq!(kind(engine, &rate, ""), LimitKind::RateLimit);
        assert_eq!(
            kind(Some(Operation::LIST_SESSIONS), &none, &body("slow down")),
            LimitKind::RateLimit
        );
        assert!(LimitKind::RateLimit.is_retryable());
        assert!(!LimitKind::SpendCap.is_retryable() && !LimitKind::UsageLimit.is_retryable());
    }
}
