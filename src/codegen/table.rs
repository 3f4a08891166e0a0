//! The operation table: what the upstream document says of each operation, read once from the
//! raw document and emitted as `spec_table` constants, so the library, the mock server and the
//! tests never parse the spec at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::cli::CliCommand;
use super::walk;
use super::{DocumentedError, HandWritten};

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

/// Follows one local `$ref` (`#/...`), if `value` is one.
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

/// True for success types that carry a JSON body (not `()` or a byte stream).
fn is_json_body(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Tuple(tuple) => !tuple.elems.is_empty(),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident != "ByteStream"),
        _ => true,
    }
}

/// `pub mod spec_table`: the operation table as constants of the facade's `spec` types, a
/// named constant per operation, a decoder from each operation's success body to its
/// generated type, and a checker of each JSON request body against its generated type.
pub fn spec_table(
    rows: &[OperationRow],
    hand: &[HandWritten],
    errors: &[DocumentedError],
    success: &std::collections::BTreeMap<String, syn::Type>,
    commands: &[CliCommand],
    request_timeout_secs: u64,
) -> TokenStream {
    let decoders = rows.iter().filter_map(|row| {
        let builder = heck::ToPascalCase::to_pascal_case(row.id.as_str());
        // Hand-written operations have no builder; their body type is the component they name.
        let component = row.success_component.as_ref().and_then(|name| {
            let name = heck::ToPascalCase::to_pascal_case(name.as_str());
            syn::parse_str::<syn::Type>(&format!("types::{name}")).ok()
        });
        let ty = success
            .get(&builder)
            .filter(|ty| is_json_body(ty))
            .or(component.as_ref())?;
        let id = &row.id;
        Some(quote! {
            #id => Some(::serde_json::from_slice::<#ty>(body).and_then(|value| ::serde_json::to_value(&value))),
        })
    });
    // Each JSON request body's generated type is the facade's (the builder's `body` setter
    // type), which the command line already names: one source for both.
    let request_checks = rows.iter().filter_map(|row| {
        let command = commands
            .iter()
            .find(|c| c.operation_id == row.id && !c.hand_written)?;
        let (binary_type, _) = command.body.as_ref()?;
        let ty = binary_type
            .strip_prefix("::anam::types::")
            .map_or_else(|| binary_type.clone(), |rest| format!("types::{rest}"));
        let ty: syn::Type = syn::parse_str(&ty).ok()?;
        let name = binary_type.rsplit("::").next().unwrap_or(binary_type);
        let id = &row.id;
        Some(quote! {
            #id => Some((
                #name,
                ::serde_json::from_slice::<#ty>(body).and_then(|b| ::serde_json::to_value(b)),
            )),
        })
    });
    let entries = rows.iter().map(|row| entry(row, hand, errors, commands));
    let named = rows.iter().enumerate().map(|(index, row)| {
        let name = format_ident!(
            "{}",
            heck::ToShoutySnakeCase::to_shouty_snake_case(row.id.as_str())
        );
        let doc = format!("`{}` (`{} {}`).", row.id, row.method, row.path);
        quote! {
            #[doc = #doc]
            pub const #name: &'static Self = &OPERATIONS[#index];
        }
    });
    let by_method = rows.iter().enumerate().map(|(index, row)| {
        let method = heck::ToSnakeCase::to_snake_case(row.id.as_str());
        quote!(#method => Some(&OPERATIONS[#index]),)
    });
    let count = rows.len();
    quote! {
        /// Tables the pipeline derived from the upstream document.
        pub mod spec_table {
            use super::types;

            /// Decodes a 2xx body of `operation_id` into its generated type and serialises it back
            /// to JSON, so callers can check a body against the types (and see what survives).
            /// `None` for an operation without a generated JSON success body.
            pub fn decode_success_body(
                operation_id: &str,
                body: &[u8],
            ) -> Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
                match operation_id {
                    #(#decoders)*
                    _ => None,
                }
            }

            /// Decodes a JSON request body of `operation_id` into the generated type its
            /// builder takes (what the facade and the command line send): that type's name and
            /// the body as the type sends it again, or why it does not decode. `None` for an
            /// operation without a JSON request body (multipart uploads included). The mock
            /// servers answer a body it refuses with a 400; the round-trip tests compare what it
            /// sends again with what it was given.
            pub fn check_request_body(
                operation_id: &str,
                body: &[u8],
            ) -> Option<(&'static str, ::std::result::Result<::serde_json::Value, ::serde_json::Error>)> {
                match operation_id {
                    #(#request_checks)*
                    _ => None,
                }
            }

            /// Every operation of the upstream document, in document order.
            pub const OPERATIONS: [crate::spec::Operation; #count] = [#(#entries),*];
            /// Default whole-request timeout, in seconds.
            pub const REQUEST_TIMEOUT_SECS: u64 = #request_timeout_secs;

            /// The operation whose generated method is `method` (what progenitor reports to
            /// the hooks): one `match`, not a scan, since it runs on every request.
            pub fn by_method(method: &str) -> Option<&'static crate::spec::Operation> {
                match method {
                    #(#by_method)*
                    _ => None,
                }
            }

            /// Every operation by name: `Operation::GET_SESSION_TRANSCRIPT`.
            impl crate::spec::Operation {
                #(#named)*
            }
        }
    }
}

