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

use super::rust_type::{
    attrs_doc, doc, doc_text, has_attr, has_serde_default, has_serde_word, is_option, render,
};
use super::{
    Command, FacadeMethod, Field, MockHelper, MockTrait, Operation, Param, Requirement,
    RustOperation, Shape, Surface, TypeDef, Variant, VariantData, sha256_hex,
};
use crate::codegen::{Generation, generic_argument, httpmock};

/// The variant every open enum carries for values the spec does not list.
const OPEN_ENUM_CATCH_ALL: &str = "Unknown";

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

/// True for plain `pub`.
fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The name of the last segment of a plain path type.
fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

// ----- types -----

/// Every public struct, enum and alias of `types`, by name.
fn type_defs(items: &[syn::Item]) -> BTreeMap<String, TypeDef> {
    items
        .iter()
        .filter_map(|item| {
            let (ident, attrs, shape) = match item {
                syn::Item::Struct(item) if is_pub(&item.vis) => {
                    (&item.ident, &item.attrs, struct_shape(item))
                }
                syn::Item::Enum(item) if is_pub(&item.vis) => {
                    (&item.ident, &item.attrs, enum_shape(item))
                }
                syn::Item::Type(item) if is_pub(&item.vis) => {
                    let target = render(&item.ty);
                    (&item.ident, &item.attrs, Shape::Alias { target })
                }
                _ => return None,
            };
            let doc = attrs_doc(attrs);
            Some((ident.to_string(), TypeDef { doc, shape }))
        })
        .collect()
}

/// The shape of a struct: its public fields, and whether struct literals can build it.
fn struct_shape(item: &syn::ItemStruct) -> Shape {
    let exhaustive = !has_attr(&item.attrs, "non_exhaustive");
    match &item.fields {
        syn::Fields::Named(named) => Shape::Struct {
            literal: exhaustive && named.named.iter().all(|f| is_pub(&f.vis)),
            fields: named_fields(named.named.iter().filter(|f| is_pub(&f.vis))),
        },
        syn::Fields::Unnamed(unnamed) => Shape::Tuple {
            literal: exhaustive && unnamed.unnamed.iter().all(|f| is_pub(&f.vis)),
            fields: unnamed.unnamed.iter().map(|f| render(&f.ty)).collect(),
        },
        syn::Fields::Unit => Shape::Unit,
    }
}

/// Named fields by name, with their rendered types, optionality and docs.
fn named_fields<'f>(fields: impl Iterator<Item = &'f syn::Field>) -> BTreeMap<String, Field> {
    fields
        .filter_map(|field| {
            let name = field.ident.as_ref()?.to_string();
            let field = Field {
                ty: render(&field.ty),
                // A flattened map (`extra`: the fields the spec does not know) decodes empty
                // when there are none, and its builder starts it empty.
                optional: is_option(&field.ty)
                    || has_serde_default(&field.attrs)
                    || has_serde_word(&field.attrs, "flatten"),
                doc: attrs_doc(&field.attrs),
            };
            Some((name, field))
        })
        .collect()
}

/// The shape of an enum: open or closed, and its variants.
fn enum_shape(item: &syn::ItemEnum) -> Shape {
    let open = has_attr(&item.attrs, "non_exhaustive");
    let unknown = open
        && item
            .variants
            .iter()
            .any(|variant| variant.ident == OPEN_ENUM_CATCH_ALL);
    let variants = item
        .variants
        .iter()
        .filter(|variant| !(unknown && variant.ident == OPEN_ENUM_CATCH_ALL))
        .map(|variant| {
            let data = match &variant.fields {
                syn::Fields::Unit => VariantData::Unit,
                syn::Fields::Unnamed(unnamed) => {
                    VariantData::Tuple(unnamed.unnamed.iter().map(|f| render(&f.ty)).collect())
                }
                syn::Fields::Named(named) => VariantData::Struct(named_fields(named.named.iter())),
            };
            let variant_def = Variant {
                doc: attrs_doc(&variant.attrs),
                data,
            };
            (variant.ident.to_string(), variant_def)
        })
        .collect();
    Shape::Enum {
        open,
        unknown,
        variants,
    }
}

// ----- sub-client methods -----

/// The module the hand-written sub-client types live in.
const SUB_CLIENT_MODULE: &str = "resources";

