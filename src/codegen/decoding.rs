//! Rules that keep response decoding lossless and tolerant of a server that moves ahead of the
//! spec: extra fields, new enum values, and `oneOf` branches that overlap. They apply only to
//! schemas reachable from a 2xx response; request-only schemas stay strict so mistakes in user
//! code fail at compile time.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Notes;
use super::naming;
use super::walk::{self, walk_schema};

/// Pointers of the JSON schemas of 2xx responses.
fn response_roots(doc: &Value) -> Vec<String> {
    let mut roots = Vec::new();
    for (pointer, operation) in walk::operations(doc) {
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if status.starts_with('2')
                && response
                    .pointer("/content/application~1json/schema")
                    .is_some()
            {
                let base = walk::child(&walk::child(&pointer, "responses"), status);
                roots.push(
                    walk::child(&walk::child(&base, "content"), "application/json") + "/schema",
                );
            }
        }
    }
    roots
}

/// Every schema root whose values a client decodes: response bodies, and every component
/// schema they reach through `$ref`, transitively.
pub fn decoded_roots(doc: &Value) -> Vec<String> {
    reachable(doc, response_roots(doc))
}

/// `roots`, then every component schema they reach through `$ref`, transitively.
pub fn reachable(doc: &Value, mut roots: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<String> = roots.clone();
    while let Some(pointer) = queue.pop() {
        let mut found = Vec::new();
        if let Some(schema) = doc.pointer(&pointer) {
            collect_refs(schema, &mut found);
        }
        for name in found {
            if seen.insert(name.clone()) {
                let component = walk::child("/components/schemas", &name);
                roots.push(component.clone());
                queue.push(component);
            }
        }
    }
    roots
}

fn collect_refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(name) = walk::component_ref(object) {
                found.push(name.to_string());
            }
            for (key, member) in object {
                if key != "example" && key != "default" && key != "enum" {
                    collect_refs(member, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, found)),
        _ => {}
    }
}

/// Calls `visit` on every schema node a client decodes. Each root is walked once.
fn walk_decoded(doc: &mut Value, visit: &mut dyn FnMut(&str, &mut Map<String, Value>)) {
    for root in decoded_roots(doc) {
        if let Some(schema) = doc.pointer_mut(&root) {
            walk_schema(schema, &root, visit);
        }
    }
}

/// Rule `additional-properties`: `additionalProperties: false` makes typify emit
/// `deny_unknown_fields`, so a server adding a field would break every client. It is removed
/// from decoded schemas; request-only schemas keep it.
pub fn open_objects(doc: &mut Value, notes: &mut Notes) {
    walk_decoded(doc, &mut |pointer, schema| {
        if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            schema.remove("additionalProperties");
            notes.add(
                "additional-properties",
                pointer,
                "`additionalProperties: false` removed (decoded type accepts new fields)",
            );
        }
    });
}

/// The object schema a `oneOf` member stands for, following one `$ref`.
fn member_object(doc: &Value, member: &Value) -> Option<Map<String, Value>> {
    let object = member.as_object()?;
    let resolved = match walk::component_ref(object) {
        Some(name) => doc
            .pointer(&walk::child("/components/schemas", name))?
            .as_object()?,
        None => object,
    };
    let is_object =
        resolved.get("type").is_some_and(|t| t == "object") || resolved.contains_key("properties");
    is_object.then(|| resolved.clone())
}

/// The names a schema lists as `required`.
pub fn required_of(schema: &Map<String, Value>) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn properties_of(schema: &Map<String, Value>) -> Map<String, Value> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Branches are told apart only if each one requires a property no other branch declares.
fn branches_overlap(branches: &[Map<String, Value>]) -> bool {
    branches.iter().enumerate().any(|(i, branch)| {
        let others: BTreeSet<String> = branches
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, other)| properties_of(other).keys().cloned().collect::<Vec<_>>())
            .collect();
        required_of(branch)
            .iter()
            .all(|field| others.contains(field))
    })
}

