//! `anam sessions export` under failures, 429s and an exhausted rate-limit window, and killed
//! part-way through then resumed.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_survives_500s_a_429_and_an_exhausted_window_and_pauses_every_worker() {
    const TOTAL: usize = 200;
    let failing: BTreeSet<String> = (0..TOTAL)
        .filter(|i| i % 20 == 7)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect();
    let limited = "00000000-0000-0000-0000-000000000050".to_string();
    let exhausting = "00000000-0000-0000-0000-000000000100".to_string();
    let once_429 = Arc::new(AtomicBool::new(false));
    let once_zero = Arc::new(AtomicBool::new(false));
    let (failing_ids, limited_id, exhausting_id) =
        (failing.clone(), limited.clone(), exhausting.clone());
    let server = Scripted::route(move |_, request| {
        let Some(id) = transcript_id(request) else {
            return ended_sessions_page(request, TOTAL);
        };
        if failing_ids.contains(&id) {
            return Reply::json(500, json!({"message": "internal error"}));
        }
        if id == limited_id && !once_429.swap(true, Ordering::SeqCst) {
            return Reply::json(429, json!({"error": "Too many requests"}))
                .header("retry-after", "1");
        }
        // 20 ms a transcript keeps the export running well past the exhausted window.
        let reply = Reply::json(200, transcript_of(&id)).delayed(Duration::from_millis(20));
        if id == exhausting_id && !once_zero.swap(true, Ordering::SeqCst) {
            return reply
                .header("RateLimit-Remaining", "0")
                .header("RateLimit-Reset", "1");
        }
        reply.header("RateLimit-Remaining", "50")
    })
    .await;
    let dir = scratch_dir("export");
    let run = anam(
        &[
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--format",
            "json,vtt",
            "--concurrency",
            "8",
            "--json",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 3, "some sessions failed: {}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["exported"], TOTAL - failing.len());
    assert_eq!(summary["failed"].as_array().unwrap().len(), failing.len());
    for failure in summary["failed"].as_array().unwrap() {
        assert!(failing.contains(failure["session"].as_str().unwrap()));
        assert!(
            failure["reason"].as_str().unwrap().contains("500"),
            "{failure}"
        );
    }
    // Every other session has both files, whole; the rate-limited one after its retry.
    for i in 0..TOTAL {
        let id = format!("00000000-0000-0000-0000-{i:012}");
        let json = dir.join(format!("{id}.json"));
        assert_eq!(json.exists(), !failing.contains(&id), "{id}");
        if json.exists() {
            let body: Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            assert_eq!(body["sessionId"], id.as_str());
            assert!(
                std::fs::read_to_string(dir.join(format!("{id}.vtt")))
                    .unwrap()
                    .starts_with("WEBVTT")
            );
        }
    }
    // After the response that exhausted the window, no worker sent anything until it reset
    // (requests already on the wire may land just after it).
    let requests = server.requests();
    let exhausted_at = requests
        .iter()
        .find(|r| transcript_id(r).as_deref() == Some(exhausting.as_str()))
        .map(|r| r.arrived)
        .unwrap();
    let during_pause = requests
        .iter()
        .filter(|r| {
            r.arrived > exhausted_at + Duration::from_millis(100)
                && r.arrived < exhausted_at + Duration::from_millis(900)
        })
        .count();
    assert_eq!(
        during_pause, 0,
        "workers kept sending while the window was exhausted"
    );
    let limited_requests = requests
        .iter()
        .filter(|r| transcript_id(r).as_deref() == Some(limited.as_str()))
        .count();
    assert_eq!(limited_requests, 2, "the 429 was retried once");

    // A re-run skips every complete session and tries only the failed ones again.
    let again = anam(
        &[
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "-f",
            "json,vtt",
            "--json",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(again.code, 3);
    let summary: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(summary["skipped"], TOTAL - failing.len());
    assert_eq!(summary["exported"], 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Session ids with a whole JSON file in `dir`; panics on a partial or unexpected file.
fn exported(dir: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue; // a partial file a killed run may leave; the re-run must remove it
        }
        let id = name
            .strip_suffix(".json")
            .unwrap_or_else(|| panic!("unexpected file {name}"));
        let body: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap())
            .unwrap_or_else(|e| panic!("{name} is not whole: {e}"));
        assert_eq!(body["sessionId"], id);
        ids.insert(id.to_string());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_killed_part_way_resumes_and_exports_everything_exactly_once() {
    const TOTAL: usize = 120;
    let server = Scripted::route(|_, request| match transcript_id(request) {
        Some(id) => Reply::json(200, transcript_of(&id)).delayed(Duration::from_millis(40)),
        None => ended_sessions_page(request, TOTAL),
    })
    .await;
    let dir = scratch_dir("killed");
    let mut child = Command::new(BIN)
        .args([
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--concurrency",
            "4",
        ])
        .env("ANAM_API_KEY", KEY)
        .env("ANAM_BASE_URL", &server.base_url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while exported(&dir).len() < 20 {
        assert!(Instant::now() < deadline, "the export made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().await.unwrap(); // SIGKILL: no chance to clean up
    let before = exported(&dir);
    assert!(before.len() < TOTAL, "killed before the end");
    let requests_before = server.requests().len();

    let run = anam(
        &[
            "sessions",
            "export",
            "--out",
            dir.to_str().unwrap(),
            "--concurrency",
            "4",
            "--json",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["skipped"].as_u64().unwrap() as usize, before.len());
    assert_eq!(
        summary["exported"].as_u64().unwrap() as usize,
        TOTAL - before.len()
    );
    let after = exported(&dir);
    assert_eq!(after.len(), TOTAL);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "partial files remain: {names:?}"
    );
    // Nothing exported before the kill was fetched again.
    let mut refetched: BTreeMap<String, usize> = BTreeMap::new();
    for request in &server.requests()[requests_before..] {
        if let Some(id) = transcript_id(request) {
            *refetched.entry(id).or_default() += 1;
        }
    }
    assert!(
        refetched.keys().all(|id| !before.contains(id)),
        "complete sessions were fetched again"
    );
    assert!(refetched.values().all(|&n| n == 1));
    std::fs::remove_dir_all(&dir).unwrap();
}
