//! Step `non-exhaustive` (on the generated syntax): types that can grow.
//!
//! Anam adds fields and values to its API often, and the crate exists to track its spec. With
//! public fields and exhaustive enums, every such addition would break users' struct literals
//! and `match`es, so every spec refresh would be a major release. Like aws-sdk-rust's
//! generated types, every struct with named fields and every enum of `types` is
//! `#[non_exhaustive]`: users build values through the type's builder (`X::builder()`, a
//! setter per field, `try_into()`), through `Default` where every field is optional, or through
//! the named constructors; they read fields as before. Then an added optional field, an added
//! enum value or an added union variant is a minor release.

/// Marks every struct with named fields and every enum of the `types` module (typify's own
/// `builder`, `defaults` and `error` modules are not touched) `#[non_exhaustive]`; returns how
/// many items it marked.
pub fn mark(file: &mut syn::File) -> usize {
    let Some(items) = super::module_items_mut(file, "types") else {
        return 0;
    };
    let mut marked = 0;
    for item in items {
        let attrs = match item {
            syn::Item::Struct(item) if matches!(item.fields, syn::Fields::Named(_)) => {
                &mut item.attrs
            }
            syn::Item::Enum(item) => &mut item.attrs,
            _ => continue,
        };
        if attrs
            .iter()
            .any(|attr| attr.path().is_ident("non_exhaustive"))
        {
            continue;
        }
        attrs.push(syn::parse_quote!(#[non_exhaustive]));
        marked += 1;
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn structs_with_named_fields_and_enums_are_marked_once() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Body { pub name: String }
                pub struct Name(String);
                pub enum Kind { A, B }
                #[non_exhaustive]
                pub enum Role { User, Unknown(String) }
                pub mod builder {
                    pub struct Body { name: Result<String, String> }
                }
            }
        };
        assert_eq!(mark(&mut file), 2);
        let text = file.to_token_stream().to_string();
        assert_eq!(text.matches("# [non_exhaustive]").count(), 3, "{text}");
        assert!(text.contains("# [non_exhaustive] pub struct Body { pub name"));
        assert!(text.contains("pub struct Name (String)"));
        assert!(text.contains("pub struct Body { name : Result"));
    }
}