/// Merges overlapping object branches into one object: every property of every branch, none
/// required. A property the branches declare differently keeps only their common `type`.
fn merge_branches(branches: &[Map<String, Value>]) -> Map<String, Value> {
    let mut merged: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut order = Vec::new();
    for branch in branches {
        for (name, schema) in properties_of(branch) {
            if !merged.contains_key(&name) {
                order.push(name.clone());
            }
            merged.entry(name).or_default().push(schema);
        }
    }
    let mut properties = Map::new();
    for name in order {
        let variants = &merged[&name];
        let first = variants[0].clone();
        let schema = if variants.iter().all(|v| v == &first) {
            first
        } else {
            let types: BTreeSet<String> = variants
                .iter()
                .map(|v| v.get("type").map(Value::to_string).unwrap_or_default())
                .collect();
            let mut common = Map::new();
            if let Some(t) = first.get("type").filter(|_| types.len() == 1) {
                common.insert("type".into(), t.clone());
            }
            if let Some(description) = first.get("description") {
                common.insert("description".into(), description.clone());
            }
            Value::Object(common)
        };
        properties.insert(name, schema);
    }
    let mut object = Map::new();
    object.insert("type".into(), json!("object"));
    object.insert("properties".into(), Value::Object(properties));
    object
}

/// Rule `overlapping-one-of`: serde decodes an untagged `oneOf` as its first matching branch.
/// When object branches overlap (none has a required property of its own), the first branch
/// matches every value and the others' fields are silently dropped. In decoded schemas such a
/// `oneOf` becomes one object with the union of the branches' properties, so nothing is lost.
pub fn overlapping_unions(doc: &mut Value, notes: &mut Notes) {
    let snapshot = doc.clone();
    walk_decoded(doc, &mut |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("oneOf") else {
            return;
        };
        let branches: Option<Vec<Map<String, Value>>> = members
            .iter()
            .map(|m| member_object(&snapshot, m))
            .collect();
        let Some(branches) = branches.filter(|b| b.len() >= 2) else {
            return;
        };
        if !branches_overlap(&branches) {
            return;
        }
        let names: Vec<String> = members
            .iter()
            .map(|m| {
                m.as_object()
                    .and_then(walk::component_ref)
                    .unwrap_or("inline")
                    .to_string()
            })
            .collect();
        schema.remove("oneOf");
        for (key, value) in merge_branches(&branches) {
            schema.insert(key, value);
        }
        let note = format!(
            "Holds the fields of whichever of these it is: {}.",
            names.join(", ")
        );
        let description = match schema.get("description").and_then(Value::as_str) {
            Some(text) => format!("{text}\n\n{note}"),
            None => note,
        };
        schema.insert("description".into(), Value::String(description));
        notes.add(
            "overlapping-one-of",
            pointer,
            format!("oneOf [{}] overlap -> merged object", names.join(", ")),
        );
    });
}

/// A string enum decoded from responses, generated as an open enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenEnum {
    /// Type name (a component schema name).
    pub name: String,
    /// The values the spec lists, in order.
    pub values: Vec<String>,
    /// The schema's description.
    pub description: Option<String>,
}

