//! A mutation fuzzer seeded with the spec's own examples, for three targets:
//!
//! - `decode`: bytes into the decoding of every operation's success type
//!   (`anam::raw::spec_table::decode_success_body`);
//! - `http`: bytes as the body of a response with a random status and content type, through
//!   the whole client (transport, retries off, error mapping) from a loopback server;
//! - `render`: decodable transcripts into every rendering and the statistics.
//!
//! Each must end in `Ok` or a typed error, never a panic. In CI every target runs a fixed,
//! small number of cases; a long run is one command (see docs/MAINTAINERS.md):
//!
//! ```sh
//! ANAM_FUZZ_SECONDS=600 cargo test --release --all-features --test fuzz -- --nocapture
//! ```
//!
//! It prints executions and findings per target; a finding is saved under
//! `target/fuzz-findings/<target>/` and the test fails, so it can be turned into a regression
//! test.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anam::spec::OPERATIONS;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Cases per target when `ANAM_FUZZ_SECONDS` is not set.
const CI_CASES: u64 = 3_000;

/// A small, fast, seeded generator (xorshift64*), so runs are reproducible from their seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Every example the spec carries, as bytes: the seeds.
fn seeds() -> Vec<(usize, Vec<u8>)> {
    OPERATIONS
        .iter()
        .enumerate()
        .flat_map(|(index, op)| {
            op.examples
                .iter()
                .map(move |e| (index, e.json.as_bytes().to_vec()))
        })
        .collect()
}

/// Values that break decoders where they expect something else.
const INTERESTING: &[&str] = &[
    "null",
    "true",
    "-1",
    "1e309",
    "-0",
    "18446744073709551616",
    "\"\"",
    "\"\\ud800\"",
    "[]",
    "{}",
    "\"9999-99-99T99:99:99Z\"",
    "\"2026-04-20T09:00:00.000Z\"",
    "\"system\"",
    "1.5",
    "\"-->\"",
    "\"<v>&\"",
    "\"\\n\\n\"",
    "NaN",
];

/// One mutation of `input`: byte flips, deletions, duplications, truncation, splices with
/// another seed, or a JSON value swapped for an interesting one.
fn mutate(rng: &mut Rng, input: &[u8], seeds: &[(usize, Vec<u8>)]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(7) {
            0 if !data.is_empty() => {
                let at = rng.below(data.len());
                data[at] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let at = rng.below(data.len());
                let len = rng.below(16).min(data.len() - at);
                data.drain(at..at + len);
            }
            2 if !data.is_empty() => {
                let at = rng.below(data.len());
                let len = rng.below(32).min(data.len() - at);
                let copy = data[at..at + len].to_vec();
                let to = rng.below(data.len());
                data.splice(to..to, copy);
            }
            3 => data.truncate(rng.below(data.len() + 1)),
            4 => {
                let (_, other) = &seeds[rng.below(seeds.len())];
                let cut = rng.below(data.len() + 1);
                let from = rng.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ => {
                // Replace the value after a random `:` with an interesting one.
                let colons: Vec<usize> = data
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b':')
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&at) = colons.get(rng.below(colons.len())) {
                    let end = data[at + 1..]
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b']'))
                        .map_or(data.len(), |p| at + 1 + p);
                    let value = INTERESTING[rng.below(INTERESTING.len())].as_bytes();
                    data.splice(at + 1..end, value.iter().copied());
                }
            }
        }
    }
    data
}

/// How long (or how many cases) a target runs.
struct Budget {
    until: Option<Instant>,
    cases: u64,
}

