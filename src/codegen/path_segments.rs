//! Progenitor fills each path parameter in with `progenitor_client::encode_path`, which leaves
//! `\` as it is; the URL parser then reads it as `/` (as it does in every `http` URL), so an id
//! holding `\` would leave its segment (`a\b` became two segments). This rule makes every
//! generated request use the crate's own encoder instead ([`ENCODER`]: everything but RFC
//! 3986's unreserved characters is percent-encoded), by replacing the import the generated code
//! calls it through. The calls themselves are untouched.

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
}
