//! Progenitor decodes a success body with `ResponseValue::from_response(response)`, which reads
//! the response's body and copies its headers. The crate's transport has already read that
//! body whole (bounded, inside the attempt, so a failure while reading it is retried) and
//! hands it on in the response's extensions; read again, the body would be empty. This rule
//! makes every generated `send()` decode with the crate's own function instead ([`DECODER`]),
//! which takes the bytes the transport read and moves the headers. A `from_response` left in
//! a shape the rule does not know fails the pipeline ([`remaining`]) rather than reading an
//! empty body at run time.

use quote::ToTokens;

/// The crate's decoder, as the generated code (included into `crate::raw`) names it.
pub const DECODER: &str = "crate::success::decode";

/// Replaces `ResponseValue::from_response(…)` in the arms of the final `match` of every
/// `send()` in the `builder` module with [`DECODER`]`(…)`; returns how many it replaced.
pub fn use_crate_decoder(file: &mut syn::File) -> usize {
    let decoder: syn::Path = syn::parse_str(DECODER).expect("a path");
    let mut replaced = 0;
    for (_, function) in super::builder_sends_mut(file) {
        for stmt in &mut function.block.stmts {
            let syn::Stmt::Expr(expr, _) = stmt else {
                continue;
            };
            let Some(matched) = as_match(expr) else {
                continue;
            };
            for arm in &mut matched.arms {
                if let Some(func) = from_response_call(&mut arm.body) {
                    *func = decoder.clone();
                    replaced += 1;
                }
            }
        }
    }
    replaced
}

/// The callee of `ResponseValue::from_response(…).await`, if `body` is that expression, in
/// what progenitor wraps around it: invisible groups from interpolated tokens, parentheses,
/// and a block holding only it (`200..=299 => { … }`).
fn from_response_call(body: &mut syn::Expr) -> Option<&mut syn::Path> {
    match body {
        syn::Expr::Group(group) => from_response_call(&mut group.expr),
        syn::Expr::Paren(paren) => from_response_call(&mut paren.expr),
        syn::Expr::Block(block) if block.block.stmts.len() == 1 => {
            match &mut block.block.stmts[0] {
                syn::Stmt::Expr(inner, None) => from_response_call(inner),
                _ => None,
            }
        }
        syn::Expr::Await(awaited) => called(&mut awaited.base),
        _ => None,
    }
}

/// The callee of `ResponseValue::from_response(…)`, if `call` is that call.
fn called(call: &mut syn::Expr) -> Option<&mut syn::Path> {
    match call {
        syn::Expr::Group(group) => called(&mut group.expr),
        syn::Expr::Paren(paren) => called(&mut paren.expr),
        syn::Expr::Call(call) => match call.func.as_mut() {
            syn::Expr::Path(callee) if is_from_response(&callee.path) => Some(&mut callee.path),
            _ => None,
        },
        _ => None,
    }
}

/// True for the path `ResponseValue::from_response`.
fn is_from_response(path: &syn::Path) -> bool {
    let names: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    names == ["ResponseValue", "from_response"]
}

/// The `match` of a statement, if it is one (through invisible groups).
fn as_match(expr: &mut syn::Expr) -> Option<&mut syn::ExprMatch> {
    match expr {
        syn::Expr::Group(group) => as_match(&mut group.expr),
        syn::Expr::Match(matched) => Some(matched),
        _ => None,
    }
}

/// How many `from_response` calls are left anywhere in the file (zero after the rule, unless
/// progenitor emitted one in a shape it does not know).
pub fn remaining(file: &syn::File) -> usize {
    file.to_token_stream()
        .to_string()
        .matches("from_response")
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_success_arm_decodes_with_the_crate() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<()>> {
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            201u16 => { ResponseValue::from_response(response).await }
                            204u16 => Ok(ResponseValue::empty(response)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        };
        assert_eq!(remaining(&file), 2);
        assert_eq!(use_crate_decoder(&mut file), 2);
        assert_eq!(remaining(&file), 0);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert_eq!(
            text.matches("crate::success::decode(response).await")
                .count(),
            2,
            "{text}"
        );
        assert!(
            text.contains("Ok(ResponseValue::empty(response))"),
            "{text}"
        );
        assert_eq!(use_crate_decoder(&mut file), 0, "applied once");
    }

    #[test]
    fn a_shape_the_rule_does_not_know_is_left_and_counted() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<()>> {
                        let value = ResponseValue::from_response(response).await?;
                        Ok(value)
                    }
                }
            }
        };
        assert_eq!(use_crate_decoder(&mut file), 0);
        assert_eq!(remaining(&file), 1, "the pipeline fails on what is left");
    }

    #[test]
    fn the_vendored_spec_keeps_no_from_response() {
        let vendored = crate::codegen::vendored();
        assert!(
            !vendored.code.contains("from_response"),
            "every success body is decoded by {DECODER}"
        );
        assert!(vendored.code.contains("crate::success::decode"));
    }
}
