//! The fault matrix of `faults.rs` through `anam sessions export`: a server lists three
//! sessions and answers two transcripts normally, but misbehaves on the transcript of the
//! middle one ([`SESSION`]). For each fault: the exit status, the `--json` summary, the
//! files on disk (whole files for exported sessions, nothing else: no partial file), how many
//! requests the misbehaving transcript drew, and a bound on the run's time far below what a
//! hang (or the library's default 60 s timeout) would take. The runner checks that the key
//! never shows on stdout or stderr.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use tokio::net::TcpStream;

use crate::cli::{anam, scratch_dir, sessions_page, transcript_id, transcript_of};
use crate::faults::{
    declared_too_large, endless_body, misbehaving, misbehaving_on, read_head, reset_mid_body,
    respond, respond_with,
};
use crate::support::scripted::Recorded;
use crate::support::{KEY, SESSION, contains_json};

mod cases;

/// Sessions the server lists: `…-000000000000` to `…-000000000002`; the middle one is
/// [`SESSION`].
const SESSIONS: usize = 3;

/// The request timeout every run passes (`--timeout`).
const TIMEOUT: &str = "0.5";

/// What the server does to the transcript of [`SESSION`].
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// First attempt: headers and half a body, then a TCP reset; later attempts succeed.
    ResetMidBody,
    /// A `200` whose JSON stops in the middle.
    TruncatedJson,
    /// The response head comes 30 s after the request.
    SlowHeaders,
    /// A chunked `200` body that never ends.
    EndlessBody,
    /// A `200` declaring a 5 GB body, then nothing.
    DeclaredTooLarge,
    /// First attempt: `429` with `Retry-After: 1`; later attempts succeed.
    RetryAfterSeconds,
    /// First attempt: `429` with `Retry-After` an HTTP date 2 s ahead; later attempts succeed.
    RetryAfterDate,
    /// `429` with `Retry-After: 0`, every time.
    Storm429,
    /// `429` for a spend cap (not a request-rate limit), every time.
    SpendCap,
    /// `503` twice, then the transcript.
    Burst503,
    /// An nginx-style HTML `502` page, every time.
    Html502,
    /// `200` with `text/html` (a maintenance page).
    Html200,
    /// A `200` JSON body with invalid UTF-8 in a string.
    InvalidUtf8,
    /// `302` to the same path on 127.0.0.2, a different host, which serves the transcript.
    Redirect,
    /// Reads the request and never answers nor closes.
    Silent,
}

/// A finished export against a server with one fault.
struct Export {
    code: i32,
    stderr: String,
    summary: Value,
    /// How long the binary ran.
    elapsed: Duration,
    /// When each request for the misbehaving transcript arrived.
    attempts: Vec<Instant>,
    /// Whether each of them carried `Authorization: Bearer <KEY>`.
    carried_key: Vec<bool>,
    /// Requests for the session list.
    listings: usize,
    /// The request heads the other host (127.0.0.2) received.
    other_host: Vec<String>,
    dir: PathBuf,
}

fn session_id(index: usize) -> String {
    format!("00000000-0000-0000-0000-{index:012}")
}

/// The request line and headers of `head` as a [`Recorded`] (no body).
fn recorded(head: &str) -> Recorded {
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap_or_default().split_whitespace();
    Recorded {
        arrived: Instant::now(),
        method: request_line.next().unwrap_or_default().to_string(),
        target: request_line.next().unwrap_or_default().to_string(),
        headers: lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
            .collect(),
        body: Vec::new(),
    }
}

async fn send_transcript(stream: TcpStream, id: &str) {
    let body = transcript_of(id).to_string();
    respond(stream, 200, "application/json", body.as_bytes()).await;
}

async fn send_json(stream: TcpStream, status: u16, body: Value, headers: &[(&str, &str)]) {
    respond_with(
        stream,
        status,
        "application/json",
        headers,
        body.to_string().as_bytes(),
    )
    .await;
}

