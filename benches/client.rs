//! `cargo bench --bench client`: what the crate costs next to what a user would write by hand,
//! each pair measured in the same process against the same minimal keep-alive loopback server
//! (tasks on the benchmark's own single-thread runtime answering pre-rendered responses, so its
//! own cost stays small and equal for both sides). After the runs it prints
//! `ratio <name> <candidate / baseline>` from criterion's medians.
//!
//! - `round_trip`: `anam.sessions().transcript(id).await` against a bare `reqwest` GET with a
//!   bearer header and a hand-written `#[derive(Deserialize)]` struct;
//! - `stream`: `anam.sessions().list().into_stream()` over 2,000 sessions (20 pages of 100)
//!   against a hand page loop with the same requests and a hand struct;
//! - `decode`: a 10,000-message transcript into `anam::types::Transcript` against a hand
//!   struct with the same fields, with throughput in MB/s.
//!
//! Wall-clock medians on a shared 2-core machine swing by tens of percent; `cargo xtask
//! instructions` counts the same workloads' instructions under callgrind, which repeats.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use serde_json::Value;

use common::{Clients, SESSION, clients, decode_anam, decode_baseline, transcript};

fn output_directory() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

fn round_trip(c: &mut Criterion) {
    let clients: Clients = clients();
    let mut group = c.benchmark_group("round_trip");
    group.measurement_time(Duration::from_secs(6));
    group.bench_function("baseline", |b| {
        b.to_async(&clients.runtime)
            .iter(|| clients.round_trip_baseline(SESSION))
    });
    group.bench_function("anam", |b| {
        b.to_async(&clients.runtime)
            .iter(|| clients.round_trip_anam())
    });
    group.finish();
}

fn stream(c: &mut Criterion) {
    let clients: Clients = clients();
    let mut group = c.benchmark_group("stream");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("baseline", |b| {
        b.to_async(&clients.runtime)
            .iter(|| clients.stream_baseline())
    });
    group.bench_function("anam", |b| {
        b.to_async(&clients.runtime).iter(|| clients.stream_anam())
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&transcript(10_000)).unwrap();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("baseline", |b| {
        b.iter(|| decode_baseline(std::hint::black_box(&bytes)))
    });
    group.bench_function("anam", |b| {
        b.iter(|| decode_anam(std::hint::black_box(&bytes)))
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
