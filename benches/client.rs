//! `cargo bench`: what the generated types and the facade cost, as ratios to a baseline
//! measured in the same process.
//!
//! - `decode`: a 500-message transcript into `anam::types::Transcript`, against the same bytes
//!   into an untyped `serde_json::Value`;
//! - `round_trip`: `anam.sessions().transcript(id)` (hooks, retry loop, span, error mapping)
//!   against a bare `reqwest` GET plus `serde_json` decode, both on one local server.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use httpmock::prelude::*;
use serde_json::{Value, json};

const SESSION: &str = "00000000-0000-0000-0000-000000000000";

fn transcript(messages: usize) -> Value {
    let messages: Vec<Value> = (0..messages)
        .map(|i| {
            json!({
                "role": if i % 2 == 0 { "persona" } else { "user" },
                "message": format!("message number {i} with a little text in it"),
                "timestamp": "2026-04-20T09:00:01.000Z",
                "speakingDurationSeconds": 1.5,
                "wasInterrupted": i % 7 == 0,
            })
        })
        .collect();
    json!({
        "sessionId": SESSION, "personaName": "Cara",
        "startTime": "2026-04-20T09:00:00.000Z", "endTime": "2026-04-20T09:12:34.000Z",
        "durationMs": 754000, "totalMessages": messages.len(), "transcriptsEnabled": true,
        "messages": messages,
    })
}

fn output_directory() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

fn decode(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&transcript(500)).unwrap();
    let mut group = c.benchmark_group("decode");
    group.bench_function("baseline_value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(std::hint::black_box(&bytes)).unwrap())
    });
    group.bench_function("transcript_type", |b| {
        b.iter(|| {
            serde_json::from_slice::<anam::types::Transcript>(std::hint::black_box(&bytes)).unwrap()
        })
    });
    group.finish();
}

fn round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start_async());
    let body = transcript(20);
    runtime.block_on(server.mock_async(|when, then| {
        when.method(GET)
            .path(format!("/v1/sessions/{SESSION}/transcript"));
        then.status(200).json_body(body.clone());
    }));
    let url = server.url(format!("/v1/sessions/{SESSION}/transcript"));
    let http = anam::http::default_client().unwrap();
    let anam = anam::Client::builder()
        .api_key("bench-key")
        .base_url(server.base_url())
        .http_client(http.clone())
        .build()
        .unwrap();

    let mut group = c.benchmark_group("round_trip");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("baseline_reqwest", |b| {
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
            serde_json::from_slice::<anam::types::Transcript>(&bytes).unwrap()
        })
    });
    group.bench_function("facade", |b| {
        b.to_async(&runtime)
            .iter(|| async { anam.sessions().transcript(SESSION).await.unwrap() })
    });
    group.finish();
}

/// The mean of one benchmark, from criterion's estimates.
fn mean_ns(group: &str, function: &str) -> Option<f64> {
    let path = output_directory()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let estimates: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    estimates.pointer("/mean/point_estimate")?.as_f64()
}

fn report_ratios() {
    for (group, candidate, baseline) in [
        ("decode", "transcript_type", "baseline_value"),
        ("round_trip", "facade", "baseline_reqwest"),
    ] {
        if let (Some(c), Some(b)) = (mean_ns(group, candidate), mean_ns(group, baseline)) {
            println!(
                "ratio {group}: {candidate} / {baseline} = {:.2} ({:.1} µs / {:.1} µs)",
                c / b,
                c / 1000.0,
                b / 1000.0
            );
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().output_directory(&output_directory());
    targets = decode, round_trip
}

fn main() {
    benches();
    Criterion::default()
        .output_directory(&output_directory())
        .configure_from_args()
        .final_summary();
    report_ratios();
}
