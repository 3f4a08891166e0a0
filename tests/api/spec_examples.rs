//! The vendored spec: its pin, and every response example it carries decoding into the
//! generated type of the response that references it, without losing a value.

use std::collections::BTreeSet;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support;

// The sha256 of openapi/swagger.json as vendored on 2026-07-23 (both rewritten by
// `cargo xtask update-spec`).
const VENDORED_SHA256: &str = "0fa5986fa4740ba7c8e4197adac522697f5d632388445cd36ef3667d9910ab36";

#[test]
fn vendored_spec_is_the_pinned_upstream_copy() {
    let bytes = include_bytes!("../../openapi/swagger.json");
    let digest: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest, VENDORED_SHA256,
        "openapi/swagger.json must stay a byte-exact upstream copy"
    );
    assert_eq!(anam::spec::SPEC_SHA256, VENDORED_SHA256);
    assert!(
        include_str!("spec_examples.rs")
            .contains(&format!("as vendored on {}", anam::spec::SPEC_DATE)),
        "anam::spec::SPEC_DATE is the vendoring date"
    );
}

/// Every example of every 2xx JSON response, from the table the pipeline generated:
/// `(operationId, "status name", value)`.
fn response_examples() -> Vec<(&'static str, String, Value)> {
    anam::spec::OPERATIONS
        .iter()
        .flat_map(|op| {
            op.examples.iter().map(move |example| {
                let value = serde_json::from_str(example.json).expect("examples are JSON");
                (op.id, format!("{} {}", example.status, example.name), value)
            })
        })
        .collect()
}

#[test]
fn every_response_example_decodes_into_its_generated_type_losing_nothing() {
    let examples = response_examples();
    assert!(
        examples.len() >= 40,
        "found only {} response examples",
        examples.len()
    );
    let mut failures = Vec::new();
    for (operation, name, example) in &examples {
        let body = serde_json::to_vec(example).unwrap();
        match anam::raw::spec_table::decode_success_body(operation, &body) {
            None => failures.push(format!("{operation} {name}: no generated success type")),
            Some(Err(e)) => failures.push(format!("{operation} {name}: {e}")),
            Some(Ok(decoded)) => {
                if let Err(loss) = support::contains_json(&decoded, example) {
                    failures.push(format!("{operation} {name}: {loss}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

/// The generated table against the spec itself: no response example of the document is
/// missing from it.
#[test]
fn the_table_holds_every_component_response_example() {
    let spec = support::spec();
    let in_table: BTreeSet<String> = response_examples()
        .into_iter()
        .map(|(_, _, value)| value.to_string())
        .collect();
    let missing: Vec<&String> = spec["components"]["examples"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(name, example)| {
            name.ends_with("Response") && !in_table.contains(&example["value"].to_string())
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        missing.is_empty(),
        "response examples missing from the table: {missing:?}"
    );
}

#[test]
fn the_operation_table_lists_all_57_operations_and_the_hand_written_ones() {
    assert_eq!(anam::spec::OPERATIONS.len(), 57);
    let not_generated: Vec<&str> = anam::spec::OPERATIONS
        .iter()
        .filter(|op| !op.generated)
        .map(|op| op.id)
        .collect();
    assert_eq!(not_generated, ["uploadKnowledgeGroupDocument"]);
    let multipart_variants: Vec<&str> = anam::spec::OPERATIONS
        .iter()
        .filter(|op| op.generated && !op.hand_written_media_types.is_empty())
        .map(|op| op.id)
        .collect();
    assert_eq!(multipart_variants, ["createVoice", "createAvatar"]);
    let transcript = anam::spec::operation("getSessionTranscript").unwrap();
    let statuses: Vec<&str> = transcript
        .documented_errors
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, ["400", "401", "403", "404", "500"]);
    assert_eq!(transcript.path, "/v1/sessions/{id}/transcript");
}