/// Every public method of the `impl crate::resources::<SubClient>` blocks among the items of
/// `builder`, by the request builder it returns.
fn facade_methods(builders: &[syn::Item]) -> BTreeMap<String, FacadeMethod> {
    let mut found = BTreeMap::new();
    for item in builders {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_ty) = block.self_ty.as_ref() else {
            continue;
        };
        let in_resources = self_ty
            .path
            .segments
            .iter()
            .any(|segment| segment.ident == SUB_CLIENT_MODULE);
        let Some(sub_client) = last_ident(&block.self_ty) else {
            continue;
        };
        if block.trait_.is_some() || !in_resources {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            if !is_pub(&function.vis) {
                continue;
            }
            let syn::ReturnType::Type(_, output) = &function.sig.output else {
                continue;
            };
            let Some(builder) = last_ident(output) else {
                continue;
            };
            let args = function
                .sig
                .inputs
                .iter()
                .filter_map(|input| match input {
                    syn::FnArg::Typed(typed) => Some(typed),
                    syn::FnArg::Receiver(_) => None,
                })
                .map(|typed| {
                    let name = match typed.pat.as_ref() {
                        syn::Pat::Ident(pat) => pat.ident.to_string(),
                        other => quote::ToTokens::to_token_stream(other).to_string(),
                    };
                    (name, argument_type(&typed.ty, &function.sig.generics))
                })
                .collect();
            let method = FacadeMethod {
                sub_client: sub_client.clone(),
                method: function.sig.ident.to_string(),
                args,
                builder: builder.clone(),
                doc: attrs_doc(&function.attrs),
            };
            found.insert(builder, method);
        }
    }
    found
}

/// An argument's type as callers see it: a generic parameter as `impl <its bounds>`.
fn argument_type(ty: &syn::Type, generics: &syn::Generics) -> String {
    let Some(name) = single_ident(ty) else {
        return render(ty);
    };
    let declared = generics.params.iter().find_map(|param| match param {
        syn::GenericParam::Type(param) if param.ident == name => Some(param),
        _ => None,
    });
    let Some(declared) = declared else {
        return render(ty);
    };
    let where_bounds = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(predicate)
                if single_ident(&predicate.bounded_ty).as_deref() == Some(name.as_str()) =>
            {
                Some(&predicate.bounds)
            }
            _ => None,
        });
    let bounds: Vec<String> = std::iter::once(&declared.bounds)
        .chain(where_bounds)
        .flat_map(|bounds| bounds.iter())
        .filter_map(|bound| match bound {
            syn::TypeParamBound::Trait(bound) => {
                let path = &bound.path;
                Some(render(&syn::parse_quote!(#path)))
            }
            _ => None,
        })
        .collect();
    if bounds.is_empty() {
        name
    } else {
        format!("impl {}", bounds.join(" + "))
    }
}

/// The identifier of a one-segment path type without arguments (`Id`).
fn single_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path)
            if path.qself.is_none()
                && path.path.leading_colon.is_none()
                && path.path.segments.len() == 1
                && path.path.segments[0].arguments.is_none() =>
        {
            Some(path.path.segments[0].ident.to_string())
        }
        _ => None,
    }
}

// ----- mock helpers -----

/// The methods of the mock helper trait by the request builder of their operation (the name
/// of their `When` wrapper without `When`), and the trait itself.
fn mock_helpers(items: &[syn::Item]) -> (BTreeMap<String, MockHelper>, Option<MockTrait>) {
    let Some(trait_item) = items.iter().find_map(|item| match item {
        syn::Item::Trait(item) if item.ident == httpmock::TRAIT_NAME && is_pub(&item.vis) => {
            Some(item)
        }
        _ => None,
    }) else {
        return (BTreeMap::new(), None);
    };
    let sealed = trait_item.supertraits.iter().any(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return false;
        };
        let mut segments = bound.path.segments.iter();
        let (Some(module), Some(_)) = (segments.next(), segments.next()) else {
            return false;
        };
        items.iter().any(|item| {
            matches!(item, syn::Item::Mod(found)
                if found.ident == module.ident && matches!(found.vis, syn::Visibility::Inherited))
        })
    });
    let mut helpers = BTreeMap::new();
    for member in &trait_item.items {
        let syn::TraitItem::Fn(function) = member else {
            continue;
        };
        let Some((when, then)) = closure_inputs(&function.sig.generics) else {
            continue;
        };
        let Some(builder) = when
            .rsplit("::")
            .next()
            .and_then(|name| name.strip_suffix("When"))
            .map(str::to_string)
        else {
            continue;
        };
        let helper = MockHelper {
            method: function.sig.ident.to_string(),
            when,
            then,
        };
        helpers.insert(builder, helper);
    }
    let mock_trait = MockTrait {
        name: trait_item.ident.to_string(),
        sealed,
    };
    (helpers, Some(mock_trait))
}

/// The two argument types of the `F: FnOnce(When, Then)` bound of a mock helper, rendered.
fn closure_inputs(generics: &syn::Generics) -> Option<(String, String)> {
    let param_bounds = generics.params.iter().filter_map(|param| match param {
        syn::GenericParam::Type(param) => Some(&param.bounds),
        _ => None,
    });
    let where_bounds = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(predicate) => Some(&predicate.bounds),
            _ => None,
        });
    param_bounds
        .chain(where_bounds)
        .flat_map(|bounds| bounds.iter())
        .find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let segment = bound.path.segments.last()?;
            let syn::PathArguments::Parenthesized(arguments) = &segment.arguments else {
                return None;
            };
            let mut inputs = arguments.inputs.iter();
            match (inputs.next(), inputs.next(), inputs.next()) {
                (Some(when), Some(then), None) => Some((render(&when.ty), render(&then.ty))),
                _ => None,
            }
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
    let param_bounds = generics.params.iter().filter_map(|param| match param {
        syn::GenericParam::Type(param) => Some(&param.bounds),
        _ => None,
    });
    let where_bounds = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(predicate) => Some(&predicate.bounds),
            _ => None,
        });
    let from_bounds = param_bounds
        .chain(where_bounds)
        .flat_map(|bounds| bounds.iter())
        .find_map(conversion_target);
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
mod tests {
    use crate::pipeline::vendored;
    use crate::surface::{Requirement, Shape};

