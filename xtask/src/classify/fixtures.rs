//! The single-change fixtures: the vendored spec with one upstream change each. The
//! classification tests (`tests.rs`) judge each with the pipeline; `cargo xtask fixtures DIR`
//! writes them out, so another judge (cargo-semver-checks, docs/MAINTAINERS.md "Cross-checked
//! with cargo-semver-checks") can be run on the very same documents.

use serde_json::{Value, json};

use crate::classify::Bump;

/// One upstream change and the bump the classification gives it.
#[derive(Clone, Copy, Debug)]
pub struct Fixture {
    /// A file-name-safe name.
    pub name: &'static str,
    /// What `update-spec` suggests for it.
    pub bump: Bump,
    /// Applies the change to the vendored document.
    pub mutate: fn(&mut Value),
}

/// Every single-change fixture.
pub const FIXTURES: &[Fixture] = &[
    Fixture {
        name: "new-optional-parameter",
        bump: Bump::Minor,
        mutate: new_optional_parameter,
    },
    Fixture {
        name: "new-response-field",
        bump: Bump::Minor,
        mutate: new_response_field,
    },
    Fixture {
        name: "new-response-enum-value",
        bump: Bump::Minor,
        mutate: new_response_enum_value,
    },
    Fixture {
        name: "new-request-enum-value",
        bump: Bump::Minor,
        mutate: new_request_enum_value,
    },
    Fixture {
        name: "new-operation",
        bump: Bump::Minor,
        mutate: new_operation,
    },
    Fixture {
        name: "new-union-variant",
        bump: Bump::Minor,
        mutate: new_union_variant,
    },
    Fixture {
        name: "new-required-parameter",
        bump: Bump::Major,
        mutate: new_required_parameter,
    },
    Fixture {
        name: "new-required-request-field",
        bump: Bump::Major,
        mutate: new_required_request_field,
    },
    Fixture {
        name: "removed-operation",
        bump: Bump::Major,
        mutate: removed_operation,
    },
    Fixture {
        name: "changed-field-type",
        bump: Bump::Major,
        mutate: changed_field_type,
    },
    Fixture {
        name: "changed-description",
        bump: Bump::Patch,
        mutate: changed_description,
    },
];

/// The JSON value at `pointer`, which the fixture expects the vendored spec to have.
pub fn at<'v>(doc: &'v mut Value, pointer: &str) -> &'v mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the vendored spec has no {pointer}"))
}

fn add_list_voices_parameter(doc: &mut Value, parameter: Value) {
    at(doc, "/paths/~1v1~1voices/get/parameters")
        .as_array_mut()
        .expect("parameters is an array")
        .push(parameter);
}

/// `deleteVoice` removed.
pub fn removed_operation(doc: &mut Value) {
    at(doc, "/paths/~1v1~1voices~1{id}")
        .as_object_mut()
        .expect("a path item")
        .remove("delete");
}

/// A `GET /v1/voices/{id}/preview` operation, `getVoicePreview`, answering a `Voice`.
pub fn new_operation(doc: &mut Value) {
    let mut preview = at(doc, "/paths/~1v1~1voices~1{id}/get").clone();
    preview["operationId"] = json!("getVoicePreview");
    preview["summary"] = json!("get voice preview");
    at(doc, "/paths")
        .as_object_mut()
        .expect("paths is an object")
        .insert("/v1/voices/{id}/preview".into(), json!({ "get": preview }));
}

/// A required `region` query parameter on `listVoices`.
pub fn new_required_parameter(doc: &mut Value) {
    add_list_voices_parameter(
        doc,
        json!({"in": "query", "name": "region", "required": true, "schema": {"type": "string"}}),
    );
}

/// An optional `tag` query parameter on `listVoices`.
pub fn new_optional_parameter(doc: &mut Value) {
    add_list_voices_parameter(
        doc,
        json!({"in": "query", "name": "tag", "schema": {"type": "string"}}),
    );
}

/// An optional `accent` on `Voice`.
pub fn new_response_field(doc: &mut Value) {
    at(doc, "/components/schemas/Voice/properties")
        .as_object_mut()
        .expect("properties is an object")
        .insert(
            "accent".into(),
            json!({"type": "string", "description": "Accent."}),
        );
}

/// `AZURE` among a voice's providers (an answer's enum).
pub fn new_response_enum_value(doc: &mut Value) {
    at(doc, "/components/schemas/Voice/properties/provider/enum")
        .as_array_mut()
        .expect("an enum")
        .push(json!("AZURE"));
}

/// `nearest` among a meeting invite's region policies (an enum only sent).
pub fn new_request_enum_value(doc: &mut Value) {
    at(
        doc,
        "/components/schemas/CreateMeetingInviteRequest/properties/regionPolicy/enum",
    )
    .as_array_mut()
    .expect("an enum")
    .push(json!("nearest"));
}

/// A required `owner` on the tool-creation body.
pub fn new_required_request_field(doc: &mut Value) {
    let body = at(
        doc,
        "/paths/~1v1~1tools/post/requestBody/content/application~1json/schema",
    );
    body["properties"]["owner"] = json!({"type": "string"});
    body["required"]
        .as_array_mut()
        .expect("required")
        .push(json!("owner"));
}

/// A fifth kind of tool config (`ServerMcpToolConfig`) in the tool-creation body's union.
pub fn new_union_variant(doc: &mut Value) {
    at(
        doc,
        "/paths/~1v1~1tools/post/requestBody/content/application~1json/schema/properties/config/oneOf",
    )
    .as_array_mut()
    .expect("members")
    .push(json!({"title": "ServerMcpToolConfig", "type": "object", "required": ["serverUrl"],
        "properties": {"serverUrl": {"type": "string"}}}));
}

/// `Voice.displayName` an integer instead of a string.
pub fn changed_field_type(doc: &mut Value) {
    *at(doc, "/components/schemas/Voice/properties/displayName/type") = json!("integer");
}

/// `Voice.displayName`'s description reworded.
pub fn changed_description(doc: &mut Value) {
    *at(
        doc,
        "/components/schemas/Voice/properties/displayName/description",
    ) = json!("Name shown in the Lab and in the SDKs.");
}
