//! Rules that make a request carry exactly what the user set: union variants with names and
//! no guessing, no spec default written for the user, an empty list told apart from an unset
//! one, and fields the spec does not know kept and sent. They apply to every schema a request
//! body reaches (a schema shared with responses gets them too, which only makes its decoding
//! more faithful).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Notes;
use super::decoding;
use super::naming::{self, TYPE_NAMES};
use super::walk::{self, walk_schema};

/// Pointers of the JSON request-body schemas, and every component they reach.
pub fn request_roots(doc: &Value) -> Vec<String> {
    let roots = walk::operations(doc)
        .into_iter()
        .filter(|(_, operation)| {
            operation
                .pointer("/requestBody/content/application~1json/schema")
                .is_some()
        })
        .map(|(pointer, _)| {
            walk::child(&walk::child(&pointer, "requestBody"), "content")
                + "/application~1json/schema"
        })
        .collect();
    decoding::reachable(doc, roots)
}

/// Calls `visit` on every schema node a request body reaches. Each root is walked once.
fn walk_requested(doc: &mut Value, visit: &mut dyn FnMut(&str, &mut Map<String, Value>)) {
    for root in request_roots(doc) {
        if let Some(schema) = doc.pointer_mut(&root) {
            walk_schema(schema, &root, visit);
        }
    }
}

/// True for an inline object schema (not a `$ref`).
fn is_inline_object(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    walk::component_ref(object).is_none()
        && (object.get("type").is_some_and(|t| t == "object") || object.contains_key("properties"))
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

fn required_names(schema: &Value) -> BTreeSet<String> {
    schema
        .as_object()
        .map(decoding::required_of)
        .unwrap_or_default()
}

/// The name the [`TYPE_NAMES`] table gives the schema at `pointer`, if any.
fn table_name(doc: &Value, pointer: &str) -> Option<&'static str> {
    TYPE_NAMES.iter().find_map(|entry| {
        let root = naming::site_pointer(doc, entry.site)?;
        (format!("{root}{}", entry.sub_path) == pointer).then_some(entry.name)
    })
}

/// A name for member `index` of the union at `union`, from the spec: the naming table, else the
/// member's `title`, else the one required property no other member declares
/// (`{Union}With{Property}`), else the one property no other member declares; `None` when the
/// spec says nothing that tells it apart.
fn member_name(doc: &Value, union: &str, members: &[Value], index: usize) -> Option<String> {
    let pointer = format!("{union}/{index}");
    if let Some(name) = table_name(doc, &pointer) {
        return Some(name.to_string());
    }
    let member = &members[index];
    if let Some(title) = member.get("title").and_then(Value::as_str) {
        let name = heck::ToPascalCase::to_pascal_case(title);
        if !name.is_empty() {
            return Some(name);
        }
    }
    let others: BTreeSet<String> = members
        .iter()
        .enumerate()
        .filter(|(other, _)| *other != index)
        .flat_map(|(_, other)| property_names(walk::resolve(doc, other)))
        .collect();
    let own = |names: BTreeSet<String>| -> Option<String> {
        let mut unique = names.into_iter().filter(|name| !others.contains(name));
        let first = unique.next()?;
        unique.next().is_none().then_some(first)
    };
    let property = own(required_names(member)).or_else(|| own(property_names(member)))?;
    let owner = naming::derived_name(
        doc,
        union.rsplit_once('/').map_or(union, |(owner, _)| owner),
    );
    Some(format!(
        "{owner}With{}",
        heck::ToPascalCase::to_pascal_case(property.as_str())
    ))
}

/// Rule `union-variants`: every inline object member of a `oneOf`/`anyOf` that a request body
/// reaches is hoisted into a component with a name from the spec (see [`member_name`]), so the
/// union's variants are named types with builders (`ServerWebhookToolConfig`), never
/// `Variant2 {..}`. A member the spec gives no name is hoisted under its derived name and
/// noted. How a value is matched to a variant is the `union-decoding` step (`unions.rs`).
/// Runs before `titles`, which would drop the titles of members that differ between bodies.
pub fn union_variants(doc: &mut Value, notes: &mut Notes) {
    let mut unions = Vec::new();
    walk_requested(doc, &mut |pointer, schema| {
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = schema.get(key)
                && members.len() > 1
                && members.iter().any(is_inline_object)
            {
                unions.push(walk::child(pointer, key));
            }
        }
    });
    for union in unions {
        let Some(members) = doc.pointer(&union).and_then(Value::as_array).cloned() else {
            continue;
        };
        for index in 0..members.len() {
            if !is_inline_object(&members[index]) {
                continue;
            }
            let pointer = format!("{union}/{index}");
            let named = member_name(doc, &union, &members, index);
            let name = named
                .clone()
                .unwrap_or_else(|| naming::derived_name(doc, &pointer));
            if let Some(Value::Object(member)) = doc.pointer_mut(&pointer) {
                member.remove("title");
            }
            let Some(chosen) = naming::hoist(doc, &pointer, &name, notes, "union-variants") else {
                continue;
            };
            if named.is_none() || chosen != name {
                notes.add(
                    "union-variants",
                    &pointer,
                    format!(
                        "the spec names this variant nowhere: generated as `{chosen}` (add a row to TYPE_NAMES)"
                    ),
                );
            }
        }
    }
}

