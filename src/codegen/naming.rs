//! Readable type names: the one table that names inline schemas users touch, and the hoisting
//! that moves a schema into `components/schemas` so progenitor generates it under that name.

use serde_json::Value;

use super::Notes;
use super::walk;

/// Where an inline schema is rooted.
#[derive(Clone, Copy, Debug)]
pub enum Site {
    /// The JSON body of the operation's (first) 2xx response.
    Response(&'static str),
    /// The JSON request body of the operation.
    Body(&'static str),
    /// A component schema.
    Component(&'static str),
}

/// One row of the naming table: the schema at `site` + `sub_path` becomes type `name`.
#[derive(Clone, Copy, Debug)]
pub struct TypeName {
    /// Where the schema is rooted.
    pub site: Site,
    /// JSON pointer below the root (empty for the root itself).
    pub sub_path: &'static str,
    /// The Rust type name.
    pub name: &'static str,
}

const fn response(
    operation_id: &'static str,
    sub_path: &'static str,
    name: &'static str,
) -> TypeName {
    TypeName {
        site: Site::Response(operation_id),
        sub_path,
        name,
    }
}

const fn body(operation_id: &'static str, sub_path: &'static str, name: &'static str) -> TypeName {
    TypeName {
        site: Site::Body(operation_id),
        sub_path,
        name,
    }
}

const fn component(schema: &'static str, sub_path: &'static str, name: &'static str) -> TypeName {
    TypeName {
        site: Site::Component(schema),
        sub_path,
        name,
    }
}

/// Names chosen by a person for inline schemas; everything else keeps progenitor's derived name
/// (`{OperationId}Response`, `{OperationId}Body`, `{Parent}{Property}`).
pub const TYPE_NAMES: &[TypeName] = &[
    response("getSessionTranscript", "", "Transcript"),
    response(
        "getSessionTranscript",
        "/properties/messages/items",
        "TranscriptMessage",
    ),
    response(
        "getSessionTranscript",
        "/properties/messages/items/properties/role",
        "TranscriptRole",
    ),
    response("getSession", "", "SessionDetails"),
    response("getSessionAnalytics", "", "SessionAnalytics"),
    response(
        "getAggregatedSessionAnalytics",
        "",
        "AggregatedSessionAnalytics",
    ),
    response("getSessionRecording", "", "SessionRecording"),
    response("listSessions", "", "SessionPage"),
    response("listPersonas", "", "PersonaPage"),
    response("listAvatars", "", "AvatarPage"),
    response("listVoices", "", "VoicePage"),
    response("listTools", "", "ToolPage"),
    response("listLlms", "", "LlmPage"),
    response("listShareLinks", "", "ShareLinkPage"),
    response("listMeetingInvites", "", "MeetingInvitePage"),
    response("createVoicePresignedUpload", "", "VoicePresignedUpload"),
    response(
        "getKnowledgeDocumentDownload",
        "",
        "KnowledgeDocumentDownload",
    ),
    response("createEngineSession", "", "EngineSession"),
    component(
        "Persona",
        "/properties/voiceGenerationOptions",
        "VoiceGenerationOptions",
    ),
    // Union variants (rule `union-variants`) the spec gives no title.
    body(
        "createSessionToken",
        "/properties/personaConfig/oneOf/0",
        "EphemeralPersonaConfig",
    ),
    body(
        "createSessionToken",
        "/properties/personaConfig/oneOf/1",
        "SavedPersonaConfig",
    ),
    // The update body's tool configs share their titles with the create body's, but require
    // nothing: a partial update.
    body(
        "updateTool",
        "/properties/config/oneOf/0",
        "ClientToolConfigUpdate",
    ),
    body(
        "updateTool",
        "/properties/config/oneOf/1",
        "ServerRagToolConfigUpdate",
    ),
    body(
        "updateTool",
        "/properties/config/oneOf/2",
        "ServerWebhookToolConfigUpdate",
    ),
    body(
        "updateTool",
        "/properties/config/oneOf/3",
        "SystemToolConfigUpdate",
    ),
];

/// Resolves a site to the JSON pointer of its schema in `doc`.
pub fn site_pointer(doc: &Value, site: Site) -> Option<String> {
    match site {
        Site::Component(name) => {
            let pointer = walk::child("/components/schemas", name);
            doc.pointer(&pointer).map(|_| pointer)
        }
        Site::Response(id) | Site::Body(id) => {
            let (pointer, operation) = walk::operations(doc)
                .into_iter()
                .find(|(_, op)| op.get("operationId").and_then(Value::as_str) == Some(id))?;
            let media = |base: String| {
                walk::child(&walk::child(&base, "content"), "application/json") + "/schema"
            };
            let candidate = match site {
                Site::Body(_) => media(walk::child(&pointer, "requestBody")),
                _ => {
                    let responses = operation.get("responses")?.as_object()?;
                    let mut statuses: Vec<&String> =
                        responses.keys().filter(|s| s.starts_with('2')).collect();
                    statuses.sort();
                    media(walk::child(
                        &walk::child(&pointer, "responses"),
                        statuses.first()?,
                    ))
                }
            };
            doc.pointer(&candidate).map(|_| candidate)
        }
    }
}

/// Moves the schema at `pointer` into `components/schemas` as `name` (or `name2`, `name3`, …
/// when a different schema already holds the name) and leaves a `$ref` behind. A `nullable` at
/// the site stays there (as `allOf: [$ref]` + `nullable`), as does a copy of its description.
/// Returns the component name used.
pub fn hoist(
    doc: &mut Value,
    pointer: &str,
    name: &str,
    notes: &mut Notes,
    rule: &'static str,
) -> Option<String> {
    let site = doc.pointer(pointer)?.as_object()?.clone();
    if walk::component_ref(&site).is_some() && site.len() == 1 {
        return walk::component_ref(&site).map(str::to_owned);
    }
    let mut component = site.clone();
    let nullable = component
        .remove("nullable")
        .is_some_and(|v| v == Value::Bool(true));
    let component = Value::Object(component);
    let schemas = doc.pointer_mut("/components/schemas")?.as_object_mut()?;
    let mut chosen = name.to_string();
    let mut suffix = 1;
    while let Some(existing) = schemas.get(&chosen) {
        if existing == &component {
            break;
        }
        suffix += 1;
        chosen = format!("{name}{suffix}");
    }
    schemas.insert(chosen.clone(), component);
    let mut reference = serde_json::Map::new();
    if nullable {
        reference.insert("allOf".into(), Value::Array(vec![walk::ref_to(&chosen)]));
        reference.insert("nullable".into(), Value::Bool(true));
        if let Some(description) = site.get("description") {
            reference.insert("description".into(), description.clone());
        }
    } else {
        reference = walk::ref_to(&chosen)
            .as_object()
            .cloned()
            .unwrap_or_default();
    }
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = Value::Object(reference);
    }
    notes.add(
        rule,
        pointer,
        format!("inline schema -> component `{chosen}`"),
    );
    Some(chosen)
}

/// Rule `type-names`: applies [`TYPE_NAMES`]. Deeper entries go first so the pointers of their
/// parents stay valid; an entry that no longer matches the spec is reported, never ignored.
pub fn apply_table(doc: &mut Value, notes: &mut Notes) {
    let mut entries: Vec<&TypeName> = TYPE_NAMES.iter().collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.sub_path.matches('/').count()));
    for entry in entries {
        let Some(root) = site_pointer(doc, entry.site) else {
            notes.add(
                "type-names",
                &format!("{:?}", entry.site),
                format!("stale table entry for `{}`: site not found", entry.name),
            );
            continue;
        };
        let pointer = format!("{root}{}", entry.sub_path);
        if doc.pointer(&pointer).is_none() {
            notes.add(
                "type-names",
                &pointer,
                format!("stale table entry for `{}`: schema not found", entry.name),
            );
            continue;
        }
        if hoist(doc, &pointer, entry.name, notes, "type-names").as_deref() != Some(entry.name) {
            notes.add(
                "type-names",
                &pointer,
                format!("name `{}` was taken by another schema", entry.name),
            );
        }
    }
}

