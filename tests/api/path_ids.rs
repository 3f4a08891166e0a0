//! Nothing a user gives is sent anywhere they did not name: a path id stays inside its
//! segment, and an id that would address another resource (empty, only whitespace, `.`, `..`)
//! is refused before anything is sent, through the library and through the binary.

use anam::spec::{OPERATIONS, Operation};
use anam::{Client, Error, RetryPolicy, UploadFile};
use serde_json::json;

use crate::cli::anam;
use crate::support::scripted::{Reply, Scripted};
use crate::support::{client, request_body};

/// The ids a URL would not keep as one segment of their own.
const REFUSED: [&str; 6] = ["", " ", "\t", ".", "..", " \n "];

/// Sends `operation` through its facade method with `id` as its text path id; `None` for an
/// operation this list does not know (the test then fails: the table decides what is covered).
async fn send_with_id(anam: &Client, operation: &Operation, id: &str) -> Option<anam::Result<()>> {
    let id = id.to_string();
    let k = anam.knowledge();
    let result = match operation.id {
        "getPersona" => anam.personas().get(id).await.map(drop),
        "updatePersona" => anam
            .personas()
            .update(id, request_body(operation, json!({})))
            .await
            .map(drop),
        "deletePersona" => anam.personas().delete(id).await.map(drop),
        "getLlm" => anam.llms().get(id).await.map(drop),
        "updateLlm" => anam
            .llms()
            .update(id, request_body(operation, json!({})))
            .await
            .map(drop),
        "deleteLlm" => anam.llms().delete(id).await.map(drop),
        "getKnowledgeGroup" => k.get_group(id).await.map(drop),
        "updateKnowledgeGroup" => k
            .update_group(id, request_body(operation, json!({"name": "n"})))
            .await
            .map(drop),
        "deleteKnowledgeGroup" => k.delete_group(id).await.map(drop),
        "searchKnowledgeGroup" => k
            .search(id, request_body(operation, json!({"query": "q"})))
            .await
            .map(drop),
        "listKnowledgeGroupDocuments" => k.list_documents(id).await.map(drop),
        "uploadKnowledgeGroupDocument" => k
            .upload_document(
                &id,
                UploadFile::from_bytes("faq.md", "# FAQ"),
                Default::default(),
            )
            .await
            .map(drop),
        "getKnowledgeDocument" => k.get_document(id).await.map(drop),
        "updateKnowledgeDocument" => k
            .update_document(id, request_body(operation, json!({})))
            .await
            .map(drop),
        "deleteKnowledgeDocument" => k.delete_document(id).await.map(drop),
        "getKnowledgeDocumentDownload" => k.download_document(id).await.map(drop),
        _ => return None,
    };
    Some(result)
}

/// Every operation with a text (not UUID) path parameter, from the table.
fn text_id_operations() -> Vec<&'static Operation> {
    OPERATIONS
        .iter()
        .filter(|op| op.path_parameters.iter().any(|p| !p.uuid))
        .collect()
}

