//! The generation pipeline: raw upstream OpenAPI document in, formatted Rust client out.
//!
//! This module is not part of the `anam` library. It is compiled by `build.rs` (which writes the
//! client into `OUT_DIR`) and by `xtask` (which diffs the generated surface), through `#[path]`,
//! so both see exactly the same code. Its steps:
//!
//! 1. parse the document as JSON and check it is OpenAPI 3.x;
//! 2. normalise it into the OpenAPI 3.0 subset progenitor 0.15 accepts ([`normalize`](mod@normalize),
//!    [`operations`], [`naming`], [`decoding`]), each rule recording [`Note`](generation::Note)s;
//! 3. run progenitor with the crate's [`settings`], open enums replacing typify's closed ones;
//! 4. add the open enums ([`open_enum`]) and the operation table, and mark progenitor's
//!    non-compilable usage sketches as `text` rather than ignored doctests;
//! 5. keep the result as syntax ([`Generation`]), which the build script formats with
//!    prettyplease ([`Generation::code`]) and xtask reads as it is.

pub mod cli;
pub mod decoding;
pub mod facade;
pub mod generation;
pub mod growth;
pub mod httpmock;
pub mod naming;
pub mod normalize;
pub mod open_enum;
pub mod operations;
pub mod path_segments;
pub mod requests;
pub mod rows;
pub mod schema_derive;
pub mod sketches;
pub mod success_body;
pub mod table;
pub mod timestamps;
pub mod unions;
pub mod version_header;
pub mod walk;

use std::panic::{AssertUnwindSafe, catch_unwind};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

pub use decoding::OpenEnum;
pub use generation::{Generation, Notes, PipelineError};
pub use operations::{DocumentedError, HandWritten};
pub use rows::OperationRow;

/// Default whole-request timeout, in seconds, of a client built without explicit settings.
/// Progenitor's own default is a hard-coded 15 s; the facade and the generated `Client::new` both
/// use this value instead.
pub const REQUEST_TIMEOUT_SECS: u64 = 60;

/// The Rust path of the type progenitor's hooks receive as `inner` (hand-written in `src/`).
const HOOK_STATE_TYPE: &str = "crate::hooks::HookState";

/// The Rust path of the module generated types live in, as seen from the crate root.
const TYPES_PATH: &str = "crate::types";

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
    requests::union_variants(doc, &mut notes);
    normalize::titles(doc, &mut notes);
    let hand_written = operations::request_media_types(doc, &mut notes);
    let documented_errors = operations::error_responses(doc, &mut notes);
    operations::success_responses(doc, &mut notes);
    operations::success_ranges(doc, &mut notes);
    naming::apply_table(doc, &mut notes);
    decoding::open_objects(doc, &mut notes);
    decoding::overlapping_unions(doc, &mut notes);
    let open_enums = decoding::open_enums(doc, &mut notes);
    requests::request_defaults(doc, &mut notes);
    requests::optional_collections(doc, &mut notes);
    requests::unknown_fields(doc, &mut notes);
    (notes, hand_written, documented_errors, open_enums)
}

