//! The generation pipeline: raw upstream OpenAPI document in, formatted Rust client out.
//!
//! This module is not part of the `anam` library. It is compiled by `build.rs` (which writes the
//! client into `OUT_DIR`) and by `xtask` (which diffs the generated surface), through `#[path]`,
//! so both see exactly the same code. Its steps:
//!
//! 1. parse the document as JSON and check it is OpenAPI 3.x;
//! 2. normalise it into the OpenAPI 3.0 subset progenitor 0.15 accepts ([`normalize`](mod@normalize),
//!    [`operations`], [`naming`], [`decoding`]), each rule recording [`Note`]s;
//! 3. run progenitor with the crate's [`settings`], open enums replacing typify's closed ones;
//! 4. add the open enums ([`open_enum`]) and the operation table, format with prettyplease, and
//!    mark progenitor's non-compilable usage sketches as `text` rather than ignored doctests.

pub mod decoding;
pub mod naming;
pub mod normalize;
pub mod open_enum;
pub mod operations;
pub mod walk;

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

pub use decoding::OpenEnum;
pub use operations::{DocumentedError, HandWritten};

/// Files of the pipeline, relative to `src/codegen/`: `build.rs` re-runs when one changes.
pub const PIPELINE_FILES: &[&str] = &[
    "decoding.rs",
    "mod.rs",
    "naming.rs",
    "normalize.rs",
    "open_enum.rs",
    "operations.rs",
    "walk.rs",
];

/// Default whole-request timeout, in seconds, of a client built without explicit settings.
/// Progenitor's own default is a hard-coded 15 s; the facade and the generated `Client::new` both
/// use this value instead.
pub const REQUEST_TIMEOUT_SECS: u64 = 60;

/// The Rust path of the type progenitor's hooks receive as `inner` (hand-written in `src/`).
const HOOK_STATE_TYPE: &str = "crate::hooks::HookState";

/// The Rust path of the module generated types live in, as seen from the crate root.
const TYPES_PATH: &str = "crate::types";

/// One change the pipeline made to the upstream document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// The rule that made it (`type-array`, `open-enums`, …).
    pub rule: &'static str,
    /// JSON pointer (or operation) it applies to.
    pub location: String,
    /// What changed.
    pub detail: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.location, self.detail)
    }
}

/// The notes of one pipeline run, in the order rules made them.
#[derive(Clone, Debug, Default)]
pub struct Notes(pub Vec<Note>);

impl Notes {
    /// Records a note.
    pub fn add(&mut self, rule: &'static str, location: &str, detail: impl Into<String>) {
        self.0.push(Note {
            rule,
            location: location.to_string(),
            detail: detail.into(),
        });
    }

    /// The rule of every note, in order (handy in tests).
    pub fn rules(&self) -> Vec<&'static str> {
        self.0.iter().map(|note| note.rule).collect()
    }
}

/// Why the pipeline could not generate a client.
#[derive(Debug)]
pub enum PipelineError {
    /// The input is not JSON.
    Json(serde_json::Error),
    /// The input is JSON but not an OpenAPI 3.x document.
    NotOpenApi3(String),
    /// The normalised document does not deserialise as OpenAPI 3.0.
    Model(serde_json::Error),
    /// Progenitor refused the document.
    Progenitor(String),
    /// Progenitor panicked on the document.
    GeneratorPanicked(String),
    /// The generated tokens are not valid Rust.
    Syntax(String),
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "the spec is not valid JSON: {e}"),
            Self::NotOpenApi3(found) => {
                write!(f, "the spec is not an OpenAPI 3.x document ({found})")
            }
            Self::Model(e) => write!(f, "the normalised spec is not valid OpenAPI 3.0: {e}"),
            Self::Progenitor(e) => write!(f, "progenitor rejected the spec: {e}"),
            Self::GeneratorPanicked(e) => write!(f, "progenitor panicked on the spec: {e}"),
            Self::Syntax(e) => write!(f, "the generated code does not parse: {e}"),
        }
    }
}

impl std::error::Error for PipelineError {}

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
    /// The `maximum` of its `perPage` query parameter, for paginated list operations.
    pub max_page_size: Option<u64>,
}