#[tokio::test]
async fn every_facade_method_refuses_ids_that_would_leave_their_segment_and_sends_nothing() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let anam = client(&server.base_url, RetryPolicy::none());
    let operations = text_id_operations();
    assert!(operations.len() >= 15, "{}", operations.len());
    for operation in operations {
        let [parameter] = operation.path_parameters else {
            panic!("{} has several path parameters", operation.id);
        };
        for id in REFUSED {
            let Some(result) = send_with_id(&anam, operation, id).await else {
                panic!("{} has a text id: add it to send_with_id", operation.id);
            };
            let error = result.expect_err(operation.id);
            let expected = format!(
                "{}: parameter `{}` must not be",
                operation.id, parameter.name
            );
            assert!(
                matches!(&error, Error::InvalidInput(m) if m.starts_with(&expected)),
                "{} with {id:?}: {error}",
                operation.id
            );
        }
    }
    assert!(
        server.requests().is_empty(),
        "sent: {:?}",
        server
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.target))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn an_id_with_reserved_characters_reaches_the_server_as_one_encoded_segment() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let anam = client(&server.base_url, RetryPolicy::none());
    let cases = [
        ("a/b", "a%2Fb"),
        ("what?x=1", "what%3Fx%3D1"),
        ("tag#frag", "tag%23frag"),
        ("100%", "100%25"),
        ("%2e%2e", "%252e%252e"),
        (r"a\b", "a%5Cb"),
        ("../v1/llms", "..%2Fv1%2Fllms"),
        (" x ", "%20x%20"),
        ("é", "%C3%A9"),
    ];
    for (id, _) in cases {
        // Only the path matters here, not how `{}` decodes.
        let _ = anam.personas().delete(id).await;
        let _ = anam.knowledge().list_documents(id).await;
    }
    let upload = UploadFile::from_bytes("faq.md", "# FAQ");
    let _ = anam
        .knowledge()
        .upload_document("g/1?", upload, Default::default())
        .await;
    let sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    let mut expected = Vec::new();
    for (_, encoded) in cases {
        expected.push(format!("DELETE /v1/personas/{encoded}"));
        expected.push(format!("GET /v1/knowledge/groups/{encoded}/documents"));
    }
    expected.push("POST /v1/knowledge/groups/g%2F1%3F/documents".into());
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn the_generated_client_refuses_a_path_its_ids_would_change() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let raw = crate::support::raw_client(&server.base_url);
    for id in ["", ".", ".."] {
        let error = raw.delete_persona().id(id).send().await.unwrap_err();
        assert!(
            matches!(&error, anam::raw::Error::InvalidRequest(m)
                if m.starts_with("parameter `id` must not be")),
            "{id:?}: {error}"
        );
        let error = raw
            .list_knowledge_group_documents()
            .id(id)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&error, anam::raw::Error::InvalidRequest(m)
                if m.contains("/v1/knowledge/groups/{id}/documents")),
            "{id:?}: {error}"
        );
    }
    assert!(server.requests().is_empty());
    let _ = raw.delete_persona().id("a/..").send().await;
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].target, "/v1/personas/a%2F..");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_refuses_such_ids_with_exit_status_2_and_sends_nothing() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let lines: [&[&str]; 8] = [
        &["personas", "delete", "..", "--yes"],
        &["personas", "delete", ".", "--yes"],
        &["personas", "get", "."],
        &["personas", "get", ""],
        &["llms", "get", "  "],
        &["knowledge", "list-documents", ".."],
        &["knowledge", "update-group", "..", "--name", "n"],
        &["knowledge", "upload-document", "..", "--file", "Cargo.toml"],
    ];
    for args in lines {
        let run = anam(args, Some(&server.base_url)).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("<ID>") || run.stderr.contains("<GROUP>"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("must not be"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(server.requests().is_empty(), "a refused id sent a request");

    let run = anam(
        &["personas", "delete", "a/b?c#d", "--yes"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].target, "/v1/personas/a%2Fb%3Fc%23d");
}

#[test]
fn an_empty_key_or_a_base_url_holding_v1_is_refused_at_build() {
    for key in ["", "   ", "\n"] {
        let error = Client::builder().api_key(key).build().unwrap_err();
        assert!(
            matches!(error, Error::Config(anam::ConfigError::EmptyApiKey)),
            "{key:?}: {error}"
        );
    }
    assert!(matches!(
        anam::hooks::HookState::new(""),
        Err(anam::ConfigError::EmptyApiKey)
    ));
    for url in ["https://api.anam.ai/v1", "https://api.anam.ai/v1/"] {
        let error = Client::builder()
            .api_key("key")
            .base_url(url)
            .build()
            .unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(&error, Error::Config(anam::ConfigError::MisleadingBaseUrl { url: u, .. }) if u == url),
            "{text}"
        );
        assert!(text.contains(url) && text.contains("drop `/v1`"), "{text}");
        assert!(!error.is_not_found());
    }
    let proxied = Client::builder()
        .api_key("key")
        .base_url("https://proxy.example/anam/")
        .build()
        .unwrap();
    assert_eq!(proxied.base_url(), "https://proxy.example/anam");
}

/// Runs the binary with exactly these `ANAM_*` variables.
async fn anam_with_env(args: &[&str], env: &[(&str, &str)]) -> crate::cli::Run {
    let mut command = tokio::process::Command::new(crate::cli::BIN);
    command
        .args(args)
        .env_remove("ANAM_API_KEY")
        .env_remove("ANAM_BASE_URL")
        .env_remove("ANAM_TIMEOUT")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().await.expect("the binary runs");
    crate::cli::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_reports_misleading_configuration_as_exit_1_and_sends_nothing() {
    let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
    let versioned = format!("{}/v1", server.base_url);
    let run = anam_with_env(
        &["personas", "list"],
        &[("ANAM_API_KEY", "key"), ("ANAM_BASE_URL", &versioned)],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(&versioned), "{}", run.stderr);
    assert!(run.stderr.contains("drop `/v1`"), "{}", run.stderr);
    let flag = anam_with_env(
        &[
            "--base-url",
            &format!("{versioned}/"),
            "personas",
            "get",
            "p1",
        ],
        &[("ANAM_API_KEY", "key")],
    )
    .await;
    assert_eq!(flag.code, 1, "{}", flag.stderr);
    assert!(flag.stderr.contains("drop `/v1`"), "{}", flag.stderr);

    for key in ["", "  "] {
        let run = anam_with_env(
            &["personas", "list"],
            &[("ANAM_API_KEY", key), ("ANAM_BASE_URL", &server.base_url)],
        )
        .await;
        assert_eq!(run.code, 1, "{key:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("ANAM_API_KEY is set but empty"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("using the built-in mock"),
            "fell back to the mock: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    assert!(
        server.requests().is_empty(),
        "a refused configuration sent a request"
    );
}
