//! One test per fault of the matrix, each through the export runner of `cli_faults.rs`, and
//! the `--timeout` / `ANAM_TIMEOUT` checks.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_reset_mid_body_is_retried_and_exported() {
    export("reset", Fault::ResetMidBody)
        .await
        .ridden_out()
        .drew(2)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_truncated_json_fails_that_session_as_a_decode_error() {
    export("truncated", Fault::TruncatedJson)
        .await
        .failed_with(&[
            "getSessionTranscript: HTTP 200 OK",
            "does not decode",
            "EOF while parsing",
        ])
        .drew(1)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_headers_slower_than_the_timeout_fail_that_session_after_three_attempts() {
    export("slow-headers", Fault::SlowHeaders)
        .await
        .failed_with(&["getSessionTranscript: timed out after 3 attempts"])
        .drew(3)
        .retries_waited(Duration::from_millis(450))
        .within(12)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_body_that_never_ends_stops_at_the_size_limit() {
    export("endless", Fault::EndlessBody)
        .await
        .failed_with(&["the response body is larger than the limit of 33554432 bytes"])
        .drew(1)
        .within(12)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_declared_length_past_the_limit_fails_at_once() {
    export("declared", Fault::DeclaredTooLarge)
        .await
        .failed_with(&["the response body is larger than the limit of 33554432 bytes"])
        .drew(1)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_429_with_retry_after_seconds_waits_then_exports() {
    export("retry-after-seconds", Fault::RetryAfterSeconds)
        .await
        .ridden_out()
        .drew(2)
        .retries_waited(Duration::from_millis(950))
        .within(12)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_429_with_retry_after_as_a_date_waits_then_exports() {
    export("retry-after-date", Fault::RetryAfterDate)
        .await
        .ridden_out()
        .drew(2)
        .retries_waited(Duration::from_millis(900))
        .within(12)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_429_storm_fails_that_session_after_three_attempts() {
    export("storm", Fault::Storm429)
        .await
        .failed_with(&[
            "HTTP 429 Too Many Requests (request rate limit)",
            "after 3 attempts",
        ])
        .drew(3)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_spend_cap_fails_that_session_without_a_retry() {
    export("spend-cap", Fault::SpendCap)
        .await
        .failed_with(&["HTTP 429 Too Many Requests (spend cap): Spend cap reached"])
        .drew(1)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_503_bursts_are_ridden_out() {
    export("503", Fault::Burst503)
        .await
        .ridden_out()
        .drew(3)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_an_html_502_fails_that_session_with_the_page_title() {
    export("502", Fault::Html502)
        .await
        .failed_with(&[
            "HTTP 502 Bad Gateway: HTML error page: 502 Bad Gateway",
            "after 3 attempts",
        ])
        .drew(3)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_html_with_200_fails_that_session_as_a_decode_error() {
    export("html-200", Fault::Html200)
        .await
        .failed_with(&[
            "getSessionTranscript: HTTP 200 OK",
            "does not decode at `.`: expected value",
        ])
        .drew(1)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_invalid_utf8_fails_that_session_as_a_decode_error() {
    export("utf8", Fault::InvalidUtf8)
        .await
        .failed_with(&[
            "getSessionTranscript: HTTP 200 OK",
            "does not decode at `personaName`: invalid unicode code point",
        ])
        .drew(1)
        .within(10)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_redirect_to_another_host_is_followed_without_the_key() {
    let run = export("redirect", Fault::Redirect).await;
    run.ridden_out().drew(1).within(10);
    assert_eq!(run.carried_key, [true], "the API host was sent the key");
    assert_eq!(run.other_host.len(), 1, "the other host was asked once");
    let head = &run.other_host[0];
    assert!(
        head.starts_with(&format!("GET /v1/sessions/{SESSION}/transcript ")),
        "{head}"
    );
    assert!(
        !head.to_ascii_lowercase().contains("authorization") && !head.contains(KEY),
        "the key followed the redirect: {head}"
    );
    run.clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_a_server_that_never_answers_fails_that_session_after_three_timeouts() {
    export("silent", Fault::Silent)
        .await
        .failed_with(&["getSessionTranscript: timed out after 3 attempts"])
        .drew(3)
        .retries_waited(Duration::from_millis(450))
        .within(12)
        .clean_up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeout_must_be_a_positive_number_of_seconds() {
    for value in ["0", "-1", "-0.5", "abc", "nan", "inf", "1e30", ""] {
        let run = anam(&["--timeout", value, "sessions", "list"], None).await;
        assert_eq!(run.code, 2, "--timeout {value:?}: {}", run.stderr);
        assert!(run.stderr.contains("--timeout <SECONDS>"), "{}", run.stderr);
    }
    let run = tokio::process::Command::new(crate::cli::BIN)
        .args(["sessions", "list"])
        .env_remove("ANAM_API_KEY")
        .env("ANAM_TIMEOUT", "0")
        .output()
        .await
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(2),
        "ANAM_TIMEOUT=0 is a usage error"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anam_timeout_in_the_environment_bounds_each_attempt() {
    let (base_url, connections) = misbehaving(|_, mut stream| async move {
        read_head(&mut stream).await;
        std::future::pending::<()>().await;
        drop(stream);
    })
    .await;
    let started = Instant::now();
    let run = tokio::time::timeout(
        Duration::from_secs(40),
        tokio::process::Command::new(crate::cli::BIN)
            .args(["sessions", "transcript", SESSION])
            .env("ANAM_API_KEY", KEY)
            .env("ANAM_BASE_URL", &base_url)
            .env("ANAM_TIMEOUT", "0.5")
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the command hung")
    .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("getSessionTranscript: timed out after 3 attempts")
            && !stderr.contains(KEY),
        "{stderr}"
    );
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3);
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
}