/// Everything one pipeline run produces.
#[derive(Debug)]
pub struct Generation {
    /// The formatted Rust source of the client.
    pub code: String,
    /// The formatted Rust source of progenitor's typed `httpmock` helpers (the `mock` feature).
    pub httpmock_code: String,
    /// Every change made to the document, in order.
    pub notes: Vec<Note>,
    /// Operations (or request variants) left to the hand-written facade.
    pub hand_written: Vec<HandWritten>,
    /// Error responses the spec documents (removed from the generated methods).
    pub documented_errors: Vec<DocumentedError>,
    /// Enums generated open.
    pub open_enums: Vec<OpenEnum>,
    /// Every operation of the upstream document, generated or not.
    pub operations: Vec<OperationRow>,
    /// The normalised document progenitor was given.
    pub normalized: Value,
}

/// Applies every normalisation rule, in order. Returns the notes and the side tables.
pub fn normalize(
    doc: &mut Value,
) -> (Notes, Vec<HandWritten>, Vec<DocumentedError>, Vec<OpenEnum>) {
    let mut notes = Notes::default();
    normalize::downgrade_version(doc, &mut notes);
    normalize::strip_vendor_extensions(doc, &mut notes);
    normalize::nullable_keyword(doc, &mut notes);
    normalize::null_branches(doc, &mut notes);
    normalize::type_arrays(doc, &mut notes);
    normalize::enum_nulls(doc, &mut notes);
    normalize::single_member_unions(doc, &mut notes);
    normalize::consts(doc, &mut notes);
    normalize::exclusive_bounds(doc, &mut notes);
    normalize::schema_examples(doc, &mut notes);
    normalize::ref_siblings(doc, &mut notes);
    normalize::required_only_unions(doc, &mut notes);
    normalize::titles(doc, &mut notes);
    let hand_written = operations::request_media_types(doc, &mut notes);
    let documented_errors = operations::error_responses(doc, &mut notes);
    operations::success_responses(doc, &mut notes);
    operations::success_ranges(doc, &mut notes);
    naming::apply_table(doc, &mut notes);
    decoding::open_objects(doc, &mut notes);
    decoding::overlapping_unions(doc, &mut notes);
    let open_enums = decoding::open_enums(doc, &mut notes);
    (notes, hand_written, documented_errors, open_enums)
}

/// Progenitor settings: builder-style methods, hooks the facade must implement (auth, retries,
/// tracing; the `pre` hook also drops progenitor's `api-version` header), a default timeout of
/// [`REQUEST_TIMEOUT_SECS`] instead of progenitor's hard-coded 15 s, `JsonSchema` and
/// `PartialEq` on types, and the open enums in place of typify's closed ones.
pub fn settings(open_enums: &[OpenEnum]) -> progenitor::GenerationSettings {
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_hooks(progenitor::HooksMode::Expected)
        .with_inner_type(HOOK_STATE_TYPE.parse().unwrap_or_default())
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_timeout(REQUEST_TIMEOUT_SECS);
    for open in open_enums {
        settings.with_replacement(
            &open.name,
            format!("{TYPES_PATH}::{}", open.name),
            [progenitor::TypeImpl::Display, progenitor::TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Runs the whole pipeline on the raw bytes of an upstream document.
pub fn generate(spec: &[u8]) -> Result<Generation, PipelineError> {
    let mut doc: Value = serde_json::from_slice(spec).map_err(PipelineError::Json)?;
    match doc.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.") => {}
        Some(version) => return Err(PipelineError::NotOpenApi3(format!("openapi: {version}"))),
        None => {
            let found = match doc.get("swagger").and_then(Value::as_str) {
                Some(version) => format!("Swagger {version}"),
                None => "no `openapi` field".to_string(),
            };
            return Err(PipelineError::NotOpenApi3(found));
        }
    }
    let operations = operation_rows(&doc);
    let (notes, hand_written, documented_errors, open_enums) = normalize(&mut doc);
    let api: openapiv3::OpenAPI =
        serde_json::from_value(doc.clone()).map_err(PipelineError::Model)?;

    let mut generator = progenitor::Generator::new(&settings(&open_enums));
    let tokens = catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&api)))
        .map_err(|panic| PipelineError::GeneratorPanicked(panic_message(panic)))?
        .map_err(|e| PipelineError::Progenitor(e.to_string()))?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| PipelineError::Syntax(e.to_string()))?;

    let open_items: TokenStream = open_enums.iter().map(open_enum::tokens).collect();
    let open_items: syn::File =
        syn::parse2(open_items).map_err(|e| PipelineError::Syntax(e.to_string()))?;
    let types = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_mut(),
        _ => None,
    });
    match types {
        Some((_, items)) => items.extend(open_items.items),
        None => {
            return Err(PipelineError::Syntax(
                "progenitor emitted no `types` module".into(),
            ));
        }
    }
    let success_types = success_types(&file);
    let table: syn::File = syn::parse2(operation_table(
        &operations,
        &hand_written,
        &documented_errors,
        &success_types,
    ))
    .map_err(|e| PipelineError::Syntax(e.to_string()))?;
    file.items.extend(table.items);

    let mut notes = notes;
    let mut mock_doc = doc.clone();
    operations::scalar_array_query_parameters(&mut mock_doc, &mut notes);
    let mock_api: openapiv3::OpenAPI =
        serde_json::from_value(mock_doc).map_err(PipelineError::Model)?;
    let mut mock_generator = progenitor::Generator::new(&settings(&open_enums));
    let mock_tokens = catch_unwind(AssertUnwindSafe(|| {
        mock_generator.httpmock(&mock_api, "crate")
    }))
    .map_err(|panic| PipelineError::GeneratorPanicked(panic_message(panic)))?
    .map_err(|e| PipelineError::Progenitor(e.to_string()))?;
    let mock_file: syn::File =
        syn::parse2(mock_tokens).map_err(|e| PipelineError::Syntax(e.to_string()))?;
    let httpmock_code = prettyplease::unparse(&mock_file);

    // Progenitor's usage sketches are not compilable (no `client` in scope); as `text` blocks
    // they render the same and are not reported as ignored doctests.
    let code = prettyplease::unparse(&file).replace("```ignore\n", "```text\n");
    Ok(Generation {
        code,
        httpmock_code,
        notes: notes.0,
        hand_written,
        documented_errors,
        open_enums,
        operations,
        normalized: doc,
    })
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into())
}

