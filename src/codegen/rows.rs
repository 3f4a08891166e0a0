//! The spec's operations read once from the raw document into [`OperationRow`]s: path,
//! method, success body, examples, path parameters, pagination. The operation table, the
//! facade and the command line are all generated from these rows.

use serde_json::Value;

use super::walk;

/// A path parameter of an operation, in the order the path template names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathParam {
    /// The parameter's name in the spec (`id`).
    pub name: String,
    /// True when its schema is `format: uuid`.
    pub uuid: bool,
}

/// A response example the spec carries, with `$ref`s to `components/examples` resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseExample {
    /// Status code as the spec writes it (`"200"`).
    pub status: String,
    /// `example` for a lone example, else the key under `examples`.
    pub name: String,
    /// The example value as compact JSON text.
    pub json: String,
}

/// One operation of the upstream document, as the operation table records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationRow {
    /// `operationId`.
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// First tag.
    pub tag: String,
    /// Summary line.
    pub summary: String,
    /// The component schema of its first 2xx JSON body, when that body is a plain `$ref`.
    pub success_component: Option<String>,
    /// The lowest documented 2xx status (`2XX` counts as 200).
    pub success_status: u16,
    /// True when that response has a JSON body.
    pub success_json: bool,
    /// True when that JSON body is an array.
    pub success_array: bool,
    /// Every example of every 2xx JSON response.
    pub examples: Vec<ResponseExample>,
    /// Path parameters, in template order.
    pub path_params: Vec<PathParam>,
    /// True when the operation takes a JSON request body.
    pub json_body: bool,
    /// The first example of its JSON request body, as compact JSON text.
    pub request_example: Option<String>,
    /// True for a list operation: `page` and `perPage` query parameters and a `{data, meta}`
    /// body whose `data` is an array.
    pub paginated: bool,
    /// The `maximum` of its `perPage` query parameter, for paginated list operations.
    pub max_page_size: Option<u64>,
}

/// Every operation of the (raw) document, in document order.
pub fn operation_rows(doc: &Value) -> Vec<OperationRow> {
    walk::operations(doc)
        .into_iter()
        .map(|(pointer, operation)| operation_row(doc, &pointer, operation))
        .collect()
}

fn operation_row(doc: &Value, pointer: &str, operation: &Value) -> OperationRow {
    let (path, method) = walk::operation_route(pointer);
    let text = |key: &str| {
        operation
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let responses = operation.get("responses").and_then(Value::as_object);
    let mut statuses: Vec<&String> = responses
        .map(|responses| responses.keys().filter(|s| s.starts_with('2')).collect())
        .unwrap_or_default();
    statuses.sort();
    let first = statuses.first().copied();
    let media = first
        .and_then(|status| responses?.get(status.as_str()))
        .and_then(|response| response.pointer("/content/application~1json"));
    let schema = media.and_then(|media| media.get("schema"));
    let success_component = schema
        .and_then(Value::as_object)
        .and_then(walk::component_ref)
        .map(str::to_owned);
    let resolved = schema.map(|schema| walk::resolve(doc, schema));
    let parameters: Vec<&Value> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(|p| walk::resolve(doc, p)).collect())
        .unwrap_or_default();
    let query = |name: &str| {
        parameters.iter().copied().find(|p| {
            p.get("name").and_then(Value::as_str) == Some(name)
                && p.get("in").and_then(Value::as_str) == Some("query")
        })
    };
    let max_page_size = query("perPage")
        .and_then(|p| p.pointer("/schema/maximum"))
        .and_then(Value::as_u64);
    let is_page_body = resolved.is_some_and(|body| {
        let data = body
            .pointer("/properties/data")
            .map(|s| walk::resolve(doc, s));
        data.and_then(|d| d.get("type")) == Some(&Value::from("array"))
            && body.pointer("/properties/meta").is_some()
    });
    let path_params = template_names(&path)
        .into_iter()
        .map(|name| {
            let uuid = parameters.iter().any(|p| {
                p.get("name").and_then(Value::as_str) == Some(name.as_str())
                    && p.get("in").and_then(Value::as_str) == Some("path")
                    && p.pointer("/schema/format").and_then(Value::as_str) == Some("uuid")
            });
            PathParam { name, uuid }
        })
        .collect();
    OperationRow {
        id: text("operationId"),
        method,
        path,
        tag: operation
            .pointer("/tags/0")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        summary: text("summary"),
        success_component,
        success_status: first
            .map(|s| s.replace(['X', 'x'], "0"))
            .and_then(|s| s.parse().ok())
            .unwrap_or(200),
        success_json: media.is_some(),
        success_array: resolved.and_then(|s| s.get("type")) == Some(&Value::from("array")),
        examples: examples(doc, responses),
        path_params,
        json_body: operation
            .pointer("/requestBody/content/application~1json")
            .is_some(),
        request_example: operation
            .pointer("/requestBody/content/application~1json")
            .and_then(|media| {
                media.get("example").or_else(|| {
                    let (_, first) = media.get("examples")?.as_object()?.iter().next()?;
                    walk::resolve(doc, first).get("value")
                })
            })
            .map(Value::to_string),
        paginated: query("page").is_some() && query("perPage").is_some() && is_page_body,
        max_page_size,
    }
}

