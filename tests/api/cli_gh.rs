//! What users of `gh` expect of the binary: `auth login|status|logout` and profiles, tables
//! on a terminal and JSON in a pipe, `--jq`, `anam api`, `--debug` and `--dry-run`, each
//! against a loopback server that records what it receives.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::{BIN, Run, scratch_dir};
use crate::cli_mock::on_a_terminal;
use crate::support::scripted::{Reply, Scripted};

mod auth;

const STORED_KEY: &str = "sk-stored-0123456789abcdef";
const STAGING_KEY: &str = "sk-staging-fedcba9876543210";
const VARIABLE_KEY: &str = "sk-variable-00112233445566";
const P1: &str = "00000000-0000-0000-0000-000000000001";
const P2: &str = "00000000-0000-0000-0000-000000000002";

/// Runs the binary with only these `ANAM_*` variables, `XDG_CONFIG_HOME` set to `config`,
/// and `input` on a piped standard input. No key may ever show in its output.
async fn run(args: &[&str], config: &Path, env: &[(&str, &str)], input: &[u8]) -> Run {
    use tokio::io::AsyncWriteExt;
    let mut command = tokio::process::Command::new(BIN);
    command
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    for name in [
        "ANAM_API_KEY",
        "ANAM_BASE_URL",
        "ANAM_TIMEOUT",
        "ANAM_MOCK",
        "ANAM_PROFILE",
        "ANAM_DEBUG",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input).await;
    }
    let output = child.wait_with_output().await.expect("the binary runs");
    let ran = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    };
    for key in [STORED_KEY, STAGING_KEY, VARIABLE_KEY] {
        assert!(
            !ran.stdout.contains(key) && !ran.stderr.contains(key),
            "{args:?} showed a key: {}{}",
            ran.stdout,
            ran.stderr
        );
    }
    ran
}

fn persona_page() -> Value {
    json!({"data": [
        {"id": P1, "name": "Cara", "createdAt": "2026-04-20T09:00:00.000Z", "brain": {"x": 1}},
        {"id": P2, "name": "Ben", "createdAt": "2026-04-21T10:30:00.000Z", "brain": null}
    ], "meta": {"currentPage": 1, "lastPage": 1, "total": 2}})
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn credentials(config: &Path) -> PathBuf {
    config.join("anam").join("credentials.json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_is_a_table_on_a_terminal_and_json_lines_in_a_pipe() {
    let server = Scripted::start(vec![Reply::json(200, persona_page())]).await;
    let env = format!(
        "ANAM_API_KEY={VARIABLE_KEY} ANAM_BASE_URL={}",
        server.base_url
    );
    let (code, screen) = on_a_terminal(&format!("env {env} {BIN} personas list"), b"").await;
    assert_eq!(code, 0, "{screen}");
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["ID", "NAME", "CREATED", "AT"],
        "{screen}"
    );
    assert!(
        lines[1].starts_with(P1) && lines[1].contains("2026-04-20 09:00:00 UTC"),
        "{screen}"
    );
    // A get is a FIELD/VALUE table.
    let (code, screen) = on_a_terminal(&format!("env {env} {BIN} personas get p-1"), b"").await;
    assert_eq!(code, 0, "{screen}");
    assert!(screen.starts_with("FIELD"), "{screen}");
    // --output json on a terminal, --output table in a pipe.
    let (_, screen) =
        on_a_terminal(&format!("env {env} {BIN} personas list --output json"), b"").await;
    let first: Value = serde_json::from_str(screen.lines().next().unwrap()).expect(&screen);
    assert_eq!(first["id"], P1, "{screen}");
    let config = scratch_dir("tables");
    let piped = run(
        &["personas", "list"],
        &config,
        &[
            ("ANAM_API_KEY", VARIABLE_KEY),
            ("ANAM_BASE_URL", &server.base_url),
        ],
        b"",
    )
    .await;
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let items: Vec<Value> = piped
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], P1);
    let table = run(
        &["personas", "list", "--output", "table"],
        &config,
        &[
            ("ANAM_API_KEY", VARIABLE_KEY),
            ("ANAM_BASE_URL", &server.base_url),
        ],
        b"",
    )
    .await;
    assert!(table.stdout.starts_with("ID"), "{}", table.stdout);
    let _ = std::fs::remove_dir_all(&config);
}

