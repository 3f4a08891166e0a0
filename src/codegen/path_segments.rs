//! Progenitor fills each path parameter in with `progenitor_client::encode_path`, which leaves
//! `\` as it is; the URL parser then reads it as `/` (as it does in every `http` URL), so an id
//! holding `\` would leave its segment (`a\b` became two segments). This rule makes every
//! generated request use the crate's own encoder instead ([`ENCODER`]: everything but RFC
//! 3986's unreserved characters is percent-encoded), by replacing the import the generated code
//! calls it through. A `Uuid` parameter needs no encoding (its text is hex digits and
//! hyphens), so [`uuids_written_directly`] lets `format!` write it as it is, without the two
//! strings `encode_path(&id.to_string())` makes on every call.

use quote::ToTokens;
use syn::punctuated::Punctuated;

/// The crate's encoder, as the generated code (included into `crate::raw`) names it.
pub const ENCODER: &str = "crate::spec::encode_path_segment";

/// Replaces `encode_path` in the top-level `use progenitor_client::{…}` with
/// `use crate::spec::encode_path_segment as encode_path;` (the `builder` module reaches it
/// through `super::`); returns how many imports it replaced.
pub fn use_crate_encoder(file: &mut syn::File) -> usize {
    let mut replaced = 0;
    let mut index = 0;
    while index < file.items.len() {
        let syn::Item::Use(item) = &mut file.items[index] else {
            index += 1;
            continue;
        };
        if remove_encode_path(&mut item.tree) {
            let path: syn::Path = syn::parse_str(ENCODER).expect("a path");
            let import: syn::Item = syn::parse_quote!(
                #[allow(unused_imports)]
                use #path as encode_path;
            );
            file.items.insert(index + 1, import);
            replaced += 1;
            index += 1;
        }
        index += 1;
    }
    replaced
}

/// Removes `encode_path` from `progenitor_client::{…}`; true when it was there.
fn remove_encode_path(tree: &mut syn::UseTree) -> bool {
    let syn::UseTree::Path(path) = tree else {
        return false;
    };
    if path.ident != "progenitor_client" {
        return false;
    }
    let syn::UseTree::Group(group) = path.tree.as_mut() else {
        return false;
    };
    let before = group.items.len();
    group.items = std::mem::take(&mut group.items)
        .into_iter()
        .filter(|item| !matches!(item, syn::UseTree::Name(name) if name.ident == "encode_path"))
        .collect();
    group.items.len() < before
}

/// In every `send()` of the `builder` module, replaces the URL's `encode_path(&id.to_string())`
/// argument with `id` where the builder's field `id` holds a `Uuid`: its `Display` is the same
/// text, which encoding leaves as it is. Returns how many arguments it replaced.
pub fn uuids_written_directly(file: &mut syn::File) -> usize {
    let Some(items) = super::module_items_mut(file, "builder") else {
        return 0;
    };
    let uuid_fields: Vec<(String, Vec<String>)> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(builder) => Some((builder.ident.to_string(), uuid_fields(builder))),
            _ => None,
        })
        .filter(|(_, uuids)| !uuids.is_empty())
        .collect();
    let mut replaced = 0;
    for (builder, function) in super::builder_sends_mut(file) {
        let Some((_, uuids)) = uuid_fields.iter().find(|(name, _)| *name == builder) else {
            continue;
        };
        for stmt in &mut function.block.stmts {
            if let Some(mac) = url_format(stmt) {
                replaced += write_uuids_directly(mac, uuids);
            }
        }
    }
    replaced
}

/// The fields of a builder struct that hold a `Uuid` (`Result<::uuid::Uuid, String>`).
fn uuid_fields(builder: &syn::ItemStruct) -> Vec<String> {
    builder
        .fields
        .iter()
        .filter(|field| {
            super::generic_argument(&field.ty, "Result", 0).is_some_and(|ty| {
                ty.to_token_stream().to_string().replace(' ', "") == "::uuid::Uuid"
            })
        })
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect()
}

/// The `format!` of `let url = format!(…);`, if `stmt` is that statement.
fn url_format(stmt: &mut syn::Stmt) -> Option<&mut syn::Macro> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    let syn::Pat::Ident(binding) = &local.pat else {
        return None;
    };
    if binding.ident != "url" {
        return None;
    }
    match local.init.as_mut()?.expr.as_mut() {
        syn::Expr::Macro(call) if call.mac.path.is_ident("format") => Some(&mut call.mac),
        _ => None,
    }
}

/// Replaces each `encode_path(&name.to_string())` argument of `mac` whose `name` is in `uuids`
/// with `name`; returns how many it replaced.
fn write_uuids_directly(mac: &mut syn::Macro, uuids: &[String]) -> usize {
    let Ok(mut arguments) =
        mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
    else {
        return 0;
    };
    let mut replaced = 0;
    for argument in arguments.iter_mut() {
        if let Some(name) = encoded_name(argument).filter(|name| uuids.contains(name)) {
            let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
            *argument = syn::parse_quote!(#ident);
            replaced += 1;
        }
    }
    if replaced > 0 {
        mac.tokens = arguments.to_token_stream();
    }
    replaced
}

/// `name` of `encode_path(&name.to_string())`, if `argument` is that call.
fn encoded_name(argument: &syn::Expr) -> Option<String> {
    let syn::Expr::Call(call) = argument else {
        return None;
    };
    let syn::Expr::Path(callee) = call.func.as_ref() else {
        return None;
    };
    if !callee.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::Reference(reference) = call.args.first()? else {
        return None;
    };
    let syn::Expr::MethodCall(method) = reference.expr.as_ref() else {
        return None;
    };
    if method.method != "to_string" || !method.args.is_empty() {
        return None;
    }
    let syn::Expr::Path(receiver) = method.receiver.as_ref() else {
        return None;
    };
    receiver.path.get_ident().map(ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn the_generated_code_encodes_with_the_crate() {
        let mut file: syn::File = syn::parse_quote! {
            use progenitor_client::{encode_path, ClientHooks, OperationInfo};
            pub mod builder {
                use super::{encode_path, ClientHooks};
            }
        };
        assert_eq!(use_crate_encoder(&mut file), 1);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("useprogenitor_client::{ClientHooks,OperationInfo};"),
            "{text}"
        );
        assert!(
            text.contains("usecrate::spec::encode_path_segmentasencode_path;"),
            "{text}"
        );
        assert!(
            text.contains("usesuper::{encode_path,ClientHooks}"),
            "{text}"
        );
        assert_eq!(use_crate_encoder(&mut file), 0, "applied once");
    }

    #[test]
    fn uuid_parameters_are_written_as_they_are() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct GetThing<'a> {
                    client: &'a super::Client,
                    id: Result<::uuid::Uuid, String>,
                    name: Result<::std::string::String, String>,
                }
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let url = format!(
                            "{}/v1/things/{}/parts/{}", client.baseurl,
                            encode_path(&id.to_string()), encode_path(&name.to_string()),
                        );
                        Ok(())
                    }
                }
            }
        };
        assert_eq!(uuids_written_directly(&mut file), 1);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains(r#"format!("{}/v1/things/{}/parts/{}",client.baseurl,id,encode_path(&name.to_string()),)"#),
            "{text}"
        );
        assert_eq!(uuids_written_directly(&mut file), 0, "applied once");
    }
}