fn entry(
    row: &OperationRow,
    hand: &[HandWritten],
    errors: &[DocumentedError],
    commands: &[CliCommand],
) -> TokenStream {
    let OperationRow {
        id,
        method,
        path,
        tag,
        summary,
        max_page_size,
        success_status,
        paginated,
        ..
    } = row;
    let rust_method = heck::ToSnakeCase::to_snake_case(id.as_str());
    let optional = |value: Option<TokenStream>| match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    };
    let max_page_size = optional(max_page_size.map(|size| quote!(#size)));
    let method = format_ident!(
        "{}",
        heck::ToUpperCamelCase::to_upper_camel_case(method.to_ascii_lowercase().as_str())
    );
    let generated = !hand
        .iter()
        .any(|h| &h.operation_id == id && h.whole_operation);
    let hand_media = hand
        .iter()
        .filter(|h| &h.operation_id == id)
        .map(|h| h.media_type.as_str());
    let errors = errors.iter().filter(|e| &e.operation_id == id).map(|e| {
        let DocumentedError { status, description, schema, .. } = e;
        let schema = optional(schema.as_ref().map(|name| quote!(#name)));
        quote!(crate::spec::DocumentedError { status: #status, description: #description, schema: #schema })
    });
    let success_body = row.success_json.then(|| {
        let array = row.success_array;
        quote!(crate::spec::SuccessBody { media_type: "application/json", array: #array })
    });
    let success_body = optional(success_body);
    let examples = row.examples.iter().map(|e| {
        let ResponseExample { status, name, json } = e;
        quote!(crate::spec::Example { status: #status, name: #name, json: #json })
    });
    let request_example = optional(row.request_example.as_ref().map(|json| quote!(#json)));
    let facade_methods = commands
        .iter()
        .filter(|c| c.operation_id == *id)
        .map(|c| {
            let CliCommand {
                accessor,
                method,
                media_type,
                ..
            } = c;
            quote!(crate::spec::FacadeMethod { sub_client: #accessor, method: #method, media_type: #media_type })
        });
    let path_params = row.path_params.iter().map(|p| {
        let PathParam { name, uuid } = p;
        quote!(crate::spec::PathParameter { name: #name, uuid: #uuid })
    });
    quote! {
        crate::spec::Operation {
            id: #id,
            rust_method: #rust_method,
            method: crate::spec::Method::#method,
            path: #path,
            tag: #tag,
            summary: #summary,
            generated: #generated,
            facade_methods: &[#(#facade_methods),*],
            hand_written_media_types: &[#(#hand_media),*],
            path_parameters: &[#(#path_params),*],
            paginated: #paginated,
            max_page_size: #max_page_size,
            success_status: #success_status,
            success_body: #success_body,
            examples: &[#(#examples),*],
            request_example: #request_example,
            documented_errors: &[#(#errors),*],
        }
    }
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
