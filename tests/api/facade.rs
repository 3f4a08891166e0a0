//! The facade over real HTTP on 127.0.0.1: authentication, error mapping, retries,
//! pagination, uploads, configuration and secret redaction.

use std::time::{Duration, Instant};

use anam::spec::Operation;
use anam::{Client, ConfigError, Error, RetryPolicy, UploadFile};
use futures_util::StreamExt;
use serde_json::json;

use crate::support::scripted::{Reply, Scripted, parse_multipart};
use crate::support::{self, KEY, SESSION, client, quick_retries, transcript_json};

mod uploads;

#[tokio::test]
async fn sends_the_exact_bearer_header_and_user_agent() {
    let server = Scripted::start(vec![Reply::json(200, transcript_json())]).await;
    let transcript = client(&server.base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap();
    assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, format!("/v1/sessions/{SESSION}/transcript"));
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("anam-rust/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(request.header("api-version"), None);
}

#[tokio::test]
async fn each_error_status_maps_to_its_predicate_message_and_request_id() {
    type Check = fn(&Error) -> bool;
    let cases: [(u16, Check); 6] = [
        (400, |e| {
            e.status() == Some(reqwest::StatusCode::BAD_REQUEST) && !e.is_retryable()
        }),
        (401, Error::is_unauthorized),
        (403, Error::is_forbidden),
        (404, Error::is_not_found),
        (429, |e| {
            e.is_rate_limited() && e.retry_after() == Some(Duration::from_secs(30))
        }),
        (500, |e| e.is_server_error() && !e.is_retryable()),
    ];
    for (status, predicate) in cases {
        let reply = Reply::json(status, json!({"message": format!("boom {status}")}))
            .header("x-request-id", "req-42")
            .header("retry-after", "30");
        let server = Scripted::start(vec![reply]).await;
        let error = client(&server.base_url, RetryPolicy::none())
            .sessions()
            .transcript(SESSION)
            .await
            .unwrap_err();
        assert!(predicate(&error), "{status}: {error:?}");
        let api = error.api().expect("an API error");
        assert_eq!(api.message, format!("boom {status}"));
        assert_eq!(error.request_id(), Some("req-42"));
        assert_eq!(api.operation, "getSessionTranscript");
        assert!(
            api.documented.is_some() || status == 429,
            "{status} is documented for this operation"
        );
        assert!(error.to_string().contains(&format!("boom {status}")));
        assert!(!format!("{error:?}").contains(KEY) && !error.to_string().contains(KEY));
    }
}

#[tokio::test]
async fn an_html_proxy_page_becomes_a_readable_retryable_error() {
    let page = Reply {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: "<html><head><title>502 Bad Gateway</title></head><body>cloud</body></html>".into(),
        delay: None,
    };
    let server = Scripted::start(vec![page]).await;
    let error = client(&server.base_url, RetryPolicy::none())
        .sessions()
        .get(SESSION)
        .await
        .unwrap_err();
    assert_eq!(
        error.api().unwrap().message,
        "HTML error page: 502 Bad Gateway"
    );
    assert!(error.is_retryable() && error.is_server_error());
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_names_the_json_path() {
    let server = Scripted::start(vec![Reply::json(
        200,
        json!({"messages": [{"role": "user"}, {"speakingDurationSeconds": "long"}]}),
    )])
    .await;
    let error = client(&server.base_url, RetryPolicy::none())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.path, "messages[1].speakingDurationSeconds");
    assert!(decode.body.contains("long"));
    assert!(!format!("{error:?}").contains(KEY) && !error.to_string().contains(KEY));
}

#[tokio::test]
async fn any_success_status_decodes() {
    let server = Scripted::start(vec![Reply::json(203, transcript_json())]).await;
    let transcript = client(&server.base_url, RetryPolicy::none())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap();
    assert_eq!(transcript.messages.len(), 2);
}

#[tokio::test]
async fn a_malformed_uuid_is_rejected_before_any_request() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let anam = client(&server.base_url, quick_retries());
    let error = anam.sessions().transcript("session-42").await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput(m)
            if m == "getSessionTranscript: parameter `id` is not a valid Uuid"),
        "{error}"
    );
    // A text id may not be empty: `/v1/personas/` would address the collection.
    let error = anam.personas().delete(" ").await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput(m) if m.starts_with("deletePersona: parameter `id`")),
        "{error}"
    );
    let error = anam.sessions().list().per_page(0).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput(m) if m.contains("`per_page`")),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

