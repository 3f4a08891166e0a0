//! The operation table: the spec's operations ([`OperationRow`]s, read in [`super::rows`])
//! emitted as `spec_table` constants, with the command each one has, so the library, the mock
//! server and the tests never parse the spec at run time.

use super::cli::CliCommand;
use super::rows::{OperationRow, PathParam, ResponseExample};
use super::{DocumentedError, HandWritten};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// True for success types that carry a JSON body (not `()` or a byte stream).
fn is_json_body(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Tuple(tuple) => !tuple.elems.is_empty(),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident != "ByteStream"),
        _ => true,
    }
}

/// `pub mod spec_table`: the operation table as constants of the facade's `spec` types, a
/// named constant per operation, a decoder from each operation's success body to its
/// generated type, and a checker of each JSON request body against its generated type.
pub fn spec_table(
    rows: &[OperationRow],
    hand: &[HandWritten],
    errors: &[DocumentedError],
    success: &std::collections::BTreeMap<String, syn::Type>,
    commands: &[CliCommand],
    request_timeout_secs: u64,
) -> TokenStream {
    let decoders = rows.iter().filter_map(|row| {
        let builder = heck::ToPascalCase::to_pascal_case(row.id.as_str());
        // Hand-written operations have no builder; their body type is the component they name.
        let component = row.success_component.as_ref().and_then(|name| {
            let name = heck::ToPascalCase::to_pascal_case(name.as_str());
            syn::parse_str::<syn::Type>(&format!("types::{name}")).ok()
        });
        let ty = success
            .get(&builder)
            .filter(|ty| is_json_body(ty))
            .or(component.as_ref())?;
        let id = &row.id;
        Some(quote! {
            #id => Some(::serde_json::from_slice::<#ty>(body).and_then(|value| ::serde_json::to_value(&value))),
        })
    });
    // Each JSON request body's generated type is the facade's (the builder's `body` setter
    // type), which the command line already names: one source for both.
    let request_checks = rows.iter().filter_map(|row| {
        let command = commands
            .iter()
            .find(|c| c.operation_id == row.id && !c.hand_written)?;
        let (binary_type, _) = command.body.as_ref()?;
        let ty = binary_type
            .strip_prefix("::anam::types::")
            .map_or_else(|| binary_type.clone(), |rest| format!("types::{rest}"));
        let ty: syn::Type = syn::parse_str(&ty).ok()?;
        let name = binary_type.rsplit("::").next().unwrap_or(binary_type);
        let id = &row.id;
        Some(quote! {
            #id => Some((
                #name,
                ::serde_json::from_slice::<#ty>(body).and_then(|b| ::serde_json::to_value(b)),
            )),
        })
    });
    let entries = rows.iter().map(|row| entry(row, hand, errors, commands));
    let named = rows.iter().enumerate().map(|(index, row)| {
        let name = format_ident!(
            "{}",
            heck::ToShoutySnakeCase::to_shouty_snake_case(row.id.as_str())
        );
        let doc = format!("`{}` (`{} {}`).", row.id, row.method, row.path);
        quote! {
            #[doc = #doc]
            pub const #name: &'static Self = &OPERATIONS[#index];
        }
    });
    let by_method = rows.iter().enumerate().map(|(index, row)| {
        let method = heck::ToSnakeCase::to_snake_case(row.id.as_str());
        quote!(#method => Some(&OPERATIONS[#index]),)
    });
    let count = rows.len();
    quote! {
        /// Tables the pipeline derived from the upstream document.
        pub mod spec_table {
            use super::types;

            /// Decodes a 2xx body of `operation_id` into its generated type and serialises it back
            /// to JSON, so callers can check a body against the types (and see what survives).
            /// `None` for an operation without a generated JSON success body.
            pub fn decode_success_body(
                operation_id: &str,
                body: &[u8],
            ) -> Option<::std::result::Result<::serde_json::Value, ::serde_json::Error>> {
                match operation_id {
                    #(#decoders)*
                    _ => None,
                }
            }

            /// Decodes a JSON request body of `operation_id` into the generated type its
            /// builder takes (what the facade and the command line send): that type's name and
            /// the body as the type sends it again, or why it does not decode. `None` for an
            /// operation without a JSON request body (multipart uploads included). The mock
            /// servers answer a body it refuses with a 400; the round-trip tests compare what it
            /// sends again with what it was given.
            pub fn check_request_body(
                operation_id: &str,
                body: &[u8],
            ) -> Option<(&'static str, ::std::result::Result<::serde_json::Value, ::serde_json::Error>)> {
                match operation_id {
                    #(#request_checks)*
                    _ => None,
                }
            }

            /// Every operation of the upstream document, in document order.
            pub const OPERATIONS: [crate::spec::Operation; #count] = [#(#entries),*];
            /// Default whole-request timeout, in seconds.
            pub const REQUEST_TIMEOUT_SECS: u64 = #request_timeout_secs;

            /// The operation whose generated method is `method` (what progenitor reports to
            /// the hooks): one `match`, not a scan, since it runs on every request.
            pub fn by_method(method: &str) -> Option<&'static crate::spec::Operation> {
                match method {
                    #(#by_method)*
                    _ => None,
                }
            }

            /// Every operation by name: `Operation::GET_SESSION_TRANSCRIPT`.
            impl crate::spec::Operation {
                #(#named)*
            }
        }
    }
}