/// A readable derived name for the schema at `pointer`, the way typify derives one:
/// `{Component}` or `{OperationId}Response`, then `{Property}` per property, `Item` per array.
pub fn derived_name(doc: &Value, pointer: &str) -> String {
    let mut name = String::new();
    let mut rest = pointer;
    if let Some(after) = pointer.strip_prefix("/components/schemas/") {
        let (component, tail) = after.split_once('/').unwrap_or((after, ""));
        name.push_str(&pascal(&unescape(component)));
        rest = tail;
    } else if let Some(index) = pointer.find("/schema") {
        let operation_pointer = pointer[..index]
            .split("/responses/")
            .next()
            .unwrap_or_default()
            .split("/requestBody")
            .next()
            .unwrap_or_default();
        let id = doc
            .pointer(operation_pointer)
            .and_then(|op| op.get("operationId"))
            .and_then(Value::as_str)
            .unwrap_or("Operation");
        name.push_str(&pascal(id));
        name.push_str(if pointer.contains("/requestBody/") {
            "Body"
        } else {
            "Response"
        });
        rest = &pointer[index + "/schema".len()..];
    }
    let mut segments = rest.split('/').filter(|s| !s.is_empty()).peekable();
    while let Some(segment) = segments.next() {
        match segment {
            "properties" => {
                if let Some(property) = segments.next() {
                    name.push_str(&pascal(&unescape(property)));
                }
            }
            "items" => name.push_str("Item"),
            "additionalProperties" => name.push_str("Value"),
            "allOf" | "oneOf" | "anyOf" => {
                if let Some(index) = segments.next() {
                    name.push_str("Variant");
                    name.push_str(index);
                }
            }
            other => name.push_str(&pascal(other)),
        }
    }
    name
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn pascal(text: &str) -> String {
    heck::ToPascalCase::to_pascal_case(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn transcript_doc() -> Value {
        json!({"paths": {"/t/{id}": {"get": {"operationId": "getT", "responses": {"200": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"messages": {"type": "array", "items": {"type": "object", "properties": {
                "role": {"type": "string", "enum": ["user"], "nullable": true, "description": "who"}}}}}}}}}}}}},
            "components": {"schemas": {}}})
    }

    #[test]
    fn hoisting_leaves_a_ref_and_keeps_nullability_at_the_site() {
        let mut doc = transcript_doc();
        let mut notes = Notes::default();
        let root = site_pointer(&doc, Site::Response("getT")).unwrap();
        let role = format!("{root}/properties/messages/items/properties/role");
        assert_eq!(
            hoist(&mut doc, &role, "Role", &mut notes, "type-names").as_deref(),
            Some("Role")
        );
        assert_eq!(
            doc.pointer(&role).unwrap(),
            &json!({"allOf": [{"$ref": "#/components/schemas/Role"}], "nullable": true, "description": "who"})
        );
        assert_eq!(
            doc["components"]["schemas"]["Role"],
            json!({"type": "string", "enum": ["user"], "description": "who"})
        );
    }

    #[test]
    fn a_taken_name_gets_a_suffix_and_an_equal_schema_is_reused() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {"A": {"type": "string"},
            "B": {"properties": {"x": {"type": "integer"}, "y": {"type": "string"}}}}}});
        let mut notes = Notes::default();
        assert_eq!(
            hoist(
                &mut doc,
                "/components/schemas/B/properties/x",
                "A",
                &mut notes,
                "t"
            )
            .as_deref(),
            Some("A2")
        );
        assert_eq!(
            hoist(
                &mut doc,
                "/components/schemas/B/properties/y",
                "A",
                &mut notes,
                "t"
            )
            .as_deref(),
            Some("A")
        );
    }

    #[test]
    fn derived_names_follow_typify_conventions() {
        let doc = transcript_doc();
        let root = site_pointer(&doc, Site::Response("getT")).unwrap();
        assert_eq!(
            derived_name(
                &doc,
                &format!("{root}/properties/messages/items/properties/role")
            ),
            "GetTResponseMessagesItemRole"
        );
        assert_eq!(
            derived_name(&doc, "/components/schemas/Voice/properties/gender"),
            "VoiceGender"
        );
    }

    #[test]
    fn table_entries_all_match_the_vendored_spec() {
        let doc: Value = serde_json::from_slice(super::super::vendored_spec()).unwrap();
        for entry in TYPE_NAMES {
            let root = site_pointer(&doc, entry.site).unwrap_or_else(|| panic!("{entry:?}"));
            assert!(
                doc.pointer(&format!("{root}{}", entry.sub_path)).is_some(),
                "{entry:?}"
            );
        }
    }
}