/// A server of three pages of personas, each asked for by `page`.
async fn three_pages() -> Scripted {
    Scripted::route(|_, request| {
        let page: u64 = request
            .target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("page="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        Reply::json(
            200,
            json!({"data": [{"id": format!("p-{page}"), "name": format!("n{page}")}],
                   "meta": {"currentPage": page, "lastPage": 3, "total": 3}}),
        )
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jq_filters_one_page_and_all_alike_and_api_pages_with_the_key() {
    let server = three_pages().await;
    let config = scratch_dir("jq");
    let env = [
        ("ANAM_API_KEY", VARIABLE_KEY),
        ("ANAM_BASE_URL", server.base_url.as_str()),
    ];
    let page = run(&["personas", "list", "--jq", ".name"], &config, &env, b"").await;
    assert_eq!(page.stdout, "n1\n", "{}", page.stderr);
    let all = run(
        &["--jq", "{id}", "personas", "list", "--all"],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(
        all.stdout, "{\"id\":\"p-1\"}\n{\"id\":\"p-2\"}\n{\"id\":\"p-3\"}\n",
        "{}",
        all.stderr
    );
    let bad = run(&["personas", "list", "--jq", ".[ |"], &config, &env, b"").await;
    assert_eq!(bad.code, 2);
    let before = server.requests().len();

    // `anam api`: the key, the path routed to its operation, every page, the server's JSON.
    let api = run(
        &[
            "api",
            "GET",
            "/v1/personas",
            "-f",
            "perPage=1",
            "--paginate",
        ],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(api.code, 0, "{}", api.stderr);
    let pages: Vec<Value> = api
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2]["meta"]["currentPage"], 3);
    let sent = &server.requests()[before..];
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[1].target, "/v1/personas?perPage=1&page=2");
    for request in sent {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {VARIABLE_KEY}").as_str())
        );
    }
    // A path outside the spec goes out as written, its body from -F fields.
    let raw = run(
        &[
            "api",
            "POST",
            "/v1/not-in-the-spec",
            "-F",
            "n=2",
            "-f",
            "s=x",
            "--jq",
            ".data[0].id",
        ],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(raw.code, 0, "{}", raw.stderr);
    assert_eq!(raw.stdout, "p-1\n");
    let last = server.requests().pop().unwrap();
    assert_eq!(
        (last.method.as_str(), last.target.as_str()),
        ("POST", "/v1/not-in-the-spec")
    );
    // The fields as given (their order follows serde_json's map, which a workspace build with
    // `preserve_order` keeps in insertion order).
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&last.body).unwrap(),
        serde_json::json!({"n": 2, "s": "x"})
    );
    let _ = std::fs::remove_dir_all(&config);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_shows_each_request_without_the_key_and_dry_run_sends_nothing() {
    let server = Scripted::start(vec![
        Reply::json(200, persona_page()).header("x-request-id", "req-42"),
    ])
    .await;
    let config = scratch_dir("debug");
    let env = [
        ("ANAM_API_KEY", VARIABLE_KEY),
        ("ANAM_BASE_URL", server.base_url.as_str()),
    ];
    let debug = run(
        &["personas", "list", "--search", "ca", "--debug"],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(debug.code, 0, "{}", debug.stderr);
    for shown in [
        "method=GET",
        &format!("url={}/v1/personas?search=ca", server.base_url),
        "status=200",
        "attempt=1",
        "duration_ms=",
        "request_id=\"req-42\"",
    ] {
        assert!(debug.stderr.contains(shown), "{shown}: {}", debug.stderr);
    }
    let quiet = run(&["personas", "list"], &config, &env, b"").await;
    assert!(!quiet.stderr.contains("status=200"), "{}", quiet.stderr);
    let by_variable = run(
        &["personas", "list"],
        &config,
        &[env[0], env[1], ("ANAM_DEBUG", "1")],
        b"",
    )
    .await;
    assert!(
        by_variable.stderr.contains("status=200"),
        "{}",
        by_variable.stderr
    );
    let sent = server.requests().len();

    // --dry-run: method, URL and body on stdout, nothing sent, exit 0; no question asked.
    let body = r#"{"name":"Cara","skipGreeting":true}"#;
    let create = run(
        &["personas", "create", "--body-file", "-", "--dry-run"],
        &config,
        &env,
        body.as_bytes(),
    )
    .await;
    assert_eq!(create.code, 0, "{}", create.stderr);
    assert_eq!(
        create.stdout,
        format!("POST {}/v1/personas\n{body}\n", server.base_url)
    );
    let delete = run(
        &["--dry-run", "personas", "delete", "p-1"],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(delete.code, 0, "{}", delete.stderr);
    assert_eq!(
        delete.stdout,
        format!("DELETE {}/v1/personas/p-1\n", server.base_url)
    );
    let all = run(
        &["personas", "list", "--all", "--dry-run"],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(
        all.stdout,
        format!("GET {}/v1/personas?page=1&perPage=100\n", server.base_url)
    );
    let api = run(
        &["api", "DELETE", "/v1/tools/t-1", "--dry-run"],
        &config,
        &env,
        b"",
    )
    .await;
    assert_eq!(api.code, 0, "{}", api.stderr);
    assert_eq!(server.requests().len(), sent, "a dry run sent a request");
    let _ = std::fs::remove_dir_all(&config);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn man_pages_come_from_the_command_definition() {
    let dir = scratch_dir("man");
    let ran = run(&["man", dir.to_str().unwrap()], &dir, &[], b"").await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let page = std::fs::read_to_string(dir.join("anam-auth-login.1")).unwrap();
    assert!(
        page.contains(".TH") && page.contains(r"\-\-check"),
        "{page}"
    );
    assert!(dir.join("anam-personas-list.1").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
