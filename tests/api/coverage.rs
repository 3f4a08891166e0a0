//! Every operation of the spec is reachable through the per-resource sub-clients: each one is
//! called against the built-in mock server (which answers with the spec's own examples), and
//! the operations the server saw are compared with the spec's full list.

use std::collections::BTreeSet;

use anam::UploadFile;
use anam::mock::MockAnam;
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;

use crate::support;

const ID: &str = "00000000-0000-0000-0000-000000000000";

/// The request body of `operation`: the spec's request example, or `fallback`.
fn body<T: DeserializeOwned>(operation: &str, fallback: serde_json::Value) -> T {
    let operation = anam::spec::operation(operation).expect("operation in the spec");
    support::request_body(operation, fallback)
}

/// Asserts that the operations called since the last check are exactly those the spec tags
/// `tag`: each sub-client covers its whole tag and nothing else.
fn assert_tag_covered(mock: &MockAnam, seen: &mut BTreeSet<&'static str>, tag: &str) {
    let called: BTreeSet<&'static str> = mock.called_operations().into_iter().collect();
    let new: BTreeSet<&'static str> = called.difference(seen).copied().collect();
    let tagged: BTreeSet<&'static str> = anam::spec::OPERATIONS
        .iter()
        .filter(|op| op.tag == tag)
        .map(|op| op.id)
        .collect();
    assert_eq!(new, tagged, "operations reached for tag {tag}");
    seen.extend(new);
}