/// Answers `status` with `Retry-After: retry_after`, then the transcript; the client must
/// wait at least a second before its retry.
async fn assert_retry_after_honoured(status: u16, retry_after: &str) {
    let server = Scripted::start(vec![
        Reply::json(status, json!({"message": "slow down"})).header("retry-after", retry_after),
        Reply::json(200, transcript_json()),
    ])
    .await;
    let started = Instant::now();
    client(&server.base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1),
        "{retry_after}: waited {waited:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    assert_retry_after_honoured(429, "1").await;
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    // HTTP dates have one-second resolution: two seconds ahead is at least one second away.
    let when = std::time::SystemTime::now() + Duration::from_secs(2);
    assert_retry_after_honoured(503, &httpdate::fmt_http_date(when)).await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    let server = Scripted::start(vec![
        Reply::json(429, json!({})).header("retry-after", "3600"),
    ])
    .await;
    let error = client(&server.base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_429_storm_ends_after_the_allowed_attempts_with_a_rate_limit_error() {
    let storm =
        Reply::json(429, json!({"message": "too many requests"})).header("retry-after", "0");
    let server = Scripted::start(vec![storm]).await;
    let error = client(&server.base_url, quick_retries())
        .sessions()
        .list()
        .await
        .unwrap_err();
    assert!(error.is_rate_limited() && error.is_retryable(), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
    assert_eq!(server.requests().len(), 3, "max_attempts bounds the storm");
}

#[tokio::test]
async fn a_retried_put_resends_exactly_the_same_body() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({"message": "busy"})),
        Reply::json(502, json!({"message": "busy"})),
        Reply::json(200, json!({"id": SESSION, "name": "Cara"})),
    ])
    .await;
    let body: anam::types::UpdatePersonaBody =
        support::request_body(Operation::UPDATE_PERSONA, json!({}));
    client(&server.base_url, quick_retries())
        .personas()
        .update(SESSION, body)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(!requests[0].body.is_empty());
    assert!(requests.iter().all(|r| r.body == requests[0].body
        && r.method == "PUT"
        && r.target == requests[0].target));
}

#[tokio::test]
async fn a_post_that_reached_the_server_is_not_retried() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({})),
        Reply::json(201, json!({})),
    ])
    .await;
    let body: anam::types::CreatePersonaBody =
        support::request_body(Operation::CREATE_PERSONA, json!({}));
    let error = client(&server.base_url, quick_retries())
        .personas()
        .create(body)
        .await
        .unwrap_err();
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = Scripted::start(vec![
        Reply::json(503, json!({})),
        Reply::json(200, transcript_json()),
    ])
    .await;
    let error = client(&server.base_url, RetryPolicy::none())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

fn page(items: &[&str], next: Option<u32>) -> Reply {
    let data: Vec<_> = items.iter().map(|id| json!({"id": id})).collect();
    Reply::json(
        200,
        json!({"data": data, "meta": {"next": next, "perPage": 100}}),
    )
}

#[tokio::test]
async fn a_stream_follows_meta_next_across_three_pages_at_the_largest_page_size() {
    let ids = [
        "00000000-0000-0000-0000-00000000000a",
        "00000000-0000-0000-0000-00000000000b",
        "00000000-0000-0000-0000-00000000000c",
        "00000000-0000-0000-0000-00000000000d",
    ];
    let server = Scripted::start(vec![
        page(&ids[..2], Some(2)),
        page(&ids[2..3], Some(3)),
        page(&ids[3..], None),
    ])
    .await;
    let anam = client(&server.base_url, quick_retries());
    let sessions: Vec<_> = anam
        .sessions()
        .list()
        .search("cara")
        .into_stream()
        .collect()
        .await;
    let got: Vec<String> = sessions
        .into_iter()
        .map(|s| s.unwrap().id.unwrap().to_string())
        .collect();
    assert_eq!(got, ids);
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v1/sessions?page=1&perPage=100&search=cara",
            "/v1/sessions?page=2&perPage=100&search=cara",
            "/v1/sessions?page=3&perPage=100&search=cara",
        ]
    );
}

