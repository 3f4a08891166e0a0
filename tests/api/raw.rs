//! The generated layer (`anam::raw`, progenitor's own `send()`) on the flagship operation,
//! `GET /v1/sessions/{id}/transcript`: what decodes, and that every error response reaches the
//! caller intact.

use anam::raw::Error;
use anam::types::{Transcript, TranscriptRole};
use httpmock::prelude::*;
use serde_json::json;
use uuid::Uuid;

use crate::support;

const SESSION: &str = "00000000-0000-0000-0000-000000000000";

fn transcript_path(id: &str) -> String {
    format!("/v1/sessions/{id}/transcript")
}

async fn fetch(server: &MockServer, id: &str) -> Result<Transcript, Error> {
    support::raw_client(&server.base_url())
        .get_session_transcript()
        .id(id)
        .send()
        .await
        .map(|response| response.into_inner())
}

#[tokio::test]
async fn the_documented_example_decodes_with_its_exact_values() {
    let server = MockServer::start_async().await;
    let example = support::transcript_json();
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(transcript_path(SESSION));
            then.status(200).json_body(example.clone());
        })
        .await;

    let transcript = fetch(&server, SESSION).await.expect("transcript decodes");

    mock.assert_async().await;
    assert_eq!(transcript.session_id.as_deref(), Some(SESSION));
    assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
    assert_eq!(transcript.duration_ms, Some(754_000));
    assert_eq!(transcript.total_messages, Some(6));
    assert_eq!(transcript.transcripts_enabled, Some(true));
    assert_eq!(
        transcript.end_time.map(|t| t.to_rfc3339()),
        Some("2026-04-20T09:12:34+00:00".into())
    );
    let [persona, user] = transcript.messages.as_slice() else {
        panic!("expected two messages, got {:?}", transcript.messages);
    };
    assert_eq!(persona.role, Some(TranscriptRole::Persona));
    assert_eq!(persona.message.as_deref(), Some("Hi! How can I help?"));
    assert_eq!(persona.speaking_duration_seconds, Some(1.4));
    assert_eq!(persona.was_interrupted, Some(false));
    assert_eq!(user.role, Some(TranscriptRole::User));
    assert_eq!(user.speaking_duration_seconds, Some(2.1));
    assert_eq!(
        user.was_interrupted, None,
        "user messages carry no wasInterrupted"
    );
}

#[tokio::test]
async fn every_nullable_field_accepts_null_and_new_values_are_kept() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(transcript_path(SESSION));
            then.status(200).json_body(json!({
                "sessionId": SESSION,
                "startTime": "2026-04-20T09:00:00.000Z",
                "endTime": null,
                "durationMs": null,
                "sentimentScore": 0.7,
                "messages": [
                    {"role": "system", "message": "joined", "timestamp": null, "speakingDurationSeconds": null},
                    {"role": "persona", "message": "hi", "wasInterrupted": true, "language": "en"}
                ]
            }));
        })
        .await;

    let transcript = fetch(&server, SESSION)
        .await
        .expect("unknown values and nulls decode");

    assert_eq!(transcript.end_time, None);
    assert_eq!(transcript.duration_ms, None);
    let system = &transcript.messages[0];
    assert_eq!(system.role, Some(TranscriptRole::Unknown("system".into())));
    assert_eq!(
        system.role.as_ref().map(TranscriptRole::as_str),
        Some("system")
    );
    assert_eq!(system.timestamp, None);
    assert_eq!(system.speaking_duration_seconds, None);
    assert_eq!(transcript.messages[1].was_interrupted, Some(true));
}

