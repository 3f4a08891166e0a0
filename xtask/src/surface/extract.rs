//! Reading the [`Surface`] out of the generated code with syn.
//!
//! The generated file has `pub mod types` (the types, plus typify's `builder`, `defaults` and
//! `error` submodules, left out here), `impl Client` blocks with one method per operation
//! returning `builder::<Op><'_>`, and `pub mod builder` with that request builder: a struct with
//! one `Result<T, String>` field per parameter, `new()` (required parameters start as `Err`,
//! optional ones as `Ok(None)`), one setter per parameter and `send()`; the pipeline adds the
//! sub-client methods to `builder` as `impl<'a> crate::resources::<SubClient><'a>` blocks.
//! The httpmock helpers (a separate file) have `pub mod operations` with a `When` and a `Then`
//! wrapper per operation and the trait `MockServerExt` with one method per operation.

use std::collections::BTreeMap;

use super::rust_type::{bounds, doc, doc_text, is_pub, last_ident, render};
use super::{
    Command, FacadeMethod, MockHelper, Operation, Param, Requirement, RustOperation, Shape,
    Surface, TypeDef, sha256_hex,
};
use crate::codegen::{Generation, generic_argument};

mod facade;
mod mock;
mod types;

use facade::facade_methods;
use mock::mock_helpers;
use types::type_defs;

/// Where the generated usage notes of a `Client` method's doc comment begin.
const GENERATED_DOC_MARKER: &str = "Sends a `";

/// The surface of one pipeline run over the spec whose bytes are `spec`.
pub fn surface(spec: &[u8], generation: &Generation) -> Result<Surface, String> {
    let file = &generation.file;
    let types =
        module_items(&file.items, "types").ok_or("the generated code has no `types` module")?;
    let builders =
        module_items(&file.items, "builder").ok_or("the generated code has no `builder` module")?;
    let types = type_defs(types);
    let (mock_helpers, mock_trait) = mock_helpers(&generation.httpmock_file.items);
    let generated = Generated {
        methods: client_methods(&file.items),
        builders,
        facade: facade_methods(builders),
        mock: mock_helpers,
    };
    let mut operations = operations(generation, &generated)?;
    require_bodies_with_required_fields(&mut operations, &types);
    Ok(Surface {
        spec_sha256: sha256_hex(spec),
        operations,
        mock_trait,
        types,
    })
}

/// What the generated code has per operation, by request builder name.
struct Generated<'f> {
    /// `Client` methods.
    methods: BTreeMap<String, ClientMethod<'f>>,
    /// The items of the `builder` module.
    builders: &'f [syn::Item],
    /// Sub-client methods.
    facade: BTreeMap<String, FacadeMethod>,
    /// Mock helper trait methods.
    mock: BTreeMap<String, MockHelper>,
}

/// Every operation of the spec by `operationId`, with its generated methods when it has them.
fn operations(
    generation: &Generation,
    generated: &Generated<'_>,
) -> Result<BTreeMap<String, Operation>, String> {
    generation
        .operations
        .iter()
        .map(|row| {
            let builder = heck::ToPascalCase::to_pascal_case(row.id.as_str());
            let rust = generated
                .methods
                .get(&builder)
                .map(|method| rust_operation(method, &builder, generated.builders))
                .transpose()?;
            let operation = Operation {
                method: row.method.clone(),
                path: row.path.clone(),
                rust,
                facade: generated.facade.get(&builder).cloned(),
                mock: generated.mock.get(&builder).cloned(),
                commands: commands(generation, &row.id),
            };
            Ok((row.id.clone(), operation))
        })
        .collect()
}

/// The binary's commands of operation `id`.
fn commands(generation: &Generation, id: &str) -> Vec<Command> {
    generation
        .cli_commands
        .iter()
        .filter(|command| command.operation_id == id)
        .map(|command| {
            let mut arguments: BTreeMap<String, bool> = command
                .positionals
                .iter()
                .map(|p| (format!("<{}>", p.id), true))
                .collect();
            arguments.extend(
                command
                    .query
                    .iter()
                    .map(|q| (format!("--{}", q.long), q.required)),
            );
            if let Some((_, fields)) = &command.body {
                arguments.insert("--body-file".into(), false);
                arguments.extend(fields.iter().map(|f| (format!("--{}", f.long), false)));
            }
            if command.paginated {
                arguments.insert("--all".into(), false);
                arguments.insert("--limit".into(), false);
            }
            if command.destructive {
                arguments.insert("--yes".into(), false);
            }
            Command {
                name: format!("{} {}", command.resource, command.verb),
                usage: crate::codegen::cli::usage(command),
                arguments,
            }
        })
        .collect()
}

