//! Step `union-decoding` (on the generated syntax, after progenitor): variants matched, never
//! guessed, and fields the spec does not know kept.
//!
//! typify derives `Deserialize` for a `oneOf` as `#[serde(untagged)]`: the first variant that
//! decodes wins. A variant whose fields are all optional decodes *every* object (unknown keys
//! ignored), so a saved persona's `{"personaId": …}` became an empty ephemeral config and a
//! webhook tool's `url` and `method` were dropped. Here each such enum gets a `Deserialize`
//! that hands the value to [`MODULE`]`::decode` with every variant's JSON field names (read
//! from the generated structs themselves, so a new upstream `oneOf` needs no hand code), which
//! picks the variant that knows all of its keys. `Serialize` stays derived.
//!
//! Every flattened `extra` map (rule `unknown-fields`) decodes through
//! [`UNKNOWN_MODULE`]`::capture`, which lets the command line name the fields a body holds that
//! the spec does not know; and each builder of a type with one gets `extra_field(name, value)`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The library module that matches a value to a variant.
pub const MODULE: &str = "crate::variants";

/// The library module that records the fields a body holds beyond the spec.
pub const UNKNOWN_MODULE: &str = "crate::unknown_fields";

/// The JSON fields of a generated struct: `(name, required)`, without its `extra` map.
type Fields = Vec<(String, bool)>;

/// What the step did: enums given a matching `Deserialize`, enums left as typify made them
/// (a variant that is not a struct), and the number of `extra` maps.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Unions decoded by matching their variants' keys.
    pub matched: Vec<String>,
    /// Untagged enums left derived, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Structs with an `extra` map of unknown fields.
    pub extra_maps: usize,
}

fn serde_args(attr: &syn::Attribute) -> String {
    if !attr.path().is_ident("serde") {
        return String::new();
    }
    attr.meta
        .require_list()
        .map(|list| list.tokens.to_string())
        .unwrap_or_default()
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The JSON name of a field (its `rename`, else its identifier without `r#`).
fn json_name(field: &syn::Field) -> Option<String> {
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        let mut renamed = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if renamed.is_some() {
            return renamed;
        }
    }
    field
        .ident
        .as_ref()
        .map(|ident| ident.to_string().trim_start_matches("r#").to_string())
}

fn is_flattened(field: &syn::Field) -> bool {
    field.attrs.iter().any(|attr| {
        serde_args(attr)
            .split(',')
            .any(|arg| arg.trim() == "flatten")
    })
}

fn struct_fields(item: &syn::ItemStruct) -> Option<Fields> {
    let syn::Fields::Named(named) = &item.fields else {
        return None;
    };
    Some(
        named
            .named
            .iter()
            .filter(|field| !is_flattened(field))
            .filter_map(|field| {
                let defaulted = field
                    .attrs
                    .iter()
                    .any(|attr| serde_args(attr).contains("default"));
                Some((json_name(field)?, !defaulted && !is_option(&field.ty)))
            })
            .collect(),
    )
}

fn is_untagged(item: &syn::ItemEnum) -> bool {
    item.attrs
        .iter()
        .any(|attr| serde_args(attr).trim() == "untagged")
}

/// The struct each variant wraps, when every variant is `Name(Struct)`.
fn variant_structs<'s>(
    item: &syn::ItemEnum,
    structs: &'s BTreeMap<String, Fields>,
) -> Result<Vec<(syn::Ident, &'s Fields)>, String> {
    item.variants
        .iter()
        .map(|variant| {
            let syn::Fields::Unnamed(fields) = &variant.fields else {
                return Err(format!("variant `{}` is not a newtype", variant.ident));
            };
            let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
                return Err(format!("variant `{}` is not a newtype", variant.ident));
            };
            let syn::Type::Path(path) = &field.ty else {
                return Err(format!("variant `{}` wraps no named type", variant.ident));
            };
            let name = path
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            structs
                .get(&name)
                .map(|fields| (variant.ident.clone(), fields))
                .ok_or_else(|| {
                    format!(
                        "variant `{}` wraps `{name}`, not a struct with named fields",
                        variant.ident
                    )
                })
        })
        .collect()
}

