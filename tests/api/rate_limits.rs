//! Rate-limit headers as data on successes and errors, each kind of 429 with the attempts it
//! gets, and what error messages may and may not say.

use std::time::Duration;

use anam::spec::Operation;
use anam::{Error, LimitKind, RateLimit};
use serde_json::json;

use crate::support::scripted::{Reply, Scripted};
use crate::support::{self, SESSION, client, quick_retries, transcript_json};

/// All six headers Anam sends, with distinct values.
fn with_rate_limit_headers(reply: Reply) -> Reply {
    reply
        .header("RateLimit-Limit", "10")
        .header("RateLimit-Remaining", "7")
        .header("RateLimit-Reset", "42")
        .header("X-RateLimit-Org-Hour-Limit", "1000")
        .header("X-RateLimit-Org-Hour-Remaining", "998")
        .header("X-RateLimit-Org-Hour-Reset", "3599")
}

fn expected() -> RateLimit {
    let mut limit = RateLimit::default();
    limit.limit = Some(10);
    limit.remaining = Some(7);
    limit.reset = Some(Duration::from_secs(42));
    limit.org_hour_limit = Some(1000);
    limit.org_hour_remaining = Some(998);
    limit.org_hour_reset = Some(Duration::from_secs(3599));
    limit
}

#[tokio::test]
async fn all_six_headers_are_parsed_on_a_success_and_on_a_429() {
    let invite = support::response_example(Operation::GET_MEETING_INVITE);
    let invite_id = invite["id"].as_str().unwrap().to_string();
    let server = Scripted::start(vec![
        with_rate_limit_headers(Reply::json(201, invite)),
        with_rate_limit_headers(Reply::json(429, json!({"error": "rate limit exceeded"}))),
    ])
    .await;
    let anam = client(&server.base_url, anam::RetryPolicy::none());
    let body: anam::types::CreateMeetingInviteRequest =
        support::request_body(Operation::CREATE_MEETING_INVITE, json!({}));
    let response = anam
        .meetings()
        .create_invite(body.clone())
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(*response.rate_limit(), expected());
    assert_eq!(response.body().id.to_string(), invite_id);

    let error = anam.meetings().create_invite(body).await.unwrap_err();
    assert_eq!(error.rate_limit(), Some(&expected()));
    assert_eq!(error.limit(), Some(LimitKind::RateLimit));
    assert!(error.is_rate_limited() && error.is_retryable());
}

#[tokio::test]
async fn absent_headers_are_simply_absent() {
    let server = Scripted::start(vec![Reply::json(200, transcript_json())]).await;
    let response = client(&server.base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .with_response()
        .await
        .unwrap();
    assert!(response.rate_limit().is_empty());
    assert_eq!(response.into_body().persona_name.as_deref(), Some("Cara"));
}

/// Sends one request of `call` against a server that always answers `reply`; returns the
/// error and how many requests the server saw.
async fn attempts_for(reply: Reply, post: bool) -> (Error, usize) {
    let server = Scripted::start(vec![reply]).await;
    let anam = client(&server.base_url, quick_retries());
    let error = if post {
        anam.engine()
            .create_session(anam::types::CreateEngineSessionBody::default())
            .await
            .unwrap_err()
    } else {
        anam.sessions().transcript(SESSION).await.unwrap_err()
    };
    (error, server.requests().len())
}

#[tokio::test]
async fn each_kind_of_429_gets_its_kind_and_only_a_rate_limit_is_retried() {
    let too_many = |error: &str| Reply::json(429, json!({ "error": error }));
    let cases = [
        // (reply, POST to start a session?, expected kind, expected attempts)
        (too_many("Spend cap reached"), false, LimitKind::SpendCap, 1),
        (
            too_many("Usage limit reached"),
            false,
            LimitKind::UsageLimit,
            1,
        ),
        (
            too_many("Concurrent session limit reached"),
            true,
            LimitKind::ConcurrentSessions,
            1,
        ),
        (too_many("Spend cap reached"), true, LimitKind::SpendCap, 1),
        (too_many("Plan exhausted"), true, LimitKind::UsageLimit, 1),
        (
            too_many("slow down").header("retry-after", "0"),
            false,
            LimitKind::RateLimit,
            3,
        ),
        (
            too_many("slow down")
                .header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", "0"),
            true,
            LimitKind::RateLimit,
            3,
        ),
    ];
    for (reply, post, kind, attempts) in cases {
        let (error, seen) = attempts_for(reply, post).await;
        assert_eq!(error.limit(), Some(kind), "{error:?}");
        assert_eq!(seen, attempts, "{kind:?} (POST: {post})");
        assert_eq!(error.api().unwrap().attempts as usize, attempts);
        assert_eq!(error.is_retryable(), kind == LimitKind::RateLimit);
        assert_eq!(error.is_rate_limited(), kind == LimitKind::RateLimit);
        let shown = error.to_string();
        assert!(shown.contains(&kind.to_string()), "{shown}");
    }
}

#[tokio::test]
async fn a_transcript_that_does_not_decode_keeps_the_conversation_out_of_the_message() {
    let secret = "my account password is hunter2";
    let body = json!({
        "sessionId": SESSION,
        "messages": [{"role": "user", "message": secret, "speakingDurationSeconds": secret}],
    });
    let server = Scripted::start(vec![Reply::json(200, body)]).await;
    let error = client(&server.base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "messages[0].speakingDurationSeconds");
    let chain = support::error_chain(&error);
    assert!(!chain.contains("hunter2"), "{chain}");
    assert!(
        decode.body.contains("hunter2"),
        "the snippet stays available as a field"
    );
}

#[tokio::test]
async fn no_error_display_repeats_its_source() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let transport = client(&closed, anam::RetryPolicy::none())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    let bad_url = anam::Client::builder()
        .api_key("k")
        .base_url("http://[::1")
        .build()
        .unwrap_err();
    for error in [transport, bad_url] {
        let shown = error.to_string();
        let mut source = std::error::Error::source(&error);
        assert!(source.is_some(), "{error:?} has a source");
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            assert!(
                !shown.contains(&cause_text),
                "`{shown}` repeats `{cause_text}`"
            );
            source = cause.source();
        }
    }
}
