//! `cargo bench --bench probe`: the round trip's wall time, `anam.sessions().transcript(id)`
//! against the hand baseline (`benches/common/`: the same `reqwest::Client`, the same loopback
//! server, the same single-thread runtime), in interleaved rounds, with what instruction counts
//! do not see counted beside it: CPU time in the kernel, context switches, read and write
//! system calls, and how often the call's future is polled (each poll after the first is a
//! wake-up).
//!
//! ```text
//! cargo bench --bench probe                          # 31 rounds of 2,000 calls per side
//! cargo bench --bench probe -- --rounds 61 --calls 1000
//! cargo bench --bench probe -- --side anam --calls 20000   # one side only, for strace:
//! strace -c -f target/release/deps/probe-<hash> --side baseline --calls 20000
//! ```
//!
//! Each round runs both sides back to back, the first side alternating from round to round,
//! so a slow moment of the shared machine lands on both; the ratio is taken per round and
//! reported as its median with quartiles and extremes. It is not built under `cargo test`
//! (`test = false`); `cargo bench --bench probe -- --rounds 2 --calls 10` is a quick run.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use common::{Clients, SESSION, clients};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Baseline,
    Anam,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Baseline => "baseline",
            Side::Anam => "anam",
        }
    }
}

/// A future counting its polls into `polls` (pinned in place: no box, no copy of the future).
struct Counted<'a, 'f, F> {
    future: Pin<&'f mut F>,
    polls: &'a mut u64,
}

impl<F: Future> Future for Counted<'_, '_, F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        *self.polls += 1;
        self.future.as_mut().poll(cx)
    }
}

/// What the process has used so far: CPU time, context switches, read/write system calls.
#[derive(Clone, Copy, Default, Debug)]
struct Usage {
    /// This thread's CPU time (user and system), from the scheduler's own accounting.
    cpu: Duration,
    user: Duration,
    system: Duration,
    voluntary: u64,
    involuntary: u64,
    reads: u64,
    writes: u64,
    minor_faults: u64,
}

impl Usage {
    fn now() -> Self {
        // SAFETY: getrusage only writes into the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
        let time = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        // `syscr`/`syscw`: read- and write-class system calls (absent without task I/O
        // accounting, then zero).
        let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
        let field = |name: &str| {
            io.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        // SAFETY: clock_gettime only writes into the struct it is given.
        let mut cpu: libc::timespec = unsafe { std::mem::zeroed() };
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut cpu) };
        Self {
            cpu: Duration::new(cpu.tv_sec as u64, cpu.tv_nsec as u32),
            user: time(usage.ru_utime),
            system: time(usage.ru_stime),
            voluntary: usage.ru_nvcsw as u64,
            involuntary: usage.ru_nivcsw as u64,
            reads: field("syscr:"),
            writes: field("syscw:"),
            minor_faults: usage.ru_minflt as u64,
        }
    }

    fn since(self, earlier: Usage) -> Usage {
        Usage {
            cpu: self.cpu.saturating_sub(earlier.cpu),
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
            voluntary: self.voluntary - earlier.voluntary,
            involuntary: self.involuntary - earlier.involuntary,
            reads: self.reads - earlier.reads,
            writes: self.writes - earlier.writes,
            minor_faults: self.minor_faults - earlier.minor_faults,
        }
    }
}

/// One side's run of `calls` round trips.
#[derive(Clone, Copy, Debug)]
struct Run {
    wall: Duration,
    usage: Usage,
    polls: u64,
}

fn run(clients: &Clients, side: Side, calls: usize) -> Run {
    let mut polls = 0;
    let before = Usage::now();
    let started = Instant::now();
    clients.runtime.block_on(async {
        for _ in 0..calls {
            match side {
                Side::Baseline => {
                    let call = std::pin::pin!(clients.round_trip_baseline(SESSION));
                    let counted = Counted {
                        future: call,
                        polls: &mut polls,
                    };
                    std::hint::black_box(counted.await);
                }
                Side::Anam => {
                    let call = std::pin::pin!(clients.round_trip_anam());
                    let counted = Counted {
                        future: call,
                        polls: &mut polls,
                    };
                    std::hint::black_box(counted.await);
                }
            }
        }
    });
    let wall = started.elapsed();
    Run {
        wall,
        usage: Usage::now().since(before),
        polls,
    }
}