/// Progenitor settings: builder-style methods, hooks the facade must implement (auth, retries,
/// tracing; progenitor's `api-version` header is removed by [`version_header`]), a default timeout of
/// [`REQUEST_TIMEOUT_SECS`] instead of progenitor's hard-coded 15 s, `JsonSchema` (moved behind
/// the `schemars` feature afterwards by [`schema_derive`]) and `PartialEq` on types, and the
/// open enums in place of typify's closed ones.
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
    let mut operations = rows::operation_rows(&doc);
    let cli_inputs = cli::spec_inputs(&doc);
    let (mut notes, hand_written, documented_errors, open_enums) = normalize(&mut doc);
    let api: openapiv3::OpenAPI =
        serde_json::from_value(doc.clone()).map_err(PipelineError::Model)?;

    let mut generator = progenitor::Generator::new(&settings(&open_enums));
    let tokens = catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(&api)))
        .map_err(|panic| PipelineError::GeneratorPanicked(panic_message(panic)))?
        .map_err(|e| PipelineError::Progenitor(e.to_string()))?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| PipelineError::Syntax(e.to_string()))?;
    let timestamps = timestamps::serialize_in_one_piece(&mut file);
    notes.add(
        "timestamps",
        "every type",
        format!(
            "{timestamps} `DateTime<Utc>` fields serialise through `{}` (the same RFC 3339 text, written in one piece)",
            timestamps::MODULE
        ),
    );
    let unions = unions::apply(&mut file);
    for name in &unions.matched {
        notes.add(
            "union-decoding",
            name,
            format!(
                "decoded by matching each variant's fields (`{}`)",
                unions::MODULE
            ),
        );
    }
    for (name, reason) in &unions.skipped {
        notes.add(
            "union-decoding",
            name,
            format!("left to serde's first-match decoding: {reason}"),
        );
    }
    notes.add(
        "unknown-fields",
        "every type",
        format!(
            "{} `extra` maps decode through `{}::capture`; their builders have `extra_field`",
            unions.extra_maps,
            unions::UNKNOWN_MODULE
        ),
    );
    let stripped = version_header::strip(&mut file);
    notes.add(
        "api-version-header",
        "every operation",
        format!(
            "progenitor's `{}` request header removed from {stripped} generated requests (the API takes none)",
            version_header::HEADER
        ),
    );

    let encoders = path_segments::use_crate_encoder(&mut file);
    notes.add(
        "path-segments",
        "every operation",
        format!(
            "path parameters encoded by `{}` ({encoders} import replaced): progenitor's `encode_path` leaves `\\`, which URLs read as `/`",
            path_segments::ENCODER
        ),
    );

    let direct = path_segments::uuids_written_directly(&mut file);
    notes.add(
        "path-segments",
        "every operation",
        format!(
            "{direct} `Uuid` path parameters written into their URL as they are (their text is what encoding would keep)"
        ),
    );

    let decoders = success_body::use_crate_decoder(&mut file);
    let left = success_body::remaining(&file);
    if left > 0 {
        return Err(PipelineError::Rule(format!(
            "{left} `ResponseValue::from_response` call(s) ({decoders} replaced) in a shape the `success-body` rule does not know; the transport has already read those bodies"
        )));
    }
    notes.add(
        "success-body",
        "every operation",
        format!(
            "success bodies decoded by `{}` ({decoders} calls replaced): the transport has read each body whole, so progenitor's `from_response` would read it again",
            success_body::DECODER
        ),
    );

    let open_items: TokenStream = open_enums.iter().map(open_enum::tokens).collect();
    let open_items: syn::File =
        syn::parse2(open_items).map_err(|e| PipelineError::Syntax(e.to_string()))?;
    match module_items_mut(&mut file, "types") {
        Some(items) => items.extend(open_items.items),
        None => {
            return Err(PipelineError::Syntax(
                "progenitor emitted no `types` module".into(),
            ));
        }
    }
    let marked = growth::mark(&mut file);
    notes.add(
        "non-exhaustive",
        "every type",
        format!(
            "{marked} structs and enums are #[non_exhaustive]: built through builders, Default \
             or named constructors, so an added field or value is a minor release"
        ),
    );
    let behind = schema_derive::behind_feature(&mut file);
    notes.add(
        "schemars-feature",
        "every type",
        format!(
            "{behind} derives of `schemars::JsonSchema` moved behind the `{}` feature",
            schema_derive::FEATURE
        ),
    );
    let facade = facade::generate(&file, &operations, &hand_written, &mut notes)
        .map_err(PipelineError::Syntax)?;
    for row in &mut operations {
        row.paginated = facade.paginated.contains(&row.id);
    }
    match module_items_mut(&mut file, "builder") {
        Some(items) => items.extend(facade.builder_items.iter().cloned()),
        None => {
            return Err(PipelineError::Syntax(
                "progenitor emitted no `builder` module".into(),
            ));
        }
    }
    let builders = facade::builders(&file);
    let whole_hand_written = hand_written
        .iter()
        .filter(|h| h.whole_operation)
        .map(|h| h.operation_id.clone())
        .collect();
    let cli_commands = cli::commands(
        &operations,
        &cli_inputs,
        &builders,
        &whole_hand_written,
        &mut notes,
    )
    .map_err(PipelineError::Cli)?;
    let cli_file = cli::code::code(&cli_commands).map_err(PipelineError::Syntax)?;
    let success_types: std::collections::BTreeMap<String, syn::Type> = builders
        .into_iter()
        .filter_map(|(name, info)| Some((name, info.success?)))
        .collect();
    let table = table::spec_table(
        &operations,
        &hand_written,
        &documented_errors,
        &success_types,
        &cli_commands,
        REQUEST_TIMEOUT_SECS,
    );
    let modules = facade.modules;
    let generated: syn::File = syn::parse2(quote! { #table #modules })
        .map_err(|e| PipelineError::Syntax(e.to_string()))?;
    file.items.extend(generated.items);

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
    let mut mock_file: syn::File =
        syn::parse2(mock_tokens).map_err(|e| PipelineError::Syntax(e.to_string()))?;
    httpmock::seal(&mut mock_file).map_err(PipelineError::Syntax)?;

    sketches::as_text(&mut file);
    Ok(Generation {
        file,
        httpmock_file: mock_file,
        cli_file,
        cli_commands,
        notes: notes.0,
        hand_written,
        documented_errors,
        open_enums,
        operations,
        normalized: doc,
    })
}

/// The items of the top-level inline module `name` of progenitor's output (`types`,
/// `builder`), empty when there is none.
pub fn module_items<'f>(file: &'f syn::File, name: &str) -> &'f [syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => {
                module.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// [`module_items`], to change them; `None` when there is no such module.
