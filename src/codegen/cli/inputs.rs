//! What the spec says of each operation's inputs that the operation table does not keep:
//! descriptions of path parameters, query parameters with their kinds and enum values, and
//! the top-level scalar fields of a JSON body, which become flags.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::walk;

/// How a spec value is written on the command line, from its JSON schema type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `string` (and enums of strings).
    Text,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
}

/// A query parameter or a top-level scalar field of a JSON body, as the spec describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecField {
    /// Its name in the spec (`perPage`, `displayName`).
    pub name: String,
    /// The spec's description of it.
    pub help: String,
    /// True when the spec requires it.
    pub required: bool,
    /// Its enum values, when it has some.
    pub values: Vec<String>,
    /// Its scalar kind; `None` for arrays, objects and unions.
    pub kind: Option<Kind>,
}

/// What the spec says of one operation's inputs beyond the operation table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecInputs {
    /// The operation's description.
    pub description: String,
    /// Path parameter name → its description.
    pub path_help: Vec<(String, String)>,
    /// Query parameters, in spec order.
    pub query: Vec<SpecField>,
    /// Top-level scalar fields of its JSON request body, in spec order.
    pub body_fields: Vec<SpecField>,
    /// The request body's description (`Only the fields you include are changed`).
    pub body_help: String,
    /// For a `PUT`/`PATCH`: the top-level fields the `GET` of the same path answers with that
    /// the body does not take (`id`, `createdAt`, …), left out of a body fed from a `get`.
    pub read_only: Vec<String>,
}

/// The top-level property names of `schema` (after one `$ref`).
fn top_level(doc: &Value, schema: Option<&Value>) -> BTreeSet<String> {
    schema
        .map(|schema| walk::resolve(doc, schema))
        .and_then(|schema| schema.get("properties"))
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// The top-level fields of the JSON body of the operation at `pointer`: its schema's
/// properties and the keys of its request examples (Anam's examples send fields the schemas
/// lack: `temperature` on an LLM update).
fn writable(doc: &Value, pointer: &str) -> BTreeSet<String> {
    let Some(media) = doc.pointer(&format!("{pointer}/requestBody/content/application~1json"))
    else {
        return BTreeSet::new();
    };
    let mut fields = top_level(doc, media.get("schema"));
    let examples = media.get("example").into_iter().chain(
        media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(_, example)| walk::resolve(doc, example).get("value")),
    );
    for example in examples {
        fields.extend(
            example
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone()),
        );
    }
    fields
}

