//! The mocks check what they are sent: a JSON request body its operation's generated type
//! refuses is answered with the API's 400 naming the field, the spec's own request examples
//! are accepted, and the requests received can be read back.

use anam::mock::{LocalServer, MockAnam, ReceivedRequest};
use anam::spec::{OPERATIONS, Operation};
use serde_json::{Value, json};

use crate::support::SESSION;

/// Both mocks, started; with a way to read what each received.
struct Mocks {
    httpmock: MockAnam,
    local: LocalServer,
}

impl Mocks {
    async fn start() -> Self {
        Self {
            httpmock: MockAnam::start().await,
            local: LocalServer::start().await.expect("the local server starts"),
        }
    }

    fn each(&self) -> [(&'static str, String); 2] {
        [
            ("MockAnam", self.httpmock.base_url()),
            ("LocalServer", self.local.base_url().to_string()),
        ]
    }

    fn requests(&self, name: &str) -> Vec<ReceivedRequest> {
        match name {
            "MockAnam" => self.httpmock.requests(),
            _ => self.local.requests(),
        }
    }
}

/// `operation`'s path with every id filled in (a UUID, or a text id).
fn path(operation: &Operation) -> String {
    let values: Vec<(&str, &str)> = operation
        .path_parameters
        .iter()
        .map(|p| (p.name, if p.uuid { SESSION } else { "text-id" }))
        .collect();
    operation
        .fill_path(&values)
        .expect("every parameter filled")
}

/// Sends `body` to `operation` on `base_url` as the client would; the status and JSON answer.
async fn send(base_url: &str, operation: &Operation, body: &[u8]) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(operation.method.as_str().as_bytes()).unwrap();
    let response = http()
        .request(method, format!("{base_url}{}", path(operation)))
        .header("content-type", "application/json")
        .header("authorization", "Bearer anam-mock-key")
        .body(body.to_vec())
        .send()
        .await
        .expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a whole body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A plain HTTP client (with the crate's TLS provider).
fn http() -> reqwest::Client {
    anam::http::default_client().expect("HTTP client builds")
}

/// The operations whose JSON body is checked, from the table.
fn checked() -> Vec<&'static Operation> {
    OPERATIONS
        .iter()
        .filter(|op| anam::raw::spec_table::check_request_body(op.id, b"{}").is_some())
        .collect()
}

#[tokio::test]
async fn every_request_example_of_the_spec_is_accepted_by_both_mocks() {
    let mocks = Mocks::start().await;
    let checked = checked();
    assert!(checked.len() >= 20, "{} operations checked", checked.len());
    let mut tried = 0;
    for operation in checked {
        let Some(example) = operation.request_example else {
            continue;
        };
        for (name, base_url) in mocks.each() {
            let (status, answer) = send(&base_url, operation, example.as_bytes()).await;
            assert!(
                (200..300).contains(&status),
                "{name} answered {status} to the example of {}: {answer}",
                operation.id
            );
        }
        tried += 1;
    }
    assert!(
        tried >= 15,
        "only {tried} operations have a request example"
    );
}

#[tokio::test]
async fn a_body_its_type_refuses_is_a_400_naming_the_field_and_what_was_wrong() {
    let mocks = Mocks::start().await;
    let search = Operation::SEARCH_KNOWLEDGE_GROUP;
    let share = Operation::CREATE_SHARE_LINK;
    let group = Operation::CREATE_KNOWLEDGE_GROUP;
    let cases: [(&Operation, &[u8], &str, &str, &str); 5] = [
        (
            search,
            br#"{"query": 5}"#,
            "query",
            "invalid_type",
            "invalid type: integer",
        ),
        (
            share,
            br#"{"personaId": "00000000-0000-0000-0000-000000000001", "usageLimit": "ten"}"#,
            "usageLimit",
            "invalid_type",
            "expected f64",
        ),
        (
            group,
            br#"{"description": "d"}"#,
            ".",
            "missing_field",
            "missing field `name`",
        ),
        (group, b"<faq/>", ".", "invalid_json", "expected value"),
        (search, b"", ".", "invalid_json", "EOF while parsing"),
    ];
    for (name, base_url) in mocks.each() {
        for (operation, body, field, code, reason) in cases {
            let (status, answer) = send(&base_url, operation, body).await;
            let what = format!("{name} {} {}", operation.id, String::from_utf8_lossy(body));
            assert_eq!(status, 400, "{what}: {answer}");
            assert_eq!(answer["error"], "Validation error", "{what}: {answer}");
            let detail = &answer["details"][0];
            assert_eq!(detail["path"], field, "{what}: {answer}");
            assert_eq!(detail["code"], code, "{what}: {answer}");
            let message = answer["message"].as_str().unwrap_or_default();
            assert!(message.contains(reason), "{what}: {message}");
            if code != "invalid_json" {
                assert!(
                    message.contains(&format!("at `{field}`")),
                    "{what}: {message}"
                );
            }
            // The answer never quotes a value of the body.
            assert!(
                !message.contains("ten") && !message.contains("faq"),
                "{message}"
            );
        }
        let statuses: Vec<u16> = mocks.requests(name).iter().map(|r| r.status).collect();
        assert_eq!(statuses, [400; 5], "{name}");
    }
    assert_eq!(mocks.httpmock.calls("searchKnowledgeGroup"), 2);
    assert_eq!(mocks.local.calls("createKnowledgeGroup"), 2);
}

#[tokio::test]
async fn a_valid_body_is_recorded_and_a_missing_field_is_named_in_the_summary() {
    let mock = MockAnam::start().await;
    let raw = crate::support::raw_client(&mock.base_url());
    // The generated client sends what its builder holds; a body built as JSON by hand that
    // misses a required field reaches the mock through `raw()` and comes back refused.
    let body: anam::types::CreateShareLinkBody =
        serde_json::from_value(json!({"personaId": SESSION})).unwrap();
    raw.create_share_link().body(body).send().await.unwrap();
    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].json().unwrap()["personaId"], SESSION);

    let error = http()
        .post(format!("{}/v1/share-links", mock.base_url()))
        .body(r#"{"usageLimit": 3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(error.status(), 400);
    let answer: Value = error.json().await.unwrap();
    assert_eq!(
        answer["summary"], ".: missing field `personaId`",
        "{answer}"
    );
}

