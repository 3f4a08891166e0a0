//! The public API the spec drives, as data: every operation (its `Client` method and request
//! builder, its sub-client method, its typed httpmock helper), the mock helper trait and every
//! type of `types`, read from the generated code itself (so it shows what users get after
//! normalisation).
//!
//! [`extract`] builds a [`Surface`] from one pipeline run, [`render`] turns it into the
//! checked-in `openapi/surface.txt`, [`parse`] reads that file back, and [`crate::classify`]
//! compares two of them.

pub mod extract;
pub mod parse;
pub mod render;
mod rust_type;

use std::collections::BTreeMap;
use std::fmt;

/// The generated public API: operations by `operationId` (with the sub-client method and the
/// mock helper each drives), the mock helper trait, types by Rust name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Surface {
    /// Lower-case hex sha256 of the spec's bytes.
    pub spec_sha256: String,
    /// Every operation of the spec, generated or not, by `operationId`.
    pub operations: BTreeMap<String, Operation>,
    /// The extension trait of the `mock` feature's typed httpmock helpers.
    pub mock_trait: Option<MockTrait>,
    /// Every public item of the generated `types` module (its submodules left out), by name.
    pub types: BTreeMap<String, TypeDef>,
}

/// One operation of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// HTTP method, upper case.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The generated method, or `None` when the operation is left to the hand-written facade.
    pub rust: Option<RustOperation>,
    /// Its generated method on a sub-client (`Voices::delete`), if it has one.
    pub facade: Option<FacadeMethod>,
    /// Its typed httpmock helper (feature `mock`), if it has one.
    pub mock: Option<MockHelper>,
    /// Its commands of the `anam` binary (feature `cli`), one per facade method.
    pub commands: Vec<Command>,
}

/// A command of the `anam` binary: `anam voices get <id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The resource and verb (`voices get`).
    pub name: String,
    /// Its usage line, as the surface lists it.
    pub usage: String,
    /// Its positional arguments (`<id>`) and flags (`--search`), each with whether it is
    /// required; empty for a hand-written command.
    pub arguments: BTreeMap<String, bool>,
}

/// A generated sub-client method: `anam.voices().delete(id)` returning the request builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacadeMethod {
    /// The sub-client type in `anam::resources` (`Voices`).
    pub sub_client: String,
    /// The method's name (`delete`).
    pub method: String,
    /// Its arguments after `&self`, by name, with their rendered types (a generic argument
    /// as `impl <its bound>`).
    pub args: Vec<(String, String)>,
    /// The request builder it returns.
    pub builder: String,
    /// Its doc comment.
    pub doc: Option<Doc>,
}

impl FacadeMethod {
    /// `Voices::delete`.
    pub fn path(&self) -> String {
        format!("{}::{}", self.sub_client, self.method)
    }

    /// `Voices::delete(id: impl TryInto<uuid::Uuid>) -> builder::DeleteVoice`.
    pub fn signature(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        format!(
            "{}({}) -> builder::{}",
            self.path(),
            args.join(", "),
            self.builder
        )
    }
}

/// One method of the mock helper trait: `server.delete_voice(|when, then| ..)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockHelper {
    /// The trait method's name.
    pub method: String,
    /// The `When` wrapper its closure receives (`operations::DeleteVoiceWhen`).
    pub when: String,
    /// The `Then` wrapper its closure receives.
    pub then: String,
}

/// The mock helper trait (`anam::mock::MockServerExt`, feature `mock`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockTrait {
    /// Its name.
    pub name: String,
    /// True when it has a supertrait from a private module, so no one outside the crate can
    /// implement it and a new method is additive.
    pub sealed: bool,
}

impl Operation {
    /// `GET /v1/voices`.
    pub fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The generated side of an operation: `Client::<method>()` returning a request builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RustOperation {
    /// Name of the `Client` method.
    pub method: String,
    /// Name of the request builder in `builder`.
    pub builder: String,
    /// The method's own description (the generated usage notes left out).
    pub doc: Option<Doc>,
    /// Builder parameters other than the body, by name.
    pub params: BTreeMap<String, Param>,
    /// The request body, when the operation takes one.
    pub body: Option<Param>,
    /// The `T` of `Result<ResponseValue<T>, E>` returned by `send()`.
    pub success: String,
    /// The `E` of `Result<ResponseValue<T>, E>` returned by `send()`.
    pub error: String,
}

/// One builder parameter (or the body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The type its setter converts the value into.
    pub ty: String,
    /// What happens when the caller never sets it.
    pub requirement: Requirement,
}

