//! The `anam` binary, run as a user runs it, against the built-in mock server or a loopback
//! server the test starts: each subcommand, `--json`, exit codes, and the bulk export under
//! failures, 429s, an exhausted rate-limit window, and a kill part-way through.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::process::Command;

use crate::support::scripted::{Recorded, Reply, Scripted};
use crate::support::{KEY, SESSION, transcript_json};

mod export;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_anam");
const EXAMPLE_SESSION: &str = "00000000-0000-0000-0000-000000000000";

/// A configuration directory that holds nothing, so no stored profile is read.
pub(crate) fn no_config() -> PathBuf {
    std::env::temp_dir().join("anam-tests-no-config")
}

/// What one run of the binary produced.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `anam args…`; with `server`, against it with the test key, else against the built-in
/// mock (`ANAM_MOCK=1`, no key in the environment). Dropping the future (a timeout) kills the
/// process.
pub(crate) async fn anam(args: &[&str], server: Option<&str>) -> Run {
    anam_with_input(args, None, server).await
}

/// [`anam`], with `input` on its standard input (a pipe, so not a terminal).
pub(crate) async fn anam_with_input(
    args: &[&str],
    input: Option<&[u8]>,
    server: Option<&str>,
) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("ANAM_API_KEY")
        .env_remove("ANAM_BASE_URL")
        .env_remove("ANAM_TIMEOUT")
        .env_remove("ANAM_MOCK")
        .env_remove("ANAM_PROFILE")
        .env_remove("ANAM_DEBUG")
        // No stored profile of the person running the tests is ever read.
        .env("XDG_CONFIG_HOME", no_config())
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    match server {
        Some(base_url) => {
            command
                .env("ANAM_API_KEY", KEY)
                .env("ANAM_BASE_URL", base_url);
        }
        None => {
            command.env("ANAM_MOCK", "1");
        }
    }
    let mut child = command.spawn().expect("the binary runs");
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        use tokio::io::AsyncWriteExt;
        // A command that fails before reading its input closes the pipe: not the test's error.
        let _ = stdin.write_all(input).await;
    }
    let output = child.wait_with_output().await.expect("the binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    assert!(
        !run.stdout.contains(KEY) && !run.stderr.contains(KEY),
        "the key leaked: {}{}",
        run.stdout,
        run.stderr
    );
    run
}

