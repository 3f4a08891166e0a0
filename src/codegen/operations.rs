//! Operation-level rules: request media types progenitor cannot send, and response sets it
//! cannot generate (several success bodies, several error bodies, schema-less errors).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Notes;
use super::walk::{self, operation_route};

/// Media type of every body progenitor generates.
const JSON: &str = "application/json";

/// An operation, or one request variant of it, that progenitor does not generate and the
/// facade implements by hand.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HandWritten {
    /// `operationId` in the spec.
    pub operation_id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Request media type that is hand-written.
    pub media_type: String,
    /// True when the whole operation is hand-written (no generated method exists).
    pub whole_operation: bool,
}

/// Rule `request-media-types`: progenitor generates one request body per operation and cannot
/// encode `multipart/form-data`. The JSON variant of a two-media-type operation is generated and
/// the other variant recorded; an operation with no JSON variant is removed from the generated
/// client and recorded. Nothing is dropped silently: every record ends up in [`HandWritten`].
pub fn request_media_types(doc: &mut Value, notes: &mut Notes) -> Vec<HandWritten> {
    let mut hand_written = Vec::new();
    let mut remove = Vec::new();
    let pointers: Vec<String> = walk::operations(doc).into_iter().map(|(p, _)| p).collect();
    for pointer in pointers {
        let Some(operation) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let operation_id = operation_id(operation);
        let Some(content) = operation
            .pointer_mut("/requestBody/content")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let others: Vec<String> = content.keys().filter(|m| !is_json(m)).cloned().collect();
        if others.is_empty() {
            continue;
        }
        let has_json = content.keys().any(|m| is_json(m));
        let (path, method) = operation_route(&pointer);
        for media_type in &others {
            hand_written.push(HandWritten {
                operation_id: operation_id.clone(),
                method: method.clone(),
                path: path.clone(),
                media_type: media_type.clone(),
                whole_operation: !has_json,
            });
        }
        if has_json {
            content.retain(|m, _| is_json(m));
            notes.add(
                "request-media-types",
                &pointer,
                format!(
                    "{operation_id}: JSON body generated; {} hand-written in the facade",
                    others.join(", ")
                ),
            );
        } else {
            remove.push(pointer.clone());
            notes.add(
                "request-media-types",
                &pointer,
                format!(
                    "{operation_id}: only {} — operation hand-written in the facade",
                    others.join(", ")
                ),
            );
        }
    }
    for pointer in remove {
        let (path, method) = operation_route(&pointer);
        if let Some(item) = doc
            .pointer_mut(&walk::child("/paths", &path))
            .and_then(Value::as_object_mut)
        {
            item.remove(&method.to_ascii_lowercase());
        }
    }
    hand_written.sort();
    hand_written
}

fn is_json(media_type: &str) -> bool {
    media_type == JSON || media_type.starts_with("application/json;")
}

fn operation_id(operation: &Value) -> String {
    operation
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or("<no operationId>")
        .to_string()
}

/// A documented error response of one operation, kept as data for the facade.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocumentedError {
    /// `operationId`.
    pub operation_id: String,
    /// Status code (`"4XX"`/`"default"` ranges are kept as written).
    pub status: String,
    /// The response's description in the spec.
    pub description: String,
    /// The component schema of its JSON body, if it names exactly one.
    pub schema: Option<String>,
}

