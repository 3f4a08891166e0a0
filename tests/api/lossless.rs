//! Lossless: the binary prints what the server sent (key order, nulls, empty lists, number
//! and timestamp text), an off-spec 2xx still prints and only warns, `with_raw()` keeps the
//! bytes beside the decode, and pagination follows `lastPage` or `total` to the end, starts
//! at the page asked for, and fails on a list that ends early.

use anam::RetryPolicy;
use anam::spec::Operation;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

use crate::cli::anam;
use crate::support::scripted::{Recorded, Reply, Scripted};
use crate::support::{client, quick_retries};

const ID: &str = "00000000-0000-0000-0000-000000000000";

/// A reply whose body is `text` exactly.
fn verbatim(status: u16, text: &str) -> Reply {
    Reply {
        body: text.to_string(),
        ..Reply::json(status, json!(null))
    }
}

/// Nulls, empty lists and objects, keys in no sorted order, a millisecond timestamp, number
/// text serde_json would rewrite (`1.50`, `1e3`, an integer past 64 bits) and an escape.
const ODD: &str = r#"{"name": "Cara", "id": "00000000-0000-0000-0000-000000000000",
  "tools": [], "avatar": null, "createdAt": "2026-04-20T09:00:00.000Z", "metadata": {},
  "zScore": 1.50, "count": 1e3, "big": 123456789012345678901234, "note": "caf\u00e9 \"x\""}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_the_body_as_the_server_sent_it() {
    let server = Scripted::start(vec![verbatim(200, ODD)]).await;
    let run = anam(&["personas", "get", ID, "--json"], Some(&server.base_url)).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let compact = concat!(
        r#"{"name":"Cara","id":"00000000-0000-0000-0000-000000000000","tools":[],"avatar":null,"#,
        r#""createdAt":"2026-04-20T09:00:00.000Z","metadata":{},"zScore":1.50,"count":1e3,"#,
        r#""big":123456789012345678901234,"note":"caf\u00e9 \"x\""}"#,
        "\n"
    );
    assert_eq!(run.stdout, compact);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    // Into a pipe without `--json`, the same compact line.
    let piped = anam(&["personas", "get", ID], Some(&server.base_url)).await;
    assert_eq!(piped.stdout, run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_off_spec_2xx_is_printed_with_a_warning_naming_the_field_and_exits_0() {
    let created = r#"{"id": "5b2c0000-0000-0000-0000-00000000c0de", "name": 5}"#;
    let server = Scripted::start(vec![verbatim(201, created)]).await;
    let run = anam(
        &["personas", "create", "--name", "Cara", "--json"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "{\"id\":\"5b2c0000-0000-0000-0000-00000000c0de\",\"name\":5}\n"
    );
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("at `name`: invalid type: integer, expected a string"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("c0de"),
        "a value leaked: {}",
        run.stderr
    );

    // Not JSON at all: copied as sent, still a success.
    let server = Scripted::start(vec![verbatim(200, "<html>ok</html>")]).await;
    let html = anam(&["personas", "get", ID], Some(&server.base_url)).await;
    assert_eq!(html.code, 0, "{}", html.stderr);
    assert_eq!(html.stdout, "<html>ok</html>");
    assert!(html.stderr.contains("warning"), "{}", html.stderr);
}

#[tokio::test]
async fn with_raw_keeps_the_bytes_beside_the_decode_and_decode_errors_keep_the_body() {
    let created = r#"{"id": "5b2c0000-0000-0000-0000-00000000c0de", "name": 5}"#;
    let server = Scripted::start(vec![verbatim(201, created).header("x-request-id", "r-1")]).await;
    let anam = client(&server.base_url, quick_retries());
    let body: anam::types::CreatePersonaBody =
        serde_json::from_value(json!({"name": "Cara"})).unwrap();
    let raw = anam
        .personas()
        .create(body.clone())
        .with_raw()
        .await
        .unwrap();
    assert_eq!(raw.status(), 201);
    assert_eq!(raw.headers()["x-request-id"], "r-1");
    assert_eq!(raw.body(), created.as_bytes());
    let off = raw.decoded().unwrap_err();
    assert_eq!(
        (off.path.as_str(), off.status),
        ("name", Some(reqwest::StatusCode::CREATED))
    );
    assert!(
        raw.into_result()
            .unwrap_err()
            .to_string()
            .contains("`name`")
    );

    let Err(anam::Error::Decode(error)) = anam.personas().create(body).await else {
        panic!("an off-spec body is a decode error through .await");
    };
    assert_eq!(error.whole_body(), created.as_bytes());

    let server = Scripted::start(vec![verbatim(200, ODD)]).await;
    let raw = client(&server.base_url, quick_retries())
        .personas()
        .get(ID)
        .with_raw()
        .await
        .unwrap();
    assert_eq!(raw.body(), ODD.as_bytes());
    assert_eq!(raw.decoded().unwrap().name.as_deref(), Some("Cara"));
}

/// Which `meta` a paged server sends.
#[derive(Clone, Copy)]
enum Meta {
    /// `currentPage` and `lastPage`, no `next`.
    LastPage,
    /// `total` and `perPage` only.
    Total,
    /// `lastPage: 3`, but page 3 comes back empty.
    EndsEarly,
}

/// `GET /v1/avatars?page=N…`: 250 avatars, 100 a page, described by `meta`.
fn paged(meta: Meta, request: &Recorded) -> Reply {
    let page: usize = request
        .target
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let end = match meta {
        Meta::EndsEarly if page >= 3 => 0,
        _ => (page * 100).min(250),
    };
    // Written by hand: `json!` would sort each item's keys.
    let data: Vec<String> = ((page - 1) * 100..end)
        .map(|i| {
            format!(r#"{{"id":"00000000-0000-0000-0000-{i:012}","displayName":"avatar {i}"}}"#)
        })
        .collect();
    let meta = match meta {
        Meta::LastPage | Meta::EndsEarly => json!({"currentPage": page, "lastPage": 3}),
        Meta::Total => json!({"total": 250, "perPage": 100}),
    };
    verbatim(
        200,
        &format!(r#"{{"data":[{}],"meta":{meta}}}"#, data.join(",")),
    )
}

fn pages_asked(server: &Scripted) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.query_pair("page").unwrap_or("no page").to_string())
        .collect()
}

#[tokio::test]
async fn into_stream_follows_last_page_or_total_to_the_end_and_fails_on_an_early_end() {
    for meta in [Meta::LastPage, Meta::Total] {
        let server = Scripted::route(move |_, request| paged(meta, request)).await;
        let anam = client(&server.base_url, quick_retries());
        let avatars: Vec<_> = anam
            .avatars()
            .list()
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(avatars.len(), 250);
        assert_eq!(avatars[249].display_name.as_deref(), Some("avatar 249"));
        assert_eq!(pages_asked(&server), ["page=1", "page=2", "page=3"]);

        let raw: Vec<_> = anam
            .avatars()
            .list()
            .into_raw_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(raw.len(), 250);
        let last: Value = serde_json::from_slice(raw[249].json()).unwrap();
        assert_eq!(last["displayName"], "avatar 249");
        assert_eq!(raw[249].page(), 3);

        let from_three: Vec<_> = anam
            .avatars()
            .list()
            .page(3)
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(from_three.len(), 50);
    }

    let server = Scripted::route(|_, request| paged(Meta::EndsEarly, request)).await;
    let anam = client(&server.base_url, RetryPolicy::none());
    let items: Vec<_> = anam.avatars().list().into_stream().collect().await;
    assert_eq!(items.len(), 201, "two pages, then the error");
    let error = items[200].as_ref().unwrap_err();
    assert!(
        matches!(
            error,
            anam::Error::IncompleteList {
                page: 3,
                items: 200,
                last_page: Some(3),
                ..
            }
        ),
        "{error:?}"
    );
    let raw: Vec<_> = anam.avatars().list().into_raw_stream().collect().await;
    assert_eq!(raw.len(), 201);
    assert!(matches!(raw[200], Err(anam::Error::IncompleteList { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_follows_last_page_or_total_starts_at_page_and_fails_on_an_early_end() {
    for meta in [Meta::LastPage, Meta::Total] {
        let server = Scripted::route(move |_, request| paged(meta, request)).await;
        let url = Some(server.base_url.as_str());
        let all = anam(&["avatars", "list", "--all"], url).await;
        assert_eq!(all.code, 0, "{}", all.stderr);
        let lines: Vec<&str> = all.stdout.lines().collect();
        assert_eq!(lines.len(), 250);
        assert_eq!(
            lines[249],
            r#"{"id":"00000000-0000-0000-0000-000000000249","displayName":"avatar 249"}"#,
            "each item as sent"
        );

        let later = anam(&["avatars", "list", "--all", "--page", "3"], url).await;
        assert_eq!(later.code, 0, "{}", later.stderr);
        assert_eq!(later.stdout.lines().count(), 50);
        assert_eq!(
            pages_asked(&server),
            ["page=1", "page=2", "page=3", "page=3"],
            "--page 3 asks for page 3 first"
        );
    }

    let server = Scripted::route(|_, request| paged(Meta::EndsEarly, request)).await;
    let early = anam(&["avatars", "list", "--all"], Some(&server.base_url)).await;
    assert_eq!(early.code, 1, "{}", early.stderr);
    assert_eq!(early.stdout.lines().count(), 200, "what came is printed");
    assert!(
        early
            .stderr
            .contains("the list ended early at page 3 after 200 items"),
        "{}",
        early.stderr
    );
}

/// The body the built-in mock answers `op` with (as `anam::mock` picks it).
fn canned(op: &Operation) -> Option<&'static str> {
    let status = op.success_status.to_string();
    op.examples
        .iter()
        .find(|e| e.status == status || e.status.ends_with("XX"))
        .or(op.examples.first())
        .map(|e| e.json)
}

/// What the binary prints for `body` (into a pipe): a list page (`{data: [...], meta}`) as its
/// items, one a line, each as written; any other body as written.
fn printed(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Page<'p> {
        #[serde(borrow)]
        data: Vec<&'p serde_json::value::RawValue>,
    }
    match serde_json::from_str::<Page<'_>>(body) {
        Ok(page) => page
            .data
            .iter()
            .map(|item| format!("{}\n", item.get()))
            .collect(),
        Err(_) => format!("{body}\n"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_with_a_json_example_prints_it_as_sent() {
    let mut checked = 0;
    let runs = anam::spec::OPERATIONS
        .iter()
        .flat_map(|op| op.facade_methods.iter().map(move |method| (op, method)));
    let runs: Vec<_> = runs
        .filter(|(op, method)| {
            let hand_written = method.sub_client == "sessions"
                && ["transcript", "list", "stop"].contains(&method.method);
            let json = op
                .success_body
                .is_some_and(|body| body.media_type == "application/json");
            !hand_written && json && canned(op).is_some()
        })
        .collect();
    // The uploads (`voices clone-from-audio`, `avatars upload-image`, `knowledge
    // upload-document`) send this file.
    let dir = crate::cli::scratch_dir("lossless-examples");
    let upload = dir.join("upload.bin");
    std::fs::write(&upload, b"not really audio").unwrap();
    let upload = upload.as_path();
    let results: Vec<_> = futures_util::stream::iter(runs)
        .map(|(op, method)| async move {
            let (args, input) = crate::cli_resources::invocation(op, method, upload);
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = crate::cli::anam_with_input(&words, input.as_deref(), None).await;
            (op, args, run)
        })
        .buffer_unordered(6)
        .collect()
        .await;
    let uploads = results
        .iter()
        .filter(|(_, args, _)| args.iter().any(|a| a == "--file"))
        .count();
    assert_eq!(
        uploads, 3,
        "the three uploads print what the server sent too"
    );
    for (op, args, run) in results {
        let line = args.join(" ");
        assert_eq!(run.code, 0, "anam {line}: {}", run.stderr);
        let example = canned(op).unwrap();
        assert_eq!(run.stdout, printed(example), "anam {line}");
        // The answer matches the spec (a request example may carry a field the spec lacks,
        // such as `temperature` in createLlm's: that warning is about the request).
        assert!(
            !run.stderr.contains("does not match the API spec"),
            "anam {line}: {}",
            run.stderr
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} operations checked");
    let _ = std::fs::remove_dir_all(&dir);
}