/// Rule `request-defaults`: a property's `default` makes typify fill it in on decoding and
/// write it on every request (`disableInterruptions: false` on a description update,
/// `groupCall: true` on an invite), so a request would reset what the user never touched. In
/// request schemas the default is removed (the field becomes optional: sent only when set) and
/// kept in the description as the server's default.
pub fn request_defaults(doc: &mut Value, notes: &mut Notes) {
    walk_requested(doc, &mut |pointer, schema| {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            let Some(default) = property.remove("default") else {
                continue;
            };
            let said = format!("Server default: `{default}`.");
            let description = match property.get("description").and_then(Value::as_str) {
                Some(text) if text.to_lowercase().contains("default") => text.to_string(),
                Some(text) => format!("{text}\n\n{said}"),
                None => said,
            };
            property.insert("description".into(), Value::String(description));
            notes.add(
                "request-defaults",
                &walk::child(&walk::child(pointer, "properties"), name),
                format!("`default: {default}` removed: sent only when the user sets it"),
            );
        }
    });
}

/// True for a schema typify turns into a collection with an intrinsic empty value (`Vec`, a
/// map, a free-form JSON object), which it would then never send when empty.
fn is_collection(schema: &Map<String, Value>) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => true,
        Some("object") => {
            !schema.contains_key("properties")
                && !["oneOf", "anyOf", "allOf"]
                    .iter()
                    .any(|key| schema.contains_key(*key))
        }
        _ => false,
    }
}

/// Rule `request-collections`: typify generates an optional list as `Vec<T>` skipped when
/// empty, so `toolIds: []` (removing a persona's last tool) could never be sent. In request
/// schemas an optional list or map is marked nullable, so it is generated as `Option<Vec<T>>`:
/// `None` is not sent, `Some(vec![])` is sent as `[]`.
pub fn optional_collections(doc: &mut Value, notes: &mut Notes) {
    walk_requested(doc, &mut |pointer, schema| {
        let required = decoding::required_of(schema);
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            if required.contains(name)
                || !is_collection(property)
                || property.get("nullable") == Some(&Value::Bool(true))
            {
                continue;
            }
            property.insert("nullable".into(), Value::Bool(true));
            notes.add(
                "request-collections",
                &walk::child(&walk::child(pointer, "properties"), name),
                "optional collection -> `Option<_>`: an explicit empty value is sent",
            );
        }
    });
}

