//! `Client::raw_json`: any operation sent with its JSON body as written, through the same
//! transport as the generated calls (auth, retries, error mapping), and `spec::route`, its
//! inverse on the server's side.

use serde_json::{Value, json};

use anam::spec::{Method, OPERATIONS, Operation, route};

use crate::support::scripted::{Reply, Scripted};
use crate::support::{KEY, client, quick_retries};

const ID: &str = "00000000-0000-0000-0000-000000000000";

/// A reply whose body is `body` as written (`Reply::json` goes through a sorted `Value`).
pub fn as_sent(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.into(),
        delay: None,
    }
}

#[tokio::test]
async fn a_body_is_sent_exactly_as_given_with_the_key() {
    // Bytes: byte for byte, odd spacing, key order, null and number text included.
    let written = "{ \"voiceId\" : null,\n \"name\":\"x\", \"temperature\": 1.50 }";
    let answer = r#"{"id":"00000000-0000-0000-0000-000000000000","b":null,"a":[]}"#;
    let server = Scripted::start(vec![as_sent(200, answer)]).await;
    let anam = client(&server.base_url, quick_retries());
    let response = anam
        .raw_json(Operation::UPDATE_PERSONA)
        .path("id", "a/b c")
        .query("dryRun", true)
        .body_bytes(written)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/v1/personas/a%2Fb%20c?dryRun=true");
    assert_eq!(request.body, written.as_bytes());
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    // The answer as sent, and decoded as a Value.
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), answer.as_bytes());
    assert_eq!(response.decoded().unwrap()["b"], Value::Null);

    // A Value: its nulls kept.
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let anam = client(&server.base_url, quick_retries());
    let body = json!({"voiceId": null, "name": "x"});
    anam.raw_json(Operation::UPDATE_PERSONA)
        .path("id", ID)
        .json(&body)
        .await
        .unwrap();
    let sent: Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(sent, body);
    assert!(sent.as_object().unwrap().contains_key("voiceId"));
}

#[tokio::test]
async fn a_typed_decode_is_a_check_not_a_failure() {
    let server = Scripted::start(vec![Reply::json(200, json!({"id": 7}))]).await;
    let anam = client(&server.base_url, quick_retries());
    let response = anam
        .raw_json(Operation::GET_PERSONA)
        .path("id", ID)
        .decode_as::<anam::types::Persona>()
        .await
        .unwrap();
    assert_eq!(response.body(), br#"{"id":7}"#);
    let off = response.decoded().unwrap_err();
    assert_eq!((off.operation, off.path.as_str()), ("getPersona", "id"));
    // An empty answer decodes as `null`: `()` fits.
    let server = Scripted::start(vec![as_sent(204, "")]).await;
    let anam = client(&server.base_url, quick_retries());
    let response = anam
        .raw_json(Operation::DELETE_PERSONA)
        .path("id", ID)
        .decode_as::<()>()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.decoded().is_ok());
    assert_eq!(server.requests()[0].method, "DELETE");
}

#[tokio::test]
async fn a_get_is_retried_on_503_and_a_post_is_not() {
    let script = || {
        vec![
            Reply::json(503, json!({"message": "busy"})),
            Reply::json(200, json!({"ok": true})),
        ]
    };
    let server = Scripted::start(script()).await;
    let anam = client(&server.base_url, quick_retries());
    let response = anam
        .raw_json(Operation::GET_PERSONA)
        .path("id", ID)
        .await
        .unwrap();
    assert_eq!(response.body(), br#"{"ok":true}"#);
    assert_eq!(server.requests().len(), 2);
    // The retry re-sends the same body.
    let server = Scripted::start(script()).await;
    let anam = client(&server.base_url, quick_retries());
    let _ = anam
        .raw_json(Operation::UPDATE_PERSONA)
        .path("id", ID)
        .body_bytes(r#"{"name":"x"}"#)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "a PUT is retried");
    assert_eq!(requests[0].body, requests[1].body);

    let server = Scripted::start(script()).await;
    let anam = client(&server.base_url, quick_retries());
    let error = anam
        .raw_json(Operation::CREATE_PERSONA)
        .json(&json!({"name": "x"}))
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        1,
        "a POST that reached the server is not retried"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert!(error.to_string().contains("createPersona"), "{error}");
}

#[tokio::test]
async fn errors_are_mapped_like_the_typed_calls() {
    let reply = || {
        Reply::json(404, json!({"message": "Persona not found"})).header("x-request-id", "req-9")
    };
    let server = Scripted::start(vec![reply()]).await;
    let anam = client(&server.base_url, quick_retries());
    let raw = anam
        .raw_json(Operation::GET_PERSONA)
        .path("id", ID)
        .await
        .unwrap_err();
    let server = Scripted::start(vec![reply()]).await;
    let anam = client(&server.base_url, quick_retries());
    let typed = anam.personas().get(ID).await.unwrap_err();
    assert!(raw.is_not_found());
    assert_eq!(raw.to_string(), typed.to_string());
    assert_eq!(raw.request_id(), Some("req-9"));
    assert_eq!(raw.request_id(), typed.request_id());
}

#[tokio::test]
async fn refused_path_values_send_nothing() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let anam = client(&server.base_url, quick_retries());
    for value in ["..", ".", "", "  "] {
        let error = anam
            .raw_json(Operation::DELETE_PERSONA)
            .path("id", value)
            .await
            .unwrap_err();
        assert!(matches!(error, anam::Error::InvalidInput(_)), "{error:?}");
        assert!(error.to_string().contains("`id`"), "{error}");
    }
    // A missing value, and a name the template lacks.
    let missing = anam.raw_json(Operation::DELETE_PERSONA).await.unwrap_err();
    assert!(
        matches!(missing, anam::Error::InvalidInput(_)),
        "{missing:?}"
    );
    let unknown = anam
        .raw_json(Operation::DELETE_PERSONA)
        .path("id", ID)
        .path("personaId", ID)
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("`personaId`"), "{unknown}");
    assert!(server.requests().is_empty());
}

/// A value for `parameter` that needs encoding when it may (a UUID when it must be one).
fn sample(operation: &Operation, name: &str) -> String {
    let uuid = operation
        .path_parameters
        .iter()
        .any(|p| p.name == name && p.uuid);
    if uuid {
        "00000000-0000-4000-8000-00000000000a".to_string()
    } else {
        format!("{name} a/b?c%d\\é")
    }
}

#[test]
fn every_operation_routes_back_from_its_concrete_path() {
    assert!(!OPERATIONS.is_empty());
    for operation in OPERATIONS {
        let values: Vec<(&str, String)> = operation
            .path_parameters
            .iter()
            .map(|p| (p.name, sample(operation, p.name)))
            .collect();
        let borrowed: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let path = operation
            .fill_path(&borrowed)
            .expect("every parameter has a value");
        let (found, decoded) = route(operation.method, &path)
            .unwrap_or_else(|| panic!("{} {path} routes nowhere", operation.id));
        assert_eq!(found.id, operation.id, "{path}");
        assert_eq!(decoded, values, "{path}");
        // With a query, the same; with another method, never this operation.
        let (with_query, _) = route(operation.method, &format!("{path}?page=2")).unwrap();
        assert_eq!(with_query.id, operation.id);
        let other = if operation.method == Method::Patch {
            Method::Trace
        } else {
            Method::Patch
        };
        assert!(route(other, &path).is_none_or(|(op, _)| op.id != operation.id));
    }
    assert!(route(Method::Get, "/v1/nothing-here").is_none());
}
