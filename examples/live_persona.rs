//! A backend for a live persona, with axum: the route that mints a user's session token
//! (with a signed webhook tool URL bound to that user) and the webhook tool Anam's servers
//! call. It starts the service on 127.0.0.1 against a local mock Anam server, calls both
//! routes itself as the browser and Anam would, prints what it got, and exits.
//!
//! `cargo run --features mock,axum --example live_persona`
//!
//! In your service: `anam::Client::from_env()` instead of the mock, the secret from your
//! secret store (`ANAM_TOOL_SECRET` here), and `public_url` your service's public address.

#[path = "live_persona/app.rs"]
mod app;

use anam::webhook::axum::ToolCallVerifier;
use anam::webhook::{UrlSigner, WebhookSecret};
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = anam::mock::MockAnam::start().await;
    let secret = std::env::var("ANAM_TOOL_SECRET").unwrap_or_else(|_| {
        eprintln!("ANAM_TOOL_SECRET is not set: using a demo secret");
        "demo-secret-demo-secret-demo-secret!".into()
    });

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let public_url = url::Url::parse(&format!("http://{}/", listener.local_addr()?))?;
    let state = app::AppState {
        anam: mock.client()?,
        tools: ToolCallVerifier::new(UrlSigner::new(WebhookSecret::new(secret)?))
            .external_base_url(&public_url),
        public_url: public_url.clone(),
        persona: app::demo_persona()?,
    };
    let server = tokio::spawn(async move { axum::serve(listener, app::router(state)).await });
    println!("serving on {public_url}");

    // The browser, through your backend: a session token and the user's signed tool URL.
    let http = anam::http::default_client()?;
    let session: Value = http
        .post(public_url.join("session-token")?)
        .json(&json!({ "userId": "user-42" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!(
        "POST /session-token -> session token {}",
        session["sessionToken"]
    );
    let tool_url = session["toolUrl"].as_str().ok_or("no toolUrl")?;
    println!("signed tool URL: {tool_url}");

    // Anam's servers, when the LLM calls the tool.
    let answer = http
        .post(tool_url)
        .json(&json!({ "orderId": "A-1001" }))
        .send()
        .await?;
    println!(
        "POST {} -> {} {}",
        app::LOOKUP_ORDER_PATH,
        answer.status(),
        answer.text().await?
    );

    // The same URL with another user's id: refused.
    let tampered = tool_url.replace("uid=user-42", "uid=user-7");
    let refused = http
        .post(&tampered)
        .json(&json!({ "orderId": "B-2001" }))
        .send()
        .await?;
    println!(
        "tampered uid -> {} {}",
        refused.status(),
        refused.text().await?
    );

    server.abort();
    Ok(())
}
