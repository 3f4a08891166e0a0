//! Progenitor adds an `api-version` header (the spec's `info.version`) to every request it
//! builds; Anam's API asks for none. This rule removes that statement from every generated
//! `send()`, so no request carries the header and nothing has to strip it per call.

use quote::ToTokens;

/// The header progenitor adds.
pub const HEADER: &str = "api-version";

/// Removes the statement adding [`HEADER`] from every `send()` in the `builder` module;
/// returns how many it removed.
pub fn strip(file: &mut syn::File) -> usize {
    let mut removed = 0;
    for (_, function) in super::builder_sends_mut(file) {
        let before = function.block.stmts.len();
        function.block.stmts.retain(|stmt| !adds_header(stmt));
        if function.block.stmts.len() < before {
            removed += before - function.block.stmts.len();
            shrink_header_map(&mut function.block.stmts);
        }
    }
    removed
}

/// After the removal: the `header_map` progenitor sized for the header is one smaller (so a
/// request with no other header parameters allocates none), and not `mut` when nothing else
/// is appended to it.
fn shrink_header_map(stmts: &mut [syn::Stmt]) {
    let still_appended = stmts.iter().any(|stmt| {
        stmt.to_token_stream()
            .to_string()
            .contains("header_map . append")
    });
    for stmt in stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let syn::Pat::Ident(binding) = &mut local.pat else {
            continue;
        };
        if binding.ident != "header_map" {
            continue;
        }
        if !still_appended {
            binding.mutability = None;
        }
        let Some(init) = local.init.as_mut() else {
            continue;
        };
        let syn::Expr::Call(call) = init.expr.as_mut() else {
            continue;
        };
        if let Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(capacity),
            ..
        })) = call.args.first_mut()
            && let Ok(n) = capacity.base10_parse::<usize>()
        {
            *capacity = syn::LitInt::new(&format!("{}usize", n.saturating_sub(1)), capacity.span());
        }
    }
}

/// True for a statement that appends [`HEADER`] to a header map.
fn adds_header(stmt: &syn::Stmt) -> bool {
    let text = stmt.to_token_stream().to_string();
    text.contains(". append") && text.contains(&format!("\"{HEADER}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_version_header_statement_goes() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        header_map.append("x-request-id", value);
                        Ok(())
                    }
                    pub fn id(self) -> Self { header_map.append("api-version", v); self }
                }
            }
        };
        assert_eq!(strip(&mut file), 1);
        let code = file.to_token_stream().to_string();
        assert!(!code.contains("from_static (\"api-version\")"), "{code}");
        assert!(code.contains("\"x-request-id\""), "{code}");
        // Only `send()` is touched.
        assert!(
            code.contains("header_map . append (\"api-version\" , v)"),
            "{code}"
        );
        // One header fewer to make room for; still `mut`, as another is appended.
        assert!(
            code.contains(
                "let mut header_map = :: reqwest :: header :: HeaderMap :: with_capacity (1usize)"
            ),
            "{code}"
        );
    }

    #[test]
    fn a_map_left_empty_is_neither_sized_nor_mut() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let request = client.get(url).headers(header_map).build()?;
                        Ok(())
                    }
                }
            }
        };
        assert_eq!(strip(&mut file), 1);
        let code = file.to_token_stream().to_string();
        assert!(
            code.contains(
                "let header_map = :: reqwest :: header :: HeaderMap :: with_capacity (0usize)"
            ),
            "{code}"
        );
    }
}
