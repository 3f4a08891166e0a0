//! A request carries exactly what the user set, through the library's body types and the
//! binary: union variants matched by their keys, no spec default sent, an explicit empty list
//! sent, fields the spec lacks kept (with a warning, or refused with `--strict`), and an
//! update fed from a `get` leaves out what it does not take.

use serde_json::{Value, json};

use anam::types::{
    CreateMeetingInviteRequest, CreatePersonaBody, CreateSessionTokenBody,
    CreateSessionTokenBodyPersonaConfig, CreateToolBody, CreateToolBodyConfig,
    EphemeralPersonaConfig, SavedPersonaConfig, ServerWebhookToolConfig, UpdatePersonaBody,
    UpdateToolBody,
};

use crate::cli::{anam, anam_with_input};
use crate::support::scripted::{Reply, Scripted};
use crate::support::{client, quick_retries};

const ID: &str = "00000000-0000-0000-0000-000000000000";

async fn recording() -> Scripted {
    Scripted::start(vec![Reply::json(200, json!({}))]).await
}

/// The JSON body of the only request `server` received.
fn sent(server: &Scripted) -> Value {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one request");
    serde_json::from_slice(&requests[0].body).expect("a JSON body")
}

#[tokio::test]
async fn a_saved_persona_token_sends_the_persona_id() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let _ = anam
        .sessions()
        .create_token(CreateSessionTokenBody::saved_persona(ID))
        .await;
    assert_eq!(sent(&server), json!({"personaConfig": {"personaId": ID}}));
    // The same through the variant's builder.
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let saved: SavedPersonaConfig = SavedPersonaConfig::builder()
        .persona_id(Some(ID.to_string()))
        .try_into()
        .unwrap();
    let body: CreateSessionTokenBody = CreateSessionTokenBody::builder()
        .persona_config(Some(saved.into()))
        .try_into()
        .unwrap();
    let _ = anam.sessions().create_token(body).await;
    assert_eq!(sent(&server), json!({"personaConfig": {"personaId": ID}}));
}

#[tokio::test]
async fn an_ephemeral_persona_token_sends_what_was_set_and_nothing_else() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let persona: EphemeralPersonaConfig = EphemeralPersonaConfig::builder()
        .name(Some("Cara".to_string()))
        .avatar_id(Some("avatar-1".to_string()))
        .system_prompt(Some("Be brief.".to_string()))
        .tool_ids(Some(vec![]))
        .try_into()
        .unwrap();
    let _ = anam
        .sessions()
        .create_token(CreateSessionTokenBody::ephemeral_persona(persona))
        .await;
    assert_eq!(
        sent(&server),
        json!({"personaConfig": {"name": "Cara", "avatarId": "avatar-1", "systemPrompt": "Be brief.", "toolIds": []}})
    );
}

#[test]
fn json_decodes_into_the_variant_that_knows_its_keys() {
    let token: CreateSessionTokenBody =
        serde_json::from_value(json!({"personaConfig": {"personaId": ID}})).unwrap();
    assert!(matches!(
        token.persona_config,
        Some(CreateSessionTokenBodyPersonaConfig::SavedPersonaConfig(_))
    ));
    let tool: CreateToolBody = serde_json::from_value(json!({
        "name": "lookup", "description": "Looks up an order.", "type": "SERVER_WEBHOOK",
        "config": {"url": "https://example.com/hook", "method": "POST", "headers": {"X-Key": "1"}}
    }))
    .unwrap();
    let Some(CreateToolBodyConfig::ServerWebhookToolConfig(config)) = &tool.config else {
        panic!("not a webhook config: {:?}", tool.config);
    };
    assert_eq!(config.url, "https://example.com/hook");
    assert_eq!(
        serde_json::to_value(&tool).unwrap()["config"],
        json!({"url": "https://example.com/hook", "method": "POST", "headers": {"X-Key": "1"}})
    );
    // A field the spec does not know stays with the closest variant and is sent again.
    let tool: CreateToolBody = serde_json::from_value(json!({
        "name": "lookup", "description": "d", "type": "SERVER_WEBHOOK",
        "config": {"url": "https://example.com/hook", "method": "GET", "awaitResponse": true}
    }))
    .unwrap();
    assert_eq!(
        serde_json::to_value(&tool).unwrap()["config"]["awaitResponse"],
        json!(true)
    );
}

#[tokio::test]
async fn a_webhook_tool_built_in_rust_arrives_whole() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let config: ServerWebhookToolConfig = ServerWebhookToolConfig::builder()
        .url("https://example.com/hook")
        .method(anam::types::ServerWebhookToolConfigMethod::Post)
        .extra_field("awaitResponse", true)
        .try_into()
        .unwrap();
    let body: CreateToolBody = CreateToolBody::builder()
        .name("lookup_order")
        .description("Looks up an order by its number.")
        .type_(anam::types::CreateToolBodyType::ServerWebhook)
        .config(Some(CreateToolBodyConfig::from(config)))
        .try_into()
        .unwrap();
    let _ = anam.tools().create(body).await;
    assert_eq!(
        sent(&server),
        json!({
            "name": "lookup_order", "description": "Looks up an order by its number.",
            "type": "SERVER_WEBHOOK",
            "config": {"url": "https://example.com/hook", "method": "POST", "awaitResponse": true}
        })
    );
}