#[tokio::test]
async fn every_operation_is_reachable_through_a_sub_client() {
    let mock = MockAnam::start().await;
    let anam = mock.client().unwrap();
    let none = serde_json::json!({});
    let mut seen = BTreeSet::new();

    let sessions = anam.sessions();
    sessions.list().await.unwrap();
    sessions.get(ID).await.unwrap();
    sessions.transcript(ID).await.unwrap();
    sessions.stop(ID).await.unwrap();
    sessions.recording(ID).await.unwrap();
    sessions.analytics(ID).await.unwrap();
    sessions.aggregated_analytics().await.unwrap();
    sessions.concurrency().await.unwrap();
    sessions
        .create_token(body("createSessionToken", none.clone()))
        .await
        .unwrap();
    assert_tag_covered(&mock, &mut seen, "Sessions");

    let personas = anam.personas();
    personas
        .list()
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    personas
        .create(body("createPersona", none.clone()))
        .await
        .unwrap();
    personas.get(ID).await.unwrap();
    personas
        .update(ID, body("updatePersona", none.clone()))
        .await
        .unwrap();
    personas.delete(ID).await.unwrap();
    assert_tag_covered(&mock, &mut seen, "Personas");

    let avatars = anam.avatars();
    avatars.list().await.unwrap();
    avatars
        .create(body("createAvatar", none.clone()))
        .await
        .unwrap();
    avatars.get(ID).await.unwrap();
    avatars
        .update(ID, body("updateAvatar", none.clone()))
        .await
        .unwrap();
    avatars.delete(ID).hard(true).await.unwrap();
    let png = UploadFile::from_bytes("face.png", b"png".to_vec());
    avatars
        .upload_image("Cara", png, Default::default())
        .await
        .unwrap();
    assert_tag_covered(&mock, &mut seen, "Avatars");

    let voices = anam.voices();
    voices.list().await.unwrap();
    voices
        .create(body(
            "createVoice",
            serde_json::json!({"name": "Narrator", "audioKey": "uploads/a.mp3"}),
        ))
        .await
        .unwrap();
    voices
        .presigned_upload(body(
            "createVoicePresignedUpload",
            serde_json::json!({"filename": "a.mp3", "contentType": "audio/mpeg", "fileSize": 1024}),
        ))
        .await
        .unwrap();
    voices.get(ID).await.unwrap();
    voices
        .update(ID, body("updateVoice", none.clone()))
        .await
        .unwrap();
    voices.delete(ID).await.unwrap();
    let audio = UploadFile::from_bytes("voice.wav", b"wav".to_vec());
    voices
        .clone_from_audio("Narrator", audio, Default::default())
        .await
        .unwrap();
    assert_tag_covered(&mock, &mut seen, "Voices");

    let llms = anam.llms();
    llms.list().await.unwrap();
    llms.create(body("createLlm", none.clone())).await.unwrap();
    llms.get(ID).await.unwrap();
    llms.update(ID, body("updateLlm", none.clone()))
        .await
        .unwrap();
    llms.delete(ID).await.unwrap();
    assert_tag_covered(&mock, &mut seen, "LLMs");

    let tools = anam.tools();
    tools.list().await.unwrap();
    tools
        .create(body("createTool", none.clone()))
        .await
        .unwrap();
    tools.get(ID).await.unwrap();
    tools
        .update(ID, body("updateTool", none.clone()))
        .await
        .unwrap();
    tools.delete(ID).await.unwrap();
    assert_tag_covered(&mock, &mut seen, "Tools");

    let links = anam.share_links();
    links.list().await.unwrap();
    links
        .create(body("createShareLink", none.clone()))
        .await
        .unwrap();
    links.get(ID).await.unwrap();
    links
        .update(ID, body("updateShareLink", none.clone()))
        .await
        .unwrap();
    links.delete(ID).await.unwrap();
    assert_tag_covered(&mock, &mut seen, "Share Links");

    let knowledge = anam.knowledge();
    knowledge.list_groups().await.unwrap();
    knowledge
        .create_group(body("createKnowledgeGroup", none.clone()))
        .await
        .unwrap();
    knowledge.get_group(ID).await.unwrap();
    knowledge
        .update_group(ID, body("updateKnowledgeGroup", none.clone()))
        .await
        .unwrap();
    knowledge.delete_group(ID).await.unwrap();
    knowledge
        .search(ID, body("searchKnowledgeGroup", none.clone()))
        .await
        .unwrap();
    knowledge.list_documents(ID).await.unwrap();
    knowledge.get_document(ID).await.unwrap();
    knowledge
        .update_document(ID, body("updateKnowledgeDocument", none.clone()))
        .await
        .unwrap();
    knowledge.delete_document(ID).await.unwrap();
    knowledge.download_document(ID).await.unwrap();
    let doc = UploadFile::from_bytes("faq.pdf", b"%PDF".to_vec());
    knowledge
        .upload_document(ID, doc, Default::default())
        .await
        .unwrap();
    assert_tag_covered(&mock, &mut seen, "Knowledge");

    let meetings = anam.meetings();
    meetings.list_invites().await.unwrap();
    meetings
        .create_invite(body("createMeetingInvite", none.clone()))
        .await
        .unwrap();
    meetings.get_invite(ID).await.unwrap();
    meetings.cancel_invite(ID).await.unwrap();
    assert_tag_covered(&mock, &mut seen, "Meetings");

    anam.engine()
        .create_session(body("createEngineSession", none.clone()))
        .await
        .unwrap();
    assert_tag_covered(&mock, &mut seen, "Engine");

    let called: BTreeSet<&str> = mock.called_operations().into_iter().collect();
    let all: BTreeSet<&str> = anam::spec::OPERATIONS.iter().map(|op| op.id).collect();
    let missing: Vec<&&str> = all.difference(&called).collect();
    assert!(
        missing.is_empty(),
        "operations no sub-client reached: {missing:?}"
    );
    assert_eq!(called.len(), 57);
    // Uploads share the JSON variants' route; each was called twice.
    assert_eq!(mock.calls("createAvatar"), 2);
    assert_eq!(mock.calls("createVoice"), 2);
}

#[tokio::test]
async fn the_mock_serves_the_spec_examples() {
    let mock = MockAnam::start().await;
    let anam = mock.client().unwrap();
    let transcript = anam.sessions().transcript(ID).await.unwrap();
    assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
    assert_eq!(transcript.messages[0].was_interrupted, Some(false));
    // `/v1/sessions/concurrency` must not be answered as `/v1/sessions/{id}`.
    anam.sessions().concurrency().await.unwrap();
    assert_eq!(mock.calls("getSessionConcurrency"), 1);
    assert_eq!(mock.calls("getSession"), 0);
}

#[tokio::test]
async fn typed_httpmock_helpers_set_per_operation_expectations() {
    use anam::mock::MockServerExt;
    let server = anam::mock::httpmock::MockServer::start_async().await;
    let transcript: anam::types::Transcript =
        serde_json::from_value(support::transcript_json()).unwrap();
    let id: uuid::Uuid = ID.parse().unwrap();
    let expectation = server.get_session_transcript(|when, then| {
        when.id(&id);
        then.success(200, &transcript);
    });
    let anam = anam::Client::builder()
        .api_key("k")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let fetched = anam.sessions().transcript(id).await.unwrap();
    assert_eq!(fetched, transcript);
    expectation.assert();
}
