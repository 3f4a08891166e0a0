//! One test per classification rule: the vendored spec against a copy mutated as JSON, both run
//! through the real pipeline.

use serde_json::{Value, json};

use crate::classify::Bump;
use crate::classify::fixtures::{self, at};
use crate::pipeline::{self, vendored};
use crate::report::Report;

/// The report from the vendored spec to a copy changed by `mutate`.
fn report_after(mutate: impl FnOnce(&mut Value)) -> Report {
    let (doc, old) = vendored();
    let mut doc = doc.clone();
    mutate(&mut doc);
    let bytes = serde_json::to_vec(&doc).expect("a JSON value serialises");
    let new = pipeline::run(&bytes).expect("the mutated spec generates");
    Report::new(&old.surface, &new.surface, &old.notes, &new.notes)
}

fn lines(report: &Report) -> Vec<String> {
    report.changes.iter().map(ToString::to_string).collect()
}

/// [`report_after`] for a fixture of [`fixtures::FIXTURES`], checking that the bump the table
/// records for it (what `cargo xtask fixtures` hands to other judges) is the one the
/// classification gives.
fn report_for(mutate: fn(&mut Value)) -> Report {
    let fixture = fixtures::FIXTURES
        .iter()
        .find(|fixture| std::ptr::fn_addr_eq(fixture.mutate, mutate))
        .expect("the fixture is in FIXTURES");
    let report = report_after(mutate);
    assert_eq!(report.bump(), fixture.bump, "{}", fixture.name);
    report
}

#[test]
fn the_same_document_reports_nothing() {
    let report = report_after(|_| {});
    assert_eq!(lines(&report), Vec::<String>::new());
    assert!(report.notes_added.is_empty() && report.notes_removed.is_empty());
    assert_eq!(report.bump(), Bump::Patch);
    assert!(report.render().ends_with(
        "API changes: none\nnormalisation notes: unchanged\nsuggested version bump: patch\n"
    ));
}