#[tokio::test]
async fn each_documented_error_reaches_the_caller_with_status_and_body() {
    let server = MockServer::start_async().await;
    let documented = anam::spec::operation("getSessionTranscript")
        .unwrap()
        .documented_errors;
    assert_eq!(documented.len(), 5);
    for error in documented {
        let status: u16 = error.status.parse().unwrap();
        let id = Uuid::from_u128(u128::from(status)).to_string();
        let body = json!({"message": error.description, "statusCode": status});
        server
            .mock_async(|when, then| {
                when.method(GET).path(transcript_path(&id));
                then.status(status).json_body(body.clone());
            })
            .await;

        match fetch(&server, &id).await {
            Err(Error::UnexpectedResponse(response)) => {
                assert_eq!(response.status().as_u16(), status);
                let received: serde_json::Value = response.json().await.unwrap();
                assert_eq!(received, body, "the error body reaches the caller intact");
            }
            other => panic!("{status}: expected an error response, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_text() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(transcript_path(SESSION));
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>");
        })
        .await;

    let Err(Error::UnexpectedResponse(response)) = fetch(&server, SESSION).await else {
        panic!("a 502 page must be an error");
    };
    assert_eq!(response.status().as_u16(), 502);
    assert!(response.text().await.unwrap().contains("502 Bad Gateway"));
}

#[tokio::test]
async fn a_truncated_or_mistyped_body_is_an_error_that_keeps_the_bytes() {
    let server = MockServer::start_async().await;
    let truncated =
        r#"{"sessionId": "00000000-0000-0000-0000-000000000000", "messages": [{"role": "us"#;
    server
        .mock_async(|when, then| {
            when.method(GET).path(transcript_path(SESSION));
            then.status(200)
                .header("content-type", "application/json")
                .body(truncated);
        })
        .await;
    let other = Uuid::from_u128(1).to_string();
    server
        .mock_async(|when, then| {
            when.method(GET).path(transcript_path(&other));
            then.status(200).json_body(json!({"durationMs": "long"}));
        })
        .await;

    match fetch(&server, SESSION).await {
        Err(Error::InvalidResponsePayload(bytes, error)) => {
            assert_eq!(bytes.as_ref(), truncated.as_bytes());
            assert!(error.is_eof());
        }
        other => panic!("expected a payload error, got {other:?}"),
    }
    match fetch(&server, &other).await {
        Err(Error::InvalidResponsePayload(_, error)) => assert!(error.is_data()),
        other => panic!("expected a payload error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_id_that_is_not_a_uuid_never_reaches_the_wire() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({}));
        })
        .await;

    match fetch(&server, "not-a-uuid").await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("id"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    any.assert_calls_async(0).await;
}

#[test]
fn the_transcript_json_schema_lists_the_role_values() {
    let schema = serde_json::to_value(schemars::schema_for!(Transcript)).unwrap();
    let role = &schema["$defs"]["TranscriptRole"];
    assert_eq!(role["anyOf"][0]["enum"], json!(["user", "persona"]));
    assert_eq!(
        schema["properties"]["durationMs"]["type"],
        json!(["integer", "null"])
    );
}

/// The transport reads a success body whole inside its attempt; a facade call takes the bytes
/// from it, but a caller of the generated client's `exec` hook gets a response whose body
/// still reads (the response is rebuilt around the bytes outside a facade call).
#[tokio::test]
async fn the_exec_hook_answers_with_a_body_that_still_reads() {
    use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

    let server = MockServer::start_async().await;
    let body = r#"{"sessionId":"00000000-0000-0000-0000-000000000000","messages":[]}"#;
    server
        .mock_async(|when, then| {
            when.method(GET).path(transcript_path(SESSION));
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let raw = support::raw_client(&server.base_url());
    let url = format!("{}{}", server.base_url(), transcript_path(SESSION));
    let request = raw.client().get(url).build().unwrap();
    let info = OperationInfo {
        operation_id: "get_session_transcript",
    };
    let response = raw.exec(request, &info).await.expect("a response");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), body);

    // The same through the facade and the generated client, one after the other: each
    // decodes its own body.
    let anam = support::client(&server.base_url(), anam::RetryPolicy::none());
    let transcript = anam.sessions().transcript(SESSION).await.unwrap();
    assert_eq!(transcript.session_id.as_deref(), Some(SESSION));
    let transcript = fetch(&server, SESSION).await.unwrap();
    assert_eq!(transcript.session_id.as_deref(), Some(SESSION));
}