/// The `{name}`s of a path template, in order.
fn template_names(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_owned)
        .collect()
}

/// Every example of every 2xx JSON response, in status order.
fn examples(
    doc: &Value,
    responses: Option<&serde_json::Map<String, Value>>,
) -> Vec<ResponseExample> {
    let mut found = Vec::new();
    let mut successes: Vec<(&String, &Value)> = responses
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .collect();
    successes.sort_by(|a, b| a.0.cmp(b.0));
    for (status, response) in successes {
        let Some(media) = response.pointer("/content/application~1json") else {
            continue;
        };
        let mut push = |name: &str, value: &Value| {
            found.push(ResponseExample {
                status: status.clone(),
                name: name.to_string(),
                json: value.to_string(),
            })
        };
        if let Some(example) = media.get("example") {
            push("example", example);
        }
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = walk::resolve(doc, example).get("value") {
                push(name, value);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_record_paths_pagination_bodies_and_resolved_examples() {
        let doc = json!({
            "components": {
                "examples": {"Page": {"value": {"data": [1], "meta": {}}}},
                "schemas": {"Meta": {"type": "object"}}
            },
            "paths": {
                "/v1/things": {"get": {"operationId": "listThings", "tags": ["Things"],
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer"}},
                        {"name": "perPage", "in": "query", "schema": {"type": "integer", "maximum": 50}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "data": {"type": "array", "items": {}},
                            "meta": {"$ref": "#/components/schemas/Meta"}}},
                        "examples": {"default": {"$ref": "#/components/examples/Page"}}}}}}}},
                "/v1/things/{id}/parts/{part}": {"put": {"operationId": "putPart",
                    "parameters": [
                        {"name": "id", "in": "path", "schema": {"type": "string", "format": "uuid"}},
                        {"name": "part", "in": "path", "schema": {"type": "string"}}],
                    "requestBody": {"content": {"application/json": {"schema": {}, "example": {"name": "x"}}}},
                    "responses": {"204": {"description": "none"}}}}
            }
        });
        let rows = operation_rows(&doc);
        let list = &rows[0];
        assert!(list.paginated);
        assert_eq!(list.max_page_size, Some(50));
        assert_eq!((list.success_status, list.success_json), (200, true));
        assert_eq!(list.examples.len(), 1);
        assert_eq!(list.examples[0].name, "default");
        assert_eq!(list.examples[0].json, r#"{"data":[1],"meta":{}}"#);
        let put = &rows[1];
        assert!(!put.paginated && put.json_body);
        assert_eq!(put.request_example.as_deref(), Some(r#"{"name":"x"}"#));
        assert_eq!((put.success_status, put.success_json), (204, false));
        assert_eq!(
            put.path_params,
            [
                PathParam {
                    name: "id".into(),
                    uuid: true
                },
                PathParam {
                    name: "part".into(),
                    uuid: false
                }
            ]
        );
    }

    #[test]
    fn a_list_without_page_parameters_or_a_data_array_is_not_paginated() {
        let doc = json!({"paths": {
            "/a": {"get": {"operationId": "a",
                "parameters": [{"name": "page", "in": "query", "schema": {}}],
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"data": {"type": "array"}, "meta": {}}}}}}}}},
            "/b": {"get": {"operationId": "b",
                "parameters": [{"name": "page", "in": "query", "schema": {}},
                               {"name": "perPage", "in": "query", "schema": {}}],
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "array"}}}}}}}
        }});
        let rows = operation_rows(&doc);
        assert!(!rows[0].paginated, "no perPage");
        assert!(!rows[1].paginated, "no {{data, meta}} body");
        assert!(rows[1].success_array);
    }
}