/// A body the builder starts from its type's builder is still required when that type has a
/// required field: `send()` fails until it is set.
fn require_bodies_with_required_fields(
    operations: &mut BTreeMap<String, Operation>,
    types: &BTreeMap<String, TypeDef>,
) {
    let bodies = operations
        .values_mut()
        .filter_map(|operation| operation.rust.as_mut()?.body.as_mut());
    for body in bodies {
        if body.requirement == Requirement::Defaulted && has_required_field(types, &body.ty) {
            body.requirement = Requirement::Required;
        }
    }
}

/// True when `name` is a struct of `types` with a required field.
fn has_required_field(types: &BTreeMap<String, TypeDef>, name: &str) -> bool {
    matches!(types.get(name).map(|def| &def.shape),
        Some(Shape::Struct { fields, .. }) if fields.values().any(|field| !field.optional))
}

/// The items of the inline module `name` among `items`.
fn module_items<'f>(items: &'f [syn::Item], name: &str) -> Option<&'f [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => {
            module.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

// ----- operations -----

/// A public `Client` method returning a request builder.
struct ClientMethod<'f> {
    name: String,
    attrs: &'f [syn::Attribute],
}

/// The `Client` methods that return `builder::<Name><'_>`, by builder name.
fn client_methods(items: &[syn::Item]) -> BTreeMap<String, ClientMethod<'_>> {
    inherent_fns(items, "Client")
        .into_iter()
        .filter(|(_, function)| is_pub(&function.vis))
        .filter_map(|(name, function)| {
            let syn::ReturnType::Type(_, output) = &function.sig.output else {
                return None;
            };
            let syn::Type::Path(path) = output.as_ref() else {
                return None;
            };
            let mut segments = path.path.segments.iter();
            let (Some(module), Some(builder), None) =
                (segments.next(), segments.next(), segments.next())
            else {
                return None;
            };
            if module.ident != "builder" {
                return None;
            }
            let attrs = &function.attrs;
            Some((builder.ident.to_string(), ClientMethod { name, attrs }))
        })
        .collect()
}

/// The functions of every inherent `impl <name>` block among `items`, by name.
fn inherent_fns<'f>(items: &'f [syn::Item], name: &str) -> BTreeMap<String, &'f syn::ImplItemFn> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block)
                if block.trait_.is_none()
                    && last_ident(&block.self_ty).as_deref() == Some(name) =>
            {
                Some(&block.items)
            }
            _ => None,
        })
        .flatten()
        .filter_map(|member| match member {
            syn::ImplItem::Fn(function) => Some((function.sig.ident.to_string(), function)),
            _ => None,
        })
        .collect()
}

/// The generated side of one operation, from its `Client` method and its request builder.
fn rust_operation(
    method: &ClientMethod<'_>,
    builder: &str,
    builders: &[syn::Item],
) -> Result<RustOperation, String> {
    let missing = |what: &str| format!("request builder `{builder}` has no {what}");
    let fields = builders
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(item) if item.ident == builder => Some(&item.fields),
            _ => None,
        })
        .ok_or_else(|| missing("struct"))?;
    let functions = inherent_fns(builders, builder);
    let send = functions.get("send").ok_or_else(|| missing("`send()`"))?;
    let (success, error) = send_types(send)
        .ok_or_else(|| missing("`send()` returning `Result<ResponseValue<T>, E>`"))?;
    let (params, body) = builder_params(fields, &functions);
    Ok(RustOperation {
        method: method.name.clone(),
        builder: builder.to_string(),
        doc: operation_doc(method.attrs),
        params,
        body,
        success,
        error,
    })
}