#[tokio::test]
async fn a_stream_stops_when_the_server_repeats_a_page_or_sends_an_empty_one() {
    let id = "00000000-0000-0000-0000-00000000000a";
    let server = Scripted::start(vec![page(&[id], Some(2)), page(&[id], Some(3))]).await;
    let items: Vec<_> = client(&server.base_url, quick_retries())
        .personas()
        .list()
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(server.requests().len(), 2);

    let server = Scripted::start(vec![page(&[id], Some(2)), page(&[], Some(3))]).await;
    let items: Vec<_> = client(&server.base_url, quick_retries())
        .voices()
        .list()
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_stream_yields_an_error_once_and_ends() {
    let id = "00000000-0000-0000-0000-00000000000a";
    let server = Scripted::start(vec![
        page(&[id], Some(2)),
        Reply::json(500, json!({"message": "down"})),
    ])
    .await;
    let items: Vec<_> = client(&server.base_url, RetryPolicy::none())
        .avatars()
        .list()
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(items[1].as_ref().unwrap_err().is_server_error());
}

#[tokio::test]
async fn a_slow_server_gives_a_timeout_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let anam = Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .request_timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = anam.sessions().transcript(SESSION).await.unwrap_err();
    assert!(error.is_timeout() && error.is_retryable(), "{error:?}");
    assert!(!format!("{error:?}").contains(KEY) && !error.to_string().contains(KEY));
}

#[tokio::test]
async fn no_debug_or_display_output_contains_the_key() {
    let builder = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9");
    assert!(!format!("{builder:?}").contains(KEY), "{builder:?}");
    let anam = builder.build().unwrap();
    assert!(!format!("{anam:?}").contains(KEY), "{anam:?}");
    assert!(!format!("{:?}", anam.raw()).contains(KEY));
    let server = Scripted::start(vec![Reply::json(401, json!({"message": "bad key"}))]).await;
    let errors = [
        client(&server.base_url, RetryPolicy::none())
            .sessions()
            .transcript(SESSION)
            .await
            .unwrap_err(),
        anam.sessions().transcript("nope").await.unwrap_err(),
        Client::builder()
            .api_key(KEY)
            .base_url("http://example.com")
            .build()
            .unwrap_err(),
        Client::builder()
            .api_key(format!("{KEY}\n"))
            .build()
            .unwrap_err(),
    ];
    for error in errors {
        let chain = support::error_chain(&error);
        assert!(
            !format!("{error:?}").contains(KEY) && !chain.contains(KEY),
            "{chain}"
        );
    }
}

#[test]
fn a_key_that_cannot_be_a_header_is_a_configuration_error_at_build() {
    let error = Client::builder()
        .api_key("line\nbreak")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, Error::Config(ConfigError::InvalidApiKey)),
        "{error:?}"
    );
}

#[test]
fn a_plain_http_remote_base_url_is_refused_unless_opted_in() {
    let refused = Client::builder()
        .api_key(KEY)
        .base_url("http://api.anam.ai")
        .build()
        .unwrap_err();
    assert!(
        matches!(&refused, Error::Config(ConfigError::InsecureBaseUrl { url }) if url == "http://api.anam.ai"),
        "{refused:?}"
    );
    let allowed = Client::builder()
        .api_key(KEY)
        .base_url("http://api.anam.ai")
        .allow_insecure_http(true)
        .build();
    assert!(allowed.is_ok());
    assert!(Client::builder().api_key(KEY).build().is_ok());
    assert!(matches!(
        Client::builder().build().unwrap_err(),
        Error::Config(ConfigError::MissingApiKey { variable: None })
    ));
}
