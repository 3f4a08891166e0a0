//! `cargo bench --bench client`: what the crate costs next to what a user would write by hand,
//! each pair measured in the same process against the same minimal keep-alive loopback server
//! (tasks on the benchmark's own single-thread runtime answering pre-rendered responses, so its
//! own cost stays small and equal for both sides). After the runs it prints `ratio <name> <candidate / baseline>` from
//! criterion's medians.
//!
//! - `round_trip`: `anam.sessions().transcript(id).await` against a bare `reqwest` GET with a
//!   bearer header and a hand-written `#[derive(Deserialize)]` struct;
//! - `stream`: `anam.sessions().list().into_stream()` over 2,000 sessions (20 pages of 100)
//!   against a hand page loop with the same requests and a hand struct;
//! - `decode`: a 10,000-message transcript into `anam::types::Transcript` against a hand
//!   struct with the same fields, with throughput in MB/s.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

const SESSION: &str = "00000000-0000-0000-0000-000000000000";
const SESSIONS: usize = 2_000;
const PAGE: usize = 100;

fn message(i: usize) -> Value {
    json!({
        "role": if i.is_multiple_of(2) { "persona" } else { "user" },
        "message": format!("message number {i} with a little text in it"),
        "timestamp": "2026-04-20T09:00:01.000Z",
        "speakingDurationSeconds": 1.5,
        "wasInterrupted": i.is_multiple_of(7),
    })
}

fn transcript(messages: usize) -> Value {
    let messages: Vec<Value> = (0..messages).map(message).collect();
    json!({
        "sessionId": SESSION, "personaName": "Cara",
        "startTime": "2026-04-20T09:00:00.000Z", "endTime": "2026-04-20T09:12:34.000Z",
        "durationMs": 754000, "totalMessages": messages.len(), "transcriptsEnabled": true,
        "messages": messages,
    })
}

fn sessions_page(page: usize) -> Value {
    let start = (page - 1) * PAGE;
    let data: Vec<Value> = (start..start + PAGE)
        .map(|i| json!({"id": format!("00000000-0000-0000-0000-{i:012}"), "createdAt": "2026-04-20T09:00:00.000Z", "sessionLengthMs": 1000}))
        .collect();
    let next = (page * PAGE < SESSIONS).then_some(page + 1);
    json!({"data": data, "meta": {"currentPage": page, "next": next, "perPage": PAGE, "total": SESSIONS}})
}

/// A whole HTTP response with `body`.
fn response(body: &Value) -> Vec<u8> {
    let body = body.to_string();
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Pre-rendered answers: the transcript, and each page of sessions.
struct Answers {
    transcript: Vec<u8>,
    pages: Vec<Vec<u8>>,
}

/// One keep-alive connection: reads request heads, answers from `answers`.
async fn serve(stream: tokio::net::TcpStream, answers: Arc<Answers>) {
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut reader = tokio::io::BufReader::new(read);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        loop {
            line.clear();
            if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
        }
        let answer = if target.ends_with("/transcript") {
            &answers.transcript
        } else {
            let page: usize = target
                .split(['?', '&'])
                .find_map(|p| p.strip_prefix("page="))
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            &answers.pages[page.clamp(1, answers.pages.len()) - 1]
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// Starts the server as tasks of `runtime` (the benchmark's own single thread, so serving costs
/// no cross-thread wake-ups); returns its base URL.
fn start_server(runtime: &tokio::runtime::Runtime) -> String {
    let answers = Arc::new(Answers {
        transcript: response(&transcript(20)),
        pages: (1..=SESSIONS / PAGE)
            .map(|p| response(&sessions_page(p)))
            .collect(),
    });
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base_url = format!("http://{}", listener.local_addr().expect("address"));
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, answers.clone()));
        }
    });
    base_url
}

