//! The live persona service itself, shared by `examples/live_persona.rs` and the test that
//! calls it over HTTP (`tests/api/webhook.rs`).
//!
//! - `POST /session-token` (`{"userId": "…"}`): what the browser calls to start a session.
//!   It signs the user's URL of the `lookup_order` webhook tool, mints a session token for an
//!   ephemeral persona holding that tool, and returns both. Never from the browser directly:
//!   the API key stays here.
//! - `POST /tools/lookup-order?uid=…&exp=…&sig=…` (`{"orderId": "…"}`): what Anam's servers
//!   call when the persona uses the tool; the signed `uid` says whose orders to search.

use std::time::{Duration, SystemTime};

use anam::types::{
    CreateSessionTokenBody, EphemeralPersonaConfig, EphemeralPersonaConfigToolsItem,
};
use anam::webhook::Answer;
use anam::webhook::axum::{SignedToolCall, ToolCallVerifier};
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use url::Url;

/// A session token's lifetime; the tool URL signed with it expires at the same time.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The webhook tool's route.
pub const LOOKUP_ORDER_PATH: &str = "/tools/lookup-order";

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The Anam client (its API key never leaves this service).
    pub anam: anam::Client,
    /// Signs the tool URLs and verifies Anam's calls to them.
    pub tools: ToolCallVerifier,
    /// The service's public URL, the one Anam's servers reach (`https://backend.example.com/`).
    pub public_url: Url,
    /// The persona every session gets; each token adds the user's signed tool to it.
    pub persona: EphemeralPersonaConfig,
}

impl FromRef<AppState> for ToolCallVerifier {
    fn from_ref(state: &AppState) -> Self {
        state.tools.clone()
    }
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/session-token", post(session_token))
        .route(LOOKUP_ORDER_PATH, post(lookup_order))
        .with_state(state)
}

/// A persona for the example (the ids are the mock's; use your own with the real API).
pub fn demo_persona() -> Result<EphemeralPersonaConfig, Box<dyn std::error::Error>> {
    Ok(EphemeralPersonaConfig::builder()
        .name(Some("Cara".to_string()))
        .avatar_id(Some("00000000-0000-0000-0000-000000000001".to_string()))
        .voice_id(Some("00000000-0000-0000-0000-000000000002".to_string()))
        .llm_id(Some("00000000-0000-0000-0000-000000000003".to_string()))
        .system_prompt(Some(
            "You help customers with their orders. Use lookup_order for an order's status."
                .to_string(),
        ))
        .try_into()?)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    /// In a real service, the user comes from your own authentication (a session cookie),
    /// never from the request body.
    user_id: String,
}

type Failure = (StatusCode, Json<Value>);

fn failure(status: StatusCode, error: &str) -> Failure {
    (status, Json(json!({ "error": error })))
}

async fn session_token(
    State(app): State<AppState>,
    Json(request): Json<TokenRequest>,
) -> Result<Json<Value>, Failure> {
    // One token per user session, valid one hour; the tool URL is bound to this user and
    // expires with the token.
    let tool_url = app
        .tools
        .signer()
        .sign(
            &app.public_url
                .join(LOOKUP_ORDER_PATH.trim_start_matches('/'))
                .map_err(|_| failure(StatusCode::INTERNAL_SERVER_ERROR, "bad public URL"))?,
            &http::Method::POST,
            SystemTime::now() + TOKEN_LIFETIME,
            &[("uid", &request.user_id)],
        )
        .map_err(|_| {
            failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot sign the tool URL",
            )
        })?;
    // An inline webhook tool. `subtype`, `url`, `method` and `awaitResponse` are fields
    // Anam's docs describe and the spec does not; they travel in the `extra` map.
    let tool: EphemeralPersonaConfigToolsItem = serde_json::from_value(json!({
        "type": "server",
        "subtype": "webhook",
        "name": "lookup_order",
        "description": "Looks up the status of one of the customer's orders by its number.",
        "url": tool_url.as_str(),
        "method": "POST",
        "awaitResponse": true,
        "parameters": {
            "type": "object",
            "properties": { "orderId": { "type": "string", "description": "The order number, like A-1001" } },
            "required": ["orderId"],
        },
    }))
    .map_err(|_| failure(StatusCode::INTERNAL_SERVER_ERROR, "bad tool definition"))?;
    let mut persona = app.persona.clone();
    persona.tools = Some(vec![tool]);
    // A persona saved in Anam instead: `CreateSessionTokenBody::saved_persona("persona-id")`
    // (its webhook tools are saved too, so their URLs cannot be signed per user).
    let token = app
        .anam
        .sessions()
        .create_token(CreateSessionTokenBody::ephemeral_persona(persona))
        .await
        .map_err(|error| {
            eprintln!("session token: {error}");
            failure(StatusCode::BAD_GATEWAY, "no session token from Anam")
        })?;
    Ok(Json(json!({
        "sessionToken": token.session_token,
        "toolUrl": tool_url.as_str(),
    })))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupOrder {
    order_id: String,
}

/// The orders the example knows: (user, order, status, delivery).
const ORDERS: &[(&str, &str, &str, &str)] = &[
    ("user-42", "A-1001", "shipped", "arrives Thursday"),
    ("user-42", "A-1002", "preparing", "ships tomorrow"),
    ("user-7", "B-2001", "delivered", "delivered Monday"),
];

async fn lookup_order(call: SignedToolCall<LookupOrder>) -> Answer {
    // The signed `uid`: this call can only see this user's orders.
    let user = call.url.param("uid").unwrap_or_default();
    let order = ORDERS
        .iter()
        .find(|(owner, id, ..)| *owner == user && *id == call.arguments.order_id);
    match order {
        Some((_, id, status, delivery)) => {
            Answer::new(&json!({ "orderId": id, "status": status, "delivery": delivery }))
                .unwrap_or_else(|_| Answer::error("the order could not be read"))
        }
        None => Answer::error("no order with that number for this customer"),
    }
}