/// For an update (`PUT`/`PATCH` at `pointer`): the top-level fields the `GET` of the same path
/// answers with that neither the update nor the create (`POST` on the parent path) takes, by
/// schema or example: `id`, `createdAt`, an embedded `avatar` where the body takes `avatarId`.
/// The spec marks nothing `readOnly`, so this is what tells them.
fn read_only_fields(doc: &Value, pointer: &str) -> Vec<String> {
    let Some((path_item, method)) = pointer.rsplit_once('/') else {
        return Vec::new();
    };
    if method != "put" && method != "patch" {
        return Vec::new();
    }
    let Some(responses) = doc
        .pointer(&format!("{path_item}/get/responses"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let answered = responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| response.pointer("/content/application~1json/schema"));
    let mut taken = writable(doc, pointer);
    // `/paths/~1v1~1personas~1{id}` -> `/paths/~1v1~1personas`, the collection's path item.
    if let Some((collection, _)) = path_item.rsplit_once("~1") {
        taken.extend(writable(doc, &format!("{collection}/post")));
    }
    top_level(doc, answered)
        .into_iter()
        .filter(|field| !taken.contains(field))
        .collect()
}

/// Reads [`SpecInputs`] for every operation of the raw document, by `operationId`.
pub fn spec_inputs(doc: &Value) -> Vec<(String, SpecInputs)> {
    walk::operations(doc)
        .into_iter()
        .map(|(pointer, operation)| {
            let id = text(operation, "operationId");
            let parameters: Vec<&Value> = operation
                .get("parameters")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(|p| walk::resolve(doc, p)).collect())
                .unwrap_or_default();
            let located = |place: &'static str| {
                parameters
                    .iter()
                    .copied()
                    .filter(move |p| p.get("in").and_then(Value::as_str) == Some(place))
            };
            let path_help = located("path")
                .map(|p| (text(p, "name"), text(p, "description")))
                .collect();
            let query = located("query")
                .map(|p| {
                    let schema = p.get("schema").map(|s| walk::resolve(doc, s));
                    let mut field = spec_field(doc, &text(p, "name"), schema, false);
                    field.required = p.get("required").and_then(Value::as_bool) == Some(true);
                    if field.help.is_empty() {
                        field.help = text(p, "description");
                    }
                    field
                })
                .collect();
            let body = operation
                .pointer("/requestBody/content/application~1json/schema")
                .map(|schema| walk::resolve(doc, schema));
            let required: BTreeSet<&str> = body
                .and_then(|schema| schema.get("required"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let body_fields = body
                .and_then(|schema| schema.get("properties"))
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(name, schema)| {
                    let schema = walk::resolve(doc, schema);
                    spec_field(doc, name, Some(schema), required.contains(name.as_str()))
                })
                .filter(|field| field.kind.is_some())
                .collect();
            let read_only = read_only_fields(doc, &pointer);
            let inputs = SpecInputs {
                description: text(operation, "description"),
                path_help,
                query,
                body_fields,
                body_help: operation
                    .get("requestBody")
                    .map(|body| text(body, "description"))
                    .unwrap_or_default(),
                read_only,
            };
            (id, inputs)
        })
        .collect()
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// A field of `schema`: its kind from `type` (3.1 type arrays and `null` branches of unions
/// ignored), its enum values and description.
fn spec_field(doc: &Value, name: &str, schema: Option<&Value>, required: bool) -> SpecField {
    let schema = schema.unwrap_or(&Value::Null);
    let branches: Vec<&Value> = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .map(|branch| walk::resolve(doc, branch))
        .filter(|branch| branch.get("type").and_then(Value::as_str) != Some("null"))
        .collect();
    let typed = match branches.as_slice() {
        [only] => only,
        _ => schema,
    };
    let kind = match typed.get("type") {
        Some(Value::String(name)) => kind_of(name),
        Some(Value::Array(names)) => {
            let names: Vec<&str> = names
                .iter()
                .filter_map(Value::as_str)
                .filter(|n| *n != "null")
                .collect();
            match names.as_slice() {
                [only] => kind_of(only),
                _ => None,
            }
        }
        None if typed.get("enum").is_some() => Some(Kind::Text),
        _ => None,
    };
    let values = typed
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let help = [schema, typed]
        .iter()
        .map(|s| text(s, "description"))
        .find(|d| !d.is_empty())
        .unwrap_or_default();
    SpecField {
        name: name.to_string(),
        help,
        required,
        values,
        kind,
    }
}

fn kind_of(name: &str) -> Option<Kind> {
    match name {
        "string" => Some(Kind::Text),
        "integer" => Some(Kind::Integer),
        "number" => Some(Kind::Number),
        "boolean" => Some(Kind::Boolean),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_and_body_fields_come_with_kinds_values_and_help() {
        let doc = json!({
            "components": {"schemas": {"Body": {"type": "object", "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "Its name."},
                    "size": {"type": ["integer", "null"]},
                    "mode": {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]},
                    "nested": {"type": "object"}}}}},
            "paths": {"/things": {"post": {"operationId": "createThing", "requestBody": {"content": {
                "application/json": {"schema": {"properties": {"avatarId": {}}}}}}}},
              "/things/{id}": {
              "get": {"operationId": "getThing", "responses": {"200": {"content": {"application/json": {
                "schema": {"properties": {"id": {}, "name": {}, "createdAt": {}, "avatarId": {}, "temperature": {}}}}}}}},
              "put": {"operationId": "putThing",
                "description": "Replaces a thing.",
                "parameters": [
                    {"name": "id", "in": "path", "description": "The thing."},
                    {"name": "dryRun", "in": "query", "required": true,
                     "schema": {"type": "boolean"}, "description": "Only check."}],
                "requestBody": {"description": "Omit a field to leave it unchanged.",
                    "content": {"application/json": {"example": {"temperature": 0.5},
                    "schema": {"$ref": "#/components/schemas/Body"}}}}}}}
        });
        let inputs = spec_inputs(&doc);
        let (id, put) = &inputs[2];
        assert_eq!(put.body_help, "Omit a field to leave it unchanged.");
        assert_eq!(put.read_only, ["createdAt", "id"]);
        assert!(inputs[1].1.read_only.is_empty());
        assert_eq!(id, "putThing");
        assert_eq!(put.description, "Replaces a thing.");
        assert_eq!(
            put.path_help,
            [("id".to_string(), "The thing.".to_string())]
        );
        assert_eq!(put.query[0].kind, Some(Kind::Boolean));
        assert!(put.query[0].required);
        assert_eq!(put.query[0].help, "Only check.");
        let fields: Vec<(&str, Option<Kind>, bool)> = put
            .body_fields
            .iter()
            .map(|f| (f.name.as_str(), f.kind, f.required))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", Some(Kind::Text), true),
                ("size", Some(Kind::Integer), false),
                ("mode", Some(Kind::Text), false)
            ],
            "the object field is left to --body-file"
        );
        assert_eq!(put.body_fields[2].values, ["a", "b"]);
    }
}