/// What a user would write for the transcript.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandTranscript {
    session_id: Option<String>,
    persona_name: Option<String>,
    start_time: Option<chrono::DateTime<chrono::Utc>>,
    end_time: Option<chrono::DateTime<chrono::Utc>>,
    duration_ms: Option<i64>,
    total_messages: Option<i64>,
    transcripts_enabled: Option<bool>,
    #[serde(default)]
    messages: Vec<HandMessage>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandMessage {
    role: Option<String>,
    message: Option<String>,
    timestamp: Option<chrono::DateTime<chrono::Utc>>,
    speaking_duration_seconds: Option<f64>,
    was_interrupted: Option<bool>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandSession {
    id: Option<uuid::Uuid>,
    created_at: Option<chrono::DateTime<chrono::Utc>>,
    session_length_ms: Option<i64>,
}

#[derive(Deserialize)]
struct HandMeta {
    next: Option<u64>,
}

#[derive(Deserialize)]
struct HandPage {
    data: Vec<HandSession>,
    meta: Option<HandMeta>,
}

fn output_directory() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

struct Clients {
    runtime: tokio::runtime::Runtime,
    base_url: String,
    http: reqwest::Client,
    anam: anam::Client,
}

fn clients() -> Clients {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let base_url = start_server(&runtime);
    let http = anam::http::default_client().unwrap();
    let anam = anam::Client::builder()
        .api_key("bench-key")
        .base_url(&base_url)
        .http_client(http.clone())
        .build()
        .unwrap();
    Clients {
        runtime,
        base_url,
        http,
        anam,
    }
}

fn round_trip(c: &mut Criterion) {
    let Clients {
        runtime,
        base_url,
        http,
        anam,
    } = clients();
    let url = format!("{base_url}/v1/sessions/{SESSION}/transcript");
    let mut group = c.benchmark_group("round_trip");
    group.measurement_time(Duration::from_secs(6));
    group.bench_function("baseline", |b| {
        b.to_async(&runtime).iter(|| async {
            let bytes = http
                .get(&url)
                .bearer_auth("bench-key")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            serde_json::from_slice::<HandTranscript>(&bytes).unwrap()
        })
    });
    group.bench_function("anam", |b| {
        b.to_async(&runtime)
            .iter(|| async { anam.sessions().transcript(SESSION).await.unwrap() })
    });
    group.finish();
}

fn stream(c: &mut Criterion) {
    let Clients {
        runtime,
        base_url,
        http,
        anam,
    } = clients();
    let mut group = c.benchmark_group("stream");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("baseline", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut page = 1;
            let mut sessions: Vec<HandSession> = Vec::new();
            loop {
                let url = format!("{base_url}/v1/sessions?page={page}&perPage={PAGE}");
                let bytes = http
                    .get(&url)
                    .bearer_auth("bench-key")
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                let body: HandPage = serde_json::from_slice(&bytes).unwrap();
                let more = !body.data.is_empty();
                sessions.extend(body.data);
                match body.meta.and_then(|m| m.next) {
                    Some(next) if more => page = next as usize,
                    _ => break,
                }
            }
            assert_eq!(sessions.len(), SESSIONS);
        })
    });
    group.bench_function("anam", |b| {
        b.to_async(&runtime).iter(|| async {
            let sessions: Vec<_> = anam
                .sessions()
                .list()
                .into_stream()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(sessions.len(), SESSIONS);
        })
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&transcript(10_000)).unwrap();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("baseline", |b| {
        b.iter(|| serde_json::from_slice::<HandTranscript>(std::hint::black_box(&bytes)).unwrap())
    });
    group.bench_function("anam", |b| {
        b.iter(|| {
            serde_json::from_slice::<anam::types::Transcript>(std::hint::black_box(&bytes)).unwrap()
        })
    });
    group.finish();
}

/// The median of one benchmark, from criterion's estimates, in nanoseconds.
fn median_ns(group: &str, function: &str) -> Option<f64> {
    let path = output_directory()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let estimates: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    estimates.pointer("/median/point_estimate")?.as_f64()
}

fn report_ratios(decoded_bytes: usize) {
    for group in ["round_trip", "stream", "decode"] {
        if let (Some(candidate), Some(baseline)) =
            (median_ns(group, "anam"), median_ns(group, "baseline"))
        {
            println!(
                "ratio {group} {:.3} ({:.1} µs / {:.1} µs)",
                candidate / baseline,
                candidate / 1000.0,
                baseline / 1000.0
            );
            if group == "decode" {
                let mb_per_s = |ns: f64| decoded_bytes as f64 / ns * 1e9 / 1e6;
                println!(
                    "decode throughput: anam {:.0} MB/s, baseline {:.0} MB/s",
                    mb_per_s(candidate),
                    mb_per_s(baseline)
                );
            }
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().output_directory(&output_directory());
    targets = round_trip, stream, decode
}

fn main() {
    benches();
    Criterion::default()
        .output_directory(&output_directory())
        .configure_from_args()
        .final_summary();
    report_ratios(
        serde_json::to_vec(&transcript(10_000))
            .map(|b| b.len())
            .unwrap_or(0),
    );
}
