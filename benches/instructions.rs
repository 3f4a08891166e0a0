//! The client benchmarks' workloads, a fixed number of times, for instruction counts under
//! callgrind: `cargo xtask instructions` runs each side of each pair as
//! `valgrind --tool=callgrind --toggle-collect=instructions::measured <this> <case> <iterations>`
//! and prints the ratio of the counts. Unlike wall time on a shared machine, the count repeats
//! from run to run, so a change of a few percent shows.
//!
//! Everything (both clients, their connection tasks and the server) runs on one current-thread
//! runtime inside [`measured`], so the count covers the whole round trip, the server's share
//! being the same for both sides. Run without a case (as `cargo bench` does), it only says how
//! to use it.

mod common;

use std::hint::black_box;

use common::{Clients, SESSION, clients, decode_anam, decode_baseline, transcript};

/// Each case the harness knows, by its name `<benchmark>/<side>`.
#[derive(Clone, Copy)]
enum Case {
    RoundTripBaseline,
    RoundTripAnam,
    StreamBaseline,
    StreamAnam,
    DecodeBaseline,
    DecodeAnam,
}

const CASES: &[(&str, Case)] = &[
    ("round_trip/baseline", Case::RoundTripBaseline),
    ("round_trip/anam", Case::RoundTripAnam),
    ("stream/baseline", Case::StreamBaseline),
    ("stream/anam", Case::StreamAnam),
    ("decode/baseline", Case::DecodeBaseline),
    ("decode/anam", Case::DecodeAnam),
];

/// Iterations before counting starts: connections opened, pools and caches warm.
const WARM_UP: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let case = args
        .first()
        .and_then(|name| CASES.iter().find(|(known, _)| known == name))
        .map(|&(_, case)| case);
    let Some(case) = case else {
        let names: Vec<&str> = CASES.iter().map(|(name, _)| *name).collect();
        println!(
            "instructions: run it through `cargo xtask instructions`; cases: {}",
            names.join(", ")
        );
        return;
    };
    let iterations = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100);
    let workload = Workload {
        clients: clients(),
        decode_input: serde_json::to_vec(&transcript(10_000)).expect("a transcript"),
    };
    workload.run(case, WARM_UP);
    measured(&workload, case, iterations);
}

/// The counted part: callgrind collects only while this function is on the stack.
#[inline(never)]
fn measured(workload: &Workload, case: Case, iterations: usize) {
    workload.run(case, iterations);
}

struct Workload {
    clients: Clients,
    decode_input: Vec<u8>,
}

impl Workload {
    fn run(&self, case: Case, iterations: usize) {
        let clients = &self.clients;
        clients.runtime.block_on(async {
            for _ in 0..iterations {
                match case {
                    Case::RoundTripBaseline => {
                        black_box(clients.round_trip_baseline(SESSION).await);
                    }
                    Case::RoundTripAnam => {
                        black_box(clients.round_trip_anam().await);
                    }
                    Case::StreamBaseline => {
                        black_box(clients.stream_baseline().await);
                    }
                    Case::StreamAnam => {
                        black_box(clients.stream_anam().await);
                    }
                    Case::DecodeBaseline => {
                        black_box(decode_baseline(black_box(&self.decode_input)));
                    }
                    Case::DecodeAnam => {
                        black_box(decode_anam(black_box(&self.decode_input)));
                    }
                }
            }
        });
    }
}