fn entry(
    row: &OperationRow,
    hand: &[HandWritten],
    errors: &[DocumentedError],
    commands: &[CliCommand],
) -> TokenStream {
    let OperationRow {
        id,
        method,
        path,
        tag,
        summary,
        max_page_size,
        success_status,
        paginated,
        ..
    } = row;
    let rust_method = heck::ToSnakeCase::to_snake_case(id.as_str());
    let optional = |value: Option<TokenStream>| match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    };
    let max_page_size = optional(max_page_size.map(|size| quote!(#size)));
    let method = format_ident!(
        "{}",
        heck::ToUpperCamelCase::to_upper_camel_case(method.to_ascii_lowercase().as_str())
    );
    let generated = !hand
        .iter()
        .any(|h| &h.operation_id == id && h.whole_operation);
    let hand_media = hand
        .iter()
        .filter(|h| &h.operation_id == id)
        .map(|h| h.media_type.as_str());
    let errors = errors.iter().filter(|e| &e.operation_id == id).map(|e| {
        let DocumentedError { status, description, schema, .. } = e;
        let schema = optional(schema.as_ref().map(|name| quote!(#name)));
        quote!(crate::spec::DocumentedError { status: #status, description: #description, schema: #schema })
    });
    let success_body = row.success_json.then(|| {
        let array = row.success_array;
        quote!(crate::spec::SuccessBody { media_type: "application/json", array: #array })
    });
    let success_body = optional(success_body);
    let examples = row.examples.iter().map(|e| {
        let ResponseExample { status, name, json } = e;
        quote!(crate::spec::Example { status: #status, name: #name, json: #json })
    });
    let request_example = optional(row.request_example.as_ref().map(|json| quote!(#json)));
    let facade_methods = commands
        .iter()
        .filter(|c| c.operation_id == *id)
        .map(|c| {
            let CliCommand {
                accessor,
                method,
                media_type,
                ..
            } = c;
            quote!(crate::spec::FacadeMethod { sub_client: #accessor, method: #method, media_type: #media_type })
        });
    let path_params = row.path_params.iter().map(|p| {
        let PathParam { name, uuid } = p;
        quote!(crate::spec::PathParameter { name: #name, uuid: #uuid })
    });
    quote! {
        crate::spec::Operation {
            id: #id,
            rust_method: #rust_method,
            method: crate::spec::Method::#method,
            path: #path,
            tag: #tag,
            summary: #summary,
            generated: #generated,
            facade_methods: &[#(#facade_methods),*],
            hand_written_media_types: &[#(#hand_media),*],
            path_parameters: &[#(#path_params),*],
            paginated: #paginated,
            max_page_size: #max_page_size,
            success_status: #success_status,
            success_body: #success_body,
            examples: &[#(#examples),*],
            request_example: #request_example,
            documented_errors: &[#(#errors),*],
        }
    }
}
