//! Which sessions `sessions list` and `sessions export` walk: the filters the API applies
//! (persona, search), the time range they share (`--since`, `--until`), and the pages.
//!
//! Sessions come newest first, so the first session that started before `--since` ends the
//! walk: every one after it is older still, and no further page is asked for.

use anam::Client;
use anam::types::Session;
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::output::InputError;

/// `--since` and `--until`, shared by `sessions list` and `sessions export`.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct Range {
    /// Only sessions started at or after this time (`2026-11-01`, midnight UTC, or RFC 3339).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
    /// Only sessions started before the end of this day (`2026-11-30`) or this RFC 3339 time.
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<DateTime<Utc>>,
}

impl Range {
    /// Refuses a range that holds nothing (`--since` at or after `--until`), before anything
    /// is sent (exit status 2).
    pub fn check(&self) -> Result<(), InputError> {
        match (self.since, self.until) {
            (Some(since), Some(until)) if since >= until => Err(InputError(format!(
                "--since ({}) is not before --until ({}): no session can match. Nothing was sent.",
                since.to_rfc3339(),
                until.to_rfc3339()
            ))),
            _ => Ok(()),
        }
    }

    /// The library's range ([`anam::SessionRange`]), which decides what is inside it and
    /// when a walk newest first can stop.
    fn library(&self) -> anam::SessionRange {
        anam::SessionRange {
            since: self.since,
            until: self.until,
        }
    }

    /// True when `session` started inside `[since, until)`; a session without a start time
    /// passes only when neither bound is set.
    pub fn contains(&self, session: &Session) -> bool {
        self.library().contains(session)
    }

    /// True when `session` started before `--since`: sessions come newest first, so none
    /// after it can match.
    fn passed(&self, session: &Session) -> bool {
        self.library().is_past(session)
    }
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, false)
}

fn parse_until(text: &str) -> Result<DateTime<Utc>, String> {
    parse_time(text, true)
}

/// RFC 3339, or a date: its midnight (UTC), or with `end_of_day` the next midnight.
fn parse_time(text: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time"))?;
    let date = if end_of_day {
        date.succ_opt().ok_or("date out of range")?
    } else {
        date
    };
    Ok(date
        .and_hms_opt(0, 0, 0)
        .ok_or("date out of range")?
        .and_utc())
}

/// What the API filters on, and where the walk starts and ends.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    /// `--persona`.
    pub persona: Option<Uuid>,
    /// `--search`.
    pub search: Option<String>,
    /// `--since`, `--until`: applied here, and `--since` ends the walk early.
    pub range: Range,
    /// `--page N`: the first page (1 without it).
    pub page: Option<std::num::NonZeroU64>,
    /// Every page from the first (`--all`, `--limit`, an export), or that page alone.
    pub every_page: bool,
}

/// One session as the server wrote it, beside its decode.
pub struct Listed {
    /// Its JSON text as it stood in the page.
    pub json: Bytes,
    /// The page it came on.
    pub page: u64,
    /// How many sessions the API says the list holds (its `meta.total`), when it says.
    pub total: Option<u64>,
    /// The session, or where and why it does not match the spec (never a value).
    pub decoded: Result<Session, String>,
}

/// The sessions of `walk` inside its range, lazily, page after page; an error ends it.
pub fn sessions<'a>(
    client: &'a Client,
    walk: Walk,
) -> impl Stream<Item = anam::Result<Listed>> + Send + 'a {
    let mut request = client.sessions().list();
    if let Some(persona) = walk.persona {
        request = request.persona_id(persona);
    }
    if let Some(search) = walk.search {
        request = request.search(search);
    }
    if let Some(page) = walk.page {
        request = request.page(page);
    }
    let listed: std::pin::Pin<Box<dyn Stream<Item = anam::Result<Listed>> + Send + 'a>> =
        if walk.every_page {
            Box::pin(request.into_raw_stream().map_ok(|item| {
                let (page, total) = (item.page(), item.total());
                let (json, decoded) = item.into_parts();
                Listed {
                    json,
                    page,
                    total,
                    decoded: decoded.map_err(|e| e.to_string()),
                }
            }))
        } else {
            // One page, asked for once: the next is never fetched.
            let page = walk.page.map_or(1, std::num::NonZeroU64::get);
            Box::pin(
                futures_util::stream::once(async move {
                    let response = request.with_raw().await?;
                    Ok::<_, anam::Error>(split_page(&response.body_bytes(), page))
                })
                .map_ok(|items| futures_util::stream::iter(items.into_iter().map(Ok)))
                .try_flatten(),
            )
        };
    let range = walk.range;
    listed
        .take_while(move |item| {
            let go_on = match item {
                Ok(Listed {
                    decoded: Ok(session),
                    ..
                }) => !range.passed(session),
                _ => true,
            };
            std::future::ready(go_on)
        })
        .try_filter(move |item| {
            let keep = match &item.decoded {
                Ok(session) => range.contains(session),
                Err(_) => range.since.is_none() && range.until.is_none(),
            };
            std::future::ready(keep)
        })
}

/// The sessions of one page's body, each as written; an empty list for a body that is not
/// a `{data: [...]}` page (the typed decode has already accepted it).
fn split_page(body: &Bytes, page: u64) -> Vec<Listed> {
    #[derive(serde::Deserialize)]
    struct Page<'p> {
        #[serde(borrow)]
        data: Vec<&'p RawValue>,
    }
    let Ok(split) = serde_json::from_slice::<Page<'_>>(body) else {
        return Vec::new();
    };
    split
        .data
        .iter()
        .enumerate()
        .map(|(index, raw)| Listed {
            json: body.slice_ref(raw.get().as_bytes()),
            page,
            total: None,
            decoded: serde_json::from_str::<Session>(raw.get()).map_err(|error| {
                format!(
                    "data[{index}]: {} (line {}, column {})",
                    anam::DecodeError::reason_of(&error),
                    error.line(),
                    error.column()
                )
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inverted_or_empty_range_is_refused() {
        let day = |d| parse_since(d).unwrap();
        let range = |since, until| Range {
            since: Some(day(since)),
            until: Some(parse_until(until).unwrap()),
        };
        assert!(range("2026-12-01", "2026-11-01").check().is_err());
        assert!(range("2026-11-01", "2026-11-01").check().is_ok());
        let same = Range {
            since: Some(day("2026-11-02")),
            until: Some(day("2026-11-02")),
        };
        assert!(same.check().is_err());
        assert!(Range::default().check().is_ok());
    }
}
