//! Changes of the generated types: a struct's fields and whether struct literals can build
//! it, an enum's variants and whether it is open; added fields and values are additive because
//! every generated type is `#[non_exhaustive]` or open.

use std::collections::BTreeMap;

use super::{Changes, Class, Paired, pair_up};
use crate::surface::{Field, Shape, TypeDef, Variant, VariantData};

impl Changes {
    /// Changes of a type present on both sides.
    pub(super) fn type_def(&mut self, name: &str, old: &TypeDef, new: &TypeDef) {
        self.doc(&format!("type {name}"), old.doc.as_ref(), new.doc.as_ref());
        match (&old.shape, &new.shape) {
            (
                Shape::Struct {
                    literal: old_literal,
                    fields: old_fields,
                },
                Shape::Struct {
                    literal: new_literal,
                    fields: new_fields,
                },
            ) => {
                if *old_literal && !*new_literal {
                    self.push(
                        Class::Breaking,
                        format!("struct {name} can no longer be built with a struct literal"),
                    );
                }
                self.fields(name, *old_literal, old_fields, new_fields);
            }
            (
                Shape::Enum {
                    open: old_open,
                    unknown: old_unknown,
                    variants: old_variants,
                },
                Shape::Enum {
                    open: new_open,
                    unknown: new_unknown,
                    variants: new_variants,
                },
            ) => {
                if old_open != new_open {
                    // Adding #[non_exhaustive] breaks exhaustive matches; removing it lets
                    // every later variant break them.
                    let now = if *new_open {
                        "non-exhaustive"
                    } else {
                        "exhaustive"
                    };
                    self.push(Class::Breaking, format!("enum {name} is now {now}"));
                }
                if *old_unknown && !*new_unknown {
                    self.push(
                        Class::Breaking,
                        format!("enum {name} no longer keeps unknown values (Unknown(String))"),
                    );
                } else if !*old_unknown && *new_unknown {
                    // What it does to exhaustive matches is the line above.
                    self.push(
                        Class::Additive,
                        format!("enum {name} now keeps unknown values (Unknown(String))"),
                    );
                }
                self.variants(name, *new_open, old_variants, new_variants);
            }
            (old_shape, new_shape) if old_shape != new_shape => self.push(
                Class::Breaking,
                format!(
                    "changed type {name}: {} -> {}",
                    old_shape.kind(),
                    new_shape.kind()
                ),
            ),
            _ => {}
        }
    }

    /// Fields of struct `owner` (or of enum variant `owner`). `literal`: whether users could
    /// build the old one with a struct literal, which a new field breaks; a new required field
    /// breaks in any case.
    fn fields(
        &mut self,
        owner: &str,
        literal: bool,
        old: &BTreeMap<String, Field>,
        new: &BTreeMap<String, Field>,
    ) {
        for entry in pair_up(old, new) {
            match entry {
                Paired::Added(name, field) => {
                    // A struct literal breaks on any new field; a builder's `try_into()` (and a
                    // decode) on a new required one.
                    let class = Class::breaking_if(literal || !field.optional);
                    self.push(
                        class,
                        format!(
                            "added field {owner}.{name}: {} {}",
                            field.ty,
                            field.optionality()
                        ),
                    );
                }
                Paired::Removed(name, _) => {
                    self.push(Class::Breaking, format!("removed field {owner}.{name}"));
                }
                Paired::Both(name, old, new) => self.field(owner, name, old, new),
            }
        }
    }

    /// Changes of a field present on both sides: type, optionality, doc.
    fn field(&mut self, owner: &str, name: &str, old: &Field, new: &Field) {
        if old.ty != new.ty {
            self.push(
                Class::Breaking,
                format!("changed field {owner}.{name}: {} -> {}", old.ty, new.ty),
            );
        } else if old.optional != new.optional {
            // Same type, different `#[serde(default)]`: only decoding changes.
            let class = Class::breaking_if(!new.optional);
            self.push(
                class,
                format!(
                    "field {owner}.{name} is now {} (was {})",
                    new.optionality(),
                    old.optionality()
                ),
            );
        }
        self.doc(
            &format!("field {owner}.{name}"),
            old.doc.as_ref(),
            new.doc.as_ref(),
        );
    }

    /// Variants of enum `owner`; `open`: whether the new enum is `#[non_exhaustive]`, which
    /// makes a new variant additive.
    fn variants(
        &mut self,
        owner: &str,
        open: bool,
        old: &BTreeMap<String, Variant>,
        new: &BTreeMap<String, Variant>,
    ) {
        for entry in pair_up(old, new) {
            match entry {
                Paired::Added(name, variant) => {
                    let (class, kind) = if open {
                        (Class::Additive, "non-exhaustive")
                    } else {
                        (Class::Breaking, "exhaustive")
                    };
                    self.push(
                        class,
                        format!(
                            "added variant {owner}::{name}{} ({kind} enum)",
                            variant.data.suffix()
                        ),
                    );
                }
                Paired::Removed(name, _) => {
                    self.push(Class::Breaking, format!("removed variant {owner}::{name}"));
                }
                Paired::Both(name, old, new) => self.variant(owner, name, old, new),
            }
        }
    }

    /// Changes of a variant present on both sides: its data, its doc.
    fn variant(&mut self, owner: &str, name: &str, old: &Variant, new: &Variant) {
        let path = format!("{owner}::{name}");
        match (&old.data, &new.data) {
            (VariantData::Struct(old_fields), VariantData::Struct(new_fields)) => {
                // Struct-like variants are built with literals, so a new field breaks.
                self.fields(&path, true, old_fields, new_fields);
            }
            (old_data, new_data) if old_data != new_data => self.push(
                Class::Breaking,
                format!(
                    "changed variant {path}: {name}{} -> {name}{}",
                    old_data.suffix(),
                    new_data.suffix()
                ),
            ),
            _ => {}
        }
        self.doc(
            &format!("variant {path}"),
            old.doc.as_ref(),
            new.doc.as_ref(),
        );
    }
}
