//! The `types` module: every public struct, enum and alias, with its shape.

use std::collections::BTreeMap;

use crate::surface::rust_type::{
    attrs_doc, has_attr, has_serde_default, has_serde_word, is_option, is_pub, render,
};
use crate::surface::{Field, Shape, TypeDef, Variant, VariantData};

/// The variant every open enum carries for values the spec does not list.
const OPEN_ENUM_CATCH_ALL: &str = "Unknown";

/// Every public struct, enum and alias of `types`, by name.
pub(super) fn type_defs(items: &[syn::Item]) -> BTreeMap<String, TypeDef> {
    items
        .iter()
        .filter_map(|item| {
            let (ident, attrs, shape) = match item {
                syn::Item::Struct(item) if is_pub(&item.vis) => {
                    (&item.ident, &item.attrs, struct_shape(item))
                }
                syn::Item::Enum(item) if is_pub(&item.vis) => {
                    (&item.ident, &item.attrs, enum_shape(item))
                }
                syn::Item::Type(item) if is_pub(&item.vis) => {
                    let target = render(&item.ty);
                    (&item.ident, &item.attrs, Shape::Alias { target })
                }
                _ => return None,
            };
            let doc = attrs_doc(attrs);
            Some((ident.to_string(), TypeDef { doc, shape }))
        })
        .collect()
}

/// The shape of a struct: its public fields, and whether struct literals can build it.
fn struct_shape(item: &syn::ItemStruct) -> Shape {
    let exhaustive = !has_attr(&item.attrs, "non_exhaustive");
    match &item.fields {
        syn::Fields::Named(named) => Shape::Struct {
            literal: exhaustive && named.named.iter().all(|f| is_pub(&f.vis)),
            fields: named_fields(named.named.iter().filter(|f| is_pub(&f.vis))),
        },
        syn::Fields::Unnamed(unnamed) => Shape::Tuple {
            literal: exhaustive && unnamed.unnamed.iter().all(|f| is_pub(&f.vis)),
            fields: unnamed.unnamed.iter().map(|f| render(&f.ty)).collect(),
        },
        syn::Fields::Unit => Shape::Unit,
    }
}

/// Named fields by name, with their rendered types, optionality and docs.
fn named_fields<'f>(fields: impl Iterator<Item = &'f syn::Field>) -> BTreeMap<String, Field> {
    fields
        .filter_map(|field| {
            let name = field.ident.as_ref()?.to_string();
            let field = Field {
                ty: render(&field.ty),
                // A flattened map (`extra`: the fields the spec does not know) decodes empty
                // when there are none, and its builder starts it empty.
                optional: is_option(&field.ty)
                    || has_serde_default(&field.attrs)
                    || has_serde_word(&field.attrs, "flatten"),
                doc: attrs_doc(&field.attrs),
            };
            Some((name, field))
        })
        .collect()
}

/// The shape of an enum: open or closed, and its variants.
fn enum_shape(item: &syn::ItemEnum) -> Shape {
    let open = has_attr(&item.attrs, "non_exhaustive");
    let unknown = open
        && item
            .variants
            .iter()
            .any(|variant| variant.ident == OPEN_ENUM_CATCH_ALL);
    let variants = item
        .variants
        .iter()
        .filter(|variant| !(unknown && variant.ident == OPEN_ENUM_CATCH_ALL))
        .map(|variant| {
            let data = match &variant.fields {
                syn::Fields::Unit => VariantData::Unit,
                syn::Fields::Unnamed(unnamed) => {
                    VariantData::Tuple(unnamed.unnamed.iter().map(|f| render(&f.ty)).collect())
                }
                syn::Fields::Named(named) => VariantData::Struct(named_fields(named.named.iter())),
            };
            let variant_def = Variant {
                doc: attrs_doc(&variant.attrs),
                data,
            };
            (variant.ident.to_string(), variant_def)
        })
        .collect();
    Shape::Enum {
        open,
        unknown,
        variants,
    }
}