    #[test]
    fn builders_give_parameters_their_setter_types_and_requirements() {
        let surface = &vendored().1.surface;
        let list_voices = surface.operations["listVoices"]
            .rust
            .as_ref()
            .expect("generated");
        assert_eq!(list_voices.method, "list_voices");
        assert_eq!(list_voices.success, "VoicePage");
        assert_eq!(list_voices.error, "Error<()>");
        let search = &list_voices.params["search"];
        assert_eq!(
            (search.ty.as_str(), search.requirement),
            ("String", Requirement::Optional)
        );
        let get_meeting = surface.operations["getMeetingInvite"]
            .rust
            .as_ref()
            .expect("generated");
        let id = &get_meeting.params["id"];
        assert_eq!(
            (id.ty.as_str(), id.requirement),
            ("uuid::Uuid", Requirement::Required)
        );
        let create = surface.operations["createSessionToken"]
            .rust
            .as_ref()
            .expect("generated");
        let body = create.body.as_ref().expect("a body");
        assert_eq!(
            (body.ty.as_str(), body.requirement),
            ("CreateSessionTokenBody", Requirement::Defaulted)
        );
        assert_eq!(
            create.doc.as_ref().map(|d| d.summary.as_str()),
            Some("create session token")
        );
        let create_voice = surface.operations["createVoice"]
            .rust
            .as_ref()
            .expect("generated");
        let body = create_voice.body.as_ref().expect("a body");
        assert_eq!(
            body.requirement,
            Requirement::Required,
            "a body with required fields is required"
        );
        assert!(
            surface.operations["uploadKnowledgeGroupDocument"]
                .rust
                .is_none()
        );
    }

    #[test]
    fn operations_carry_their_sub_client_method_and_mock_helper() {
        let surface = &vendored().1.surface;
        let delete = &surface.operations["deleteVoice"];
        let facade = delete.facade.as_ref().expect("a sub-client method");
        assert_eq!(
            facade.signature(),
            "Voices::delete(id: impl TryInto<uuid::Uuid>) -> builder::DeleteVoice"
        );
        let update = surface.operations["updatePersona"].facade.as_ref();
        assert_eq!(
            update.map(|method| method.args.last().cloned()),
            Some(Some(("body".to_string(), "UpdatePersonaBody".to_string())))
        );
        let mock = delete.mock.as_ref().expect("a mock helper");
        assert_eq!(
            (mock.method.as_str(), mock.when.as_str(), mock.then.as_str()),
            (
                "delete_voice",
                "operations::DeleteVoiceWhen",
                "operations::DeleteVoiceThen"
            )
        );
        let mock_trait = surface.mock_trait.as_ref().expect("the mock trait");
        assert_eq!(mock_trait.name, "MockServerExt");
        assert!(mock_trait.sealed, "the pipeline seals it");
        let upload = &surface.operations["uploadKnowledgeGroupDocument"];
        assert!(upload.facade.is_none() && upload.mock.is_none());
        let with_facade = surface
            .operations
            .values()
            .filter(|operation| operation.facade.is_some())
            .count();
        assert_eq!(with_facade, 56);
    }

    /// An added field or value must stay a minor release: a struct users could build with a
    /// literal, or an enum they could match exhaustively, would make it a major one.
    #[test]
    fn every_generated_struct_and_enum_can_grow() {
        let surface = &vendored().1.surface;
        let exhaustive: Vec<&String> = surface
            .types
            .iter()
            .filter(|(_, def)| {
                matches!(
                    def.shape,
                    Shape::Struct { literal: true, .. } | Shape::Enum { open: false, .. }
                )
            })
            .map(|(name, _)| name)
            .collect();
        assert!(
            exhaustive.is_empty(),
            "not #[non_exhaustive]: {exhaustive:?}"
        );
    }

    #[test]
    fn types_list_fields_and_open_enums_without_their_catch_all() {
        let surface = &vendored().1.surface;
        let Shape::Struct { literal, fields } = &surface.types["Voice"].shape else {
            panic!("Voice is a struct");
        };
        assert!(!*literal, "generated structs are #[non_exhaustive]");
        assert_eq!(fields["display_name"].ty, "Option<String>");
        assert!(
            fields["display_tags"].optional,
            "a #[serde(default)] Vec is optional"
        );
        let Shape::Enum {
            open,
            unknown: true,
            variants,
        } = &surface.types["TranscriptRole"].shape
        else {
            panic!("TranscriptRole is an enum");
        };
        assert!(*open);
        assert_eq!(variants.keys().collect::<Vec<_>>(), ["Persona", "User"]);
        assert!(
            !surface.types.contains_key("ConversionError"),
            "submodules are left out"
        );
    }
}
