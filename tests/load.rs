//! One shared `Client` driven by 256 tasks for a bounded time against a keep-alive loopback
//! server that answers one request in ten with a 429 and one in ten with a 503. Its own
//! binary: it measures the process's memory, which other tests running beside it would blur.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const TASKS: usize = 256;
const RUN_FOR: Duration = Duration::from_secs(4);

/// Counts of what the server did.
#[derive(Default)]
struct Served {
    connections: AtomicUsize,
    requests: AtomicUsize,
    /// Connections the client closed (the server read end-of-stream).
    closed: AtomicUsize,
}

/// A keep-alive HTTP/1.1 server: every tenth request a 429 (`Retry-After: 0`), every tenth
/// (offset by five) a 503, otherwise a small transcript.
async fn server(served: Arc<Served>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let body = serde_json::json!({
        "sessionId": "00000000-0000-0000-0000-000000000000", "personaName": "Cara",
        "messages": [{"role": "persona", "message": "Hi!", "speakingDurationSeconds": 1.0}],
    })
    .to_string();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            served.connections.fetch_add(1, Ordering::Relaxed);
            let served = served.clone();
            let body = body.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                loop {
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match reader.read_line(&mut line).await {
                            Ok(0) | Err(_) => {
                                served.closed.fetch_add(1, Ordering::Relaxed);
                                return;
                            }
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {}
                        }
                    }
                    let n = served.requests.fetch_add(1, Ordering::Relaxed);
                    let reply = match n % 10 {
                        0 => "HTTP/1.1 429 Too Many Requests\r\nretry-after: 0\r\ncontent-length: 2\r\n\r\n{}".to_string(),
                        5 => "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\n\r\n{}".to_string(),
                        _ => format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        ),
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    base_url
}

/// Resident memory of this process, in bytes (Linux `/proc/self/statm`).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_client_under_256_tasks_accounts_for_every_call_reuses_connections_and_stays_flat()
{
    let served = Arc::new(Served::default());
    let base_url = server(served.clone()).await;
    let anam = anam::Client::builder()
        .api_key("sk-load-test")
        .base_url(&base_url)
        .retry_policy(
            anam::RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let succeeded = Arc::new(AtomicUsize::new(0));
    let failed_retryable = Arc::new(AtomicUsize::new(0));
    let failed_other = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let (anam, stop) = (anam.clone(), stop.clone());
        let (ok, retryable, other) = (
            succeeded.clone(),
            failed_retryable.clone(),
            failed_other.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut calls = 0usize;
            while !stop.load(Ordering::Relaxed) {
                calls += 1;
                match anam
                    .sessions()
                    .transcript("00000000-0000-0000-0000-000000000000")
                    .await
                {
                    Ok(transcript) => {
                        assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(error) if error.is_retryable() && error.attempts() == Some(4) => {
                        retryable.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(error) => {
                        eprintln!("unexpected: {error:?}");
                        other.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            calls
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(RUN_FOR / 4).await;
    let first_quarter = resident_bytes();
    let (requests_warm, connections_warm) = (
        served.requests.load(Ordering::Relaxed),
        served.connections.load(Ordering::Relaxed),
    );
    tokio::time::sleep(RUN_FOR / 2).await;
    let third_quarter = succeeded.load(Ordering::Relaxed);
    tokio::time::sleep(RUN_FOR / 4).await;
    let last_quarter = resident_bytes();
    stop.store(true, Ordering::Relaxed);
    let closed_while_running = served.closed.load(Ordering::Relaxed);
    let mut calls = 0;
    for task in tasks {
        calls += task.await.expect("no task panicked");
    }
    let elapsed = started.elapsed();

    let (ok, retryable, other) = (
        succeeded.load(Ordering::Relaxed),
        failed_retryable.load(Ordering::Relaxed),
        failed_other.load(Ordering::Relaxed),
    );
    assert_eq!(
        other, 0,
        "every failure is a retryable one after all its attempts"
    );
    assert_eq!(ok + retryable, calls, "every call is accounted for");
    assert!(
        ok > third_quarter && ok > TASKS * 10,
        "{ok} calls succeeded in {elapsed:?}"
    );
    let requests = served.requests.load(Ordering::Relaxed);
    let connections = served.connections.load(Ordering::Relaxed);
    assert!(
        requests >= calls,
        "retries add requests: {requests} for {calls} calls"
    );
    // Keep-alive: once the pool has filled, requests ride on connections already open. hyper
    // races a new connection against one coming back to the pool and keeps the loser, so a
    // warm pool may hold about two connections per task; without reuse there would be one
    // connection per request.
    let (requests_late, connections_late) =
        (requests - requests_warm, connections - connections_warm);
    assert!(
        connections_late * 20 <= requests_late,
        "{connections_late} new connections for {requests_late} requests after warm-up: keep-alive reuses them"
    );
    // An error response dropped unread would close its connection: one close per 429 or
    // 503, a fifth of all requests. hyper-util's pool closes one now and then by itself (a
    // connection handed to a waiting checkout just as that checkout loses its race to a new
    // connection is dropped with it): seen 0 or 1 per run of about 28,000 requests.
    assert!(
        closed_while_running * 1000 <= requests,
        "the client closed {closed_while_running} connections while running ({requests} requests): responses were dropped unread"
    );
    assert!(
        connections <= 3 * TASKS,
        "{connections} connections for {TASKS} tasks: the pool does not grow without bound"
    );
    let growth = last_quarter.saturating_sub(first_quarter);
    assert!(
        growth < 16 * 1024 * 1024,
        "memory grew by {growth} bytes between the first and last quarter ({first_quarter} -> {last_quarter})"
    );
    eprintln!(
        "{calls} calls ({ok} ok, {retryable} failed after 4 attempts), {requests} requests on {connections} connections ({connections_late} opened after the first quarter, {closed_while_running} closed while running) in {elapsed:?}; RSS {first_quarter} -> {last_quarter}"
    );
}