/// The parameters of a request builder (its fields but `client`), and its body apart.
fn builder_params(
    fields: &syn::Fields,
    functions: &BTreeMap<String, &syn::ImplItemFn>,
) -> (BTreeMap<String, Param>, Option<Param>) {
    let starts = functions
        .get("new")
        .map(|new| initial_values(new))
        .unwrap_or_default();
    let mut params = BTreeMap::new();
    let mut body = None;
    for field in fields {
        let Some(name) = field.ident.as_ref().map(ToString::to_string) else {
            continue;
        };
        if name == "client" {
            continue;
        }
        let ty = functions
            .get(&name)
            .and_then(|setter| setter_target(setter))
            .or_else(|| result_ok_type(&field.ty))
            .map_or_else(|| render(&field.ty), render);
        let requirement = starts.get(&name).copied().unwrap_or(Requirement::Required);
        let param = Param { ty, requirement };
        if name == "body" {
            body = Some(param);
        } else {
            params.insert(name, param);
        }
    }
    (params, body)
}

/// The part of a `Client` method's doc comment before progenitor's usage notes.
fn operation_doc(attrs: &[syn::Attribute]) -> Option<super::Doc> {
    let text = doc_text(attrs)?;
    let own = text
        .split_once(GENERATED_DOC_MARKER)
        .map_or(text.as_str(), |(own, _)| own)
        .trim();
    (!own.is_empty()).then(|| doc(own))
}

/// `T` and `E` of `send()`'s `Result<ResponseValue<T>, E>`, rendered.
fn send_types(send: &syn::ImplItemFn) -> Option<(String, String)> {
    let syn::ReturnType::Type(_, output) = &send.sig.output else {
        return None;
    };
    let ok = generic_argument(output, "Result", 0)?;
    let error = generic_argument(output, "Result", 1)?;
    let success = generic_argument(ok, "ResponseValue", 0)?;
    Some((render(success), render(error)))
}

/// `T` of a builder field's `Result<T, String>`.
fn result_ok_type(ty: &syn::Type) -> Option<&syn::Type> {
    generic_argument(ty, "Result", 0)
}

/// The type a setter converts its value into: `T` of its `V: TryInto<T>` (or `Into<T>`) bound,
/// else the type of its first argument.
fn setter_target(setter: &syn::ImplItemFn) -> Option<&syn::Type> {
    let generics = &setter.sig.generics;
    let from_bounds = bounds(generics).find_map(conversion_target);
    from_bounds.or_else(|| {
        setter.sig.inputs.iter().find_map(|input| match input {
            syn::FnArg::Typed(typed) => Some(typed.ty.as_ref()),
            syn::FnArg::Receiver(_) => None,
        })
    })
}

/// `T` of a `TryInto<T>` or `Into<T>` trait bound.
fn conversion_target(bound: &syn::TypeParamBound) -> Option<&syn::Type> {
    let syn::TypeParamBound::Trait(bound) = bound else {
        return None;
    };
    let segment = bound.path.segments.last()?;
    if segment.ident != "TryInto" && segment.ident != "Into" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

/// How `new()` starts each field: `Err(..)` → required, `Ok(None)` → optional, any other
/// `Ok(..)` → defaulted.
fn initial_values(new: &syn::ImplItemFn) -> BTreeMap<String, Requirement> {
    let Some(syn::Stmt::Expr(syn::Expr::Struct(init), _)) = new.block.stmts.last() else {
        return BTreeMap::new();
    };
    init.fields
        .iter()
        .filter_map(|field| {
            let syn::Member::Named(name) = &field.member else {
                return None;
            };
            let syn::Expr::Call(call) = &field.expr else {
                return None;
            };
            let constructor = expr_path_ident(&call.func)?;
            let requirement = match (constructor.as_str(), call.args.first()) {
                ("Err", _) => Requirement::Required,
                ("Ok", Some(argument)) if expr_path_ident(argument).as_deref() == Some("None") => {
                    Requirement::Optional
                }
                _ => Requirement::Defaulted,
            };
            Some((name.to_string(), requirement))
        })
        .collect()
}

/// The last identifier of a path expression.
fn expr_path_ident(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
