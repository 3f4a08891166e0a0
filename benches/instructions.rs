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

/// Each case the harness knows: `<benchmark>/<side>`.
const CASES: &[&str] = &[
    "round_trip/baseline",
    "round_trip/anam",
    "stream/baseline",
    "stream/anam",
    "decode/baseline",
    "decode/anam",
];

/// Iterations before counting starts: connections opened, pools and caches warm.
const WARM_UP: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let Some(case) = args.first().filter(|case| CASES.contains(&case.as_str())) else {
        println!(
            "instructions: run it through `cargo xtask instructions`; cases: {}",
            CASES.join(", ")
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
fn measured(workload: &Workload, case: &str, iterations: usize) {
    workload.run(case, iterations);
}

struct Workload {
    clients: Clients,
    decode_input: Vec<u8>,
}

impl Workload {
    fn run(&self, case: &str, iterations: usize) {
        let clients = &self.clients;
        clients.runtime.block_on(async {
            for _ in 0..iterations {
                match case {
                    "round_trip/baseline" => {
                        black_box(clients.round_trip_baseline(SESSION).await);
                    }
                    "round_trip/anam" => {
                        black_box(clients.round_trip_anam().await);
                    }
                    "stream/baseline" => {
                        black_box(clients.stream_baseline().await);
                    }
                    "stream/anam" => {
                        black_box(clients.stream_anam().await);
                    }
                    "decode/baseline" => {
                        black_box(decode_baseline(black_box(&self.decode_input)));
                    }
                    "decode/anam" => {
                        black_box(decode_anam(black_box(&self.decode_input)));
                    }
                    _ => unreachable!("checked in main"),
                }
            }
        });
    }
}
