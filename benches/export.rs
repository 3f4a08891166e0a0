//! `cargo bench --features cli --bench export`: the `anam sessions export` binary against a
//! loopback server that answers each transcript after 20 ms, compared with the ideal time
//! (sessions × 20 ms / concurrency), with the process's peak memory.
//!
//! Prints `ratio export <measured / ideal>` (median of the runs) and `peak_rss_mb <n>`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SESSIONS: usize = 1_000;
const CONCURRENCY: usize = 32;
const LATENCY: Duration = Duration::from_millis(20);
/// Runs under `cargo bench`; `cargo test` (no `--bench`) makes one, which asserts the same.
const RUNS: usize = 3;

/// The id every pre-rendered transcript carries, replaced per request (same length).
const TEMPLATE_ID: &str = "00000000-0000-0000-0000-000000000000";

/// A 40-message transcript, the size of a ten-minute conversation.
fn transcript(id: &str) -> String {
    let messages: Vec<serde_json::Value> = (0..40u32)
        .map(|i| {
            serde_json::json!({
                "role": if i.is_multiple_of(2) { "persona" } else { "user" },
                "message": format!("message number {i}, a sentence or two of conversation"),
                "timestamp": format!("2026-11-01T10:{:02}:{:02}.000Z", i / 4, (i % 4) * 15),
                "speakingDurationSeconds": 4.5,
                "wasInterrupted": false,
            })
        })
        .collect();
    serde_json::json!({
        "sessionId": id, "personaName": "Cara", "startTime": "2026-11-01T10:00:00.000Z",
        "endTime": "2026-11-01T10:10:00.000Z", "durationMs": 600000, "totalMessages": 40,
        "transcriptsEnabled": true, "messages": messages,
    })
    .to_string()
}

fn page(number: usize) -> String {
    let start = (number - 1) * 100;
    let data: Vec<serde_json::Value> = (start..SESSIONS.min(start + 100))
        .map(|i| serde_json::json!({"id": format!("00000000-0000-0000-0000-{i:012}"), "startTime": "2026-11-01T10:00:00.000Z"}))
        .collect();
    let next = (start + 100 < SESSIONS).then_some(number + 1);
    serde_json::json!({"data": data, "meta": {"next": next}}).to_string()
}

/// One keep-alive connection: answers each request, transcripts after [`LATENCY`]. A thread
/// per connection and a pre-rendered transcript (only its id is swapped in) keep the server's
/// own cost out of the way of the client's.
fn serve(stream: TcpStream, template: &str) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone().expect("clone the socket"));
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header.trim().is_empty() {
                break;
            }
            if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let reply = match target
            .strip_prefix("/v1/sessions/")
            .and_then(|r| r.strip_suffix("/transcript"))
        {
            Some(id) if id.len() == TEMPLATE_ID.len() => {
                std::thread::sleep(LATENCY);
                template.replacen(TEMPLATE_ID, id, 1)
            }
            Some(id) => transcript(id),
            None => {
                let number = target
                    .split(['?', '&'])
                    .find_map(|p| p.strip_prefix("page="))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1);
                page(number)
            }
        };
        // One write: a head and a body in two small writes would meet Nagle's algorithm and
        // the client's delayed ACK, adding 40 ms to every response.
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
            reply.len()
        );
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// Peak resident memory (MB; Linux reports KiB) and user and system CPU time (s) of
/// finished children.
fn children_usage() -> (f64, f64, f64) {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_CHILDREN is a valid `who`.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (
        usage.ru_maxrss as f64 / 1024.0,
        seconds(usage.ru_utime),
        seconds(usage.ru_stime),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("export: benchmark");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    let template: &'static str = Box::leak(transcript(TEMPLATE_ID).into_boxed_str());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, template));
        }
    });
    let ideal = LATENCY.as_secs_f64() * SESSIONS as f64 / CONCURRENCY as f64;
    let runs = if std::env::args().any(|a| a == "--bench") {
        RUNS
    } else {
        1
    };
    let mut times = Vec::new();
    // Removed only after every run: deleting thousands of files just before the next run makes
    // ext4's inode allocator scan for them, which would be charged to the next run.
    let mut dirs = Vec::new();
    for run in 0..runs {
        let dir =
            std::env::temp_dir().join(format!("anam-bench-export-{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_anam"))
            .args(["--json", "sessions", "export", "--out"])
            .arg(&dir)
            .args(["--concurrency", &CONCURRENCY.to_string()])
            .env("ANAM_API_KEY", "bench-key")
            .env("ANAM_BASE_URL", &base_url)
            .stderr(Stdio::null())
            .output()
            .expect("the binary runs");
        let elapsed = started.elapsed().as_secs_f64();
        assert!(output.status.success(), "export failed: {}", output.status);
        // The export's own clock (listing, fetching, writing), without process start and exit.
        let inside = serde_json::from_slice::<serde_json::Value>(&output.stdout)
            .ok()
            .and_then(|summary| summary["elapsed_seconds"].as_f64())
            .unwrap_or(f64::NAN);
        let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        assert_eq!(files, SESSIONS, "every transcript exported");
        dirs.push(dir);
        println!(
            "export run {run}: {elapsed:.3} s for {SESSIONS} transcripts ({inside:.3} s inside the export)"
        );
        times.push(elapsed);
    }
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
    times.sort_by(f64::total_cmp);
    let median = times[runs / 2];
    println!(
        "ideal {ideal:.3} s ({SESSIONS} x {} ms / {CONCURRENCY})",
        LATENCY.as_millis()
    );
    println!("ratio export {:.3}", median / ideal);
    println!("throughput {:.0} transcripts/s", SESSIONS as f64 / median);
    let (peak_rss_mb, user_seconds, system_seconds) = children_usage();
    println!("peak_rss_mb {peak_rss_mb:.1}");
    let per_transcript = |seconds: f64| seconds / (runs * SESSIONS) as f64 * 1e6;
    println!(
        "client cpu per transcript {:.0} µs ({:.0} µs user, {:.0} µs system)",
        per_transcript(user_seconds + system_seconds),
        per_transcript(user_seconds),
        per_transcript(system_seconds)
    );
}