/// Every operation of the (raw) document, in document order.
pub fn operation_rows(doc: &Value) -> Vec<OperationRow> {
    walk::operations(doc)
        .into_iter()
        .map(|(pointer, operation)| {
            let (path, method) = walk::operation_route(&pointer);
            let text = |key: &str| {
                operation
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let mut statuses: Vec<&String> = operation
                .get("responses")
                .and_then(Value::as_object)
                .map(|responses| responses.keys().filter(|s| s.starts_with('2')).collect())
                .unwrap_or_default();
            statuses.sort();
            let success_component = statuses.first().and_then(|status| {
                let schema = operation
                    .get("responses")?
                    .get(status.as_str())?
                    .pointer("/content/application~1json/schema")?;
                walk::component_ref(schema.as_object()?).map(str::to_owned)
            });
            let max_page_size = operation
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|p| p.get("name").and_then(Value::as_str) == Some("perPage"))
                .and_then(|p| p.pointer("/schema/maximum"))
                .and_then(Value::as_u64);
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
                max_page_size,
            }
        })
        .collect()
}

/// The success type of every generated operation, read from progenitor's output: the `T` of
/// `ResponseValue<T>` returned by `send()` on each builder, keyed by the builder's name.
pub fn success_types(file: &syn::File) -> std::collections::BTreeMap<String, syn::Type> {
    let mut found = std::collections::BTreeMap::new();
    let builders = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    });
    for item in builders
        .map(|(_, items)| items.as_slice())
        .unwrap_or_default()
    {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_type) = block.self_ty.as_ref() else {
            continue;
        };
        let Some(name) = self_type.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let syn::ReturnType::Type(_, output) = &function.sig.output else {
                continue;
            };
            if let Some(success) = generic_argument(output, "Result", 0)
                .and_then(|ok| generic_argument(ok, "ResponseValue", 0))
            {
                found.insert(name.clone(), success.clone());
            }
        }
    }
    found
}

/// The `index`-th type argument of a path type whose last segment is `outer`.
pub fn generic_argument<'t>(ty: &'t syn::Type, outer: &str, index: usize) -> Option<&'t syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last().filter(|s| s.ident == outer)?;
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .nth(index)
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

