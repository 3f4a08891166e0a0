//! `anam auth login|status|logout` and profiles: where the key is stored and with which
//! permissions, a check against the API, the hidden prompt on a terminal.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_stores_the_key_privately_and_commands_use_it_by_profile() {
    let config = scratch_dir("auth-login");
    let production = Scripted::start(vec![Reply::json(200, persona_page())]).await;
    let staging = Scripted::start(vec![Reply::json(200, persona_page())]).await;

    // From standard input, with the base URL of the profile.
    let login = run(
        &["auth", "login", "--base-url", &production.base_url],
        &config,
        &[],
        format!("{STORED_KEY}\n").as_bytes(),
    )
    .await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    assert_eq!(mode(&credentials(&config)), 0o600);
    assert_eq!(mode(&config.join("anam")), 0o700);
    let staged = run(
        &[
            "auth",
            "login",
            "--profile",
            "staging",
            "--base-url",
            &staging.base_url,
        ],
        &config,
        &[],
        STAGING_KEY.as_bytes(),
    )
    .await;
    assert_eq!(staged.code, 0, "{}", staged.stderr);

    // The next command sends the stored key to the stored base URL.
    let listed = run(&["personas", "list", "--jq", ".id"], &config, &[], b"").await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert_eq!(listed.stdout, format!("{P1}\n{P2}\n"));
    let sent = production.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {STORED_KEY}").as_str())
    );

    // A profile by flag and by variable: its key, its server.
    let by_flag = run(
        &["personas", "list", "--profile", "staging"],
        &config,
        &[],
        b"",
    )
    .await;
    assert_eq!(by_flag.code, 0, "{}", by_flag.stderr);
    let by_variable = run(
        &["personas", "list"],
        &config,
        &[("ANAM_PROFILE", "staging")],
        b"",
    )
    .await;
    assert_eq!(by_variable.code, 0, "{}", by_variable.stderr);
    let sent = staging.requests();
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {STAGING_KEY}").as_str())
        );
    }
    let unknown = run(
        &["personas", "list", "--profile", "nope"],
        &config,
        &[],
        b"",
    )
    .await;
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("anam auth login --profile nope"),
        "{}",
        unknown.stderr
    );

    // ANAM_API_KEY comes before the profile, and status says so.
    let status = run(
        &["auth", "status", "--json"],
        &config,
        &[("ANAM_API_KEY", VARIABLE_KEY)],
        b"",
    )
    .await;
    assert_eq!(status.code, 0, "{}", status.stderr);
    let shown: Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(shown["source"], "the ANAM_API_KEY variable");
    assert_eq!(shown["key"], "****5566");
    let status = run(
        &["auth", "status", "--profile", "staging", "--json"],
        &config,
        &[],
        b"",
    )
    .await;
    let shown: Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(shown["key"], "****3210", "{}", status.stdout);
    assert!(
        shown["source"]
            .as_str()
            .unwrap()
            .contains("profile `staging`")
    );
    assert_eq!(shown["baseUrl"], staging.base_url.as_str());
    assert_eq!(shown["profiles"], json!(["default", "staging"]));

    // Logout removes the profile; without any key the error names `anam auth login`.
    for profile in ["default", "staging"] {
        let out = run(&["auth", "logout", "--profile", profile], &config, &[], b"").await;
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert!(!credentials(&config).exists());
    let none = run(&["personas", "list"], &config, &[], b"").await;
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("anam auth login"), "{}", none.stderr);
    let _ = std::fs::remove_dir_all(&config);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credentials_file_others_can_read_is_refused_and_nothing_is_sent() {
    use std::os::unix::fs::PermissionsExt;
    let config = scratch_dir("auth-open");
    let server = Scripted::start(vec![Reply::json(200, persona_page())]).await;
    let login = run(
        &["auth", "login", "--base-url", &server.base_url],
        &config,
        &[],
        STORED_KEY.as_bytes(),
    )
    .await;
    assert_eq!(login.code, 0, "{}", login.stderr);
    let path = credentials(&config);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = run(&["personas", "list"], &config, &[], b"").await;
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("can be read by other users"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("chmod 600"), "{}", refused.stderr);
    assert!(server.requests().is_empty());
    // Logging in again rewrites it privately.
    let again = run(&["auth", "login"], &config, &[], STORED_KEY.as_bytes()).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(mode(&path), 0o600);
    let _ = std::fs::remove_dir_all(&config);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_check_stores_only_a_key_the_api_accepts() {
    let config = scratch_dir("auth-check");
    let refusing = Scripted::start(vec![Reply::json(
        401,
        json!({"statusCode": 401, "message": "Unauthorized"}),
    )])
    .await;
    let refused = run(
        &["auth", "login", "--check", "--base-url", &refusing.base_url],
        &config,
        &[],
        STORED_KEY.as_bytes(),
    )
    .await;
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("the key was not stored"),
        "{}",
        refused.stderr
    );
    assert!(!credentials(&config).exists(), "a refused key was stored");
    let sent = refusing.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].method.as_str(), sent[0].target.as_str()),
        ("GET", "/v1/sessions/concurrency")
    );
    assert_eq!(
        sent[0].header("authorization"),
        Some(format!("Bearer {STORED_KEY}").as_str())
    );

    // Accepted (a body off the spec still means the key works), then used.
    let accepting = Scripted::start(vec![
        Reply::json(200, json!({"unexpected": true})),
        Reply::json(200, persona_page()),
    ])
    .await;
    let accepted = run(
        &[
            "auth",
            "login",
            "--check",
            "--base-url",
            &accepting.base_url,
        ],
        &config,
        &[],
        STORED_KEY.as_bytes(),
    )
    .await;
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert!(
        accepted.stderr.contains("the API accepted the key"),
        "{}",
        accepted.stderr
    );
    assert_eq!(mode(&credentials(&config)), 0o600);
    let listed = run(&["personas", "list", "--jq", ".id"], &config, &[], b"").await;
    assert_eq!(listed.stdout, format!("{P1}\n{P2}\n"), "{}", listed.stderr);
    let sent = accepting.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[1].header("authorization"),
        Some(format!("Bearer {STORED_KEY}").as_str())
    );
    let _ = std::fs::remove_dir_all(&config);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_on_a_terminal_asks_with_the_input_hidden() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = scratch_dir("auth-prompt");
    let line = format!("env XDG_CONFIG_HOME={} {BIN} auth login", config.display());
    let mut child = tokio::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_remove("ANAM_API_KEY")
        .env_remove("ANAM_PROFILE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("util-linux script runs");
    let mut stdout = child.stdout.take().expect("piped");
    let mut screen = Vec::new();
    // Type only once the question is up (echo is off by then), as a person would.
    let asked = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        let mut chunk = [0u8; 256];
        while !String::from_utf8_lossy(&screen).contains("API key (input hidden): ") {
            let n = stdout.read(&mut chunk).await.expect("the terminal reads");
            assert!(
                n > 0,
                "ended before asking: {}",
                String::from_utf8_lossy(&screen)
            );
            screen.extend_from_slice(&chunk[..n]);
        }
    })
    .await;
    assert!(asked.is_ok(), "{}", String::from_utf8_lossy(&screen));
    let mut stdin = child.stdin.take().expect("piped");
    stdin
        .write_all(format!("{STORED_KEY}\r").as_bytes())
        .await
        .expect("typed");
    let mut rest = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stdout.read_to_end(&mut rest),
    )
    .await
    .expect("the command ended")
    .expect("the terminal reads");
    let status = child.wait().await.expect("script ran");
    screen.extend_from_slice(&rest);
    let screen = String::from_utf8_lossy(&screen);
    assert!(status.success(), "{screen}");
    assert!(!screen.contains(STORED_KEY), "the key was echoed: {screen}");
    assert!(screen.contains("stored the key (****cdef)"), "{screen}");
    assert_eq!(mode(&credentials(&config)), 0o600);
    let stored = std::fs::read_to_string(credentials(&config)).unwrap();
    assert!(stored.contains(STORED_KEY), "the typed key was not stored");
    let _ = std::fs::remove_dir_all(&config);
}