/// Rule `error-responses`: progenitor asserts that all error responses of an operation share one
/// body type (upstream mixes `MeetingInviteError`, a `oneOf`, and bodies with no schema), and
/// for schema-less errors it hands back `ResponseValue<()>`, discarding the body. Every non-2xx
/// response is therefore removed from the generated client, so every error arrives as
/// `Error::UnexpectedResponse(reqwest::Response)`: status, headers and body intact. What the spec
/// documents about each error is returned as [`DocumentedError`] data instead.
pub fn error_responses(doc: &mut Value, notes: &mut Notes) -> Vec<DocumentedError> {
    let mut documented = Vec::new();
    each_response_set(doc, &mut |pointer, operation_id, responses| {
        let errors: Vec<String> = responses
            .keys()
            .filter(|s| !is_success(s))
            .cloned()
            .collect();
        if errors.is_empty() {
            return;
        }
        for status in &errors {
            let Some(response) = responses.remove(status) else {
                continue;
            };
            let schema = response
                .pointer("/content/application~1json/schema")
                .and_then(Value::as_object)
                .and_then(|s| walk::component_ref(s))
                .map(str::to_owned);
            documented.push(DocumentedError {
                operation_id: operation_id.to_string(),
                status: status.clone(),
                description: response
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                schema,
            });
        }
        notes.add(
            "error-responses",
            pointer,
            format!(
                "{operation_id}: {} -> Error::UnexpectedResponse (status and raw body kept)",
                errors.join(", ")
            ),
        );
    });
    documented.sort();
    documented
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Rule `success-responses`: progenitor asserts a single success body type per operation. When
/// several 2xx responses differ, the JSON-bodied one with the lowest status is generated and the
/// others are removed: such a response then reaches the caller as `Error::UnexpectedResponse`
/// with its status and body intact, never as a decode failure. 2xx responses sharing one schema
/// are left alone (progenitor handles those).
pub fn success_responses(doc: &mut Value, notes: &mut Notes) {
    each_response_set(doc, &mut |pointer, operation_id, responses| {
        let kinds: BTreeSet<String> = responses
            .iter()
            .filter(|(status, _)| is_success(status))
            .map(|(_, r)| body_kind(r))
            .collect();
        if kinds.len() <= 1 {
            return;
        }
        let mut statuses: Vec<String> = responses
            .keys()
            .filter(|s| is_success(s))
            .cloned()
            .collect();
        statuses.sort();
        let keep = statuses
            .iter()
            .find(|s| {
                responses
                    .get(*s)
                    .is_some_and(|r| r.pointer("/content/application~1json/schema").is_some())
            })
            .or(statuses.first())
            .cloned()
            .unwrap_or_default();
        let keep_kind = responses.get(&keep).map(body_kind).unwrap_or_default();
        let dropped: Vec<String> = statuses
            .into_iter()
            .filter(|s| s != &keep && responses.get(s).map(body_kind).as_ref() != Some(&keep_kind))
            .collect();
        for status in &dropped {
            responses.remove(status);
        }
        notes.add(
            "success-responses",
            pointer,
            format!(
                "{operation_id}: {keep} generated; {} (different body) -> Error::UnexpectedResponse",
                dropped.join(", ")
            ),
        );
    });
}

/// `visit(pointer, operationId, responses)`, called with each operation's `responses` map.
type ResponseSetVisitor<'v> = dyn FnMut(&str, &str, &mut serde_json::Map<String, Value>) + 'v;

/// Calls `visit` with the `responses` map of every operation.
fn each_response_set(doc: &mut Value, visit: &mut ResponseSetVisitor<'_>) {
    let pointers: Vec<String> = walk::operations(doc).into_iter().map(|(p, _)| p).collect();
    for pointer in pointers {
        let Some(operation) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let operation_id = operation_id(operation);
        if let Some(responses) = operation
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            visit(&pointer, &operation_id, responses);
        }
    }
}

/// Rule `success-range`: progenitor matches success statuses exactly, so an operation documented
/// as `201` would report a `200` from the server as an unexpected response. An operation with a
/// single 2xx response is given that response for the whole `2XX` range instead.
pub fn success_ranges(doc: &mut Value, notes: &mut Notes) {
    each_response_set(doc, &mut |pointer, operation_id, responses| {
        let successes: Vec<String> = responses
            .keys()
            .filter(|s| is_success(s))
            .cloned()
            .collect();
        let [status] = successes.as_slice() else {
            return;
        };
        if status == "2XX" {
            return;
        }
        let mut renamed = serde_json::Map::new();
        for (key, value) in std::mem::take(responses) {
            let key = if &key == status {
                "2XX".to_string()
            } else {
                key
            };
            renamed.insert(key, value);
        }
        *responses = renamed;
        notes.add(
            "success-range",
            pointer,
            format!("{operation_id}: {status} -> 2XX (any success status decodes)"),
        );
    });
}

/// Rule `httpmock-array-query` (applied only to the document the httpmock helpers are generated
/// from): progenitor's httpmock generator formats a query parameter with `to_string()`, which
/// an array does not have. Array-typed query parameters are matched as one string there
/// (`when.tags("a")` matches `?tags=a`); the client itself still sends the array.
pub fn scalar_array_query_parameters(doc: &mut Value, notes: &mut Notes) {
    let pointers: Vec<String> = walk::operations(doc).into_iter().map(|(p, _)| p).collect();
    for pointer in pointers {
        let Some(parameters) = doc
            .pointer_mut(&format!("{pointer}/parameters"))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for parameter in parameters.iter_mut() {
            let is_array_query = parameter.get("in").and_then(Value::as_str) == Some("query")
                && parameter.pointer("/schema/type").and_then(Value::as_str) == Some("array");
            if is_array_query {
                parameter["schema"] = serde_json::json!({"type": "string"});
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                notes.add(
                    "httpmock-array-query",
                    &pointer,
                    format!(
                        "query parameter `{name}`: array matched as a string in httpmock helpers"
                    ),
                );
            }
        }
    }
}

