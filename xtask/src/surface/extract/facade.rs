//! The sub-client methods the pipeline adds to `builder` (`impl crate::resources::<SubClient>`).

use std::collections::BTreeMap;

use crate::surface::FacadeMethod;
use crate::surface::rust_type::{attrs_doc, is_pub, last_ident, render};

/// The module the hand-written sub-client types live in.
const SUB_CLIENT_MODULE: &str = "resources";

/// Every public method of the `impl crate::resources::<SubClient>` blocks among the items of
/// `builder`, by the request builder it returns.
pub(super) fn facade_methods(builders: &[syn::Item]) -> BTreeMap<String, FacadeMethod> {
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
