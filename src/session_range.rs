//! Sessions started in a time range ([`SessionRange`], `ListSessions::started_in`).

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt, TryStreamExt};

use crate::pagination::RawItem;
use crate::raw::builder::ListSessions;
use crate::types::Session;

/// Start times `[since, until)`: at or after `since`, before `until`; either end may be
/// open. A session's start is its `startTime`, else its `createdAt`.
///
/// For the sessions started in a time range: the list has no date filter, but it comes newest
/// first, so the first session that started before the range ends the walk and no further page
/// is fetched.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) -> anam::Result<()> {
/// use anam::SessionRange;
/// use futures_util::TryStreamExt;
///
/// let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
/// let sessions = anam.sessions().list().started_in(SessionRange::since(yesterday));
/// let mut sessions = std::pin::pin!(sessions);
/// while let Some(session) = sessions.try_next().await? {
///     println!("{:?} {:?}", session.id, session.start_time);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionRange {
    /// The earliest start included.
    pub since: Option<DateTime<Utc>>,
    /// The first start no longer included.
    pub until: Option<DateTime<Utc>>,
}

impl SessionRange {
    /// Sessions started at or after `since`.
    pub fn since(since: DateTime<Utc>) -> Self {
        Self {
            since: Some(since),
            until: None,
        }
    }

    /// Sessions started before `until`.
    pub fn until(until: DateTime<Utc>) -> Self {
        Self {
            since: None,
            until: Some(until),
        }
    }

    /// Sessions started at or after `since` and before `until`.
    pub fn between(since: DateTime<Utc>, until: DateTime<Utc>) -> Self {
        Self {
            since: Some(since),
            until: Some(until),
        }
    }

    /// True when no start time can be inside (`since` at or after `until`): a walk over it
    /// sends nothing.
    pub fn is_empty(&self) -> bool {
        matches!((self.since, self.until), (Some(since), Some(until)) if since >= until)
    }

    /// True when neither end is set.
    pub fn is_unbounded(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// True when `session` started inside the range; one without a start (or creation) time
    /// only when the range is unbounded.
    pub fn contains(&self, session: &Session) -> bool {
        match started(session) {
            Some(time) => {
                self.since.is_none_or(|s| time >= s) && self.until.is_none_or(|u| time < u)
            }
            None => self.is_unbounded(),
        }
    }

    /// True when `session` started before `since`: in a list that comes newest first, no
    /// session after it is in the range.
    pub fn is_past(&self, session: &Session) -> bool {
        matches!((self.since, started(session)), (Some(since), Some(time)) if time < since)
    }
}

/// When a session started: its `startTime`, else its `createdAt`.
fn started(session: &Session) -> Option<DateTime<Utc>> {
    session.start_time.or(session.created_at)
}

impl<'a> ListSessions<'a> {
    /// Every session started in `range`, newest first, with the builder's filters, fetched
    /// page by page from the builder's `page` (as [`into_stream`](Self::into_stream)): the first
    /// session older than `range.since` ends the stream, so no page after it is fetched. An
    /// empty range ends at once, sending nothing. Example on [`SessionRange`].
    pub fn started_in(
        self,
        range: SessionRange,
    ) -> impl Stream<Item = crate::Result<Session>> + Send + 'a {
        let pages = (!range.is_empty()).then(|| self.into_stream());
        futures_util::stream::iter(pages)
            .flatten()
            .take_while(move |item| {
                std::future::ready(!matches!(item, Ok(session) if range.is_past(session)))
            })
            .try_filter(move |session| std::future::ready(range.contains(session)))
    }

    /// [`started_in`](Self::started_in) with each item as the server sent it
    /// ([`into_raw_stream`](Self::into_raw_stream)). An item that does not decode cannot be
    /// placed in time: it is kept when the range is unbounded, else left out, and does not end
    /// the walk.
    pub fn raw_started_in(
        self,
        range: SessionRange,
    ) -> impl Stream<Item = crate::Result<RawItem<Session>>> + Send + 'a {
        let pages = (!range.is_empty()).then(|| self.into_raw_stream());
        futures_util::stream::iter(pages)
            .flatten()
            .take_while(move |item| {
                let past = matches!(item, Ok(raw) if raw.decoded().is_ok_and(|s| range.is_past(s)));
                std::future::ready(!past)
            })
            .try_filter(move |raw| {
                let keep = match raw.decoded() {
                    Ok(session) => range.contains(session),
                    Err(_) => range.is_unbounded(),
                };
                std::future::ready(keep)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn session(start: Option<&str>, created: Option<&str>) -> Session {
        Session {
            start_time: start.map(at),
            created_at: created.map(at),
            ..Default::default()
        }
    }

    #[test]
    fn the_range_is_half_open_and_falls_back_to_the_creation_time() {
        let range = SessionRange::between(at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z"));
        assert!(range.contains(&session(Some("2026-11-01T00:00:00Z"), None)));
        assert!(!range.contains(&session(Some("2026-11-02T00:00:00Z"), None)));
        assert!(range.contains(&session(None, Some("2026-11-01T12:00:00Z"))));
        assert!(!range.contains(&session(None, None)));
        assert!(SessionRange::default().contains(&session(None, None)));
        assert!(range.is_past(&session(Some("2026-10-31T23:59:59Z"), None)));
        assert!(!range.is_past(&session(None, None)));
        assert!(
            !SessionRange::until(at("2026-11-02T00:00:00Z"))
                .is_past(&session(Some("2000-01-01T00:00:00Z"), None))
        );
        assert!(
            SessionRange::between(at("2026-11-02T00:00:00Z"), at("2026-11-02T00:00:00Z"))
                .is_empty()
        );
        assert!(!range.is_empty());
    }
}
