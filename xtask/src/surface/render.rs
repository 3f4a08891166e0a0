//! The text of `openapi/surface.txt`: one block per operation, then one per type, each sorted
//! by name, members sorted by name, so its diff reads as the change of the generated API.
//! [`super::parse`] reads it back: `update-spec` compares a candidate with the checked-in file
//! (what the last release generated), so a change of the pipeline is classified too. A change
//! of the format here needs the same change there (its round-trip test fails otherwise).

use std::fmt::Write as _;

use super::{
    Doc, Field, MockHelper, MockTrait, Operation, RustOperation, Shape, Surface, TypeDef,
    VariantData,
};

/// The file's explanation of itself, before the spec's hash.
const HEADER: &str = "\
# The public API the vendored spec drives in `anam`, after the pipeline's normalisation.
# Written by `cargo xtask surface`, checked by `cargo xtask surface --check` (and by xtask's
# tests, so CI); do not edit by hand. Its diff is the API change of a spec update or of a
# pipeline change; `cargo xtask update-spec` reads it back as what users have and prints the
# change classified.
#
# One block per operation (by operationId), the mock helper trait, then one block per type of
# `anam::types` (typify's `types::builder`, `types::defaults`, `types::error` and `spec_table`
# left out); members sorted by name. An operation lists its `Client` method and request builder,
# its sub-client method (`facade:`) and its typed httpmock helper (`mock:`, feature `mock`; the
# `When`/`Then` wrappers' setters mirror the operation's parameters, body and success type),
# and its commands of the `anam` binary (`cli:`, feature `cli`; a hand-written `anam sessions`
# command of the same name takes precedence there).
# Parameters are `required` (send() fails unless set; a body, until its required fields are
# set), `optional` (left out unless set) or `defaulted` (a body without required fields starts
# from its type's builder). Fields are `optional` when a response may omit them. `doc:` shows
# the first line of a doc comment and a hash of all of it, so description-only changes show up.
";

/// The whole file.
pub fn render(surface: &Surface) -> String {
    let count =
        |has: fn(&Operation) -> bool| surface.operations.values().filter(|o| has(o)).count();
    let generated = count(|operation| operation.rust.is_some());
    let facade = count(|operation| operation.facade.is_some());
    let mock = count(|operation| operation.mock.is_some());
    let mut out = String::from(HEADER);
    out.push_str("#\n");
    let _ = writeln!(out, "# spec sha256: {}", surface.spec_sha256);
    let _ = writeln!(
        out,
        "# {} operations ({generated} generated, {facade} sub-client methods, {mock} mock \
         helpers), {} types",
        surface.operations.len(),
        surface.types.len()
    );
    for (id, operation) in &surface.operations {
        out.push('\n');
        operation_block(&mut out, id, operation);
    }
    if let Some(mock_trait) = &surface.mock_trait {
        out.push('\n');
        let _ = writeln!(out, "{}", mock_trait_line(mock_trait));
    }
    for (name, def) in &surface.types {
        out.push('\n');
        type_block(&mut out, name, def);
    }
    out
}

/// The line of the mock helper trait.
pub fn mock_trait_line(mock_trait: &MockTrait) -> String {
    let openness = if mock_trait.sealed {
        "sealed (implemented for httpmock::MockServer only; a new method is additive)"
    } else {
        "not sealed (anyone may implement it; a new method breaks implementors)"
    };
    format!("trait {} (feature mock): {openness}", mock_trait.name)
}

/// The `doc:` line of an item, if it has a doc comment.
fn doc_line(out: &mut String, indent: &str, doc: Option<&Doc>) {
    if let Some(Doc { summary, hash }) = doc {
        let _ = writeln!(out, "{indent}doc: {summary:?} #{hash}");
    }
}

/// The block of one operation.
fn operation_block(out: &mut String, id: &str, operation: &Operation) {
    let _ = writeln!(out, "operation {id}");
    let _ = writeln!(out, "  route: {}", operation.route());
    match &operation.rust {
        Some(rust) => rust_operation_lines(out, rust),
        None => out.push_str("  not generated: left to the hand-written facade\n"),
    }
    if let Some(facade) = &operation.facade {
        let _ = writeln!(out, "  facade: {}", facade.signature());
        doc_line(out, "    ", facade.doc.as_ref());
    }
    if let Some(mock) = &operation.mock {
        let _ = writeln!(out, "  mock: {}", mock_signature(mock));
    }
    for command in &operation.commands {
        let _ = writeln!(out, "  cli: {}", command.usage);
    }
}

/// `MockServerExt::delete_voice(operations::DeleteVoiceWhen, operations::DeleteVoiceThen)`.
pub fn mock_signature(mock: &MockHelper) -> String {
    format!(
        "{}::{}({}, {})",
        crate::codegen::httpmock::TRAIT_NAME,
        mock.method,
        mock.when,
        mock.then
    )
}

/// The lines of an operation's generated method.
fn rust_operation_lines(out: &mut String, rust: &RustOperation) {
    let _ = writeln!(
        out,
        "  method: Client::{}() -> builder::{}",
        rust.method, rust.builder
    );
    doc_line(out, "  ", rust.doc.as_ref());
    for (name, param) in &rust.params {
        let _ = writeln!(out, "  param {name}: {} {}", param.ty, param.requirement);
    }
    if let Some(body) = &rust.body {
        let _ = writeln!(out, "  body: {} {}", body.ty, body.requirement);
    }
    let _ = writeln!(out, "  success: {}", rust.success);
    let _ = writeln!(out, "  error: {}", rust.error);
}

/// The block of one type.
fn type_block(out: &mut String, name: &str, def: &TypeDef) {
    let _ = writeln!(out, "type {name}: {}", def.shape.kind());
    doc_line(out, "  ", def.doc.as_ref());
    match &def.shape {
        Shape::Struct { fields, .. } => {
            for (field_name, field) in fields {
                field_lines(out, "  ", field_name, field);
            }
        }
        Shape::Enum { variants, .. } => {
            for (variant_name, variant) in variants {
                let _ = writeln!(out, "  variant {variant_name}{}", variant.data.suffix());
                doc_line(out, "    ", variant.doc.as_ref());
                if let VariantData::Struct(fields) = &variant.data {
                    for (field_name, field) in fields {
                        field_lines(out, "    ", field_name, field);
                    }
                }
            }
        }
        Shape::Tuple { .. } | Shape::Unit | Shape::Alias { .. } => {}
    }
}

/// The line of one field, and its doc line.
fn field_lines(out: &mut String, indent: &str, name: &str, field: &Field) {
    let _ = writeln!(
        out,
        "{indent}field {name}: {} {}",
        field.ty,
        field.optionality()
    );
    doc_line(out, &format!("{indent}  "), field.doc.as_ref());
}
