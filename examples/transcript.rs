//! Fetches a session transcript and prints it.
//!
//! With `ANAM_API_KEY` set, it asks the real API (`ANAM_BASE_URL` overrides the address) for
//! the session given as the first argument. Without a key, it starts a local mock Anam server
//! on 127.0.0.1 that serves the transcript example from Anam's OpenAPI document, and fetches
//! that: `cargo run --example transcript`.

use anam::types::Transcript;
use httpmock::prelude::*;

const DEFAULT_BASE_URL: &str = "https://api.anam.ai";
const EXAMPLE_SESSION: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let session = std::env::args()
        .nth(1)
        .unwrap_or_else(|| EXAMPLE_SESSION.to_string());
    let transcript = match std::env::var("ANAM_API_KEY") {
        Ok(key) => {
            let base = std::env::var("ANAM_BASE_URL").unwrap_or_else(|_| DEFAULT_BASE_URL.into());
            fetch(&base, &key, &session).await?
        }
        Err(_) => {
            let server = mock_server().await;
            eprintln!(
                "ANAM_API_KEY is not set: using a local mock Anam server at {}",
                server.base_url()
            );
            fetch(&server.base_url(), "mock-key", &session).await?
        }
    };
    print_transcript(&transcript);
    Ok(())
}

async fn fetch(
    base_url: &str,
    key: &str,
    session: &str,
) -> Result<Transcript, Box<dyn std::error::Error>> {
    let client = anam::raw::Client::new_with_client(
        base_url,
        anam::http::default_client()?,
        anam::hooks::HookState::new(key),
    );
    match client.get_session_transcript().id(session).send().await {
        Ok(response) => Ok(response.into_inner()),
        Err(anam::raw::Error::UnexpectedResponse(response)) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            Err(format!("the API answered {status}: {body}").into())
        }
        Err(other) => Err(other.to_string().into()),
    }
}

/// A local server answering the transcript operation with the spec's own example.
async fn mock_server() -> MockServer {
    let spec: serde_json::Value = serde_json::from_str(include_str!("../openapi/swagger.json"))
        .expect("the vendored spec is JSON");
    let example = spec["components"]["examples"]["SessionTranscriptResponse"]["value"].clone();
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path_matches(r"^/v1/sessions/[0-9a-fA-F-]{36}/transcript$");
            then.status(200).json_body(example);
        })
        .await;
    server
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
    println!(
        "duration  {}",
        or_dash(
            transcript
                .duration_ms
                .map(|ms| format!("{:.1} s", ms as f64 / 1000.0))
        )
    );
    println!("messages  {}", transcript.messages.len());
    println!();
    for message in &transcript.messages {
        let role = message
            .role
            .as_ref()
            .map(|r| r.as_str().to_string())
            .unwrap_or_else(|| "?".into());
        let when = message
            .timestamp
            .map(|t| t.format("%H:%M:%S").to_string())
            .unwrap_or_default();
        let spoken = message
            .speaking_duration_seconds
            .map(|s| {
                format!(
                    " ({s:.1} s{})",
                    if message.was_interrupted == Some(true) {
                        ", interrupted"
                    } else {
                        ""
                    }
                )
            })
            .unwrap_or_default();
        println!(
            "[{when}] {role:>8}: {}{spoken}",
            message.message.as_deref().unwrap_or("")
        );
    }
}
