//! Sessions started in a time range (`ListSessions::started_in`): the sessions inside it, and
//! no page fetched after the first session older than its start.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use serde_json::json;

use anam::SessionRange;

use crate::support::scripted::{Reply, Scripted};
use crate::support::{client, quick_retries};

const PAGES: u64 = 5;

/// Three sessions a page, newest first, one a day back from 2026-11-15, five pages in all
/// (the server says so in `meta`), so only the range can end the walk early. The second
/// session of every page has no start time, only its creation time.
async fn server() -> Scripted {
    Scripted::route(|_, request| {
        let page: u64 = request
            .target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("page="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let sessions: Vec<_> = (0..3)
            .map(|i| {
                let day = 15 - ((page - 1) * 3 + i);
                let time = format!("2026-11-{day:02}T12:00:00Z");
                let id = format!("00000000-0000-0000-0000-0000000000{day:02}");
                if i == 1 {
                    json!({"id": id, "createdAt": time})
                } else {
                    json!({"id": id, "startTime": time})
                }
            })
            .collect();
        Reply::json(
            200,
            json!({
                "data": sessions,
                "meta": {"currentPage": page, "lastPage": PAGES, "perPage": 3, "total": PAGES * 3}
            }),
        )
    })
    .await
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// The pages the server was asked for, in order.
fn pages_asked(server: &Scripted) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.query_pair("page").unwrap_or("page=1").to_string())
        .collect()
}

#[tokio::test]
async fn the_walk_stops_at_the_first_session_older_than_the_range() {
    let server = server().await;
    let anam = client(&server.base_url, quick_retries());
    // Page 1: 2026-11-15 is past `until`, 11-14 (by its creation time) and 11-13 are inside.
    // Page 2: 11-12 is inside, 11-11 is older than `since` and ends the walk: pages 3 to 5
    // are never asked for.
    let range = SessionRange::between(at("2026-11-12T00:00:00Z"), at("2026-11-15T00:00:00Z"));
    let sessions: Vec<_> = anam
        .sessions()
        .list()
        .per_page(3)
        .started_in(range)
        .try_collect()
        .await
        .unwrap();
    let days: Vec<String> = sessions
        .iter()
        .map(|s| s.id.unwrap().to_string()[34..].to_string())
        .collect();
    assert_eq!(days, ["14", "13", "12"]);
    assert_eq!(pages_asked(&server), ["page=1", "page=2"]);

    // The raw walk: the same sessions as sent, the same pages.
    let server = self::server().await;
    let anam = client(&server.base_url, quick_retries());
    let raw: Vec<_> = anam
        .sessions()
        .list()
        .per_page(3)
        .raw_started_in(range)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(raw.len(), 3);
    let first: serde_json::Value = serde_json::from_slice(raw[0].json()).unwrap();
    assert_eq!(
        first,
        json!({"id": "00000000-0000-0000-0000-000000000014", "createdAt": "2026-11-14T12:00:00Z"})
    );
    assert_eq!(pages_asked(&server), ["page=1", "page=2"]);
}

#[tokio::test]
async fn without_a_start_every_page_is_walked_and_an_empty_range_sends_nothing() {
    let server = server().await;
    let anam = client(&server.base_url, quick_retries());
    let sessions: Vec<_> = anam
        .sessions()
        .list()
        .per_page(3)
        .started_in(SessionRange::until(at("2026-11-03T00:00:00Z")))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), 2, "2026-11-02 and 2026-11-01");
    assert_eq!(pages_asked(&server).len(), PAGES as usize);

    let server = self::server().await;
    let anam = client(&server.base_url, quick_retries());
    let day = at("2026-11-03T00:00:00Z");
    let sessions: Vec<_> = anam
        .sessions()
        .list()
        .started_in(SessionRange::between(day, day))
        .try_collect()
        .await
        .unwrap();
    assert!(sessions.is_empty());
    assert!(server.requests().is_empty(), "nothing sent");
}
