//! Rendering of types and doc comments for the surface: short, stable and free of path noise.

use quote::ToTokens;

use super::{Doc, sha256_hex};

/// Longest doc summary the surface shows, in characters.
const SUMMARY_CHARS: usize = 80;

/// Path prefixes dropped from every rendered type, longest first, so that the same type reads
/// the same wherever it appears (`types::Voice` in a builder, `Voice` inside `types`,
/// `crate::types::Voice` for an open enum).
const NOISE_PREFIXES: &[&[&str]] = &[
    &["std", "option"],
    &["std", "string"],
    &["std", "vec"],
    &["std", "collections"],
    &["std", "num"],
    &["std", "boxed"],
    &["std", "convert"],
    &["crate", "types"],
    &["super", "types"],
    &["types"],
    &["super"],
];

/// `ty` as one line of Rust without path noise, e.g. `Option<Vec<String>>`.
pub fn render(ty: &syn::Type) -> String {
    let mut ty = ty.clone();
    simplify(&mut ty);
    compact(&ty.to_token_stream().to_string())
}

/// Drops [`NOISE_PREFIXES`] and leading `::` from every path inside `ty`.
fn simplify(ty: &mut syn::Type) {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => simplify_path(&mut path.path),
        syn::Type::Reference(reference) => simplify(&mut reference.elem),
        syn::Type::Slice(slice) => simplify(&mut slice.elem),
        syn::Type::Array(array) => simplify(&mut array.elem),
        syn::Type::Paren(paren) => simplify(&mut paren.elem),
        syn::Type::Group(group) => simplify(&mut group.elem),
        syn::Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(simplify),
        _ => {}
    }
}

/// Drops the noise of one path and of the types in its generic arguments.
fn simplify_path(path: &mut syn::Path) {
    path.leading_colon = None;
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let dropped = NOISE_PREFIXES
        .iter()
        .find(|prefix| {
            names.len() > prefix.len() && names.iter().zip(prefix.iter()).all(|(a, b)| a == b)
        })
        .map_or(0, |prefix| prefix.len());
    if dropped > 0 {
        path.segments = std::mem::take(&mut path.segments)
            .into_iter()
            .skip(dropped)
            .collect();
    }
    for segment in &mut path.segments {
        if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
            // Re-collecting drops a trailing comma left by line wrapping.
            arguments.args = std::mem::take(&mut arguments.args).into_iter().collect();
            for argument in &mut arguments.args {
                if let syn::GenericArgument::Type(inner) = argument {
                    simplify(inner);
                }
            }
        }
    }
}

/// Joins the tokens of `tokens` (as `TokenStream::to_string` spaces them) the way rustfmt would
/// for a type: no spaces except between words and after commas.
fn compact(tokens: &str) -> String {
    let mut out = String::with_capacity(tokens.len());
    let mut previous = "";
    for token in tokens.split_whitespace() {
        let between_words = out.ends_with(is_word_char) && token.starts_with(is_word_char);
        if between_words || previous == "," || KEYWORDS.contains(&previous) {
            out.push(' ');
        }
        out.push_str(token);
        previous = token;
    }
    out
}

/// Keywords a type may contain, always followed by a space.
const KEYWORDS: &[&str] = &["mut", "dyn", "impl", "const"];

/// Characters of identifiers, keywords and lifetimes.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// The text of the `#[doc]` attributes among `attrs`, one line per attribute, or `None`.
pub fn doc_text(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(pair) => match &pair.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let text = lines.join("\n");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The [`Doc`] of `text`: its first non-empty line (shortened) and a short hash of all of it.
pub fn doc(text: &str) -> Doc {
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    let summary = if first.chars().count() > SUMMARY_CHARS {
        let kept: String = first.chars().take(SUMMARY_CHARS - 3).collect();
        format!("{}...", kept.trim_end())
    } else {
        first.to_string()
    };
    Doc {
        summary,
        hash: sha256_hex(text.as_bytes())[..8].to_string(),
    }
}

/// The [`Doc`] of the doc comment among `attrs`.
pub fn attrs_doc(attrs: &[syn::Attribute]) -> Option<Doc> {
    doc_text(attrs).map(|text| doc(&text))
}

/// True when `attrs` hold the outer attribute `#[<name>]` or `#[<name>(..)]`.
pub fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(name))
}

/// True when a `#[serde(..)]` attribute among `attrs` contains the word `default`.
pub fn has_serde_default(attrs: &[syn::Attribute]) -> bool {
    has_serde_word(attrs, "default")
}

/// True when a `#[serde(..)]` attribute of `attrs` holds `word` (`flatten`, `default`).
pub fn has_serde_word(attrs: &[syn::Attribute], word: &str) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("serde"))
        .any(|attr| {
            attr.meta
                .to_token_stream()
                .into_iter()
                .any(|token| contains_word(&token, word))
        })
}

/// True when `token` is the identifier `word` or a group whose tokens contain it.
fn contains_word(token: &proc_macro2::TokenTree, word: &str) -> bool {
    match token {
        proc_macro2::TokenTree::Ident(ident) => ident == word,
        proc_macro2::TokenTree::Group(group) => group
            .stream()
            .into_iter()
            .any(|inner| contains_word(&inner, word)),
        _ => false,
    }
}

/// True when `ty` is `Option<..>` (under any path).
pub fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.qself.is_none() && path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// True for plain `pub`.
pub fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The name of the last segment of a plain path type.
pub fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Every trait bound of `generics`' type parameters, inline (`<F: Fn()>`) or in its `where`
/// clause.
pub fn bounds(generics: &syn::Generics) -> impl Iterator<Item = &syn::TypeParamBound> {
    let inline = generics.params.iter().filter_map(|param| match param {
        syn::GenericParam::Type(param) => Some(&param.bounds),
        _ => None,
    });
    let clause = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(predicate) => Some(&predicate.bounds),
            _ => None,
        });
    inline.chain(clause).flat_map(|bounds| bounds.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(source: &str) -> String {
        render(&syn::parse_str(source).expect("a type"))
    }

    #[test]
    fn drops_std_and_types_prefixes_everywhere() {
        assert_eq!(
            rendered("::std::option::Option<::std::vec::Vec<crate::types::TranscriptRole>>"),
            "Option<Vec<TranscriptRole>>"
        );
        assert_eq!(
            rendered("::std::collections::HashMap<::std::string::String, types::Voice>"),
            "HashMap<String, Voice>"
        );
        assert_eq!(
            rendered("::chrono::DateTime<::chrono::offset::Utc>"),
            "chrono::DateTime<chrono::offset::Utc>"
        );
        assert_eq!(rendered("&'a mut [u8]"), "&'a mut [u8]");
        assert_eq!(rendered("(i64, ::std::string::String)"), "(i64, String)");
        assert_eq!(rendered("Error<()>"), "Error<()>");
        assert_eq!(rendered("Option<\n    Voice,\n>"), "Option<Voice>");
    }

    #[test]
    fn doc_keeps_the_first_line_and_hashes_the_rest() {
        let short = doc("\nFirst line.\n\nMore text.");
        assert_eq!(short.summary, "First line.");
        assert_eq!(short.hash.len(), 8);
        assert_ne!(short.hash, doc("\nFirst line.\n\nOther text.").hash);
        let long = doc(&"word ".repeat(40));
        assert!(long.summary.ends_with("..."));
        assert!(long.summary.chars().count() <= SUMMARY_CHARS);
    }
}