/// What progenitor makes of a response body: its JSON schema, another media type, or nothing.
fn body_kind(response: &Value) -> String {
    match response.get("content").and_then(Value::as_object) {
        Some(content) if !content.is_empty() => match content.iter().find(|(m, _)| is_json(m)) {
            Some((_, media)) => media
                .get("schema")
                .map(Value::to_string)
                .unwrap_or_default(),
            None => "raw".to_string(),
        },
        _ => "none".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_variant_is_generated_and_multipart_recorded() {
        let mut doc = json!({"paths": {"/v": {"post": {"operationId": "createV",
            "requestBody": {"content": {"multipart/form-data": {}, "application/json": {"schema": {}}}},
            "responses": {}}}}});
        let mut notes = Notes::default();
        let hand = request_media_types(&mut doc, &mut notes);
        assert_eq!(
            doc.pointer("/paths/~1v/post/requestBody/content").unwrap(),
            &json!({"application/json": {"schema": {}}})
        );
        assert_eq!(
            hand,
            vec![HandWritten {
                operation_id: "createV".into(),
                method: "POST".into(),
                path: "/v".into(),
                media_type: "multipart/form-data".into(),
                whole_operation: false,
            }]
        );
        assert_eq!(notes.rules(), ["request-media-types"]);
    }

    #[test]
    fn multipart_only_operation_is_removed_and_recorded() {
        let mut doc = json!({"paths": {"/d": {
            "get": {"operationId": "listD", "responses": {}},
            "post": {"operationId": "uploadD", "requestBody": {"content": {"multipart/form-data": {}}}, "responses": {}}}}});
        let mut notes = Notes::default();
        let hand = request_media_types(&mut doc, &mut notes);
        assert!(doc.pointer("/paths/~1d/post").is_none());
        assert!(doc.pointer("/paths/~1d/get").is_some());
        assert_eq!(hand.len(), 1);
        assert!(hand[0].whole_operation);
    }

    #[test]
    fn error_responses_are_removed_and_kept_as_data() {
        let mut doc = json!({"paths": {"/m": {"get": {"operationId": "getM", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {"description": "Unauthorized", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}},
            "404": {"description": "Not Found"}}}}}});
        let mut notes = Notes::default();
        let errors = error_responses(&mut doc, &mut notes);
        let responses = doc
            .pointer("/paths/~1m/get/responses")
            .unwrap()
            .as_object()
            .unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200"]);
        assert_eq!(
            errors[0],
            DocumentedError {
                operation_id: "getM".into(),
                status: "401".into(),
                description: "Unauthorized".into(),
                schema: Some("E".into())
            }
        );
        assert_eq!(errors[1].schema, None);
        assert!(notes.0[0].detail.contains("401, 404"));
    }

    #[test]
    fn differing_success_bodies_keep_the_json_one() {
        let mut doc = json!({"paths": {"/s": {"post": {"operationId": "s", "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
            "201": {"description": "created", "content": {"application/json": {"schema": {"type": "object"}}}},
            "204": {"description": "none"}}}}}});
        let mut notes = Notes::default();
        success_responses(&mut doc, &mut notes);
        let responses = doc
            .pointer("/paths/~1s/post/responses")
            .unwrap()
            .as_object()
            .unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "201"]);
        assert_eq!(notes.rules(), ["success-responses"]);
    }

    #[test]
    fn a_single_success_status_covers_the_2xx_range() {
        let mut doc = json!({"paths": {"/s": {"post": {"operationId": "s", "responses": {
            "201": {"description": "created"}}}}}});
        let mut notes = Notes::default();
        success_ranges(&mut doc, &mut notes);
        let responses = doc
            .pointer("/paths/~1s/post/responses")
            .unwrap()
            .as_object()
            .unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["2XX"]);
        assert_eq!(notes.rules(), ["success-range"]);
    }

    #[test]
    fn array_query_parameters_become_strings_for_the_httpmock_helpers() {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "a", "parameters": [
            {"in": "query", "name": "tags", "schema": {"type": "array", "items": {"type": "string"}}},
            {"in": "query", "name": "page", "schema": {"type": "integer"}}], "responses": {}}}}});
        let mut notes = Notes::default();
        scalar_array_query_parameters(&mut doc, &mut notes);
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/0/schema").unwrap(),
            &json!({"type": "string"})
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/1/schema").unwrap(),
            &json!({"type": "integer"})
        );
        assert_eq!(notes.rules(), ["httpmock-array-query"]);
    }

    #[test]
    fn one_success_body_is_left_alone() {
        let mut doc = json!({"paths": {"/s": {"delete": {"operationId": "s", "responses": {"204": {"description": "none"}}}}}});
        let before = doc.clone();
        let mut notes = Notes::default();
        success_responses(&mut doc, &mut notes);
        assert_eq!(doc, before);
        assert!(notes.0.is_empty());
    }
}
