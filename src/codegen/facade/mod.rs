//! The facade's generated half: what turns each progenitor builder into the request itself,
//! and the sub-client methods that hand those builders out.
//!
//! For every generated operation the pipeline emits
//! - `impl Operation` (its `operationId` and success type) and `impl IntoFuture`, so
//!   `anam.sessions().list().search("x").await` sends it with the crate's error mapping,
//!   retries and tracing, plus `with_response()` for the status, headers and rate limits;
//! - for list operations the spec shows as paginated (`page` and `perPage` query parameters,
//!   a `{data, meta}` body), `impl Paginated` and `into_stream()`;
//! - one method on the sub-client of its tag ([`SUB_CLIENTS`]), named from [`METHOD_NAMES`],
//!   taking the path parameters and the JSON body as arguments, documented from the spec.
//!
//! The naming tables are in `names.rs`; what is read back from progenitor's output (builders,
//! setters, page items) in `builders.rs`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::rows::OperationRow;
use super::{HandWritten, Notes};

mod builders;
mod names;

use builders::page_item;
pub use builders::{BuilderInfo, builders, try_into_target};
pub use names::{HAND_WRITTEN_METHODS, METHOD_NAMES, SUB_CLIENTS};

/// Replaces the identifier `from` with `to` throughout `tokens`.
fn rename_ident(tokens: TokenStream, from: &str, to: &syn::Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Ident(ident) if ident == from => TokenTree::Ident(to.clone()),
            TokenTree::Group(group) => {
                let mut renamed = proc_macro2::Group::new(
                    group.delimiter(),
                    rename_ident(group.stream(), from, to),
                );
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other,
        })
        .collect()
}

/// What [`generate`] emits.
pub struct Facade {
    /// Items for the `builder` module, where builder fields are visible: `Paginated` impls and
    /// the sub-client methods.
    pub builder_items: Vec<syn::Item>,
    /// The `operation_impls` module.
    pub modules: TokenStream,
    /// The operations given `into_stream()`.
    pub paginated: BTreeSet<String>,
}

