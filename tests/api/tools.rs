//! Tools from Rust types (`anam::tools`): the exact body that reaches the server for a saved
//! and an inline tool, webhook and client, and the 10,000-byte limit refused before sending.

use std::borrow::Cow;

use serde_json::{Value, json};

use anam::tools::{ClientTool, PARAMETERS_LIMIT, ToolError, WebhookTool};
use anam::types::{CreateSessionTokenBody, EphemeralPersonaConfig, ServerWebhookToolConfigMethod};

use crate::support::scripted::{Recorded, Reply, Scripted};
use crate::support::{client, quick_retries};

/// Finds an order.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[allow(dead_code, reason = "only the schema is used")]
struct OrderLookup {
    /// As printed on the receipt.
    order_number: String,
    include_items: Option<bool>,
}

/// What `OrderLookup`'s schema is on the wire.
fn order_lookup_schema() -> Value {
    json!({
        "title": "OrderLookup",
        "description": "Finds an order.",
        "type": "object",
        "properties": {
            "order_number": {"description": "As printed on the receipt.", "type": "string"},
            "include_items": {"type": ["boolean", "null"]}
        },
        "required": ["order_number"]
    })
}

fn lookup_tool() -> WebhookTool {
    WebhookTool::new::<OrderLookup>(
        "lookup_order",
        "Finds an order's status by its number.",
        "https://backend.example.com/tools/lookup-order?uid=7",
    )
    .unwrap()
    .method(ServerWebhookToolConfigMethod::Put)
    .header("x-backend-key", "secret")
    .await_response(true)
    .disable_interruptions(true)
}

async fn recording() -> Scripted {
    Scripted::start(vec![Reply::json(200, json!({}))]).await
}

/// The only request `server` received.
fn only(server: &Scripted) -> (Recorded, Value) {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one request");
    let body = serde_json::from_slice(&requests[0].body).expect("a JSON body");
    (requests[0].clone(), body)
}

#[tokio::test]
async fn a_saved_webhook_tool_sends_its_schema_and_settings_in_its_config() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let _ = anam.tools().create(lookup_tool().into()).await;
    let (request, body) = only(&server);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/tools")
    );
    assert_eq!(
        body,
        json!({
            "type": "SERVER_WEBHOOK",
            "name": "lookup_order",
            "description": "Finds an order's status by its number.",
            "disableInterruptions": true,
            "config": {
                "url": "https://backend.example.com/tools/lookup-order?uid=7",
                "method": "PUT",
                "headers": {"x-backend-key": "secret"},
                "parameters": order_lookup_schema(),
                "awaitResponse": true
            }
        })
    );
}

#[tokio::test]
async fn an_inline_webhook_tool_sends_the_fields_anam_reads() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let persona: EphemeralPersonaConfig = EphemeralPersonaConfig::builder()
        .avatar_id(Some("avatar-id".to_string()))
        .tools(Some(vec![lookup_tool().into()]))
        .try_into()
        .unwrap();
    let _ = anam
        .sessions()
        .create_token(CreateSessionTokenBody::ephemeral_persona(persona))
        .await;
    let (request, body) = only(&server);
    assert_eq!(request.target, "/v1/auth/session-token");
    assert_eq!(
        body,
        json!({
            "personaConfig": {
                "avatarId": "avatar-id",
                "tools": [{
                    "type": "server",
                    "subtype": "webhook",
                    "name": "lookup_order",
                    "description": "Finds an order's status by its number.",
                    "parameters": order_lookup_schema(),
                    "url": "https://backend.example.com/tools/lookup-order?uid=7",
                    "method": "PUT",
                    "headers": {"x-backend-key": "secret"},
                    "awaitResponse": true,
                    "disableInterruptions": true
                }]
            }
        })
    );
}