impl Budget {
    fn from_env() -> Self {
        match std::env::var("ANAM_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
        {
            Some(seconds) => Self {
                until: Some(Instant::now() + Duration::from_secs(seconds)),
                cases: u64::MAX,
            },
            None => Self {
                until: None,
                cases: CI_CASES,
            },
        }
    }

    fn more(&self, done: u64) -> bool {
        done < self.cases && self.until.is_none_or(|until| Instant::now() < until)
    }
}

fn seed() -> u64 {
    std::env::var("ANAM_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_A11A_2026_1201)
}

/// Runs `case` on mutated inputs until the budget is spent; saves and reports every input that
/// panicked.
fn run_target(name: &str, mut case: impl FnMut(usize, &[u8])) {
    let seeds = seeds();
    let mut rng = Rng(seed());
    let budget = Budget::from_env();
    let started = Instant::now();
    let mut executions = 0u64;
    let mut findings = Vec::new();
    // The corpus grows with inputs that still decode as JSON, which keeps mutations deep.
    let mut corpus: Vec<(usize, Vec<u8>)> = seeds.clone();
    while budget.more(executions) {
        let (operation, parent) = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, parent, &seeds);
        let operation = *operation;
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case(operation, &input)));
        executions += 1;
        if outcome.is_err() {
            findings.push(save_finding(name, &input));
        } else if corpus.len() < 10_000
            && serde_json::from_slice::<serde_json::Value>(&input).is_ok()
        {
            corpus.push((operation, input));
        }
    }
    eprintln!(
        "fuzz {name}: {executions} executions in {:.1} s, corpus {}, findings {}",
        started.elapsed().as_secs_f64(),
        corpus.len(),
        findings.len()
    );
    assert!(
        findings.is_empty(),
        "fuzz {name}: inputs that panicked: {findings:?}"
    );
}

fn save_finding(target: &str, input: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/fuzz-findings")
        .join(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{:016x}", seahash(input)));
    if let Ok(mut file) = std::fs::File::create(&path) {
        let _ = file.write_all(input);
    }
    path
}

/// FNV-1a, for finding file names.
fn seahash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn decode_never_panics() {
    run_target("decode", |operation, input| {
        // Every operation, not only the seed's: a body meant for one fed to all.
        let _ = anam::raw::spec_table::decode_success_body(OPERATIONS[operation].id, input);
        let other = &OPERATIONS[(operation + 1) % OPERATIONS.len()];
        let _ = anam::raw::spec_table::decode_success_body(other.id, input);
    });
}

#[test]
fn rendering_and_stats_never_panic() {
    run_target("render", |_, input| {
        if let Ok(transcript) = serde_json::from_slice::<anam::types::Transcript>(input) {
            for format in anam::transcript::Format::ALL {
                let _ = anam::transcript::render(&transcript, format);
            }
            let _ = anam::transcript::Stats::from_transcript(&transcript).to_string();
        }
    });
}

/// A loopback server that answers each request, one connection at a time, with the next
/// `(status, content type, body)` the test sends it.
async fn reply_server(
    mut replies: tokio::sync::mpsc::Receiver<(u16, &'static str, Vec<u8>)>,
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let (read, mut write) = stream.into_split();
            let mut reader = BufReader::new(read);
            let mut line = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line == "\r\n" => break,
                    Ok(_) => {}
                }
            }
            if line != "\r\n" {
                continue;
            }
            let Some((status, content_type, body)) = replies.recv().await else {
                return;
            };
            // One connection a case: nothing a case leaves behind can reach the next.
            let mut reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            reply.extend_from_slice(&body);
            let _ = write.write_all(&reply).await;
            let _ = write.shutdown().await;
        }
    });
    base_url
}

#[test]
fn the_whole_client_never_panics_on_any_body() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (send, receive) = tokio::sync::mpsc::channel(1);
    let base_url = runtime.block_on(reply_server(receive));
    let anam = anam::Client::builder()
        .api_key("sk-fuzz")
        .base_url(&base_url)
        .retry_policy(anam::RetryPolicy::none())
        .build()
        .unwrap();
    // No 204: a body on a 204 breaks HTTP framing itself, which is not what this target is about.
    const STATUSES: [u16; 7] = [200, 201, 400, 404, 429, 500, 502];
    const TYPES: [&str; 3] = ["application/json", "text/html", "text/plain; charset=utf-8"];
    let mut rng = Rng(seed() ^ 0xA5A5);
    run_target("http", |_, input| {
        let status = STATUSES[rng.below(STATUSES.len())];
        let content_type = TYPES[rng.below(TYPES.len())];
        runtime.block_on(async {
            send.send((status, content_type, input.to_vec()))
                .await
                .unwrap();
            match anam
                .sessions()
                .transcript("00000000-0000-0000-0000-000000000000")
                .await
            {
                Ok(_) => {}
                Err(error) => {
                    // Display never contains the body: a transcript is a conversation.
                    let shown = error.to_string();
                    assert!(shown.len() < 1_000, "{shown}");
                }
            }
        });
    });
}

