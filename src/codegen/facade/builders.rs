//! Progenitor's output read back: each builder's setters and success type, and the item type
//! of a paginated body, which the facade and the command line are generated from.

use std::collections::BTreeMap;

use super::super::{generic_argument, module_items};

/// What progenitor generated for one builder, read back from its output.
#[derive(Default)]
pub struct BuilderInfo {
    /// `T` of `send()`'s `ResponseValue<T>`.
    pub success: Option<syn::Type>,
    /// Each setter's name → its generics and where clause (`V: TryInto<T>, …`).
    pub setters: BTreeMap<String, syn::Generics>,
}

/// Every builder of progenitor's `builder` module, by name.
pub fn builders(file: &syn::File) -> BTreeMap<String, BuilderInfo> {
    let mut found: BTreeMap<String, BuilderInfo> = BTreeMap::new();
    for item in module_items(file, "builder") {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let syn::Type::Path(self_type) = block.self_ty.as_ref() else {
            continue;
        };
        let Some(name) = self_type.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let info = found.entry(name).or_default();
        for member in &block.items {
            let syn::ImplItem::Fn(function) = member else {
                continue;
            };
            let ident = function.sig.ident.to_string();
            if ident == "send" {
                if let syn::ReturnType::Type(_, output) = &function.sig.output {
                    info.success = generic_argument(output, "Result", 0)
                        .and_then(|ok| generic_argument(ok, "ResponseValue", 0))
                        .cloned();
                }
            } else if function.sig.generics.params.len() == 1 {
                info.setters.insert(ident, function.sig.generics.clone());
            }
        }
    }
    found
}

/// A public struct of `types` by name.
pub(super) fn types_struct<'f>(file: &'f syn::File, name: &str) -> Option<&'f syn::ItemStruct> {
    module_items(file, "types")
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(item) if item.ident == name => Some(item),
            _ => None,
        })
}

/// The type of field `field` of `item`.
pub(super) fn field_type<'s>(item: &'s syn::ItemStruct, field: &str) -> Option<&'s syn::Type> {
    item.fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field))
        .map(|f| &f.ty)
}

/// The last path segment's name of a type.
pub(super) fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A type named inside `types` (`Session`) as seen from a sibling module (`types::Session`).
pub(super) fn from_types(ty: &syn::Type) -> syn::Type {
    match ty {
        syn::Type::Path(path)
            if path.qself.is_none()
                && path.path.leading_colon.is_none()
                && path.path.segments.len() == 1 =>
        {
            syn::parse_quote!(types::#path)
        }
        other => other.clone(),
    }
}

/// The item type of a paginated operation: `T` of its body's `data: Vec<T>`, when the body
/// is a generated struct whose `meta` is `Option<Pagination>`.
pub(super) fn page_item(file: &syn::File, success: &syn::Type) -> Option<syn::Type> {
    let page = types_struct(file, &last_ident(success)?)?;
    let meta = field_type(page, "meta")?;
    let meta_inner = generic_argument(meta, "Option", 0)?;
    if last_ident(meta_inner).as_deref() != Some("Pagination") {
        return None;
    }
    let item = generic_argument(field_type(page, "data")?, "Vec", 0)?;
    Some(from_types(item))
}

/// `T` of a `V: TryInto<T>` where-clause predicate.
pub fn try_into_target(predicate: &syn::WherePredicate) -> Option<syn::Type> {
    let syn::WherePredicate::Type(predicate) = predicate else {
        return None;
    };
    predicate.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let segment = bound
            .path
            .segments
            .last()
            .filter(|s| s.ident == "TryInto")?;
        let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
            return None;
        };
        arguments.args.iter().find_map(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty.clone()),
            _ => None,
        })
    })
}
