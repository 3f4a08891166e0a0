//! What the client benchmarks share: the minimal keep-alive loopback server, the hand-written
//! structs a user would decode into, and each workload's two sides (the crate, and what a user
//! would write by hand with bare `reqwest`). `benches/client.rs` times them with criterion;
//! `benches/instructions.rs` counts their instructions under callgrind.

#![allow(dead_code)]

use std::sync::Arc;

use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

pub const SESSION: &str = "00000000-0000-0000-0000-000000000000";
pub const SESSIONS: usize = 2_000;
pub const PAGE: usize = 100;

fn message(i: usize) -> Value {
    json!({
        "role": if i.is_multiple_of(2) { "persona" } else { "user" },
        "message": format!("message number {i} with a little text in it"),
        "timestamp": "2026-04-20T09:00:01.000Z",
        "speakingDurationSeconds": 1.5,
        "wasInterrupted": i.is_multiple_of(7),
    })
}

pub fn transcript(messages: usize) -> Value {
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
pub struct HandTranscript {
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

/// What a user would write for a session: the same fields as the spec's `Session` (as the
/// other hand structs mirror theirs), so the comparison is of the clients, not of how much of
/// the record each side keeps.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HandSession {
    api_key_id: Option<uuid::Uuid>,
    client_label: Option<String>,
    #[serde(default)]
    client_metadata: serde_json::Map<String, Value>,
    created_at: Option<chrono::DateTime<chrono::Utc>>,
    end_time: Option<chrono::DateTime<chrono::Utc>>,
    engine_host: Option<String>,
    engine_protocol: Option<String>,
    engine_version: Option<String>,
    exit_status: Option<String>,
    id: Option<uuid::Uuid>,
    organization_id: Option<String>,
    #[serde(default)]
    persona_config: serde_json::Map<String, Value>,
    persona_id: Option<uuid::Uuid>,
    session_length_ms: Option<i64>,
    start_time: Option<chrono::DateTime<chrono::Utc>>,
    updated_at: Option<chrono::DateTime<chrono::Utc>>,
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

/// Both clients, sharing one connection pool's settings, and the server they talk to, all on one
/// current-thread runtime.
pub struct Clients {
    pub runtime: tokio::runtime::Runtime,
    pub base_url: String,
    pub http: reqwest::Client,
    pub anam: anam::Client,
}

pub fn clients() -> Clients {
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

impl Clients {
    /// By hand: a bare `reqwest` GET with a bearer header, the body whole.
    async fn get_by_hand(&self, url: String) -> bytes::Bytes {
        self.http
            .get(url)
            .bearer_auth("bench-key")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
    }

    /// By hand: the URL formatted for the id, fetched, the body into a hand struct.
    pub async fn round_trip_baseline(&self, id: &str) -> HandTranscript {
        let url = format!("{}/v1/sessions/{id}/transcript", self.base_url);
        let bytes = self.get_by_hand(url).await;
        serde_json::from_slice::<HandTranscript>(&bytes).unwrap()
    }

    /// The crate: one transcript call.
    pub async fn round_trip_anam(&self) -> anam::types::Transcript {
        self.anam.sessions().transcript(SESSION).await.unwrap()
    }

    /// By hand: a page loop following `meta.next`, collecting every session.
    pub async fn stream_baseline(&self) -> usize {
        let mut page = 1;
        let mut sessions: Vec<HandSession> = Vec::new();
        loop {
            let url = format!("{}/v1/sessions?page={page}&perPage={PAGE}", self.base_url);
            let bytes = self.get_by_hand(url).await;
            let body: HandPage = serde_json::from_slice(&bytes).unwrap();
            let more = !body.data.is_empty();
            sessions.extend(body.data);
            match body.meta.and_then(|m| m.next) {
                Some(next) if more => page = next as usize,
                _ => break,
            }
        }
        assert_eq!(sessions.len(), SESSIONS);
        sessions.len()
    }

    /// The crate: `into_stream()` collected.
    pub async fn stream_anam(&self) -> usize {
        let sessions: Vec<_> = self
            .anam
            .sessions()
            .list()
            .into_stream()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(sessions.len(), SESSIONS);
        sessions.len()
    }
}

/// By hand: the transcript into the hand struct.
pub fn decode_baseline(bytes: &[u8]) -> HandTranscript {
    serde_json::from_slice::<HandTranscript>(bytes).unwrap()
}

/// The crate: the transcript into the generated type.
pub fn decode_anam(bytes: &[u8]) -> anam::types::Transcript {
    serde_json::from_slice::<anam::types::Transcript>(bytes).unwrap()
}
