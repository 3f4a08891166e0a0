//! Locating schemas, operations and `$ref`s inside a raw OpenAPI document held as JSON.

use serde_json::{Map, Value};

/// HTTP methods an OpenAPI path item may hold, in the order operations are reported.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a segment.
pub fn child(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// `value` itself, or the node its local `$ref` (`#/components/...`) points at when there is one.
pub fn resolve<'d>(doc: &'d Value, value: &'d Value) -> &'d Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(value)
}

/// Keys whose value is a single sub-schema.
const SCHEMA_VALUED: [&str; 3] = ["items", "additionalProperties", "not"];
/// Keys whose value is a list of sub-schemas.
const SCHEMA_LISTS: [&str; 3] = ["allOf", "oneOf", "anyOf"];

/// Calls `visit` on `schema` and then on every schema nested in it, pre-order, with its pointer.
///
/// `visit` may rewrite the node it is given; the walk then descends into the rewritten node.
pub fn walk_schema(
    schema: &mut Value,
    pointer: &str,
    visit: &mut dyn FnMut(&str, &mut Map<String, Value>),
) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    visit(pointer, object);
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        let base = child(pointer, "properties");
        for (name, property) in properties.iter_mut() {
            walk_schema(property, &child(&base, name), visit);
        }
    }
    for key in SCHEMA_VALUED {
        if let Some(sub) = object.get_mut(key) {
            walk_schema(sub, &child(pointer, key), visit);
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(Value::Array(members)) = object.get_mut(key) {
            let base = child(pointer, key);
            for (index, member) in members.iter_mut().enumerate() {
                walk_schema(member, &child(&base, &index.to_string()), visit);
            }
        }
    }
}

/// Every place a schema is rooted in the document: component schemas, parameters, headers,
/// request bodies and responses (the pointer names the `schema` node itself).
pub fn schema_roots(doc: &Value) -> Vec<String> {
    let mut roots = Vec::new();
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for name in schemas.keys() {
            roots.push(child("/components/schemas", name));
        }
    }
    for (pointer, operation) in operations(doc) {
        media_schemas(operation, &pointer, &mut roots);
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            parameter_schemas(item, &child("/paths", path), &mut roots);
        }
    }
    roots
}

fn parameter_schemas(holder: &Value, pointer: &str, roots: &mut Vec<String>) {
    if let Some(parameters) = holder.get("parameters").and_then(Value::as_array) {
        for (index, parameter) in parameters.iter().enumerate() {
            if parameter.get("schema").is_some() {
                roots.push(format!("{pointer}/parameters/{index}/schema"));
            }
        }
    }
}

fn media_schemas(operation: &Value, pointer: &str, roots: &mut Vec<String>) {
    parameter_schemas(operation, pointer, roots);
    if let Some(content) = operation
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
    {
        for (media, body) in content {
            if body.get("schema").is_some() {
                roots.push(child(&format!("{pointer}/requestBody/content"), media) + "/schema");
            }
        }
    }
    if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
        for (status, response) in responses {
            let base = child(&child(pointer, "responses"), status);
            for (media, body) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if body.get("schema").is_some() {
                    roots.push(child(&child(&base, "content"), media) + "/schema");
                }
            }
            for (name, header) in response
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if header.get("schema").is_some() {
                    roots.push(child(&child(&base, "headers"), name) + "/schema");
                }
            }
        }
    }
}

/// Calls `visit` on every schema node of the document.
pub fn walk_all_schemas(doc: &mut Value, visit: &mut dyn FnMut(&str, &mut Map<String, Value>)) {
    for root in schema_roots(doc) {
        if let Some(schema) = doc.pointer_mut(&root) {
            walk_schema(schema, &root, visit);
        }
    }
}

/// `(pointer, operation)` for every operation, in document order.
pub fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in HTTP_METHODS {
                if let Some(operation) = item.get(method) {
                    found.push((child(&child("/paths", path), method), operation));
                }
            }
        }
    }
    found
}

/// Splits an operation pointer `/paths/{escaped path}/{method}` into `(path, METHOD)`.
pub fn operation_route(pointer: &str) -> (String, String) {
    let rest = pointer.trim_start_matches("/paths/");
    let (path, method) = rest.rsplit_once('/').unwrap_or((rest, ""));
    (
        path.replace("~1", "/").replace("~0", "~"),
        method.to_ascii_uppercase(),
    )
}

/// The component name a local `$ref` points at, if it is `#/components/schemas/<name>`.
pub fn component_ref(schema: &Map<String, Value>) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
}

/// A `$ref` to a component schema.
pub fn ref_to(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn walks_nested_schemas_with_pointers() {
        let mut doc = json!({
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "b": {"type": "array", "items": {"oneOf": [{"type": "string"}]}}
            }}}},
            "paths": {"/x/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {"schema": {"type": "integer"}}}}}
            }}}
        });
        let mut seen = Vec::new();
        walk_all_schemas(&mut doc, &mut |pointer, _| seen.push(pointer.to_string()));
        assert_eq!(
            seen,
            vec![
                "/components/schemas/A",
                "/components/schemas/A/properties/b",
                "/components/schemas/A/properties/b/items",
                "/components/schemas/A/properties/b/items/oneOf/0",
                "/paths/~1x~1{id}/get/parameters/0/schema",
                "/paths/~1x~1{id}/get/responses/200/content/application~1json/schema",
            ]
        );
        assert_eq!(
            operation_route("/paths/~1x~1{id}/get"),
            ("/x/{id}".to_string(), "GET".to_string())
        );
    }
}
