//! Progenitor's usage sketches: the ```` ```ignore ```` blocks in its doc comments call a
//! `client` that is not in scope, so they could never compile. As ```` ```text ```` blocks they
//! render the same, and rustdoc does not report them as ignored doctests.

use syn::{Attribute, Expr, ExprLit, Fields, ImplItem, Item, Lit, LitStr, Meta, TraitItem};

/// Opens every ```` ```ignore ```` block of `file`'s doc comments as ```` ```text ````
/// instead, and returns how many doc comments changed.
///
/// Written against how prettyplease prints a doc comment: a one-line one as `///` followed by
/// its text, so a fence ends that text; a longer one as a `/** */` block, where a fence is
/// followed by a line break.
pub fn as_text(file: &mut syn::File) -> usize {
    let mut changed = 0;
    items(&mut file.items, &mut changed);
    changed
}

fn items(items: &mut [Item], changed: &mut usize) {
    for item in items {
        let attrs = match item {
            Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    self::items(inner, changed);
                }
                &mut module.attrs
            }
            Item::Impl(block) => {
                for inner in &mut block.items {
                    if let Some(attrs) = impl_item_attrs(inner) {
                        docs(attrs, changed);
                    }
                }
                &mut block.attrs
            }
            Item::Trait(block) => {
                for inner in &mut block.items {
                    if let Some(attrs) = trait_item_attrs(inner) {
                        docs(attrs, changed);
                    }
                }
                &mut block.attrs
            }
            Item::Struct(item) => {
                fields(&mut item.fields, changed);
                &mut item.attrs
            }
            Item::Enum(item) => {
                for variant in &mut item.variants {
                    docs(&mut variant.attrs, changed);
                    fields(&mut variant.fields, changed);
                }
                &mut item.attrs
            }
            Item::Union(item) => {
                for field in &mut item.fields.named {
                    docs(&mut field.attrs, changed);
                }
                &mut item.attrs
            }
            Item::Fn(item) => &mut item.attrs,
            Item::Const(item) => &mut item.attrs,
            Item::Static(item) => &mut item.attrs,
            Item::Type(item) => &mut item.attrs,
            Item::Macro(item) => &mut item.attrs,
            Item::Use(item) => &mut item.attrs,
            _ => continue,
        };
        docs(attrs, changed);
    }
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    match item {
        ImplItem::Fn(item) => Some(&mut item.attrs),
        ImplItem::Const(item) => Some(&mut item.attrs),
        ImplItem::Type(item) => Some(&mut item.attrs),
        ImplItem::Macro(item) => Some(&mut item.attrs),
        _ => None,
    }
}

fn trait_item_attrs(item: &mut TraitItem) -> Option<&mut Vec<Attribute>> {
    match item {
        TraitItem::Fn(item) => Some(&mut item.attrs),
        TraitItem::Const(item) => Some(&mut item.attrs),
        TraitItem::Type(item) => Some(&mut item.attrs),
        TraitItem::Macro(item) => Some(&mut item.attrs),
        _ => None,
    }
}

fn fields(fields: &mut Fields, changed: &mut usize) {
    for field in fields.iter_mut() {
        docs(&mut field.attrs, changed);
    }
}

/// Rewrites the `#[doc = "..."]` attributes among `attrs`.
fn docs(attrs: &mut [Attribute], changed: &mut usize) {
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        let Meta::NameValue(pair) = &mut attr.meta else {
            continue;
        };
        let Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) = &mut pair.value
        else {
            continue;
        };
        if let Some(rewritten) = fence_as_text(&text.value()) {
            *text = LitStr::new(&rewritten, text.span());
            *changed += 1;
        }
    }
}

/// `doc` with its ```` ```ignore ```` fences opened as ```` ```text ````, or `None` when it has
/// none.
fn fence_as_text(doc: &str) -> Option<String> {
    const IGNORE: &str = "```ignore";
    const TEXT: &str = "```text";
    let rewritten = if doc.contains('\n') {
        doc.replace(&format!("{IGNORE}\n"), &format!("{TEXT}\n"))
    } else {
        let kept = doc.trim_end();
        let before = kept.strip_suffix(IGNORE)?;
        format!("{before}{TEXT}{}", &doc[kept.len()..])
    };
    (rewritten != doc).then_some(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_fences_open_as_text_wherever_a_doc_comment_sits() {
        // A block doc comment (the form progenitor's sketches take), a one-line doc that ends
        // in a fence, and one whose fence is not at the end of its line.
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                #[doc = "Sends a request\n\n```ignore\nlet response = client.send().await;\n```"]
                pub struct Send;
                impl Client {
                    #[doc = "```ignore"]
                    pub fn send(&self) {}
                    /// ```ignore is not a fence on its own line here, and stays
                    pub fn other(&self) {}
                }
            }
        };
        assert_eq!(as_text(&mut file), 2);
        let code = prettyplease::unparse(&file);
        assert!(!code.contains("```ignore\n"), "{code}");
        assert_eq!(code.matches("```text\n").count(), 2, "{code}");
        assert!(code.contains("/// ```ignore is not a fence"), "{code}");
        assert_eq!(as_text(&mut file), 0, "a second pass changes nothing");
    }
}