fn string_enum(schema: &Map<String, Value>) -> Option<Vec<String>> {
    if schema.get("type").is_some_and(|t| t != "string") {
        return None;
    }
    schema
        .get("enum")?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Rule `open-enums`: every string enum a client decodes becomes an open enum (unknown values
/// are kept in an `Unknown(String)` variant instead of failing the whole response). Inline
/// enums are first hoisted into components under their derived name so the generated type can
/// be replaced by the pipeline's own. Request-only enums are untouched (closed).
pub fn open_enums(doc: &mut Value, notes: &mut Notes) -> Vec<OpenEnum> {
    let mut sites = Vec::new();
    walk_decoded(doc, &mut |pointer, schema| {
        if string_enum(schema).is_some() {
            sites.push(pointer.to_string());
        }
    });
    let mut names = BTreeSet::new();
    for pointer in sites {
        let name = match pointer
            .strip_prefix("/components/schemas/")
            .filter(|rest| !rest.contains('/'))
        {
            Some(component) => Some(component.replace("~1", "/").replace("~0", "~")),
            None => {
                let derived = naming::derived_name(doc, &pointer);
                naming::hoist(doc, &pointer, &derived, notes, "open-enums")
            }
        };
        if let Some(name) = name {
            names.insert(name);
        }
    }
    let mut open = Vec::new();
    for name in names {
        let Some(schema) = doc
            .pointer(&walk::child("/components/schemas", &name))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let Some(values) = string_enum(schema) else {
            continue;
        };
        notes.add(
            "open-enums",
            &walk::child("/components/schemas", &name),
            format!("`{name}` is open: unknown values decode to `{name}::Unknown`"),
        );
        open.push(OpenEnum {
            name,
            values,
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(response: Value, body: Value, components: Value) -> Value {
        json!({"paths": {"/x": {
            "get": {"operationId": "getX", "responses": {"200": {"content": {"application/json": {"schema": response}}}}},
            "post": {"operationId": "postX", "requestBody": {"content": {"application/json": {"schema": body}}}, "responses": {"204": {}}}
        }}, "components": {"schemas": components}})
    }

    #[test]
    fn decoded_roots_follow_refs_transitively_but_not_into_requests() {
        let d = doc(
            json!({"$ref": "#/components/schemas/A"}),
            json!({"$ref": "#/components/schemas/R"}),
            json!({"A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {}, "R": {}}),
        );
        let roots = decoded_roots(&d);
        assert!(roots.contains(&"/components/schemas/A".to_string()));
        assert!(roots.contains(&"/components/schemas/B".to_string()));
        assert!(!roots.contains(&"/components/schemas/R".to_string()));
    }

    #[test]
    fn additional_properties_false_is_removed_only_where_decoded() {
        let closed = json!({"type": "object", "additionalProperties": false});
        let mut d = doc(closed.clone(), closed.clone(), json!({}));
        let mut notes = Notes::default();
        open_objects(&mut d, &mut notes);
        assert_eq!(
            d.pointer("/paths/~1x/get/responses/200/content/application~1json/schema")
                .unwrap(),
            &json!({"type": "object"})
        );
        assert_eq!(
            d.pointer("/paths/~1x/post/requestBody/content/application~1json/schema")
                .unwrap(),
            &closed
        );
        assert_eq!(notes.rules(), ["additional-properties"]);
    }

    #[test]
    fn overlapping_branches_are_merged_in_responses() {
        let union = json!({"oneOf": [{"$ref": "#/components/schemas/V1"}, {"$ref": "#/components/schemas/V2"}], "nullable": true});
        let mut d = doc(
            json!({"properties": {"o": union.clone()}}),
            union.clone(),
            json!({
            "V1": {"type": "object", "properties": {"speed": {"type": "number", "maximum": 1.2}}},
            "V2": {"type": "object", "properties": {"speed": {"type": "number", "maximum": 2}, "model": {"type": "string"}}}}),
        );
        let mut notes = Notes::default();
        overlapping_unions(&mut d, &mut notes);
        let merged = d
            .pointer("/paths/~1x/get/responses/200/content/application~1json/schema/properties/o")
            .unwrap();
        assert_eq!(
            merged["properties"],
            json!({"speed": {"type": "number"}, "model": {"type": "string"}})
        );
        assert_eq!(merged["nullable"], json!(true));
        assert!(merged.get("oneOf").is_none());
        assert_eq!(
            d.pointer("/paths/~1x/post/requestBody/content/application~1json/schema")
                .unwrap(),
            &union
        );
    }

    #[test]
    fn distinguishable_branches_are_kept() {
        let union = json!({"oneOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}}]});
        let mut d = doc(union.clone(), json!({}), json!({}));
        let mut notes = Notes::default();
        overlapping_unions(&mut d, &mut notes);
        assert_eq!(
            d.pointer("/paths/~1x/get/responses/200/content/application~1json/schema")
                .unwrap(),
            &union
        );
        assert!(notes.0.is_empty());
    }

    #[test]
    fn response_enums_are_hoisted_and_opened_request_enums_are_not() {
        let mut d = doc(
            json!({"type": "object", "properties": {"role": {"type": "string", "enum": ["user", "persona"]}}}),
            json!({"type": "object", "properties": {"kind": {"type": "string", "enum": ["a"]}}}),
            json!({"Gender": {"type": "string", "enum": ["MALE"]}}),
        );
        let mut notes = Notes::default();
        let open = open_enums(&mut d, &mut notes);
        assert_eq!(
            open,
            vec![OpenEnum {
                name: "GetXResponseRole".into(),
                values: vec!["user".into(), "persona".into()],
                description: None
            }]
        );
        assert_eq!(
            d.pointer(
                "/paths/~1x/get/responses/200/content/application~1json/schema/properties/role"
            )
            .unwrap(),
            &json!({"$ref": "#/components/schemas/GetXResponseRole"})
        );
        assert!(
            d.pointer(
                "/paths/~1x/post/requestBody/content/application~1json/schema/properties/kind/enum"
            )
            .is_some()
        );
    }
}