pub(crate) fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("anam-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asked_for_the_built_in_mock_answers_the_transcript_and_says_so_on_stderr() {
    let run = anam(&["sessions", "transcript", EXAMPLE_SESSION], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Cara: Hi! How can I help?"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("built-in mock"), "{}", run.stderr);
    assert!(
        !run.stdout.contains("built-in mock"),
        "diagnostics stay off stdout"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_prints_and_saves_atomically() {
    let dir = scratch_dir("formats");
    for format in ["text", "md", "vtt", "srt", "json", "jsonl"] {
        let printed = anam(
            &[
                "sessions",
                "transcript",
                EXAMPLE_SESSION,
                "--format",
                format,
            ],
            None,
        )
        .await;
        assert_eq!(printed.code, 0, "{format}: {}", printed.stderr);
        let path = dir.join(format!("t.{format}"));
        let saved = anam(
            &[
                "sessions",
                "transcript",
                EXAMPLE_SESSION,
                "-f",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
            None,
        )
        .await;
        assert_eq!(saved.code, 0, "{format}: {}", saved.stderr);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            printed.stdout,
            "{format}"
        );
    }
    assert!(
        std::fs::read_to_string(dir.join("t.vtt"))
            .unwrap()
            .starts_with("WEBVTT")
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("t.json")).unwrap()).unwrap();
    assert_eq!(json["personaName"], "Cara");
    for line in std::fs::read_to_string(dir.join("t.jsonl"))
        .unwrap()
        .lines()
    {
        let message: Value = serde_json::from_str(line).unwrap();
        assert!(message.to_string().contains(EXAMPLE_SESSION), "{line}");
    }
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 6, "no partial files: {names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn session(index: usize, ended: bool) -> Value {
    json!({
        "id": format!("00000000-0000-0000-0000-{index:012}"),
        "createdAt": format!("2026-11-{:02}T10:00:00.000Z", 1 + index % 28),
        "startTime": format!("2026-11-{:02}T10:00:00.000Z", 1 + index % 28),
        "endTime": if ended { json!("2026-11-01T10:10:00.000Z") } else { Value::Null },
        "personaId": "11111111-1111-1111-1111-111111111111",
    })
}

/// `GET /v1/sessions?page=N…` pages of `total` sessions, 100 a page; every third is open.
pub(crate) fn sessions_page(request: &Recorded, total: usize) -> Reply {
    sessions_page_of(request, total, |i| i % 3 == 0)
}

/// [`sessions_page`] with every session ended: an export's re-run may skip them all.
pub(crate) fn ended_sessions_page(request: &Recorded, total: usize) -> Reply {
    sessions_page_of(request, total, |_| false)
}

/// Pages of `total` sessions, 100 a page, session `i` open when `open(i)`.
fn sessions_page_of(request: &Recorded, total: usize, open: fn(usize) -> bool) -> Reply {
    let page: usize = request
        .target
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let start = (page - 1) * 100;
    let data: Vec<Value> = (start..total.min(start + 100))
        .map(|i| session(i, !open(i)))
        .collect();
    let next = (start + 100 < total).then_some(page + 1);
    Reply::json(
        200,
        json!({"data": data, "meta": {"currentPage": page, "next": next, "total": total}}),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_filters_limits_and_prints_json_lines() {
    let server = Scripted::route(|_, request| sessions_page(request, 150)).await;
    // One page unless --all or --limit, as every list; that page is asked for once.
    let first = anam(&["sessions", "list", "--json"], Some(&server.base_url)).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout.lines().count(), 100);
    assert_eq!(server.requests().len(), 1);
    let second = anam(&["sessions", "list", "--page", "2"], Some(&server.base_url)).await;
    assert_eq!(second.stdout.lines().count(), 50, "{}", second.stderr);
    let all = anam(
        &["sessions", "list", "--all", "--json"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(all.code, 0, "{}", all.stderr);
    let lines: Vec<Value> = all
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 150);
    let open = anam(
        &["sessions", "list", "--json", "--open", "--limit", "7"],
        Some(&server.base_url),
    )
    .await;
    let open: Vec<Value> = open
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(open.len(), 7);
    assert!(open.iter().all(|s| s["endTime"].is_null()));
    let persona = "11111111-1111-1111-1111-111111111111";
    let human = anam(
        &[
            "sessions",
            "list",
            "--all",
            "--persona",
            persona,
            "--search",
            "x",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(human.code, 0);
    // No terminal: the server's JSON, one session a line, as with --json.
    let lines: Vec<Value> = human
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines without a terminal"))
        .collect();
    assert_eq!(lines.len(), 150);
    let last = server.requests().pop().unwrap();
    assert!(
        last.target.contains(&format!("personaId={persona}")) && last.target.contains("search=x")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_and_stats_work_from_the_api_and_from_a_file() {
    let stopped = anam(
        &["sessions", "stop", EXAMPLE_SESSION, "--yes", "--json"],
        None,
    )
    .await;
    assert_eq!(stopped.code, 0, "{}", stopped.stderr);
    serde_json::from_str::<Value>(&stopped.stdout).expect("--json prints JSON");

    let stats = anam(&["sessions", "stats", EXAMPLE_SESSION, "--json"], None).await;
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    let from_api: Value = serde_json::from_str(&stats.stdout).unwrap();
    assert!(from_api.is_object());

    let dir = scratch_dir("stats");
    let file = dir.join("t.json");
    std::fs::write(&file, transcript_json().to_string()).unwrap();
    let from_file = anam(
        &["sessions", "stats", file.to_str().unwrap(), "--json"],
        None,
    )
    .await;
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    serde_json::from_str::<Value>(&from_file.stdout).unwrap();
    let human = anam(&["sessions", "stats", file.to_str().unwrap()], None).await;
    assert!(!human.stdout.trim().is_empty());

    std::fs::write(&file, "{\"messages\": [oops").unwrap();
    let broken = anam(&["sessions", "stats", file.to_str().unwrap()], None).await;
    assert_eq!(broken.code, 1);
    assert!(
        broken.stderr.contains("is not a transcript JSON file"),
        "{}",
        broken.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_tell_usage_errors_from_failures() {
    let usage = anam(&["sessions", "transcript", "not-a-uuid"], None).await;
    assert_eq!(usage.code, 2, "{}", usage.stderr);
    let server = Scripted::start(vec![Reply::json(
        404,
        json!({"message": "Session not found"}),
    )])
    .await;
    let missing = anam(
        &["sessions", "transcript", EXAMPLE_SESSION],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("404") && missing.stderr.contains("Session not found"),
        "{}",
        missing.stderr
    );
    assert!(missing.stdout.is_empty());
    let no_file = anam(
        &["--api-key-file", "/nonexistent/key", "sessions", "list"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(no_file.code, 1);
    assert!(
        no_file.stderr.contains("cannot read the API key file"),
        "{}",
        no_file.stderr
    );
}

/// A transcript body for session `id`.
pub(crate) fn transcript_of(id: &str) -> Value {
    let mut body = transcript_json();
    body["sessionId"] = json!(id);
    body
}

/// The session id a transcript request asks for.
pub(crate) fn transcript_id(request: &Recorded) -> Option<String> {
    let rest = request.target.strip_prefix("/v1/sessions/")?;
    rest.strip_suffix("/transcript").map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_name_every_sub_command_for_each_shell_without_a_server() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = anam(&["completions", shell], None).await;
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for word in [
            "sessions",
            "transcript",
            "list",
            "stop",
            "stats",
            "export",
            "completions",
            // Generated from the spec:
            "personas",
            "share-links",
            "create-invite",
            "list-groups",
            "aggregated-analytics",
            "upload-document",
        ] {
            assert!(
                run.stdout.contains(word),
                "{shell} completions lack `{word}`"
            );
        }
        assert!(
            run.stderr.is_empty(),
            "{shell}: completions start no mock server and say nothing: {}",
            run.stderr
        );
    }
    let unknown = anam(&["completions", "tcsh"], None).await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("possible values"),
        "{}",
        unknown.stderr
    );
}

/// An answer with nulls, empty lists, number text and an unusual key order.
const SESSION_AS_SENT: &str = r#"{"updatedAt":null,"id":"00000000-0000-0000-0000-000000000001","tags":[],"endTime":null,"sessionLengthMs":1.50}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hand_written_commands_print_what_the_server_sent() {
    use crate::raw_json::as_sent;
    let page = format!(r#"{{"meta":{{"total":1}},"data":[{SESSION_AS_SENT}]}}"#);
    let transcript = r#"{"sessionId":"00000000-0000-0000-0000-000000000001","messages":[],"personaName":null,"zeta":{"b":1.0,"a":[]}}"#;
    let server = Scripted::route(move |_, request| {
        if request.target.starts_with("/v1/sessions?") || request.target == "/v1/sessions" {
            as_sent(200, &page)
        } else if request.target.ends_with("/transcript") {
            as_sent(200, transcript)
        } else {
            as_sent(200, SESSION_AS_SENT)
        }
    })
    .await;
    let base = Some(server.base_url.as_str());
    for args in [&["sessions", "list"][..], &["sessions", "list", "--json"]] {
        let run = anam(args, base).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, format!("{SESSION_AS_SENT}\n"), "{args:?}");
    }
    let open = anam(&["sessions", "list", "--open"], base).await;
    assert_eq!(open.stdout, format!("{SESSION_AS_SENT}\n"));
    for args in [
        &["sessions", "stop", SESSION, "--yes"][..],
        &["sessions", "stop", SESSION, "--yes", "--json"],
    ] {
        let run = anam(args, base).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, format!("{SESSION_AS_SENT}\n"), "{args:?}");
    }
    let compact = anam(&["sessions", "transcript", SESSION, "--json"], base).await;
    assert_eq!(compact.code, 0, "{}", compact.stderr);
    assert_eq!(compact.stdout, format!("{transcript}\n"));
    // `--format json` is indented, the server's tokens kept.
    let indented = anam(
        &["sessions", "transcript", SESSION, "--format", "json"],
        base,
    )
    .await;
    assert_eq!(indented.code, 0, "{}", indented.stderr);
    let text = &indented.stdout;
    assert!(text.lines().count() > 1, "{text}");
    assert!(
        text.contains("\"personaName\": null") && text.contains("\"b\": 1.0"),
        "{text}"
    );
    assert!(
        text.find("\"messages\": []") < text.find("\"zeta\""),
        "{text}"
    );
    // Into a file: indented, the server's tokens kept.
    let dir = scratch_dir("transcript-as-sent");
    let file = dir.join("t.json");
    let run = anam(
        &[
            "sessions",
            "transcript",
            SESSION,
            "--format",
            "json",
            "--out",
            file.to_str().unwrap(),
        ],
        base,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("\"personaName\": null") && written.contains("\"b\": 1.0"),
        "{written}"
    );
    // The human formats still render the typed value.
    let text = anam(&["sessions", "transcript", SESSION], base).await;
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(!text.stdout.starts_with('{'), "{}", text.stdout);

    // Off the spec: printed as sent, with a warning, exit 0.
    let off = r#"{"data":[{"id":7}],"meta":{}}"#;
    let server = Scripted::route(move |_, _| as_sent(200, off)).await;
    let run = anam(&["sessions", "list"], Some(&server.base_url)).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "{\"id\":7}\n");
    assert!(
        run.stderr.contains("warning:") && run.stderr.contains("id"),
        "{}",
        run.stderr
    );
}