fn without_deserialize_derive(item: &mut syn::ItemEnum) {
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept = paths.iter().filter(|path| {
            path.segments
                .last()
                .is_none_or(|segment| segment.ident != "Deserialize")
        });
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

fn deserialize_impl(name: &syn::Ident, variants: &[(syn::Ident, &Fields)]) -> TokenStream {
    let module: syn::Path = syn::parse_str(MODULE).unwrap_or_else(|_| syn::parse_quote!(crate));
    let entries = variants.iter().map(|(variant, fields)| {
        let label = variant.to_string();
        let known = fields.iter().map(|(name, _)| name);
        let required = fields
            .iter()
            .filter(|(_, required)| *required)
            .map(|(name, _)| name);
        quote! {
            #module::Variant {
                name: #label,
                known: &[#(#known),*],
                required: &[#(#required),*],
                decode: |value| ::serde_json::from_value(value).map(Self::#variant),
            }
        }
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                #module::decode(deserializer, &[#(#entries),*])
            }
        }
    }
}

/// Adds `Default` to the derives of `item` (typify derives it only when no field is required,
/// and counts the `extra` map as one).
fn derive_default(item: &mut syn::ItemStruct) {
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(mut paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        if paths.iter().any(|path| path.is_ident("Default")) {
            return;
        }
        paths.push(syn::parse_quote!(Default));
        *attr = syn::parse_quote!(#[derive(#paths)]);
        return;
    }
}

/// Adds `deserialize_with` to the flattened `extra` map of every struct (and `Default` where
/// every other field is optional); returns the names of the structs.
fn capture_extra_maps(items: &mut [syn::Item]) -> Vec<String> {
    let capture = format!("{UNKNOWN_MODULE}::capture");
    let mut names = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let mut found = false;
        for field in item.fields.iter_mut() {
            if field.ident.as_ref().is_some_and(|i| i == "extra") && is_flattened(field) {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(deserialize_with = #capture)]));
                found = true;
            }
        }
        if !found {
            continue;
        }
        if struct_fields(item).is_some_and(|fields| fields.iter().all(|(_, required)| !required)) {
            derive_default(item);
        }
        names.push(item.ident.to_string());
    }
    names
}

/// `extra_field` on the builder of each struct in `names` (appended to the `builder` module
/// nested in `types`, where the builders' fields are visible).
fn builder_methods(items: &mut [syn::Item], names: &[String]) {
    let Some(builder) = items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    }) else {
        return;
    };
    let has_builder: Vec<String> = builder
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    // A builder starts with no `extra` map given, which typify treats as a missing required
    // field; it starts empty instead.
    for item in builder.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_default = block
            .trait_
            .as_ref()
            .is_some_and(|(path, _)| path.segments.last().is_some_and(|s| s.ident == "Default"));
        let for_extra = matches!(&*block.self_ty, syn::Type::Path(path)
            if path.path.get_ident().is_some_and(|ident| names.contains(&ident.to_string())));
        if is_default && for_extra {
            empty_extra_on_default(block);
        }
    }
    for name in names.iter().filter(|name| has_builder.contains(name)) {
        let ident = format_ident!("{name}");
        builder.push(syn::parse_quote! {
            impl #ident {
                /// Adds a field the API spec does not describe (sent as given, after the
                /// spec's fields); replaces one of the same name added before.
                pub fn extra_field(
                    mut self,
                    name: impl ::std::convert::Into<::std::string::String>,
                    value: impl ::std::convert::Into<::serde_json::Value>,
                ) -> Self {
                    if let Ok(extra) = &mut self.extra {
                        extra.insert(name.into(), value.into());
                    }
                    self
                }
            }
        });
    }
}