/// Generates the facade's half for every generated operation of `rows`.
pub fn generate(
    file: &syn::File,
    rows: &[OperationRow],
    hand: &[HandWritten],
    notes: &mut Notes,
) -> Result<Facade, String> {
    let builders = builders(file);
    let mut builder_items = Vec::new();
    let mut operation_impls = Vec::new();
    let mut methods: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    let mut paginated = BTreeSet::new();
    for (id, _) in METHOD_NAMES {
        if !rows.iter().any(|row| row.id == *id) {
            notes.add("facade", id, "stale METHOD_NAMES entry: no such operation");
        }
    }
    for row in rows {
        let name = heck::ToPascalCase::to_pascal_case(row.id.as_str());
        let Some(info) = builders.get(&name) else {
            continue;
        };
        let Some(output) = &info.success else {
            return Err(format!(
                "builder `{name}` has no `send()` returning ResponseValue<T>"
            ));
        };
        let ident = format_ident!("{name}");
        let id = &row.id;
        let respond_doc = format!(
            "Sends `{} {}` and returns the decoded body with the response's status, headers \
             and rate limits ([`Response`](crate::Response)); `.await` the builder itself when \
             the body is all you need.",
            row.method, row.path
        );
        let raw_doc = format!(
            "Sends `{} {}` and returns the body as the server sent it, its bytes beside its \
             decode ([`RawResponse`](crate::RawResponse)): a 2xx body that does not match the \
             spec is kept, with where and why it did not decode, instead of failing the call.",
            row.method, row.path
        );
        operation_impls.push(quote! {
            impl<'a> crate::request::Operation for super::builder::#ident<'a> {
                type Output = #output;
                const ID: &'static str = #id;
                #[inline]
                fn send(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<super::ResponseValue<Self::Output>, super::Error<()>>,
                > + Send {
                    super::builder::#ident::send(self)
                }
            }
            impl<'a> ::std::future::IntoFuture for super::builder::#ident<'a> {
                type Output = crate::Result<#output>;
                type IntoFuture = crate::request::ResponseFuture<'a, #output>;
                #[inline]
                fn into_future(self) -> Self::IntoFuture {
                    crate::request::body(self)
                }
            }
            impl<'a> super::builder::#ident<'a> {
                #[doc = #respond_doc]
                #[inline]
                pub fn with_response(self) -> crate::request::ResponseFuture<'a, crate::Response<#output>> {
                    crate::request::response(self)
                }
                #[doc = #raw_doc]
                #[inline]
                pub fn with_raw(self) -> crate::request::ResponseFuture<'a, crate::RawResponse<#output>> {
                    crate::request::raw(self)
                }
            }
        });
        if row.paginated {
            match page_item(file, output) {
                Some(item) => {
                    builder_items.push(syn::parse2(paginated_impl(&ident, output, &item)).map_err(|e| e.to_string())?);
                    let stream_doc = "Every item of every page, fetched lazily from the page set \
                        with `page` (else 1), with the same filters, at the page size set with \
                        `per_page` or else the largest the spec allows: follows `meta.next`, \
                        else `currentPage`/`lastPage`, else `total`; an empty or repeated page \
                        while the server said more remain is `Error::IncompleteList`; an error \
                        is yielded once and ends it.";
                    let raw_stream_doc = "The same walk as `into_stream()`, each item as the \
                        server sent it: its JSON text beside its decode \
                        ([`RawItem`](crate::pagination::RawItem)).";
                    operation_impls.push(quote! {
                        impl<'a> super::builder::#ident<'a> {
                            #[doc = #stream_doc]
                            #[inline]
                            pub fn into_stream(self) -> crate::pagination::Pages<'a, Self> {
                                crate::pagination::stream(self)
                            }
                            #[doc = #raw_stream_doc]
                            #[inline]
                            pub fn into_raw_stream(self) -> crate::pagination::RawPages<'a, #item> {
                                crate::pagination::raw_stream(self)
                            }
                        }
                    });
                    paginated.insert(row.id.clone());
                }
                None => notes.add(
                    "facade",
                    id,
                    "paginated in the spec, but its body is not `{data: Vec<T>, meta: Option<Pagination>}`: no into_stream()",
                ),
            }
        }
        let whole_hand_written = hand
            .iter()
            .any(|h| h.operation_id == row.id && h.whole_operation);
        if whole_hand_written {
            continue;
        }
        let Some((_, sub_client)) = SUB_CLIENTS.iter().find(|(tag, _)| *tag == row.tag) else {
            notes.add(
                "facade",
                id,
                format!(
                    "tag `{}` has no sub-client: reachable through raw() only",
                    row.tag
                ),
            );
            continue;
        };
        let method = match METHOD_NAMES.iter().find(|(op, _)| *op == row.id) {
            Some((_, method)) => (*method).to_string(),
            None => {
                let method = heck::ToSnakeCase::to_snake_case(row.id.as_str());
                notes.add(
                    "facade",
                    id,
                    format!("no METHOD_NAMES entry: named `{method}`"),
                );
                method
            }
        };
        methods
            .entry(sub_client)
            .or_default()
            .push(sub_client_method(
                row,
                &method,
                &name,
                info,
                paginated.contains(&row.id),
            )?);
    }
    // In the builder module, so a method can mark a builder's field invalid (an empty id).
    for (sub_client, methods) in methods {
        let sub_client = format_ident!("{sub_client}");
        let block = quote! {
            /// The sub-client methods, one per generated operation of its tag.
            impl<'a> crate::resources::#sub_client<'a> {
                #(#methods)*
            }
        };
        builder_items.push(syn::parse2(block).map_err(|e| e.to_string())?);
    }
    let modules = quote! {
        /// `Operation`, `IntoFuture` and `with_response()` for every generated builder, and
        /// `into_stream()` for the paginated ones.
        pub mod operation_impls {
            #[allow(unused_imports)]
            use super::{types, ByteStream};

            #(#operation_impls)*
        }
    };
    Ok(Facade {
        builder_items,
        modules,
        paginated,
    })
}