/// A random transcript: roles (some unknown), timestamps missing, out of order or before the
/// start, durations missing, zero, negative or huge, text with what subtitle formats trip on.
fn random_transcript(rng: &mut Rng) -> anam::types::Transcript {
    const TEXT: &[&str] = &[
        "Hi!",
        "-->",
        "a --> b",
        "<b>bold</b>",
        "fish & chips",
        "\n\nblank\n\n",
        "emoji 👋🏽",
        "مرحبا",
        "e\u{301}",
        "",
        "  ",
        "line one\r\nline two",
        "1. not a list",
        "# not a heading",
    ];
    const ROLES: &[&str] = &["user", "persona", "system", "tool"];
    let start = chrono::DateTime::parse_from_rfc3339("2026-04-20T09:00:00Z")
        .unwrap()
        .to_utc();
    let messages: Vec<serde_json::Value> = (0..rng.below(12))
        .map(|_| {
            let offset_ms = rng.below(400_000_000) as i64 - 1_000_000; // up to ~111 h, some before the start
            let timestamp = (rng.below(5) != 0)
                .then(|| (start + chrono::Duration::milliseconds(offset_ms)).to_rfc3339());
            let duration = match rng.below(5) {
                0 => serde_json::Value::Null,
                1 => serde_json::json!(-(rng.below(10) as f64)),
                2 => serde_json::json!(0.0),
                3 => serde_json::json!(rng.below(100_000) as f64 / 7.0),
                _ => serde_json::json!(rng.below(10_000) as f64 / 1000.0),
            };
            let text: String = (0..=rng.below(3))
                .map(|_| TEXT[rng.below(TEXT.len())])
                .collect::<Vec<_>>()
                .join(" ");
            serde_json::json!({
                "role": ROLES[rng.below(ROLES.len())],
                "message": text,
                "timestamp": timestamp,
                "speakingDurationSeconds": duration,
                "wasInterrupted": rng.below(2) == 0,
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "sessionId": "00000000-0000-0000-0000-000000000000",
        "personaName": if rng.below(3) == 0 { serde_json::Value::Null } else { "Zoë <AI> & co".into() },
        "startTime": if rng.below(4) == 0 { serde_json::Value::Null } else { start.to_rfc3339().into() },
        "transcriptsEnabled": rng.below(6) != 0,
        "messages": messages,
    }))
    .expect("a valid transcript")
}

/// `HH:MM:SS.mmm` (or `,mmm`), hours of any width, in milliseconds.
fn cue_time(text: &str) -> u64 {
    let (clock, millis) = text.trim().split_at(text.trim().len() - 4);
    let millis: u64 = millis[1..].parse().expect("milliseconds");
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.parse().expect("a number"))
        .collect();
    let [hours, minutes, seconds] = parts[..] else {
        panic!("not HH:MM:SS: {text}")
    };
    assert!(minutes < 60 && seconds < 60, "{text}");
    ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis
}

/// Every cue's (start, end) in a WebVTT or SRT document.
fn cues(document: &str) -> Vec<(u64, u64)> {
    document
        .lines()
        .filter(|line| line.contains(" --> "))
        .map(|line| {
            let (start, end) = line.split_once(" --> ").unwrap();
            (cue_time(start), cue_time(end))
        })
        .collect()
}

#[test]
fn any_transcript_renders_in_every_format_with_ordered_non_negative_cues() {
    let mut rng = Rng(seed() ^ 0x00C0_FFEE);
    for case in 0..500 {
        let transcript = random_transcript(&mut rng);
        for format in anam::transcript::Format::ALL {
            let text = anam::transcript::render(&transcript, format);
            assert!(
                !text.starts_with('\u{feff}'),
                "case {case}: BOM in {format}"
            );
            if matches!(
                format,
                anam::transcript::Format::WebVtt | anam::transcript::Format::Srt
            ) {
                let cues = cues(&text);
                for window in cues.windows(2) {
                    assert!(
                        window[0].0 <= window[1].0,
                        "case {case} {format}: cues run backwards\n{text}"
                    );
                }
                for (start, end) in &cues {
                    assert!(
                        end >= start,
                        "case {case} {format}: a cue ends before it starts\n{text}"
                    );
                }
                // A cue's payload never holds a blank line or a stray arrow.
                for block in text.split("\n\n").skip(1) {
                    let mut lines = block.lines();
                    let payload: Vec<&str> = lines
                        .by_ref()
                        .skip_while(|l| !l.contains(" --> "))
                        .skip(1)
                        .collect();
                    assert!(
                        payload.iter().all(|l| !l.contains("-->")),
                        "case {case} {format}: --> in a cue\n{text}"
                    );
                }
            }
        }
    }
}
