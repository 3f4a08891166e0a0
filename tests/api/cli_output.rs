//! One set of conventions for every command: a closed stdout ends it quietly with exit
//! status 0, a full disk is an error; `sessions list` pages like every list and stops early
//! on `--since`; `transcript --out` takes its format from the extension; the export's edge
//! cases (an open session, an unwritable directory, an inverted range, Ctrl-C).

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::cli::{BIN, anam, scratch_dir, transcript_id, transcript_of};
use crate::support::scripted::{Reply, Scripted};
use crate::support::{KEY, transcript_json};

const EXAMPLE_SESSION: &str = "00000000-0000-0000-0000-000000000000";

/// Runs `anam args…` against the built-in mock with `stdout` as its standard output; its
/// exit status and stderr.
async fn with_stdout(args: &[&str], stdout: Stdio) -> (i32, String) {
    let mut child = tokio::process::Command::new(BIN)
        .args(args)
        .env_remove("ANAM_API_KEY")
        .env_remove("ANAM_BASE_URL")
        .env("ANAM_MOCK", "1")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary runs");
    // A piped stdout's read end is closed here, before the command can write anything: its
    // every write fails with EPIPE.
    drop(child.stdout.take());
    let output = child.wait_with_output().await.expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn transcript_file(name: &str) -> (std::path::PathBuf, String) {
    let dir = scratch_dir(name);
    let file = dir.join("t.json");
    std::fs::write(&file, transcript_json().to_string()).unwrap();
    let path = file.to_str().unwrap().to_string();
    (dir, path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_ends_every_command_quietly_and_a_full_disk_is_an_error() {
    let (dir, file) = transcript_file("closed-stdout");
    let out = dir.join("export");
    let out = out.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["sessions", "transcript", EXAMPLE_SESSION],
        vec![
            "sessions",
            "transcript",
            EXAMPLE_SESSION,
            "--format",
            "json",
        ],
        vec!["sessions", "list"],
        vec!["sessions", "list", "--all"],
        vec!["sessions", "stop", EXAMPLE_SESSION, "--yes"],
        vec!["sessions", "stats", EXAMPLE_SESSION],
        vec!["sessions", "stats", &file],
        vec!["sessions", "export", "--out", out, "--json"],
        vec!["completions", "bash"],
        vec!["personas", "list"],
        vec!["personas", "list", "--all"],
        vec!["personas", "get", "persona-1"],
    ];
    for args in &commands {
        let (code, stderr) = with_stdout(args, Stdio::piped()).await;
        assert_eq!(code, 0, "{args:?}: {stderr}");
        for word in ["panicked", "Broken pipe", "error"] {
            assert!(!stderr.contains(word), "{args:?}: {stderr}");
        }
    }
    for args in [
        &["personas", "list"][..],
        &["sessions", "stats", &file],
        &["sessions", "transcript", EXAMPLE_SESSION],
        &["completions", "bash"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let (code, stderr) = with_stdout(args, Stdio::from(full)).await;
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output")
                && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_and_export_print_compact_camel_case_json() {
    let stats = anam(&["sessions", "stats", EXAMPLE_SESSION, "--json"], None).await;
    assert_eq!(stats.code, 0, "{}", stats.stderr);
    assert_eq!(stats.stdout.lines().count(), 1, "{}", stats.stdout);
    // Into a pipe without --json: JSON all the same.
    let piped = anam(&["sessions", "stats", EXAMPLE_SESSION], None).await;
    serde_json::from_str::<Value>(&piped.stdout).expect("JSON into a pipe");
    let dir = scratch_dir("compact-export");
    let export = anam(
        &[
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--json",
        ],
        None,
    )
    .await;
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(export.stdout.lines().count(), 1, "{}", export.stdout);
    let summary: Value = serde_json::from_str(&export.stdout).unwrap();
    for key in [
        "exported",
        "skipped",
        "failed",
        "listingError",
        "elapsedSeconds",
        "interrupted",
    ] {
        assert!(summary.get(key).is_some(), "{key}: {summary}");
    }
    assert!(summary.get("elapsed_seconds").is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Session `i` of a newest-first list: started `i` hours before 2026-11-30T23:00Z, ended.
fn newest_first(i: usize) -> Value {
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-30T23:00:00Z").unwrap()
        - chrono::Duration::hours(i as i64);
    let start = start.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    json!({
        "id": format!("00000000-0000-0000-0000-{i:012}"),
        "createdAt": start,
        "startTime": start,
        "endTime": start,
    })
}

/// 300 sessions, newest first, 10 a page (30 pages).
fn newest_first_page(target: &str) -> Reply {
    let page: usize = target
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let data: Vec<Value> = ((page - 1) * 10..page * 10).map(newest_first).collect();
    Reply::json(
        200,
        json!({"data": data, "meta": {"currentPage": page, "lastPage": 30, "total": 300}}),
    )
}

fn pages_asked(server: &Scripted) -> Vec<usize> {
    server
        .requests()
        .iter()
        .filter(|r| r.target.starts_with("/v1/sessions?") || r.target == "/v1/sessions")
        .map(|r| {
            r.target
                .split(['?', '&'])
                .find_map(|pair| pair.strip_prefix("page="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(1)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_and_until_filter_the_list_and_since_stops_it_early() {
    let server = Scripted::route(|_, request| newest_first_page(&request.target)).await;
    // 2026-11-30T23:00Z minus 24 hours is session 24, on page 3; session 25 is older.
    let listed = anam(
        &[
            "sessions",
            "list",
            "--all",
            "--since",
            "2026-11-29T23:00:00Z",
            "--until",
            "2026-11-30T20:30:00Z",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let ids: Vec<String> = listed
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let expected: Vec<String> = (3..=24)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(
        pages_asked(&server),
        vec![1, 2, 3],
        "page 4 and on are older"
    );

    // The export walks the same way.
    let dir = scratch_dir("since-export");
    let server = Scripted::route(|_, request| match transcript_id(request) {
        Some(id) => Reply::json(200, transcript_of(&id)),
        None => newest_first_page(&request.target),
    })
    .await;
    let export = anam(
        &[
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--since",
            "2026-11-30",
            "--json",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(export.code, 0, "{}", export.stderr);
    let summary: Value = serde_json::from_str(&export.stdout).unwrap();
    assert_eq!(
        summary["exported"], 24,
        "sessions 0 to 23 started on 2026-11-30"
    );
    assert_eq!(pages_asked(&server), vec![1, 2, 3]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_input_sends_nothing_and_exits_2() {
    let server = Scripted::route(|_, request| newest_first_page(&request.target)).await;
    let dir = scratch_dir("refused");
    let out = dir.join("archive");
    let inverted = ["--since", "2026-12-01", "--until", "2026-11-01"];
    let mut export = vec!["sessions", "export", "--out", out.to_str().unwrap()];
    export.extend(inverted);
    let mut list = vec!["sessions", "list", "--all"];
    list.extend(inverted);
    let vtt = dir.join("t.vtt");
    let mismatch = vec![
        "sessions",
        "transcript",
        EXAMPLE_SESSION,
        "--format",
        "text",
        "--out",
        vtt.to_str().unwrap(),
    ];
    for args in [export, list, mismatch] {
        let refused = anam(&args, Some(&server.base_url)).await;
        assert_eq!(refused.code, 2, "{args:?}: {}", refused.stderr);
        assert!(refused.stderr.contains("Nothing was"), "{}", refused.stderr);
    }
    assert!(server.requests().is_empty());
    assert!(!out.exists() && !vtt.exists());

    // An --out that cannot be written fails before the first request.
    let unwritable = anam(
        &["sessions", "export", "--out", "/proc/self"],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(unwritable.code, 1, "{}", unwritable.stderr);
    assert!(
        unwritable.stderr.contains("cannot write /proc/self"),
        "{}",
        unwritable.stderr
    );
    assert!(server.requests().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transcript_out_takes_the_format_of_its_extension() {
    let dir = scratch_dir("out-extension");
    for (name, starts) in [("t.vtt", "WEBVTT"), ("t.json", "{"), ("t.srt", "1")] {
        let file = dir.join(name);
        let run = anam(
            &[
                "sessions",
                "transcript",
                EXAMPLE_SESSION,
                "--out",
                file.to_str().unwrap(),
            ],
            None,
        )
        .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(written.starts_with(starts), "{name}: {written}");
    }
    // A matching --format is fine; an unknown extension keeps the default.
    let same = dir.join("same.md");
    let run = anam(
        &[
            "sessions",
            "transcript",
            EXAMPLE_SESSION,
            "-f",
            "md",
            "-o",
            same.to_str().unwrap(),
        ],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = dir.join("t.log");
    let run = anam(
        &[
            "sessions",
            "transcript",
            EXAMPLE_SESSION,
            "--out",
            log.to_str().unwrap(),
        ],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(&log).unwrap().contains("Cara: Hi!"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_fetches_a_session_again_until_its_transcript_has_ended() {
    const ID: &str = "00000000-0000-0000-0000-000000000001";
    let ended = Arc::new(AtomicBool::new(false));
    let now = ended.clone();
    let server = Scripted::route(move |_, request| {
        let end = if now.load(Ordering::SeqCst) {
            json!("2026-11-30T10:10:00.000Z")
        } else {
            Value::Null
        };
        if transcript_id(request).is_some() {
            let mut transcript = transcript_of(ID);
            transcript["endTime"] = end;
            return Reply::json(200, transcript);
        }
        let session = json!({"id": ID, "startTime": "2026-11-30T10:00:00.000Z", "endTime": end});
        Reply::json(200, json!({"data": [session], "meta": {"total": 1}}))
    })
    .await;
    let dir = scratch_dir("open-export");
    let export = || async {
        let run = anam(
            &[
                "sessions",
                "export",
                "--out",
                dir.to_str().unwrap(),
                "--json",
            ],
            Some(&server.base_url),
        )
        .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str::<Value>(&run.stdout).unwrap()
    };
    assert_eq!(export().await["exported"], 1);
    // Still open: fetched again.
    assert_eq!(export().await["exported"], 1);
    ended.store(true, Ordering::SeqCst);
    // The listing says it ended, but the saved transcript has no endTime: fetched again.
    assert_eq!(export().await["exported"], 1);
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{ID}.json"))).unwrap())
            .unwrap();
    assert!(saved["endTime"].is_string(), "{saved}");
    // Complete now.
    let last = export().await;
    assert_eq!(
        (last["exported"].clone(), last["skipped"].clone()),
        (json!(0), json!(1))
    );
    let fetched = server
        .requests()
        .iter()
        .filter(|r| transcript_id(r).is_some())
        .count();
    assert_eq!(fetched, 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_an_export_with_its_summary_and_a_rerun_resumes() {
    const TOTAL: usize = 60;
    let server = Scripted::route(|_, request| match transcript_id(request) {
        Some(id) => Reply::json(200, transcript_of(&id)).delayed(Duration::from_millis(50)),
        None => crate::cli::ended_sessions_page(request, TOTAL),
    })
    .await;
    let dir = scratch_dir("interrupted");
    let child = tokio::process::Command::new(BIN)
        .args([
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--concurrency",
            "1",
        ])
        .args(["--json"])
        .env_remove("ANAM_MOCK")
        .env("ANAM_API_KEY", KEY)
        .env("ANAM_BASE_URL", &server.base_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = child.id().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_dir(&dir).unwrap().count() < 3 {
        assert!(Instant::now() < deadline, "the export made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["interrupted"], true);
    let before = summary["exported"].as_u64().unwrap() as usize;
    assert!((3..TOTAL).contains(&before), "{summary}");
    assert!(stderr.contains("run the same command again"), "{stderr}");

    let rerun = anam(
        &[
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--json",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    let summary: Value = serde_json::from_str(&rerun.stdout).unwrap();
    let done = summary["exported"].as_u64().unwrap() + summary["skipped"].as_u64().unwrap();
    assert_eq!(done as usize, TOTAL);
    assert!(summary["skipped"].as_u64().unwrap() as usize >= before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_curated_command_has_an_example_in_its_help() {
    for args in [
        &["sessions", "--help"][..],
        &["sessions", "transcript", "--help"],
        &["sessions", "list", "--help"],
        &["sessions", "stop", "--help"],
        &["sessions", "stats", "--help"],
        &["sessions", "export", "--help"],
        &["completions", "--help"],
    ] {
        let help = anam(args, None).await;
        let name = args[..args.len() - 1].join(" ");
        assert!(
            help.stdout.contains(&format!("Examples:\n  anam {name}")),
            "{args:?}: {}",
            help.stdout
        );
    }
    let list = anam(&["sessions", "list", "--help"], None).await;
    for flag in ["--all", "--limit", "--page", "--since", "--until"] {
        assert!(list.stdout.contains(flag), "{flag}: {}", list.stdout);
    }
}