#[tokio::test]
async fn partial_updates_send_only_the_named_fields() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let body: UpdateToolBody = UpdateToolBody::builder()
        .description(Some("New words.".try_into().unwrap()))
        .try_into()
        .unwrap();
    let _ = anam.tools().update(ID, body).await;
    assert_eq!(sent(&server), json!({"description": "New words."}));

    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    // `Default` and a field set: the other way to build a body whose fields are optional.
    let mut body = UpdatePersonaBody::default();
    body.tool_ids = Some(vec![]);
    let _ = anam.personas().update(ID, body).await;
    assert_eq!(sent(&server), json!({"toolIds": []}));

    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let invite: CreateMeetingInviteRequest = serde_json::from_value(
        json!({"meetingUrl": "https://meet.example.com/abc", "personaId": ID}),
    )
    .unwrap();
    let _ = anam.meetings().create_invite(invite).await;
    assert_eq!(
        sent(&server),
        json!({"meetingUrl": "https://meet.example.com/abc", "personaId": ID})
    );
}

#[tokio::test]
async fn fields_the_spec_lacks_are_kept_and_sent_by_the_library() {
    let server = recording().await;
    let anam = client(&server.base_url, quick_retries());
    let given = json!({"name": "Cara", "temperature": 0.7, "llm": {"reasoning": "low"}});
    let body: CreatePersonaBody = serde_json::from_value(given.clone()).unwrap();
    let _ = anam.personas().create(body).await;
    assert_eq!(sent(&server), given);
}

#[tokio::test]
async fn the_binary_sends_unknown_fields_with_a_warning_and_refuses_them_with_strict() {
    let server = recording().await;
    let body = br#"{"name": "Cara", "sytemPrompt": "Be brief."}"#;
    let run = anam_with_input(
        &["personas", "create", "--body-file", "-", "--json"],
        Some(body),
        Some(&server.base_url),
    )
    .await;
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("`sytemPrompt`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Be brief"), "{}", run.stderr);
    assert_eq!(
        sent(&server),
        json!({"name": "Cara", "sytemPrompt": "Be brief."})
    );

    let strict = recording().await;
    let run = anam_with_input(
        &["personas", "create", "--body-file", "-", "--strict"],
        Some(body),
        Some(&strict.base_url),
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`sytemPrompt`"), "{}", run.stderr);
    assert!(strict.requests().is_empty(), "--strict sent a request");

    // create and update alike.
    let update = recording().await;
    let run = anam_with_input(
        &["personas", "update", ID, "--body-file", "-", "--json"],
        Some(body),
        Some(&update.base_url),
    )
    .await;
    assert!(run.stderr.contains("`sytemPrompt`"), "{}", run.stderr);
    assert_eq!(sent(&update)["sytemPrompt"], json!("Be brief."));
}

#[tokio::test]
async fn get_then_update_leaves_out_the_read_only_fields_with_a_note() {
    let persona = json!({
        "id": ID, "name": "Cara", "createdAt": "2026-04-20T09:00:00.000Z",
        "updatedAt": "2026-04-20T09:00:00.000Z", "systemPrompt": "Be brief.", "toolIds": []
    });
    let server = Scripted::start(vec![Reply::json(200, persona.clone())]).await;
    let got = anam(&["personas", "get", ID, "--json"], Some(&server.base_url)).await;
    assert_eq!(got.code, 0, "{}", got.stderr);
    let mut edited: Value = serde_json::from_str(&got.stdout).unwrap();
    edited["name"] = json!("Cara 2");
    let run = anam_with_input(
        &["personas", "update", ID, "--body-file", "-", "--json"],
        Some(edited.to_string().as_bytes()),
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("note: left out") && run.stderr.contains("createdAt"),
        "{}",
        run.stderr
    );
    let requests = server.requests();
    let update: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(
        update,
        json!({"name": "Cara 2", "systemPrompt": "Be brief.", "toolIds": []})
    );
}

#[tokio::test]
async fn a_flag_sets_one_field_of_a_partial_update() {
    let server = recording().await;
    let run = anam(
        &[
            "tools",
            "update",
            ID,
            "--description",
            "New words.",
            "--json",
        ],
        Some(&server.base_url),
    )
    .await;
    assert_eq!(
        sent(&server),
        json!({"description": "New words."}),
        "{}",
        run.stderr
    );
    let help = anam(&["personas", "update", "--help"], None).await;
    assert!(
        help.stdout
            .contains("Only the fields you include are changed"),
        "{}",
        help.stdout
    );
}

#[tokio::test]
async fn the_binary_sends_a_body_file_as_written_nulls_and_all() {
    // Unchanged: the file's bytes, odd spacing, key order and `null` included.
    let written = "{ \"voiceId\": null,\n  \"name\": \"x\", \"llmId\": null }\n";
    let server = recording().await;
    let run = anam_with_input(
        &["personas", "update", ID, "--body-file", "-", "--json"],
        Some(written.as_bytes()),
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].target, format!("/v1/personas/{ID}"));
    assert_eq!(String::from_utf8_lossy(&requests[0].body), written);

    // A flag changes its field in place and adds a new one at the end; the rest stays as
    // written (the null, a nested object's key order, number text).
    let written =
        r#"{"voiceId": null, "name": "x", "voiceGenerationOptions": {"z": 1.50, "a": null}}"#;
    let server = recording().await;
    let run = anam_with_input(
        &[
            "personas",
            "update",
            ID,
            "--body-file",
            "-",
            "--name",
            "y",
            "--system-prompt",
            "Be brief.",
        ],
        Some(written.as_bytes()),
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        String::from_utf8_lossy(&server.requests()[0].body),
        r#"{"voiceId":null,"name":"y","voiceGenerationOptions":{"z": 1.50, "a": null},"systemPrompt":"Be brief."}"#
    );

    // Still checked first: a wrong type is refused and nothing is sent.
    let server = recording().await;
    let run = anam_with_input(
        &["personas", "update", ID, "--body-file", "-"],
        Some(br#"{"voiceId": null, "skipGreeting": "yes"}"#),
        Some(&server.base_url),
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("skipGreeting"), "{}", run.stderr);
    assert!(server.requests().is_empty());
}