/// Answers `attempt` (0 for the first) of the misbehaving transcript, the request read.
async fn misbehave(fault: Fault, attempt: usize, stream: TcpStream, redirect_to: &str) {
    match fault {
        Fault::ResetMidBody if attempt == 0 => reset_mid_body(stream).await,
        Fault::TruncatedJson => {
            let body = transcript_of(SESSION).to_string();
            respond(
                stream,
                200,
                "application/json",
                &body.as_bytes()[..body.len() / 2],
            )
            .await;
        }
        Fault::SlowHeaders => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            send_transcript(stream, SESSION).await;
        }
        Fault::EndlessBody => endless_body(stream).await,
        Fault::DeclaredTooLarge => declared_too_large(stream, Duration::from_secs(30)).await,
        Fault::RetryAfterSeconds if attempt == 0 => {
            let headers = [("retry-after", "1")];
            send_json(stream, 429, json!({"error": "Too many requests"}), &headers).await;
        }
        Fault::RetryAfterDate if attempt == 0 => {
            // One-second resolution: two seconds ahead is more than one second away.
            let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
            let headers = [("retry-after", when.as_str())];
            send_json(stream, 429, json!({"error": "Too many requests"}), &headers).await;
        }
        Fault::Storm429 => {
            let headers = [("retry-after", "0")];
            send_json(
                stream,
                429,
                json!({"message": "too many requests"}),
                &headers,
            )
            .await;
        }
        Fault::SpendCap => {
            let body = json!({"message": "Spend cap reached for this organisation"});
            send_json(stream, 429, body, &[]).await;
        }
        Fault::Burst503 if attempt < 2 => {
            send_json(stream, 503, json!({"message": "busy"}), &[]).await;
        }
        Fault::Html502 => {
            let page = "<html><head><title>502 Bad Gateway</title></head>\
                        <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
            respond(stream, 502, "text/html", page.as_bytes()).await;
        }
        Fault::Html200 => {
            let page = "<html><body><h1>Down for maintenance</h1></body></html>";
            respond(stream, 200, "text/html; charset=utf-8", page.as_bytes()).await;
        }
        Fault::InvalidUtf8 => {
            let body = b"{\"sessionId\": \"00000000-0000-0000-0000-000000000001\", \"personaName\": \"Car\xff\xfe\", \"messages\": []}";
            respond(stream, 200, "application/json", body).await;
        }
        Fault::Redirect => {
            let location = format!("{redirect_to}/v1/sessions/{SESSION}/transcript");
            respond_with(stream, 302, "text/plain", &[("location", &location)], b"").await;
        }
        Fault::Silent => {
            std::future::pending::<()>().await;
            drop(stream);
        }
        // The attempts after a fault that passes.
        Fault::ResetMidBody
        | Fault::RetryAfterSeconds
        | Fault::RetryAfterDate
        | Fault::Burst503 => send_transcript(stream, SESSION).await,
    }
}

/// Starts the server with `fault` and runs `anam --timeout 0.5 sessions export --out DIR
/// --json` against it.
async fn export(name: &str, fault: Fault) -> Export {
    // The other host, for the redirect: it records what it was sent and serves the transcript.
    let other_heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let other_url = if matches!(fault, Fault::Redirect) {
        let heads = other_heads.clone();
        let (url, _) = misbehaving_on("127.0.0.2:0", move |_, mut stream| {
            let heads = heads.clone();
            async move {
                let head = read_head(&mut stream).await;
                heads.lock().unwrap().push(head);
                send_transcript(stream, SESSION).await;
            }
        })
        .await;
        url
    } else {
        String::new()
    };
    let attempts = Arc::new(Mutex::new(Vec::<(Instant, bool)>::new()));
    let listings = Arc::new(Mutex::new(0usize));
    let (seen, listed) = (attempts.clone(), listings.clone());
    let bearer = format!("Bearer {KEY}");
    let (base_url, _) = misbehaving(move |_, mut stream| {
        let (seen, listed, other_url) = (seen.clone(), listed.clone(), other_url.clone());
        let bearer = bearer.clone();
        async move {
            let request = recorded(&read_head(&mut stream).await);
            match transcript_id(&request) {
                Some(id) if id == SESSION => {
                    let attempt = {
                        let mut seen = seen.lock().unwrap();
                        let carried_key = request.header("authorization") == Some(&bearer);
                        seen.push((Instant::now(), carried_key));
                        seen.len() - 1
                    };
                    misbehave(fault, attempt, stream, &other_url).await;
                }
                Some(id) => send_transcript(stream, &id).await,
                None if request.target.starts_with("/v1/sessions?") => {
                    *listed.lock().unwrap() += 1;
                    let reply = sessions_page(&request, SESSIONS);
                    respond(
                        stream,
                        reply.status,
                        "application/json",
                        reply.body.as_bytes(),
                    )
                    .await;
                }
                None => respond(stream, 404, "application/json", b"{}").await,
            }
        }
    })
    .await;
    let dir = scratch_dir(&format!("fault-{name}"));
    let started = Instant::now();
    // A guard only: every bound asserted below is far shorter.
    let run = tokio::time::timeout(
        Duration::from_secs(40),
        anam(
            &[
                "--timeout",
                TIMEOUT,
                "sessions",
                "export",
                "--out",
                dir.to_str().unwrap(),
                "--json",
            ],
            Some(&base_url),
        ),
    )
    .await
    .unwrap_or_else(|_| panic!("{fault:?}: the export hung"));
    let elapsed = started.elapsed();
    assert!(
        !run.stderr.contains("panicked"),
        "{fault:?}: {}",
        run.stderr
    );
    let summary: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{fault:?}: no JSON summary ({e}): {}", run.stderr));
    assert!(summary["listing_error"].is_null(), "{fault:?}: {}", summary);
    let (attempts, carried_key): (Vec<Instant>, Vec<bool>) =
        attempts.lock().unwrap().iter().copied().unzip();
    eprintln!(
        "{fault:?}: exit {} in {elapsed:.2?}, {} request(s) for {SESSION}, failed: {}",
        run.code,
        attempts.len(),
        summary["failed"]
    );
    let listings = *listings.lock().unwrap();
    let other_host = other_heads.lock().unwrap().clone();
    Export {
        code: run.code,
        stderr: run.stderr,
        summary,
        elapsed,
        attempts,
        carried_key,
        listings,
        other_host,
        dir,
    }
}

