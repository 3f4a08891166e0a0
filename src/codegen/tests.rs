use super::*;

#[test]
fn vendored_spec_generates_56_operations_and_lists_the_rest() {
    let generation = vendored();
    assert_eq!(generation.operations.len(), 57);
    let whole: Vec<&str> = generation
        .hand_written
        .iter()
        .filter(|h| h.whole_operation)
        .map(|h| h.operation_id.as_str())
        .collect();
    assert_eq!(whole, ["uploadKnowledgeGroupDocument"]);
    let variants: Vec<(&str, &str)> = generation
        .hand_written
        .iter()
        .filter(|h| !h.whole_operation)
        .map(|h| (h.operation_id.as_str(), h.media_type.as_str()))
        .collect();
    assert_eq!(
        variants,
        [
            ("createAvatar", "multipart/form-data"),
            ("createVoice", "multipart/form-data")
        ]
    );
    let compact: String = generation.code.split_whitespace().collect();
    let generated_methods = generation
        .operations
        .iter()
        .filter(|op| {
            let method = heck::ToSnakeCase::to_snake_case(op.id.as_str());
            compact.contains(&format!("pubfn{method}(&self"))
        })
        .count();
    assert_eq!(generated_methods, 56);
}

#[test]
fn no_stale_naming_entries_and_every_rule_note_is_well_formed() {
    let generation = vendored();
    assert!(
        !generation.notes.iter().any(|n| n.detail.contains("stale")),
        "{:#?}",
        generation.notes
    );
    for rule in [
        "openapi-version",
        "vendor-extensions",
        "type-array",
        "enum-null",
        "null-branch",
        "nullable-3.0",
        "request-media-types",
        "error-responses",
        "type-names",
        "open-enums",
        "overlapping-one-of",
        "titles",
        "required-only-oneof",
        "single-member-union",
    ] {
        assert!(
            generation.notes.iter().any(|n| n.rule == rule),
            "no note from rule {rule}"
        );
    }
}

#[test]
fn transcript_types_get_readable_names_and_role_is_open() {
    let generation = vendored();
    let code = &generation.code;
    for name in [
        "pub struct Transcript {",
        "pub struct TranscriptMessage {",
        "pub enum TranscriptRole {",
        "pub struct SessionPage {",
    ] {
        assert!(code.contains(name), "missing {name}");
    }
    let role = generation
        .open_enums
        .iter()
        .find(|e| e.name == "TranscriptRole")
        .unwrap();
    assert_eq!(role.values, ["user", "persona"]);
}

#[test]
fn request_only_enums_stay_closed() {
    let generation = vendored();
    // `regionPolicy` exists only in the meeting-invite request body.
    assert!(
        !generation
            .open_enums
            .iter()
            .any(|e| e.name.contains("RegionPolicy")),
        "{:?}",
        generation.open_enums
    );
}

#[test]
fn rejects_non_json_swagger_2_and_bad_versions() {
    assert!(matches!(generate(b"<html>"), Err(PipelineError::Json(_))));
    assert!(
        matches!(generate(br#"{"swagger": "2.0"}"#), Err(PipelineError::NotOpenApi3(found)) if found == "Swagger 2.0")
    );
    assert!(matches!(
        generate(br#"{"openapi": "4.0.0"}"#),
        Err(PipelineError::NotOpenApi3(_))
    ));
}

#[test]
fn a_generator_panic_becomes_an_error() {
    // A JSON response without a schema reaches an unfinished branch of progenitor, which panics.
    let spec = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}}}}"#;
    assert!(
        matches!(generate(spec), Err(PipelineError::GeneratorPanicked(message)) if message.contains("no schema"))
    );
    // An operation without an operationId is refused with an error.
    let spec =
        br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "responses": {"200": {"description": "ok"}}}}}}"#;
    assert!(matches!(generate(spec), Err(PipelineError::Progenitor(_))));
}