/// Rule `unknown-fields`: Anam's API runs ahead of its spec (its own examples send fields the
/// schemas lack). Every request object schema with properties gets `additionalProperties: {}`
/// (replacing `true` or `false`), which typify generates as a flattened `extra` map: decoding
/// JSON into a body keeps the fields the spec does not know, and sending it sends them.
pub fn unknown_fields(doc: &mut Value, notes: &mut Notes) {
    walk_requested(doc, &mut |pointer, schema| {
        if !schema.contains_key("properties") {
            return;
        }
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(_) => return,
        }
        schema.insert("additionalProperties".into(), Value::Object(Map::new()));
        notes.add(
            "unknown-fields",
            pointer,
            "fields the spec does not know are kept in `extra` and sent",
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(body: Value, components: Value) -> Value {
        json!({"paths": {"/x": {
            "get": {"operationId": "getX", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}},
            "post": {"operationId": "postX", "requestBody": {"content": {"application/json": {"schema": body}}}, "responses": {"204": {}}}
        }}, "components": {"schemas": components}})
    }

    const BODY: &str = "/paths/~1x/post/requestBody/content/application~1json/schema";

    #[test]
    fn request_roots_follow_refs_but_not_into_responses() {
        let d = doc(
            json!({"properties": {"a": {"$ref": "#/components/schemas/A"}}}),
            json!({"A": {}, "Out": {}}),
        );
        let roots = request_roots(&d);
        assert!(roots.contains(&BODY.to_string()));
        assert!(roots.contains(&"/components/schemas/A".to_string()));
        assert!(!roots.contains(&"/components/schemas/Out".to_string()));
    }

    #[test]
    fn union_members_are_named_from_title_then_distinguishing_property() {
        let mut d = doc(
            json!({"properties": {"config": {"type": "object", "oneOf": [
                {"title": "Client tool config", "type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}, "a": {}}},
                {"type": "object", "properties": {"personaId": {"type": "string"}}},
                {"$ref": "#/components/schemas/Out"}
            ]}}}),
            json!({"Out": {"type": "object"}}),
        );
        let mut notes = Notes::default();
        union_variants(&mut d, &mut notes);
        let members = d
            .pointer(&format!("{BODY}/properties/config/oneOf"))
            .unwrap();
        assert_eq!(
            members,
            &json!([
                {"$ref": "#/components/schemas/ClientToolConfig"},
                {"$ref": "#/components/schemas/PostXBodyConfigWithUrl"},
                {"$ref": "#/components/schemas/PostXBodyConfigWithPersonaId"},
                {"$ref": "#/components/schemas/Out"}
            ])
        );
        let hoisted = d.pointer("/components/schemas/ClientToolConfig").unwrap();
        assert!(hoisted.get("title").is_none());
        assert!(
            notes
                .0
                .iter()
                .all(|n| n.rule == "union-variants" && !n.detail.contains("names this"))
        );
    }

    #[test]
    fn a_member_the_spec_does_not_name_is_noted() {
        let mut d = doc(
            json!({"oneOf": [
                {"type": "object", "properties": {"a": {}, "b": {}}},
                {"type": "object", "properties": {"c": {}, "d": {}}}
            ]}),
            json!({"Out": {}}),
        );
        let mut notes = Notes::default();
        union_variants(&mut d, &mut notes);
        assert!(d.pointer("/components/schemas/PostXBodyVariant0").is_some());
        assert_eq!(
            notes
                .0
                .iter()
                .filter(|n| n.detail.contains("names this variant nowhere"))
                .count(),
            2
        );
    }

    #[test]
    fn request_defaults_move_into_the_description() {
        let mut d = doc(
            json!({"properties": {
                "flag": {"type": "boolean", "default": false},
                "mode": {"type": "string", "default": "preferred", "description": "How strict."}
            }}),
            json!({"Out": {"properties": {"kept": {"type": "boolean", "default": true}}}}),
        );
        let mut notes = Notes::default();
        request_defaults(&mut d, &mut notes);
        let properties = d.pointer(&format!("{BODY}/properties")).unwrap();
        assert_eq!(
            properties["flag"],
            json!({"type": "boolean", "description": "Server default: `false`."})
        );
        assert_eq!(
            properties["mode"]["description"],
            json!("How strict.\n\nServer default: `\"preferred\"`.")
        );
        assert!(
            d.pointer("/components/schemas/Out/properties/kept/default")
                .is_some()
        );
        assert_eq!(notes.rules(), ["request-defaults", "request-defaults"]);
    }

    #[test]
    fn optional_collections_become_nullable_required_ones_do_not() {
        let mut d = doc(
            json!({"required": ["must"], "properties": {
                "ids": {"type": "array", "items": {"type": "string"}},
                "must": {"type": "array", "items": {"type": "string"}},
                "parameters": {"type": "object"},
                "nested": {"type": "object", "properties": {"x": {}}}
            }}),
            json!({"Out": {}}),
        );
        let mut notes = Notes::default();
        optional_collections(&mut d, &mut notes);
        let properties = d.pointer(&format!("{BODY}/properties")).unwrap();
        assert_eq!(properties["ids"]["nullable"], json!(true));
        assert_eq!(properties["parameters"]["nullable"], json!(true));
        assert!(properties["must"].get("nullable").is_none());
        assert!(properties["nested"].get("nullable").is_none());
    }

    #[test]
    fn request_objects_keep_unknown_fields_maps_are_left_alone() {
        let mut d = doc(
            json!({"additionalProperties": false, "properties": {
                "tool": {"type": "object", "additionalProperties": true, "properties": {"x": {}}},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
            }}),
            json!({"Out": {"properties": {"y": {}}}}),
        );
        let mut notes = Notes::default();
        unknown_fields(&mut d, &mut notes);
        let body = d.pointer(BODY).unwrap();
        assert_eq!(body["additionalProperties"], json!({}));
        assert_eq!(
            body["properties"]["tool"]["additionalProperties"],
            json!({})
        );
        assert_eq!(
            body["properties"]["headers"]["additionalProperties"],
            json!({"type": "string"})
        );
        assert!(
            d.pointer("/components/schemas/Out/additionalProperties")
                .is_none()
        );
    }
}