/// What a builder does with a parameter the caller never sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// `send()` fails: the builder starts it as an error.
    Required,
    /// It is left out of the request: the builder starts it as `None`.
    Optional,
    /// It starts from a default value (a body starts from its type's builder).
    Defaulted,
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Defaulted => "defaulted",
        })
    }
}

/// A doc comment, reduced to what a reviewer needs to see that it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    /// Its first non-empty line, shortened.
    pub summary: String,
    /// The first 8 hex digits of the sha256 of the whole comment.
    pub hash: String,
}

/// One public item of `types`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    /// Its doc comment.
    pub doc: Option<Doc>,
    /// What kind of item it is, with its members.
    pub shape: Shape,
}

/// The kind of a type, with its members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A struct with named fields.
    Struct {
        /// True when users can build it with a struct literal: every field is public and the
        /// struct is not `#[non_exhaustive]`.
        literal: bool,
        /// Public fields by name.
        fields: BTreeMap<String, Field>,
    },
    /// A tuple struct (typify's constrained newtypes have a private field).
    Tuple {
        /// True when every field is public and the struct is not `#[non_exhaustive]`.
        literal: bool,
        /// Field types, in order.
        fields: Vec<String>,
    },
    /// A struct without fields.
    Unit,
    /// An enum.
    Enum {
        /// True for `#[non_exhaustive]` enums (every generated enum since 0.2): a new variant
        /// is additive.
        open: bool,
        /// True for the pipeline's open enums, which keep a value the spec does not list in
        /// an `Unknown(String)` variant (left out of `variants`).
        unknown: bool,
        /// Variants by name.
        variants: BTreeMap<String, Variant>,
    },
    /// A type alias.
    Alias {
        /// The aliased type.
        target: String,
    },
}

impl Shape {
    /// A short name of the kind, as the surface file and the report show it.
    pub fn kind(&self) -> String {
        match self {
            Self::Struct { literal: true, .. } => "struct".into(),
            Self::Struct { literal: false, .. } => "struct (no struct literal)".into(),
            Self::Tuple { literal, fields } => {
                let privacy = if *literal { "" } else { ", private" };
                format!("tuple struct ({}{privacy})", fields.join(", "))
            }
            Self::Unit => "unit struct".into(),
            Self::Enum {
                open: true,
                unknown: true,
                ..
            } => "open enum (#[non_exhaustive], Unknown(String))".into(),
            Self::Enum {
                open: true,
                unknown: false,
                ..
            } => "enum (#[non_exhaustive])".into(),
            Self::Enum { open: false, .. } => "enum".into(),
            Self::Alias { target } => format!("alias = {target}"),
        }
    }
}

/// A named field of a struct or of a struct-like enum variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its Rust type.
    pub ty: String,
    /// True when a response may leave it out: an `Option`, or a `#[serde(default)]` field.
    pub optional: bool,
    /// Its doc comment.
    pub doc: Option<Doc>,
}

impl Field {
    /// `optional` or `required`.
    pub fn optionality(&self) -> &'static str {
        if self.optional {
            "optional"
        } else {
            "required"
        }
    }
}

/// One enum variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Its doc comment (an open enum's variants document their wire value).
    pub doc: Option<Doc>,
    /// The data it carries.
    pub data: VariantData,
}

/// The data an enum variant carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VariantData {
    /// None.
    Unit,
    /// Unnamed fields, by type.
    Tuple(Vec<String>),
    /// Named fields.
    Struct(BTreeMap<String, Field>),
}

impl VariantData {
    /// How the variant's data reads after its name: ``, `(A, B)` or ` {..}`.
    pub fn suffix(&self) -> String {
        match self {
            Self::Unit => String::new(),
            Self::Tuple(types) => format!("({})", types.join(", ")),
            Self::Struct(_) => " {..}".into(),
        }
    }
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
