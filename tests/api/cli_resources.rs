//! The generated resource commands (`anam <resource> <verb>`), through the binary: every
//! operation of `anam::spec::OPERATIONS` once against the built-in mock, the `--yes` rule,
//! bad input refused before anything is sent, and `--all` / `--limit` across pages.

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::cli::{Run, anam, anam_with_input, scratch_dir};
use crate::support::scripted::{Recorded, Reply, Scripted};

const ID: &str = "00000000-0000-0000-0000-000000000000";

/// Field flags for the operations whose spec has no request example (a new one fails the
/// every-operation test with the body error naming the field it lacks).
const BODIES_WITHOUT_EXAMPLE: &[(&str, &[&str])] = &[
    (
        "createVoice",
        &["--name", "Narrator", "--audio-key", "uploads/narrator.mp3"],
    ),
    (
        "createVoicePresignedUpload",
        &[
            "--filename",
            "narrator.mp3",
            "--content-type",
            "audio/mpeg",
            "--file-size",
            "1024",
        ],
    ),
    ("createEngineSession", &["--client-label", "test"]),
];

/// `displayName` as a command word or flag: `display-name`.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(if c == '_' { '-' } else { c });
        }
    }
    out
}

/// The command line (and standard input) that runs `method` of `op` against the mock.
pub(crate) fn invocation(
    op: &anam::spec::Operation,
    method: &anam::spec::FacadeMethod,
    upload: &std::path::Path,
) -> (Vec<String>, Option<Vec<u8>>) {
    let mut args = vec![kebab(method.sub_client), kebab(method.method)];
    for parameter in op.path_parameters {
        args.push(if parameter.uuid {
            ID.into()
        } else {
            "item-1".into()
        });
    }
    let mut input = None;
    if method.media_type == "multipart/form-data" {
        args.extend(["--file".to_string(), upload.display().to_string()]);
        match method.method {
            "clone_from_audio" => args.extend(["--name".into(), "Narrator".into()]),
            "upload_image" => args.extend(["--display-name".into(), "Cara".into()]),
            _ => {}
        }
    } else if let Some(example) = op.request_example {
        args.extend(["--body-file".into(), "-".into()]);
        input = Some(example.as_bytes().to_vec());
    } else if let Some((_, flags)) = BODIES_WITHOUT_EXAMPLE.iter().find(|(id, _)| *id == op.id) {
        args.extend(flags.iter().map(|f| f.to_string()));
    }
    if op.method == anam::spec::Method::Delete || op.id == "stopSession" {
        args.push("--yes".into());
    }
    if method.method == "transcript" {
        // The hand-written `sessions transcript` prints text unless asked for JSON.
        args.extend(["--format".into(), "json".into()]);
    }
    args.push("--json".into());
    (args, input)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_has_a_command_that_runs_against_the_built_in_mock() {
    let dir = scratch_dir("every-operation");
    let upload = dir.join("narrator.mp3");
    std::fs::write(&upload, b"ID3 not really audio").unwrap();
    let mut runs = Vec::new();
    for op in anam::spec::OPERATIONS {
        assert!(
            !op.facade_methods.is_empty(),
            "operation {} has no facade method, so no command",
            op.id
        );
        for method in op.facade_methods {
            runs.push((op, invocation(op, method, &upload)));
        }
    }
    let covered: std::collections::BTreeSet<&str> = runs.iter().map(|(op, _)| op.id).collect();
    assert_eq!(covered.len(), anam::spec::OPERATIONS.len());
    assert_eq!(covered.len(), 57);
    let results: Vec<(&anam::spec::Operation, Vec<String>, Run)> = futures_util::stream::iter(runs)
        .map(|(op, (args, input))| async move {
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = anam_with_input(&words, input.as_deref(), None).await;
            (op, args, run)
        })
        .buffer_unordered(6)
        .collect()
        .await;
    assert_eq!(
        results.len(),
        59,
        "57 operations, two with an upload variant too"
    );
    for (op, args, run) in results {
        let line = args.join(" ");
        assert_eq!(run.code, 0, "anam {line}: {}", run.stderr);
        assert!(
            run.stderr.contains("built-in mock"),
            "anam {line}: {}",
            run.stderr
        );
        if op.success_body.is_none() {
            assert!(run.stdout.is_empty(), "anam {line} printed {}", run.stdout);
            continue;
        }
        // One JSON document, or JSON Lines.
        let values: Vec<Value> = serde_json::Deserializer::from_str(&run.stdout)
            .into_iter::<Value>()
            .map(|value| value.unwrap_or_else(|e| panic!("anam {line}: {e}: {}", run.stdout)))
            .collect();
        assert!(!values.is_empty(), "anam {line} printed nothing");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server that answers every request with `{}`.
async fn empty_server() -> Scripted {
    Scripted::start(vec![Reply::json(200, json!({}))]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destructive_commands_need_yes_without_a_terminal_and_send_nothing_until_given() {
    let server = empty_server().await;
    for args in [
        vec!["personas", "delete", "persona-1"],
        vec!["tools", "delete", ID],
        vec!["meetings", "cancel-invite", ID],
        vec!["sessions", "stop", ID],
    ] {
        let refused = anam(&args, Some(&server.base_url)).await;
        assert_eq!(refused.code, 2, "{args:?}: {}", refused.stderr);
        assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
        assert!(
            refused.stderr.contains("Nothing was sent"),
            "{}",
            refused.stderr
        );
    }
    assert!(
        server.requests().is_empty(),
        "a refused command sent a request"
    );

    let deleted = anam(
        &["personas", "delete", "persona-1", "--yes"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    let hard = anam(
        &["avatars", "delete", ID, "--hard", "-y"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(hard.code, 0, "{}", hard.stderr);
    let requests = server.requests();
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.target.as_str()))
        .collect();
    assert_eq!(
        sent,
        [
            ("DELETE", "/v1/personas/persona-1"),
            ("DELETE", &*format!("/v1/avatars/{ID}?hard=true"))
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_what_is_wrong_and_nothing_is_sent() {
    let server = empty_server().await;
    let url = Some(server.base_url.as_str());
    let dir = scratch_dir("bad-input");
    let missing = dir.join("missing.json");
    let missing = missing.to_str().unwrap();

    let uuid = anam(&["share-links", "get", "not-a-uuid"], url).await;
    assert_eq!(uuid.code, 2);
    assert!(
        uuid.stderr.contains("'not-a-uuid' for '<ID>'"),
        "{}",
        uuid.stderr
    );

    let file = anam(&["personas", "create", "--body-file", missing], url).await;
    assert_eq!(file.code, 2);
    assert!(
        file.stderr
            .contains(&format!("cannot read the body file {missing}")),
        "{}",
        file.stderr
    );

    let secret = "my secret prompt";
    let broken =
        format!("{{\n  \"name\": \"Cara\",\n  \"systemPrompt\": \"{secret}\"\n  \"x\": 1}}");
    let json = anam_with_input(
        &["personas", "create", "--body-file", "-"],
        Some(broken.as_bytes()),
        url,
    )
    .await;
    assert_eq!(json.code, 2);
    assert!(json.stderr.contains("is not JSON"), "{}", json.stderr);
    assert!(
        json.stderr.contains("at line 4, column 3"),
        "{}",
        json.stderr
    );

    let mismatched = format!(r#"{{"name": "Cara", "skipGreeting": "{secret}"}}"#);
    let schema = anam_with_input(
        &["personas", "create", "--body-file", "-"],
        Some(mismatched.as_bytes()),
        url,
    )
    .await;
    assert_eq!(schema.code, 2);
    assert!(
        schema.stderr.contains("does not match CreatePersonaBody at `skipGreeting`: invalid type: string, expected a boolean"),
        "{}",
        schema.stderr
    );
    for run in [&json, &schema] {
        assert!(
            !run.stderr.contains(secret),
            "the body's text leaked: {}",
            run.stderr
        );
    }

    // A required field: its flag is required unless a body file is given, which must hold it.
    let lacking = anam(&["voices", "create", "--name", "Narrator"], url).await;
    assert_eq!(lacking.code, 2);
    assert!(lacking.stderr.contains("--audio-key"), "{}", lacking.stderr);
    let lacking = anam_with_input(
        &["voices", "create", "--body-file", "-"],
        Some(br#"{"name": "Narrator"}"#),
        url,
    )
    .await;
    assert_eq!(lacking.code, 2);
    assert!(
        lacking.stderr.contains("missing field `audioKey`"),
        "{}",
        lacking.stderr
    );

    let number = anam(&["share-links", "update", ID, "--usage-limit", "many"], url).await;
    assert_eq!(number.code, 2);
    assert!(number.stderr.contains("--usage-limit"), "{}", number.stderr);

    let upload = anam(
        &["knowledge", "upload-document", "group-1", "--file", missing],
        url,
    )
    .await;
    assert_eq!(upload.code, 2);
    assert!(
        upload.stderr.contains(&format!("cannot read {missing}")),
        "{}",
        upload.stderr
    );

    let choice = anam(&["meetings", "list-invites", "--status", "someday"], url).await;
    assert_eq!(choice.code, 2);
    assert!(
        choice.stderr.contains("possible values"),
        "{}",
        choice.stderr
    );

    assert!(server.requests().is_empty(), "bad input sent a request");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flags_override_the_body_file_and_the_body_is_sent_as_given() {
    let server = empty_server().await;
    let dir = scratch_dir("body-flags");
    let file = dir.join("persona.json");
    std::fs::write(
        &file,
        r#"{"name": "Old", "description": "kept", "toolIds": ["t1"]}"#,
    )
    .unwrap();
    let run = anam(
        &[
            "personas",
            "update",
            "persona-1",
            "--body-file",
            file.to_str().unwrap(),
            "--name",
            "Cara",
            "--skip-greeting",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let requests = server.requests();
    let [request] = requests.as_slice() else {
        panic!("{requests:?}")
    };
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/v1/personas/persona-1")
    );
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"name": "Cara", "description": "kept", "toolIds": ["t1"], "skipGreeting": true})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `GET /v1/avatars?page=N…`: 25 avatars, 10 a page.
fn avatar_page(request: &Recorded) -> Reply {
    let page: usize = request
        .target
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let data: Vec<Value> = ((page - 1) * 10..(page * 10).min(25))
        .map(|i| json!({"id": format!("00000000-0000-0000-0000-{i:012}"), "displayName": format!("avatar {i}")}))
        .collect();
    let next = (page * 10 < 25).then_some(page + 1);
    Reply::json(
        200,
        json!({"data": data, "meta": {"currentPage": page, "next": next, "total": 25}}),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_streams_every_page_with_the_filters_and_limit_stops_early() {
    let server = Scripted::route(|_, request| avatar_page(request)).await;
    let url = Some(server.base_url.as_str());
    let filters = [
        "--search",
        "liv",
        "--render-style",
        "realistic",
        "--tags",
        "a",
        "--tags",
        "b",
    ];

    let one = anam(&[&["avatars", "list"][..], &filters].concat(), url).await;
    assert_eq!(one.code, 0, "{}", one.stderr);
    // One page by default, printed as its items: the same shape as --all.
    let items: Vec<Value> = one
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(items.len(), 10, "one page by default");
    assert_eq!(server.requests().len(), 1);

    let all = anam(&[&["avatars", "list", "--all"][..], &filters].concat(), url).await;
    assert_eq!(all.code, 0, "{}", all.stderr);
    let names: Vec<String> = all
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["displayName"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(names.len(), 25);
    assert_eq!(names[24], "avatar 24");
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "one page, then three");
    for request in &requests[1..] {
        for filter in ["search=liv", "renderStyle=realistic", "tags=a", "tags=b"] {
            assert!(
                request.target.contains(filter),
                "{} lacks {filter}",
                request.target
            );
        }
    }

    let limited = anam(&["avatars", "list", "--limit", "12"], url).await;
    assert_eq!(limited.stdout.lines().count(), 12);
    assert_eq!(server.requests().len(), 6, "two pages for twelve items");
}
