//! Post-processing of progenitor's typed httpmock helpers (the `mock` feature): the extension
//! trait is sealed.
//!
//! Progenitor emits `pub trait MockServerExt` with one method per operation, no defaults, and
//! implements it for `httpmock::MockServer`. Left open, anyone could implement it, and every
//! operation the spec gains would add a method they must write: a breaking change. Sealed
//! (a supertrait nobody outside the crate can name), only the crate implements it, so a new
//! operation is an additive change, as `cargo xtask update-spec` classifies it.

use quote::quote;

/// The trait progenitor's httpmock generator emits.
pub const TRAIT_NAME: &str = "MockServerExt";

/// The private module holding the supertrait.
pub const SEALED_MODULE: &str = "sealed";

/// The supertrait's name inside [`SEALED_MODULE`].
pub const SEALED_TRAIT: &str = "Sealed";

/// Seals [`TRAIT_NAME`] in the httpmock helpers: adds the private supertrait
/// `sealed::Sealed`, implemented for `httpmock::MockServer` only, and says so in its doc.
pub fn seal(file: &mut syn::File) -> Result<(), String> {
    let trait_item = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Trait(item) if item.ident == TRAIT_NAME => Some(item),
            _ => None,
        })
        .ok_or_else(|| format!("progenitor's httpmock helpers have no `{TRAIT_NAME}` trait"))?;
    let module = syn::Ident::new(SEALED_MODULE, proc_macro2::Span::call_site());
    let supertrait = syn::Ident::new(SEALED_TRAIT, proc_macro2::Span::call_site());
    trait_item.colon_token.get_or_insert_with(Default::default);
    trait_item
        .supertraits
        .push(syn::parse_quote!(#module::#supertrait));
    for line in [
        "",
        " This trait is sealed: it is implemented for `httpmock::MockServer` only and cannot be",
        " implemented outside this crate, so an operation added to the spec adds a method without",
        " breaking anyone.",
    ] {
        trait_item.attrs.push(syn::parse_quote!(#[doc = #line]));
    }
    let sealed: syn::Item = syn::parse2(quote! {
        mod #module {
            /// Implemented only by the types the crate extends; not nameable outside it.
            pub trait #supertrait {}
            impl #supertrait for ::httpmock::MockServer {}
        }
    })
    .map_err(|e| e.to_string())?;
    file.items.push(sealed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trait_gets_a_private_supertrait_and_its_impl() {
        let mut file: syn::File = syn::parse_quote! {
            /// An extension trait.
            pub trait MockServerExt {
                fn a<F>(&self, f: F);
            }
            impl MockServerExt for ::httpmock::MockServer {
                fn a<F>(&self, f: F) {}
            }
        };
        seal(&mut file).expect("sealed");
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("pub trait MockServerExt: sealed::Sealed {"),
            "{text}"
        );
        assert!(text.contains("This trait is sealed"), "{text}");
        assert!(text.contains("mod sealed {"), "{text}");
        assert!(!text.contains("pub mod sealed"), "{text}");
        assert!(
            text.contains("impl Sealed for ::httpmock::MockServer {}"),
            "{text}"
        );
        let mut empty: syn::File = syn::parse_quote! { struct Nothing; };
        assert!(seal(&mut empty).is_err());
    }
}