#[tokio::test]
async fn a_client_tool_saved_and_inline() {
    let tool = ClientTool::new::<OrderLookup>("show_order", "Shows an order on screen.")
        .unwrap()
        .await_result(true)
        .timeout_seconds(30.0);

    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let _ = anam.tools().create(tool.clone().into()).await;
    assert_eq!(
        only(&server).1,
        json!({
            "type": "CLIENT",
            "name": "show_order",
            "description": "Shows an order on screen.",
            "config": {
                "parameters": order_lookup_schema(),
                "awaitResult": true,
                "toolTimeoutSeconds": 30.0
            }
        })
    );

    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let persona: EphemeralPersonaConfig = EphemeralPersonaConfig::builder()
        .tools(Some(vec![tool.into()]))
        .try_into()
        .unwrap();
    let _ = anam
        .sessions()
        .create_token(CreateSessionTokenBody::ephemeral_persona(persona))
        .await;
    assert_eq!(
        only(&server).1,
        json!({
            "personaConfig": {
                "tools": [{
                    "type": "client",
                    "name": "show_order",
                    "description": "Shows an order on screen.",
                    "parameters": order_lookup_schema(),
                    "awaitResult": true,
                    "toolTimeoutSeconds": 30.0
                }]
            }
        })
    );
}

/// Arguments whose schema is 10,001 bytes serialised: one past the limit.
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "only the schema is used")]
struct Oversized {
    text: String,
}

/// Bytes of `text` for a schema of `total` bytes around it (the root schema gains its
/// `title`): two-byte `é`s, so the limit is seen to count bytes, not characters.
fn description(total: usize, title: &str) -> String {
    let around = format!(r#"{{"type":"object","description":"","title":"{title}"}}"#).len();
    let bytes = total - around;
    "é".repeat(bytes / 2) + &"x".repeat(bytes % 2)
}

impl schemars::JsonSchema for Oversized {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Oversized")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": description(PARAMETERS_LIMIT + 1, "Oversized"),
        })
    }
}

/// What a backend writes: make the tool, then send it, `?` on both.
async fn create_tool(anam: &anam::Client) -> anam::Result<()> {
    let tool = WebhookTool::new::<Oversized>("big", "Too big.", "https://example.com/big")?;
    anam.tools().create(tool.into()).await?;
    Ok(())
}

async fn create_token(anam: &anam::Client) -> anam::Result<()> {
    let tool = ClientTool::new::<Oversized>("big", "Too big.")?;
    let persona = EphemeralPersonaConfig::builder().tools(Some(vec![tool.into()]));
    let body = CreateSessionTokenBody::ephemeral_persona(persona.try_into()?);
    anam.sessions().create_token(body).await?;
    Ok(())
}

#[tokio::test]
async fn a_schema_over_10000_bytes_is_refused_with_its_size_and_nothing_is_sent() {
    assert_eq!(
        WebhookTool::new::<Oversized>("big", "Too big.", "https://example.com/big").unwrap_err(),
        ToolError::SchemaTooLarge {
            tool: "big".into(),
            size: 10_001,
            limit: 10_000
        }
    );
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    for result in [create_tool(&anam).await, create_token(&anam).await] {
        match result {
            Err(anam::Error::InvalidInput(message)) => assert_eq!(
                message,
                "invalid input: the parameters schema of tool `big` is 10001 bytes serialised; Anam accepts at most 10000"
                    .trim_start_matches("invalid input: ")
            ),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }
    assert!(server.requests().is_empty(), "nothing reached the server");
}

/// One byte less is accepted.
struct AtTheLimit;

impl<'de> serde::Deserialize<'de> for AtTheLimit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Self)
    }
}

impl schemars::JsonSchema for AtTheLimit {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("AtTheLimit")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": description(PARAMETERS_LIMIT, "AtTheLimit"),
        })
    }
}

#[test]
fn a_schema_of_exactly_10000_bytes_is_accepted() {
    let tool = ClientTool::new::<AtTheLimit>("fits", "Fits.").unwrap();
    assert_eq!(serde_json::to_vec(tool.parameters()).unwrap().len(), 10_000);
}
