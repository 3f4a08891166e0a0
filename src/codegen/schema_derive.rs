//! Step `schemars-feature` (on the generated syntax): `JsonSchema` only when asked for.
//!
//! typify derives `schemars::JsonSchema` on the types it is told to (the pipeline asks for it
//! in [`super::settings`], so typify keeps choosing which types get it), and the derive on
//! some 400 types is a large share of the library's compile time, for a trait few users call.
//! This step moves the derive out of each `#[derive(...)]` of `types` into
//! `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`, so the crate's
//! `schemars` feature turns it on and the default build compiles neither the derive nor its
//! output. The open enums' hand-made implementations carry the same `cfg`
//! ([`super::open_enum`]).

/// The crate feature the derive is behind.
pub const FEATURE: &str = "schemars";

/// Moves `schemars::JsonSchema` out of every `#[derive]` of the `types` module's structs and
/// enums into a `cfg_attr` on [`FEATURE`]; returns how many items it changed.
pub fn behind_feature(file: &mut syn::File) -> usize {
    let Some(items) = super::module_items_mut(file, "types") else {
        return 0;
    };
    let mut moved = 0;
    for item in items {
        let attrs = match item {
            syn::Item::Struct(item) => &mut item.attrs,
            syn::Item::Enum(item) => &mut item.attrs,
            _ => continue,
        };
        if move_derive(attrs) {
            moved += 1;
        }
    }
    moved
}

/// True when `path` names `JsonSchema` of schemars (`schemars::JsonSchema`, `::schemars::…`).
fn is_json_schema(path: &syn::Path) -> bool {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    names == ["schemars", "JsonSchema"]
}

/// Removes `schemars::JsonSchema` from the item's derives and adds the `cfg_attr` derive
/// after them; false when the item did not derive it.
fn move_derive(attrs: &mut Vec<syn::Attribute>) -> bool {
    use syn::punctuated::Punctuated;
    let mut found = None;
    for (index, attr) in attrs.iter_mut().enumerate() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        if !paths.iter().any(is_json_schema) {
            continue;
        }
        let kept: Punctuated<syn::Path, syn::Token![,]> =
            paths.into_iter().filter(|p| !is_json_schema(p)).collect();
        *attr = syn::parse_quote!(#[derive(#kept)]);
        found = Some(index);
        break;
    }
    let Some(index) = found else {
        return false;
    };
    let feature = FEATURE;
    attrs.insert(
        index + 1,
        syn::parse_quote!(#[cfg_attr(feature = #feature, derive(schemars::JsonSchema))]),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn the_derive_moves_behind_the_feature_and_the_others_stay() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Serialize, Clone, schemars::JsonSchema)]
                #[serde(transparent)]
                pub struct Name(String);
                #[derive(Clone, Debug, PartialEq, ::schemars::JsonSchema, Eq)]
                pub enum Kind { A, B }
                #[derive(Clone, Debug)]
                pub struct Plain { pub a: u8 }
                pub mod builder {
                    #[derive(Clone, schemars::JsonSchema)]
                    pub struct Name { a: u8 }
                }
            }
        };
        assert_eq!(behind_feature(&mut file), 2);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains(
                "# [derive (:: serde :: Serialize , Clone)] # [cfg_attr (feature = \"schemars\" , derive (schemars :: JsonSchema))] # [serde (transparent)] pub struct Name"
            ),
            "{text}"
        );
        assert!(
            text.contains("# [derive (Clone , Debug , PartialEq , Eq)] # [cfg_attr (feature = \"schemars\" , derive (schemars :: JsonSchema))] pub enum Kind"),
            "{text}"
        );
        assert!(
            text.contains("# [derive (Clone , Debug)] pub struct Plain"),
            "{text}"
        );
        // Only `types` itself is rewritten.
        assert!(
            text.contains("# [derive (Clone , schemars :: JsonSchema)] pub struct Name { a"),
            "{text}"
        );
    }
}