#[test]
fn removed_operation_is_breaking() {
    let report = report_for(fixtures::removed_operation);
    assert_eq!(
        lines(&report),
        [
            "BREAKING removed operation deleteVoice",
            "BREAKING removed method Voices::delete (operation deleteVoice)",
            "BREAKING removed mock helper MockServerExt::delete_voice (operation deleteVoice; \
             feature mock)",
            "BREAKING removed command `anam voices delete` (operation deleteVoice; breaks CLI \
             users)",
            "BREAKING removed type DeleteVoiceResponse",
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
    assert!(
        report
            .notes_removed
            .iter()
            .any(|note| note.contains("deleteVoice")),
        "{:?}",
        report.notes_removed
    );
    assert!(report.render().ends_with("suggested version bump: major\n"));
}

#[test]
fn new_operation_is_additive_with_its_method_and_mock_helper_because_the_trait_is_sealed() {
    let report = report_for(fixtures::new_operation);
    assert_eq!(
        lines(&report),
        [
            "ADDITIVE added operation getVoicePreview",
            "ADDITIVE added method Voices::get_voice_preview (operation getVoicePreview)",
            "ADDITIVE added mock helper MockServerExt::get_voice_preview (operation \
             getVoicePreview; feature mock, sealed trait)",
            "ADDITIVE added command `anam voices get-voice-preview` (operation getVoicePreview)",
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
    assert!(
        report
            .notes_added
            .iter()
            .any(|note| note.contains("no METHOD_NAMES entry")),
        "{:?}",
        report.notes_added
    );
}

#[test]
fn new_required_parameter_is_breaking() {
    let report = report_for(fixtures::new_required_parameter);
    assert_eq!(
        lines(&report),
        [
            "BREAKING added required parameter listVoices.region: String",
            "BREAKING added required `--region` to `anam voices list`"
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn new_optional_parameter_is_additive() {
    let report = report_for(fixtures::new_optional_parameter);
    assert_eq!(
        lines(&report),
        [
            "ADDITIVE added optional parameter listVoices.tag: String",
            "ADDITIVE added optional `--tag` to `anam voices list`"
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_response_field_is_additive_because_types_are_non_exhaustive() {
    let report = report_for(fixtures::new_response_field);
    assert_eq!(
        lines(&report),
        ["ADDITIVE added field Voice.accent: Option<String> optional"]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_value_of_a_response_enum_is_additive_because_it_is_open() {
    let report = report_for(fixtures::new_response_enum_value);
    assert_eq!(
        lines(&report),
        ["ADDITIVE added variant VoiceProvider::Azure (non-exhaustive enum)"]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_value_of_a_request_only_enum_is_additive_because_it_is_non_exhaustive() {
    let report = report_for(fixtures::new_request_enum_value);
    assert_eq!(
        lines(&report),
        [
            "ADDITIVE added variant CreateMeetingInviteRequestRegionPolicy::Nearest (non-exhaustive enum)"
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

/// The plausible next upstream document, which only adds: an optional `status` filter
/// on `listSessions`, optional `clientMetadata` and `expiresIn` on the session-token body,
/// optional `parameters` and `awaitResponse` on the webhook tool config.
#[test]
fn an_upstream_release_that_only_adds_is_a_minor_release() {
    let report = report_after(|doc| {
        at(doc, "/paths/~1v1~1sessions/get/parameters")
            .as_array_mut()
            .expect("parameters")
            .push(json!({"name": "status", "in": "query", "required": false,
                "schema": {"type": "string", "enum": ["active", "ended"]},
                "description": "Only sessions in this state."}));
        let token = at(
            doc,
            "/paths/~1v1~1auth~1session-token/post/requestBody/content/application~1json/schema/properties",
        )
        .as_object_mut()
        .expect("properties");
        token.insert("clientMetadata".into(), json!({"type": "object"}));
        token.insert(
            "expiresIn".into(),
            json!({"type": "integer", "description": "Seconds."}),
        );
        let webhook = at(
            doc,
            "/paths/~1v1~1tools/post/requestBody/content/application~1json/schema/properties/config/oneOf/2/properties",
        )
        .as_object_mut()
        .expect("properties");
        webhook.insert("parameters".into(), json!({"type": "object"}));
        webhook.insert("awaitResponse".into(), json!({"type": "boolean"}));
    });
    let lines = lines(&report);
    assert!(
        lines.iter().all(|line| !line.starts_with("BREAKING")),
        "{lines:#?}"
    );
    for expected in [
        "ADDITIVE added field CreateSessionTokenBody.client_metadata: \
         Option<serde_json::Map<String, serde_json::Value>> optional",
        "ADDITIVE added field CreateSessionTokenBody.expires_in: Option<i64> optional",
        "ADDITIVE added field ServerWebhookToolConfig.await_response: Option<bool> optional",
        "ADDITIVE added field ServerWebhookToolConfig.parameters: \
         Option<serde_json::Map<String, serde_json::Value>> optional",
    ] {
        assert!(
            lines.iter().any(|line| line == expected),
            "{expected}\n{lines:#?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("ADDITIVE") && line.contains("listSessions.status")),
        "{lines:#?}"
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_required_request_field_is_breaking() {
    let report = report_for(fixtures::new_required_request_field);
    let lines = lines(&report);
    assert!(
        lines
            .iter()
            .any(|line| line == "BREAKING added field CreateToolBody.owner: String required"),
        "{lines:#?}"
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn new_union_variant_is_additive() {
    let report = report_for(fixtures::new_union_variant);
    let lines = lines(&report);
    assert!(
        lines.contains(
            &"ADDITIVE added variant CreateToolBodyConfig::ServerMcpToolConfig(ServerMcpToolConfig) (non-exhaustive enum)"
                .to_string()
        ),
        "{lines:#?}"
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn changed_field_type_is_breaking() {
    let report = report_for(fixtures::changed_field_type);
    assert_eq!(
        lines(&report),
        ["BREAKING changed field Voice.display_name: Option<String> -> Option<i64>"]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn changed_description_is_docs_only() {
    let report = report_for(fixtures::changed_description);
    assert_eq!(
        lines(&report),
        ["DOCS     changed doc of field Voice.display_name"]
    );
    assert_eq!(report.bump(), Bump::Patch);
    assert!(report.render().ends_with("suggested version bump: patch\n"));
}

mod synthetic;
