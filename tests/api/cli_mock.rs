//! The built-in mock only when asked for: without a key and without `--mock` (or
//! `ANAM_MOCK=1`) a command sends nothing, writes nothing and exits 1 naming the ways to give
//! a key; with `--mock`, before or after the command, it runs against the mock and says so.

use serde_json::json;

use crate::cli::{BIN, Run, scratch_dir};
use crate::support::scripted::{Reply, Scripted};

/// Runs the binary with exactly these `ANAM_*` variables and no standard input.
async fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = tokio::process::Command::new(BIN);
    command
        .args(args)
        .stdin(std::process::Stdio::null())
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
    command.env("XDG_CONFIG_HOME", crate::cli::no_config());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().await.expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    }
}

fn names_every_way_to_a_key(run: &Run) {
    for word in [
        "ANAM_API_KEY",
        "--api-key-file",
        "--mock",
        "Nothing was sent",
    ] {
        assert!(run.stderr.contains(word), "{word}: {}", run.stderr);
    }
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_nothing_is_sent_and_nothing_is_written() {
    let refused = run(&["personas", "list"], &[]).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    names_every_way_to_a_key(&refused);
    assert!(!refused.stderr.contains("built-in mock Anam server at"));

    // A base URL without a key is the same error, and the server hears nothing.
    let server = Scripted::start(vec![Reply::json(200, json!({"data": []}))]).await;
    for args in [
        vec!["personas", "list"],
        vec!["personas", "delete", "persona-1", "--yes"],
        vec!["sessions", "list"],
        vec![
            "sessions",
            "transcript",
            "00000000-0000-0000-0000-000000000000",
        ],
    ] {
        let refused = run(&args, &[("ANAM_BASE_URL", &server.base_url)]).await;
        assert_eq!(refused.code, 1, "{args:?}: {}", refused.stderr);
        names_every_way_to_a_key(&refused);
        assert!(
            refused.stderr.contains("a base URL alone"),
            "{}",
            refused.stderr
        );
    }
    assert!(
        server.requests().is_empty(),
        "a keyless command sent a request"
    );

    // A cron export whose secret went missing writes nothing into the archive.
    let archive = scratch_dir("no-key-export");
    let out = archive.join("sessions");
    let refused = run(&["sessions", "export", "--out", out.to_str().unwrap()], &[]).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    names_every_way_to_a_key(&refused);
    assert!(!out.exists(), "the export wrote {}", out.display());
    let _ = std::fs::remove_dir_all(&archive);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_runs_against_the_built_in_server_before_or_after_the_command() {
    for (args, env) in [
        (vec!["--mock", "personas", "list", "--json"], vec![]),
        (vec!["personas", "list", "--json", "--mock"], vec![]),
        (vec!["personas", "list", "--json"], vec![("ANAM_MOCK", "1")]),
        (
            vec!["personas", "list", "--json"],
            vec![("ANAM_MOCK", "true")],
        ),
    ] {
        let ran = run(&args, &env).await;
        assert_eq!(ran.code, 0, "{args:?} {env:?}: {}", ran.stderr);
        assert!(
            ran.stderr
                .contains("--mock: using the built-in mock Anam server"),
            "{}",
            ran.stderr
        );
        // A page prints as its items, one a line.
        let first = ran.stdout.lines().next().expect(&ran.stdout);
        let item: serde_json::Value = serde_json::from_str(first).unwrap();
        assert!(item.get("id").is_some(), "{}", ran.stdout);
    }
    // The mock wins over a key and a base URL, and says the URL is not used.
    let server = Scripted::start(vec![Reply::json(200, json!({"data": []}))]).await;
    let ran = run(
        &["--mock", "personas", "list"],
        &[
            ("ANAM_API_KEY", "sk-real"),
            ("ANAM_BASE_URL", &server.base_url),
        ],
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("base URL is not used"),
        "{}",
        ran.stderr
    );
    assert!(server.requests().is_empty());

    // ANAM_MOCK=false is no mock.
    let refused = run(&["personas", "list"], &[("ANAM_MOCK", "false")]).await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_that_need_no_server_start_no_mock() {
    let ran = run(&["completions", "bash"], &[]).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stderr.is_empty(), "{}", ran.stderr);
    // Statistics of a saved transcript: no key, no --mock, no server.
    let dir = scratch_dir("stats-no-key");
    let file = dir.join("t.json");
    std::fs::write(&file, crate::support::transcript_json().to_string()).unwrap();
    let ran = run(
        &["sessions", "stats", file.to_str().unwrap(), "--json"],
        &[],
    )
    .await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(ran.stderr.is_empty(), "{}", ran.stderr);
    serde_json::from_str::<serde_json::Value>(&ran.stdout).unwrap();
    // A session's statistics need the API like any other command.
    let refused = run(
        &["sessions", "stats", "00000000-0000-0000-0000-000000000000"],
        &[],
    )
    .await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    names_every_way_to_a_key(&refused);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `command` (a shell line) on a pseudo-terminal through util-linux `script`, typing
/// `input`; its exit status and everything the terminal showed.
pub(crate) async fn on_a_terminal(command: &str, input: &[u8]) -> (i32, String) {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .env_remove("ANAM_API_KEY")
        .env_remove("ANAM_BASE_URL")
        .env_remove("ANAM_MOCK")
        .env_remove("ANAM_PROFILE")
        .env("XDG_CONFIG_HOME", crate::cli::no_config())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("util-linux script runs");
    if let Some(mut stdin) = child.stdin.take() {
        // Typed after the question is up; the pseudo-terminal buffers it either way.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let _ = stdin.write_all(input).await;
    }
    let output = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("the command ended")
        .expect("script ran");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).replace('\r', ""),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_question_exits_2_and_the_mock_notice_comes_first() {
    let (code, screen) =
        on_a_terminal(&format!("{BIN} --mock personas delete persona-1"), b"n\n").await;
    assert_eq!(code, 2, "{screen}");
    let notice = screen
        .find("--mock: using the built-in mock")
        .expect(&screen);
    let question = screen.find("Delete persona persona-1?").expect(&screen);
    assert!(notice < question, "{screen}");
    assert!(screen.contains("cancelled: nothing was sent"), "{screen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn version_names_the_crate_and_the_spec() {
    let ran = run(&["--version"], &[]).await;
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let expected = format!(
        "anam {} (Anam API spec of {}, sha256 {})\n",
        env!("CARGO_PKG_VERSION"),
        anam::spec::SPEC_DATE,
        &anam::spec::SPEC_SHA256[..12]
    );
    assert_eq!(ran.stdout, expected);
}