/// The value at quantile `q` of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index]
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

fn per_call(runs: &[Run], calls: usize, f: impl Fn(&Run) -> f64) -> f64 {
    let values = sorted(runs.iter().map(|r| f(r) / calls as f64).collect());
    quantile(&values, 0.5)
}

fn describe(side: Side, runs: &[Run], calls: usize) {
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{:<8} wall {:6.2} µs  thread CPU {:6.2} µs (user {:5.2}, system {:5.2})  polls {:4.2}  \
         reads {:4.2}  writes {:4.2}  switches {:5.3} voluntary, {:5.3} involuntary  \
         minor faults {:5.3}  (per call, medians)",
        side.name(),
        per_call(runs, calls, |r| us(r.wall)),
        per_call(runs, calls, |r| us(r.usage.cpu)),
        per_call(runs, calls, |r| us(r.usage.user)),
        per_call(runs, calls, |r| us(r.usage.system)),
        per_call(runs, calls, |r| r.polls as f64),
        per_call(runs, calls, |r| r.usage.reads as f64),
        per_call(runs, calls, |r| r.usage.writes as f64),
        per_call(runs, calls, |r| r.usage.voluntary as f64),
        per_call(runs, calls, |r| r.usage.involuntary as f64),
        per_call(runs, calls, |r| r.usage.minor_faults as f64),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    // `cargo bench` passes `--bench`; without it (the binary run by hand) a short check.
    let measuring = args.iter().any(|a| a == "--bench") || value("--side").is_some();
    let rounds: usize = value("--rounds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 31 } else { 2 });
    let calls: usize = value("--calls")
        .and_then(|v| v.parse().ok())
        .unwrap_or(if measuring { 2_000 } else { 20 });
    let clients = clients();

    if let Some(side) = value("--side") {
        let side = match side.as_str() {
            "anam" => Side::Anam,
            "baseline" => Side::Baseline,
            other => panic!("--side {other}: anam or baseline"),
        };
        run(&clients, side, 200);
        let measured = run(&clients, side, calls);
        describe(side, &[measured], calls);
        return;
    }

    // Warm both sides: connections open, pools and caches warm.
    for side in [Side::Baseline, Side::Anam] {
        run(&clients, side, calls.min(500));
    }
    let mut baseline = Vec::with_capacity(rounds);
    let mut anam = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let order = if round % 2 == 0 {
            [Side::Baseline, Side::Anam]
        } else {
            [Side::Anam, Side::Baseline]
        };
        for side in order {
            let measured = run(&clients, side, calls);
            match side {
                Side::Baseline => baseline.push(measured),
                Side::Anam => anam.push(measured),
            }
        }
    }
    let ratios = sorted(
        anam.iter()
            .zip(&baseline)
            .map(|(a, b)| a.wall.as_secs_f64() / b.wall.as_secs_f64())
            .collect(),
    );
    println!("probe round_trip: {rounds} interleaved rounds of {calls} calls per side");
    describe(Side::Baseline, &baseline, calls);
    describe(Side::Anam, &anam, calls);
    let cpu_ratios = sorted(
        anam.iter()
            .zip(&baseline)
            .map(|(a, b)| a.usage.cpu.as_secs_f64() / b.usage.cpu.as_secs_f64())
            .collect(),
    );
    for (what, ratios) in [("wall", &ratios), ("thread CPU", &cpu_ratios)] {
        println!(
            "ratio round_trip {what} {:.3} (quartiles {:.3}–{:.3}, extremes {:.3}–{:.3})",
            quantile(ratios, 0.5),
            quantile(ratios, 0.25),
            quantile(ratios, 0.75),
            ratios[0],
            ratios[ratios.len() - 1],
        );
    }
}
