//! Mints a short-lived session token that a browser or mobile client uses to start a session
//! with a saved persona, without ever seeing the API key.
//!
//! `cargo run --features mock --example session_token [persona-id]`

mod common;

use anam::types::CreateSessionTokenBody;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (anam, _mock) = common::client().await?;
    let persona = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "00000000-0000-0000-0000-000000000000".into());
    let token = anam
        .sessions()
        .create_token(CreateSessionTokenBody::saved_persona(persona))
        .await?;
    // Hand this to the client SDK; it expires after one hour.
    println!("{}", token.session_token.unwrap_or_default());
    Ok(())
}