/// Every name in `dir`, hidden ones (partial files) included.
fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

impl Export {
    /// The misbehaving session drew `attempts` requests, and the listing one.
    fn drew(&self, attempts: usize) -> &Self {
        assert_eq!(
            self.attempts.len(),
            attempts,
            "requests for the misbehaving transcript ({})",
            self.stderr
        );
        assert_eq!(self.listings, 1, "the session list was fetched once");
        self
    }

    /// The directory holds exactly a whole `<id>.json` of each of `ids`, and nothing else.
    fn files_of(&self, ids: &[String]) -> &Self {
        let expected: BTreeSet<String> = ids.iter().map(|id| format!("{id}.json")).collect();
        assert_eq!(names_in(&self.dir), expected, "{}", self.stderr);
        for id in ids {
            let text = std::fs::read_to_string(self.dir.join(format!("{id}.json"))).unwrap();
            let body: Value = serde_json::from_str(&text).expect("a whole JSON file");
            assert_eq!(body["sessionId"], id.as_str());
            contains_json(&body, &transcript_of(id)).expect("the file holds the transcript served");
        }
        self
    }

    /// Exit 0: every session exported, the misbehaving one too.
    fn ridden_out(&self) -> &Self {
        assert_eq!(self.code, 0, "{}", self.stderr);
        assert_eq!(self.summary["exported"], SESSIONS, "{}", self.summary);
        assert_eq!(self.summary["failed"], json!([]));
        let all: Vec<String> = (0..SESSIONS).map(session_id).collect();
        self.files_of(&all)
    }

    /// Exit 3: the misbehaving session alone failed, with a reason holding each of `words`;
    /// the others were exported.
    fn failed_with(&self, words: &[&str]) -> &Self {
        assert_eq!(self.code, 3, "{}", self.stderr);
        assert_eq!(self.summary["exported"], SESSIONS - 1, "{}", self.summary);
        let failed = self.summary["failed"].as_array().unwrap();
        assert_eq!(failed.len(), 1, "{}", self.summary);
        assert_eq!(failed[0]["session"], SESSION);
        let reason = failed[0]["reason"].as_str().unwrap();
        for word in words {
            assert!(reason.contains(word), "`{word}` not in `{reason}`");
        }
        assert!(
            reason.len() < 300 && !reason.contains("Cara") && !reason.contains(KEY),
            "the reason is one short line without the body: {reason}"
        );
        assert!(
            self.stderr
                .contains(&format!("{SESSION}: failed: {reason}")),
            "{}",
            self.stderr
        );
        let good: Vec<String> = (0..SESSIONS)
            .map(session_id)
            .filter(|id| id != SESSION)
            .collect();
        self.files_of(&good)
    }

    /// The run took less than `seconds`.
    fn within(&self, seconds: u64) -> &Self {
        assert!(
            self.elapsed < Duration::from_secs(seconds),
            "took {:?}",
            self.elapsed
        );
        self
    }

    /// Each retry of the misbehaving transcript came at least `at_least` after the attempt
    /// before it.
    fn retries_waited(&self, at_least: Duration) -> &Self {
        for pair in self.attempts.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(gap >= at_least, "a retry came after {gap:?}");
        }
        self
    }

    fn clean_up(&self) {
        std::fs::remove_dir_all(&self.dir).unwrap();
    }
}