/// In `impl Default for Builder { fn default() -> Self { Self { .., extra: Err(..) } } }`,
/// `extra` becomes `Ok(Default::default())`.
fn empty_extra_on_default(block: &mut syn::ItemImpl) {
    for item in &mut block.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        for statement in &mut function.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Struct(init), _) = statement else {
                continue;
            };
            for field in &mut init.fields {
                if matches!(&field.member, syn::Member::Named(ident) if ident == "extra") {
                    field.expr = syn::parse_quote!(Ok(Default::default()));
                }
            }
        }
    }
}

/// Runs the step on the `types` module of `file`.
pub fn apply(file: &mut syn::File) -> Outcome {
    let mut outcome = Outcome::default();
    let Some(items) = super::module_items_mut(file, "types") else {
        return outcome;
    };
    let structs: BTreeMap<String, Fields> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some((item.ident.to_string(), struct_fields(item)?)),
            _ => None,
        })
        .collect();
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(item) = item else {
            continue;
        };
        if !is_untagged(item) {
            continue;
        }
        match variant_structs(item, &structs) {
            Ok(variants) => {
                impls.push(deserialize_impl(&item.ident, &variants));
                without_deserialize_derive(item);
                outcome.matched.push(item.ident.to_string());
            }
            Err(reason) => outcome.skipped.push((item.ident.to_string(), reason)),
        }
    }
    for tokens in impls {
        if let Ok(item) = syn::parse2::<syn::Item>(tokens) {
            items.push(item);
        }
    }
    let with_extra = capture_extra_maps(items);
    outcome.extra_maps = with_extra.len();
    builder_methods(items, &with_extra);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn text(item: &impl ToTokens) -> String {
        item.to_token_stream().to_string()
    }

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Config {
                    Client(ClientToolConfig),
                    Webhook(ServerWebhookToolConfig),
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Loose {
                    Text(::std::string::String),
                    Client(ClientToolConfig),
                }
                #[derive(::serde::Deserialize, Clone)]
                pub struct ClientToolConfig {
                    #[serde(rename = "awaitResult", skip_serializing_if = "::std::option::Option::is_none")]
                    pub await_result: ::std::option::Option<bool>,
                    #[serde(flatten)]
                    pub extra: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
                }
                pub struct ServerWebhookToolConfig {
                    pub url: ::std::string::String,
                    #[serde(rename = "type", default)]
                    pub type_: bool,
                    pub r#method: ::std::string::String,
                }
                pub mod builder {
                    pub struct ClientToolConfig {
                        extra: ::std::result::Result<::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>, ::std::string::String>,
                    }
                    impl ::std::default::Default for ClientToolConfig {
                        fn default() -> Self {
                            Self {
                                extra: Err("no value supplied for extra".to_string()),
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn untagged_unions_of_structs_decode_by_their_keys() {
        let mut file = file();
        let outcome = apply(&mut file);
        assert_eq!(outcome.matched, ["Config"]);
        assert_eq!(outcome.skipped.len(), 1);
        assert!(outcome.skipped[0].1.contains("`Text` wraps `String`"));
        assert_eq!(outcome.extra_maps, 1);
        let items = super::super::module_items(&file, "types");
        let config = text(&items[0]);
        assert!(!config.contains("Deserialize"), "{config}");
        assert!(config.contains("Serialize"));
        let loose = text(&items[1]);
        assert!(loose.contains(":: serde :: Deserialize"));
        let generated: String = items.iter().map(text).collect();
        assert!(generated.contains(
            "name : \"Webhook\" , known : & [\"url\" , \"type\" , \"method\"] , required : & [\"url\" , \"method\"]"
        ), "{generated}");
        assert!(
            generated.contains("name : \"Client\" , known : & [\"awaitResult\"] , required : & []")
        );
        assert!(generated.contains("deserialize_with = \"crate::unknown_fields::capture\""));
        assert!(generated.contains("pub fn extra_field"));
        assert!(generated.contains("Clone , Default"), "{generated}");
        assert!(generated.contains("extra : Ok (Default :: default ())"));
        assert!(!generated.contains("no value supplied for extra"));
    }
}