/// `pub mod spec_table`: the operation table as constants of the facade's `spec` types, and a
/// decoder from each operation's success body to its generated type.
fn operation_table(
    rows: &[OperationRow],
    hand: &[HandWritten],
    errors: &[DocumentedError],
    success: &std::collections::BTreeMap<String, syn::Type>,
) -> TokenStream {
    let decoders = rows.iter().filter_map(|row| {
        let builder = heck::ToPascalCase::to_pascal_case(row.id.as_str());
        // Hand-written operations have no builder; their body type is the component they name.
        let component = row.success_component.as_ref().and_then(|name| syn::parse_str::<syn::Type>(&format!("types::{}", heck::ToPascalCase::to_pascal_case(name.as_str()))).ok());
        let ty = success.get(&builder).filter(|ty| is_json_body(ty)).or(component.as_ref())?;
        let id = &row.id;
        Some(quote! {
            #id => Some(::serde_json::from_slice::<#ty>(body).and_then(|value| ::serde_json::to_value(&value))),
        })
    });
    let operation_impls = rows.iter().filter_map(|row| {
        let builder = heck::ToPascalCase::to_pascal_case(row.id.as_str());
        let output = success.get(&builder)?;
        let ident = format_ident!("{builder}");
        let id = &row.id;
        Some(quote! {
            impl<'a> crate::request::Operation for super::builder::#ident<'a> {
                type Output = #output;
                const ID: &'static str = #id;
                fn send(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<super::ResponseValue<Self::Output>, super::Error<()>>,
                > + Send {
                    super::builder::#ident::send(self)
                }
            }
        })
    });
    let entries = rows.iter().map(|row| {
        let OperationRow { id, method, path, tag, summary, max_page_size, .. } = row;
        let rust_method = heck::ToSnakeCase::to_snake_case(id.as_str());
        let max_page_size = match max_page_size {
            Some(size) => quote!(Some(#size)),
            None => quote!(None),
        };
        let method = format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(method.to_ascii_lowercase().as_str()));
        let whole = hand.iter().any(|h| &h.operation_id == id && h.whole_operation);
        let generated = !whole;
        let hand_media = hand.iter().filter(|h| &h.operation_id == id).map(|h| h.media_type.as_str());
        let errors = errors.iter().filter(|e| &e.operation_id == id).map(|e| {
            let DocumentedError { status, description, schema, .. } = e;
            let schema = match schema {
                Some(name) => quote!(Some(#name)),
                None => quote!(None),
            };
            quote!(crate::spec::DocumentedError { status: #status, description: #description, schema: #schema })
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
                hand_written_media_types: &[#(#hand_media),*],
                max_page_size: #max_page_size,
                documented_errors: &[#(#errors),*],
            }
        }
    });
    let count = rows.len();
    let timeout = REQUEST_TIMEOUT_SECS;
    quote! {
        /// `crate::request::Operation` for every generated operation builder: its success type
        /// and `operationId`, so the facade can send any of them the same way.
        pub mod operation_impls {
            #[allow(unused_imports)]
            use super::{types, ByteStream};

            #(#operation_impls)*
        }

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

            /// Every operation of the upstream document, in document order.
            pub const OPERATIONS: [crate::spec::Operation; #count] = [#(#entries),*];
            /// Default whole-request timeout, in seconds.
            pub const REQUEST_TIMEOUT_SECS: u64 = #timeout;
        }
    }
}

/// Entry point of `build.rs`: generates the client from `openapi/swagger.json` into
/// `$OUT_DIR/anam_generated.rs`, the httpmock helpers into `$OUT_DIR/anam_httpmock.rs` and the
/// notes into `$OUT_DIR/normalization_notes.txt`.
pub fn run_build_script() {
    println!("cargo:rerun-if-changed=openapi/swagger.json");
    for file in PIPELINE_FILES {
        println!("cargo:rerun-if-changed=src/codegen/{file}");
    }
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let spec_path = std::path::Path::new(&manifest_dir).join("openapi/swagger.json");
    let outcome = std::fs::read(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))
        .and_then(|spec| generate(&spec).map_err(|e| e.to_string()))
        .and_then(|generation| {
            let out = std::path::Path::new(&out_dir);
            let notes: String = generation.notes.iter().map(|n| format!("{n}\n")).collect();
            std::fs::write(out.join("anam_generated.rs"), generation.code)
                .and_then(|()| {
                    std::fs::write(out.join("anam_httpmock.rs"), generation.httpmock_code)
                })
                .and_then(|()| std::fs::write(out.join("normalization_notes.txt"), notes))
                .map_err(|e| format!("cannot write into OUT_DIR: {e}"))
        });
    if let Err(message) = outcome {
        println!("cargo:warning=anam code generation failed: {message}");
        eprintln!("anam code generation failed: {message}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[u8] = include_bytes!("../../openapi/swagger.json");

    #[test]
    fn pipeline_files_list_matches_the_directory() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/codegen");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".rs"))
            .collect();
        found.sort();
        assert_eq!(found, PIPELINE_FILES);
    }

    #[test]
    fn vendored_spec_generates_56_operations_and_lists_the_rest() {
        let generation = generate(SPEC).expect("the vendored spec generates");
        assert_eq!(generation.operations.len(), 57);
        let whole: Vec<&str> = generation
            .hand_written
            .iter()
            .filter(|h| h.whole_operation)
            .map(|h| h.operation_id.as_str())
            .collect();
        assert_eq!(whole, ["uploadKnowledgeGroupDocument"]);
        let variants: Vec<(&str, &str)> = generation
            .hand_written
            .iter()
            .filter(|h| !h.whole_operation)
            .map(|h| (h.operation_id.as_str(), h.media_type.as_str()))
            .collect();
        assert_eq!(
            variants,
            [
                ("createAvatar", "multipart/form-data"),
                ("createVoice", "multipart/form-data")
            ]
        );
        let compact: String = generation.code.split_whitespace().collect();
        let generated_methods = generation
            .operations
            .iter()
            .filter(|op| {
                let method = heck::ToSnakeCase::to_snake_case(op.id.as_str());
                compact.contains(&format!("pubfn{method}(&self"))
            })
            .count();
        assert_eq!(generated_methods, 56);
    }

    #[test]
    fn no_stale_naming_entries_and_every_rule_note_is_well_formed() {
        let generation = generate(SPEC).unwrap();
        assert!(
            !generation.notes.iter().any(|n| n.detail.contains("stale")),
            "{:#?}",
            generation.notes
        );
        for rule in [
            "openapi-version",
            "vendor-extensions",
            "type-array",
            "enum-null",
            "null-branch",
            "nullable-3.0",
            "request-media-types",
            "error-responses",
            "type-names",
            "open-enums",
            "overlapping-one-of",
            "titles",
            "required-only-oneof",
            "single-member-union",
        ] {
            assert!(
                generation.notes.iter().any(|n| n.rule == rule),
                "no note from rule {rule}"
            );
        }
    }

    #[test]
    fn transcript_types_get_readable_names_and_role_is_open() {
        let generation = generate(SPEC).unwrap();
        for name in [
            "pub struct Transcript {",
            "pub struct TranscriptMessage {",
            "pub enum TranscriptRole {",
            "pub struct SessionPage {",
        ] {
            assert!(generation.code.contains(name), "missing {name}");
        }
        let role = generation
            .open_enums
            .iter()
            .find(|e| e.name == "TranscriptRole")
            .unwrap();
        assert_eq!(role.values, ["user", "persona"]);
    }

    #[test]
    fn request_only_enums_stay_closed() {
        let generation = generate(SPEC).unwrap();
        // `regionPolicy` exists only in the meeting-invite request body.
        assert!(
            !generation
                .open_enums
                .iter()
                .any(|e| e.name.contains("RegionPolicy")),
            "{:?}",
            generation.open_enums
        );
    }

    #[test]
    fn rejects_non_json_swagger_2_and_bad_versions() {
        assert!(matches!(generate(b"<html>"), Err(PipelineError::Json(_))));
        assert!(
            matches!(generate(br#"{"swagger": "2.0"}"#), Err(PipelineError::NotOpenApi3(found)) if found == "Swagger 2.0")
        );
        assert!(matches!(
            generate(br#"{"openapi": "4.0.0"}"#),
            Err(PipelineError::NotOpenApi3(_))
        ));
    }

    #[test]
    fn a_generator_panic_becomes_an_error() {
        // A JSON response without a schema reaches an unfinished branch of progenitor, which panics.
        let spec = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}}}}"#;
        assert!(
            matches!(generate(spec), Err(PipelineError::GeneratorPanicked(message)) if message.contains("no schema"))
        );
        // An operation without an operationId is refused with an error.
        let spec = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "responses": {"200": {"description": "ok"}}}}}}"#;
        assert!(matches!(generate(spec), Err(PipelineError::Progenitor(_))));
    }
}