/// Method, path, query, operation and status of a received request.
type Summary<'r> = (&'r str, &'r str, Option<&'r str>, Option<&'static str>, u16);

#[tokio::test]
async fn received_requests_are_readable_and_bounded() {
    let local = LocalServer::start().await.unwrap();
    let anam = local.client().unwrap();
    anam.personas().delete("a/b?c").await.unwrap();
    anam.sessions()
        .list()
        .search("sup port")
        .per_page(5)
        .await
        .unwrap();
    let body: anam::types::CreateKnowledgeGroupBody =
        serde_json::from_value(json!({"name": "FAQ"})).unwrap();
    anam.knowledge().create_group(body).await.unwrap();
    let _ = http()
        .get(format!("{}/v1/nowhere", local.base_url()))
        .send()
        .await;
    let sent = local.requests();
    let summary: Vec<Summary> = sent
        .iter()
        .map(|r| {
            (
                r.method.as_str(),
                r.path.as_str(),
                r.query.as_deref(),
                r.operation,
                r.status,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "DELETE",
                "/v1/personas/a%2Fb%3Fc",
                None,
                Some("deletePersona"),
                200
            ),
            (
                "GET",
                "/v1/sessions",
                Some("perPage=5&search=sup+port"),
                Some("listSessions"),
                200
            ),
            (
                "POST",
                "/v1/knowledge/groups",
                None,
                Some("createKnowledgeGroup"),
                201
            ),
            ("GET", "/v1/nowhere", None, None, 404),
        ]
    );
    assert_eq!(sent[2].json(), Some(json!({"name": "FAQ"})));
    assert!(!sent[2].body_truncated);

    let mock = MockAnam::start().await;
    let client = mock.client().unwrap();
    for _ in 0..anam::mock::RECORDED_REQUESTS + 5 {
        client.sessions().concurrency().await.unwrap();
    }
    assert_eq!(mock.requests().len(), anam::mock::RECORDED_REQUESTS);
    assert_eq!(
        mock.calls("getSessionConcurrency"),
        anam::mock::RECORDED_REQUESTS + 5
    );
}