pub fn module_items_mut<'f>(file: &'f mut syn::File, name: &str) -> Option<&'f mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    })
}

/// Every generated `send()` of the `builder` module, with the name of the builder it sends
/// (`GetSessionTranscript`): what the rules that rewrite requests and responses walk.
pub fn builder_sends_mut(file: &mut syn::File) -> Vec<(String, &mut syn::ImplItemFn)> {
    let Some(items) = module_items_mut(file, "builder") else {
        return Vec::new();
    };
    let mut sends = Vec::new();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let builder = type_name(&block.self_ty).unwrap_or_default();
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member
                && function.sig.ident == "send"
            {
                sends.push((builder.clone(), function));
            }
        }
    }
    sends
}

/// The last path segment of a type (`Voices` for `Voices<'a>`), if it is a path.
pub fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into())
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

/// Entry point of `build.rs`: generates the client from `openapi/swagger.json` into
/// `$OUT_DIR/anam_generated.rs`, the httpmock helpers into `$OUT_DIR/anam_httpmock.rs`, the
/// binary's commands into `$OUT_DIR/anam_cli.rs` and the notes into
/// `$OUT_DIR/normalization_notes.txt`.
pub fn run_build_script() {
    // A directory is watched whole: any file added, changed or removed below it reruns this.
    println!("cargo:rerun-if-changed=openapi/swagger.json");
    println!("cargo:rerun-if-changed=src/codegen");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let spec_path = std::path::Path::new(&manifest_dir).join("openapi/swagger.json");
    let outcome = std::fs::read(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", spec_path.display()))
        .and_then(|spec| generate(&spec).map_err(|e| e.to_string()))
        .and_then(|generation| {
            let out = std::path::Path::new(&out_dir);
            let notes: String = generation.notes.iter().map(|n| format!("{n}\n")).collect();
            std::fs::write(out.join("anam_generated.rs"), generation.code())
                .and_then(|()| {
                    std::fs::write(out.join("anam_httpmock.rs"), generation.httpmock_code())
                })
                .and_then(|()| std::fs::write(out.join("anam_cli.rs"), generation.cli_code()))
                .and_then(|()| std::fs::write(out.join("normalization_notes.txt"), notes))
                .map_err(|e| format!("cannot write into OUT_DIR: {e}"))
        });
    if let Err(message) = outcome {
        println!("cargo:warning=anam code generation failed: {message}");
        eprintln!("anam code generation failed: {message}");
        std::process::exit(1);
    }
}

/// The vendored spec, read when a test first asks for it. Not `include_bytes!`: that made the
/// tests depend on the file, so every change of the spec (an update-spec scratch check's
/// candidate among them) compiled them again.
#[cfg(test)]
pub(crate) fn vendored_spec() -> &'static [u8] {
    static SPEC: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        ["openapi/swagger.json", "../openapi/swagger.json"]
            .iter()
            .find_map(|path| std::fs::read(manifest.join(path)).ok())
            .expect("the vendored spec, openapi/swagger.json")
    })
}

/// What the tests read of the vendored spec's generation, made once per test binary (a
/// pipeline run takes about a second in a debug build). The syntax trees are printed here: they
/// cannot be shared between test threads (proc-macro2's tokens are not `Sync`).
#[cfg(test)]
pub(crate) struct Vendored {
    /// The generated client, printed.
    pub code: String,
    /// What the rules did.
    pub notes: Vec<generation::Note>,
    /// The operation rows.
    pub operations: Vec<OperationRow>,
    /// The operations (or media types) left to hand-written code.
    pub hand_written: Vec<HandWritten>,
    /// The open enums.
    pub open_enums: Vec<OpenEnum>,
    /// The generated commands.
    pub cli_commands: Vec<cli::CliCommand>,
}

/// The vendored spec's generation, shared by the tests (see [`Vendored`]).
#[cfg(test)]
pub(crate) fn vendored() -> &'static Vendored {
    static VENDORED: std::sync::OnceLock<Vendored> = std::sync::OnceLock::new();
    VENDORED.get_or_init(|| {
        let generation = generate(vendored_spec()).expect("the vendored spec generates");
        Vendored {
            code: generation.code(),
            notes: generation.notes,
            operations: generation.operations,
            hand_written: generation.hand_written,
            open_enums: generation.open_enums,
            cli_commands: generation.cli_commands,
        }
    })
}

#[cfg(test)]
mod tests;