fn paginated_impl(builder: &syn::Ident, output: &syn::Type, item: &syn::Type) -> TokenStream {
    quote! {
        impl<'a> crate::pagination::Paginated for #builder<'a> {
            type Item = #item;
            #[inline]
            fn with_page(self, page: ::std::num::NonZeroU64) -> Self {
                self.page(page.get())
            }
            #[inline]
            fn with_page_size(self, size: ::std::num::NonZeroU64) -> Self {
                self.per_page(size.get())
            }
            #[inline]
            fn has_page_size(&self) -> bool {
                matches!(self.per_page, Ok(Some(_)))
            }
            #[inline]
            fn start_page(&self) -> ::std::option::Option<::std::num::NonZeroU64> {
                self.page
                    .as_ref()
                    .ok()
                    .copied()
                    .flatten()
                    .and_then(|page| ::std::primitive::u64::try_from(page).ok())
                    .and_then(::std::num::NonZeroU64::new)
            }
            #[inline]
            fn into_items(page: #output) -> (::std::vec::Vec<#item>, ::std::option::Option<types::Pagination>) {
                (page.data, page.meta)
            }
        }
    }
}

fn sub_client_method(
    row: &OperationRow,
    method: &str,
    builder: &str,
    info: &BuilderInfo,
    paginated: bool,
) -> Result<TokenStream, String> {
    let mut arguments: Vec<String> = row
        .path_params
        .iter()
        .map(|p| heck::ToSnakeCase::to_snake_case(p.name.as_str()))
        .collect();
    if row.json_body {
        arguments.push("body".into());
    }
    let mut generics = Vec::new();
    let mut bounds = Vec::new();
    let mut params = Vec::new();
    let mut calls = Vec::new();
    let mut checks = Vec::new();
    for argument in &arguments {
        let setter = info
            .setters
            .get(argument)
            .ok_or_else(|| format!("builder `{builder}` has no setter `{argument}`"))?;
        let ty = format_ident!("{}", heck::ToPascalCase::to_pascal_case(argument.as_str()));
        let value = format_ident!("{argument}");
        let Some(syn::GenericParam::Type(original)) = setter.params.first() else {
            return Err(format!(
                "setter `{builder}::{argument}` has no type parameter"
            ));
        };
        let original = original.ident.to_string();
        let predicates: Vec<TokenStream> = setter
            .where_clause
            .iter()
            .flat_map(|c| c.predicates.iter())
            .map(|predicate| rename_ident(quote!(#predicate), &original, &ty))
            .collect();
        let predicate_count = predicates.len();
        let is_text = predicates.first().is_some_and(|p| {
            p.to_string()
                .replace(' ', "")
                .ends_with("TryInto<::std::string::String>")
        });
        let is_path = row
            .path_params
            .iter()
            .any(|p| heck::ToSnakeCase::to_snake_case(p.name.as_str()) == *argument);
        if is_path && is_text {
            // An empty id would address the collection (`/v1/personas/`) and `..` another
            // path once the URL resolves it: `spec::check_path_value` says which it refuses.
            let prefix = format!("parameter `{argument}` ");
            checks.push(quote! {
                if let Ok(text) = &request.#value
                    && let Err(why) = crate::spec::check_path_value(text)
                {
                    request.#value = Err(::std::format!("{}{}", #prefix, why));
                }
            });
        }
        bounds.extend(predicates);
        if argument == "body" {
            // A body is taken as its concrete type, so `serde_json::from_value(..)?` and
            // struct literals infer; the builder's own `body_map` takes a typify builder.
            let target = setter
                .where_clause
                .iter()
                .flat_map(|c| c.predicates.iter())
                .find_map(try_into_target)
                .ok_or_else(|| format!("setter `{builder}::body` has no TryInto<T> bound"))?;
            bounds.truncate(bounds.len() - predicate_count);
            params.push(quote!(#value: #target));
            calls.push(quote!(.#value(#value)));
            continue;
        }
        generics.push(ty.clone());
        params.push(quote!(#value: #ty));
        calls.push(quote!(.#value(#value)));
    }
    let constructor = format_ident!("{}", heck::ToSnakeCase::to_snake_case(row.id.as_str()));
    let builder_ident = format_ident!("{builder}");
    let method_ident = format_ident!("{method}");
    let mut summary = row.summary.trim().trim_end_matches('.').to_string();
    if let Some(first) = summary.get(..1) {
        summary = first.to_uppercase() + &summary[1..];
    }
    let mut doc = vec![
        format!("`{} {}`: {summary}.", row.method, row.path),
        String::new(),
        format!(
            "Returns the request builder [`{builder}`], which has a setter for each optional \
             parameter; `.await` it for the decoded body, or call \
             [`with_response`]({builder}::with_response) for the status, headers and rate \
             limits as well."
        ),
    ];
    if paginated {
        doc.push(format!(
            "[`into_stream`]({builder}::into_stream) streams every item of every page."
        ));
    }
    if !row.path_params.is_empty() {
        let uuids = row.path_params.iter().filter(|p| p.uuid).count();
        let rule = match uuids {
            0 => "is empty, only whitespace, `.` or `..`",
            n if n == row.path_params.len() => "is not a UUID",
            _ => "is not a UUID (or, for a text id, is empty, only whitespace, `.` or `..`)",
        };
        doc.push(String::new());
        doc.push(format!(
            "A path id that {rule} fails with [`Error::InvalidInput`](crate::Error::InvalidInput), naming the parameter, and nothing is sent."
        ));
    }
    let where_clause = (!bounds.is_empty()).then(|| quote!(where #(#bounds),*));
    let generics = (!generics.is_empty()).then(|| quote!(<#(#generics),*>));
    let body = if checks.is_empty() {
        quote!(self.client.raw().#constructor() #(#calls)*)
    } else {
        quote! {
            let mut request = self.client.raw().#constructor() #(#calls)*;
            #(#checks)*
            request
        }
    };
    Ok(quote! {
        #(#[doc = #doc])*
        #[inline]
        pub fn #method_ident #generics(&self, #(#params),*) -> #builder_ident<'a> #where_clause {
            #body
        }
    })
}

#[cfg(test)]
mod tests {
    use super::builders::from_types;
    use super::*;

    #[test]
    fn setter_bounds_are_renamed_for_the_method() {
        let renamed = rename_ident(
            quote!(V: std::convert::TryInto<types::X>, <V as std::convert::TryInto<types::X>>::Error: std::fmt::Display),
            "V",
            &format_ident!("Body"),
        );
        let text = renamed.to_string();
        assert!(!text.contains(" V "), "{text}");
        assert_eq!(text.matches("Body").count(), 2, "{text}");
    }

    #[test]
    fn types_named_inside_types_are_qualified() {
        let local = from_types(&syn::parse_quote!(Session));
        let std = from_types(&syn::parse_quote!(::std::string::String));
        assert_eq!(
            quote!(#local).to_string(),
            quote!(types::Session).to_string()
        );
        assert_eq!(
            quote!(#std).to_string(),
            quote!(::std::string::String).to_string()
        );
    }

    #[test]
    fn every_tagged_operation_of_the_vendored_spec_has_a_named_method() {
        let generation = super::super::vendored();
        let facade: Vec<&super::super::generation::Note> = generation
            .notes
            .iter()
            .filter(|n| n.rule == "facade")
            .collect();
        assert!(facade.is_empty(), "{facade:#?}");
        let paginated: Vec<&str> = generation
            .operations
            .iter()
            .filter(|op| op.paginated)
            .map(|op| op.id.as_str())
            .collect();
        assert_eq!(
            paginated,
            [
                "listMeetingInvites",
                "listVoices",
                "listTools",
                "listShareLinks",
                "listSessions",
                "listPersonas",
                "listLlms",
                "listAvatars"
            ]
        );
    }
}
