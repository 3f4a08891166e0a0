//! Fetches a session transcript and prints it.
//!
//! `cargo run --features mock --example transcript [session-id]`: with `ANAM_API_KEY` set it
//! asks the real API (`ANAM_BASE_URL` overrides the address); without it, a local mock Anam
//! server that serves the spec's example transcript.

mod common;

use anam::types::Transcript;

const EXAMPLE_SESSION: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let session = std::env::args()
        .nth(1)
        .unwrap_or_else(|| EXAMPLE_SESSION.to_string());
    let (anam, _mock) = common::client().await?;
    match anam.sessions().transcript(session.as_str()).await {
        Ok(transcript) => print_transcript(&transcript),
        Err(error) if error.is_not_found() => eprintln!("no transcript for session {session}"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

fn print_transcript(transcript: &Transcript) {
    let or_dash = |text: Option<String>| text.unwrap_or_else(|| "-".into());
    println!("session   {}", or_dash(transcript.session_id.clone()));
    println!("persona   {}", or_dash(transcript.persona_name.clone()));
    println!(
        "started   {}",
        or_dash(transcript.start_time.map(|t| t.to_rfc3339()))
    );
    println!(
        "ended     {}",
        or_dash(transcript.end_time.map(|t| t.to_rfc3339()))
    );
    let seconds = transcript
        .duration_ms
        .map(|ms| format!("{:.1} s", ms as f64 / 1000.0));
    println!("duration  {}", or_dash(seconds));
    println!("messages  {}", transcript.messages.len());
    println!();
    for message in &transcript.messages {
        let role = message.role.as_ref().map_or("?", |r| r.as_str());
        let when = message
            .timestamp
            .map(|t| t.format("%H:%M:%S").to_string())
            .unwrap_or_default();
        let interrupted = if message.was_interrupted == Some(true) {
            ", interrupted"
        } else {
            ""
        };
        let spoken = message
            .speaking_duration_seconds
            .map(|s| format!(" ({s:.1} s{interrupted})"))
            .unwrap_or_default();
        let text = message.message.as_deref().unwrap_or("");
        println!("[{when}] {role:>8}: {text}{spoken}");
    }
}
