//! The forms of single lines of `openapi/surface.txt`: a parameter, a facade method, a mock
//! helper or the trait, a command's usage, a type's shape and a variant, each parsed and, where
//! the form allows it, rendered again and compared; and the error that names the line.

use std::collections::BTreeMap;
use std::fmt;

use crate::codegen::httpmock::TRAIT_NAME;
use crate::surface::render::{mock_signature, mock_trait_line};
use crate::surface::{
    Command, FacadeMethod, MockHelper, MockTrait, Param, Requirement, Shape, VariantData,
};

/// Why a surface file could not be read: the line (1-based) and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number (the last line, for what is missing at the end).
    pub line: usize,
    /// What was expected, and what was found.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// `<type> <required|optional|defaulted>`.
pub(super) fn parameter(number: usize, text: &str) -> Result<Param, ParseError> {
    let (ty, requirement) = text
        .rsplit_once(' ')
        .ok_or_else(|| expected(number, "`<type> <requirement>`", text))?;
    let requirement = match requirement {
        "required" => Requirement::Required,
        "optional" => Requirement::Optional,
        "defaulted" => Requirement::Defaulted,
        other => {
            return Err(expected(
                number,
                "`required`, `optional` or `defaulted`",
                other,
            ));
        }
    };
    Ok(Param {
        ty: ty.to_string(),
        requirement,
    })
}

/// `Voices::delete(id: impl TryInto<uuid::Uuid>) -> builder::DeleteVoice` (its doc comes from
/// the next line).
pub(super) fn facade_method(number: usize, signature: &str) -> Result<FacadeMethod, ParseError> {
    let form = "`<SubClient>::<method>(<name>: <type>, …) -> builder::<Builder>`";
    let parsed = (|| {
        let (call, builder) = signature.rsplit_once(") -> builder::")?;
        let (path, args) = call.split_once('(')?;
        let (sub_client, method) = path.split_once("::")?;
        let args = split_top_level(args)
            .into_iter()
            .map(|arg| {
                arg.split_once(": ")
                    .map(|(name, ty)| (name.to_string(), ty.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(FacadeMethod {
            sub_client: sub_client.to_string(),
            method: method.to_string(),
            args,
            builder: builder.to_string(),
            doc: None,
        })
    })();
    match parsed {
        Some(facade) if facade.signature() == signature => Ok(facade),
        _ => Err(expected(number, form, signature)),
    }
}

/// `MockServerExt::delete_voice(operations::DeleteVoiceWhen, operations::DeleteVoiceThen)`.
pub(super) fn mock_helper(number: usize, signature: &str) -> Result<MockHelper, ParseError> {
    let parsed = (|| {
        let call = signature.strip_prefix(TRAIT_NAME)?.strip_prefix("::")?;
        let (method, wrappers) = call.split_once('(')?;
        let [when, then] =
            <[&str; 2]>::try_from(split_top_level(wrappers.strip_suffix(')')?)).ok()?;
        Some(MockHelper {
            method: method.to_string(),
            when: when.to_string(),
            then: then.to_string(),
        })
    })();
    match parsed {
        Some(mock) if mock_signature(&mock) == signature => Ok(mock),
        _ => Err(expected(
            number,
            &format!("`{TRAIT_NAME}::<method>(<When>, <Then>)`"),
            signature,
        )),
    }
}

/// The mock helper trait's line.
pub(super) fn mock_trait(number: usize, line: &str) -> Result<MockTrait, ParseError> {
    let parsed = line
        .strip_prefix("trait ")
        .and_then(|rest| rest.split_once(" (feature mock): "))
        .map(|(name, openness)| MockTrait {
            name: name.to_string(),
            sealed: openness.starts_with("sealed "),
        });
    match parsed {
        Some(mock_trait) if mock_trait_line(&mock_trait) == line => Ok(mock_trait),
        _ => Err(expected(
            number,
            "`trait <Name> (feature mock): sealed (…)` or `… not sealed (…)`",
            line,
        )),
    }
}

/// `anam voices list [--search <String>] [--all] [--limit <N>]`: the name is the two words
/// after `anam`; positionals `<id>` come before any flag; a flag is required unless bracketed.
/// A hand-written upload command (`(multipart/form-data upload, hand-written)`) lists none.
pub(super) fn command(number: usize, usage: &str) -> Result<Command, ParseError> {
    let mut words = usage.split(' ');
    let (Some("anam"), Some(resource), Some(verb)) = (words.next(), words.next(), words.next())
    else {
        return Err(expected(number, "`anam <resource> <verb> …`", usage));
    };
    let mut arguments = BTreeMap::new();
    if !usage.ends_with(", hand-written)") {
        let mut flags_began = false;
        for word in words {
            let (flag, required) = match word.strip_prefix('[') {
                Some(optional) => (optional, false),
                None => (word, true),
            };
            if let Some(long) = flag.strip_prefix("--") {
                flags_began = true;
                let long = long.trim_end_matches(']');
                if long.is_empty() {
                    return Err(expected(number, "a flag name after `--`", usage));
                }
                arguments.insert(format!("--{long}"), required);
            } else if !flags_began && word.starts_with('<') && word.ends_with('>') {
                arguments.insert(word.to_string(), true);
            } else if !flags_began {
                return Err(expected(
                    number,
                    "a positional `<name>` or a flag `--name`/`[--name …]`",
                    word,
                ));
            }
            // Any other word after the first flag is a flag's value (`<CreateToolBody JSON>]`).
        }
    }
    Ok(Command {
        name: format!("{resource} {verb}"),
        usage: usage.to_string(),
        arguments,
    })
}

/// The kind after `type <Name>: `, members left empty.
pub(super) fn shape(number: usize, kind: &str) -> Result<Shape, ParseError> {
    let parsed = match kind {
        "struct" => Some(Shape::Struct {
            literal: true,
            fields: BTreeMap::new(),
        }),
        "struct (no struct literal)" => Some(Shape::Struct {
            literal: false,
            fields: BTreeMap::new(),
        }),
        "unit struct" => Some(Shape::Unit),
        "enum" => Some(Shape::Enum {
            open: false,
            unknown: false,
            variants: BTreeMap::new(),
        }),
        "enum (#[non_exhaustive])" => Some(Shape::Enum {
            open: true,
            unknown: false,
            variants: BTreeMap::new(),
        }),
        "open enum (#[non_exhaustive], Unknown(String))" => Some(Shape::Enum {
            open: true,
            unknown: true,
            variants: BTreeMap::new(),
        }),
        _ => kind
            .strip_prefix("alias = ")
            .map(|target| Shape::Alias {
                target: target.to_string(),
            })
            .or_else(|| {
                let inner = kind.strip_prefix("tuple struct (")?.strip_suffix(')')?;
                let (inner, literal) = match inner.strip_suffix(", private") {
                    Some(types) => (types, false),
                    None => (inner, true),
                };
                let fields = split_top_level(inner)
                    .into_iter()
                    .map(String::from)
                    .collect();
                Some(Shape::Tuple { literal, fields })
            }),
    };
    match parsed {
        Some(shape) if shape.kind() == kind => Ok(shape),
        _ => Err(expected(
            number,
            "a kind of type (`struct`, `struct (no struct literal)`, `tuple struct (…)`, \
             `unit struct`, `enum`, `enum (#[non_exhaustive])`, `open enum (…)`, `alias = …`)",
            kind,
        )),
    }
}

/// `Name`, `Name(A, B)` or `Name {..}` (a struct-like variant's fields come from the next lines).
pub(super) fn variant(number: usize, text: &str) -> Result<(String, VariantData), ParseError> {
    let split = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
        .unwrap_or(text.len());
    let (name, suffix) = text.split_at(split);
    let data = match suffix {
        "" => Some(VariantData::Unit),
        " {..}" => Some(VariantData::Struct(BTreeMap::new())),
        _ => suffix
            .strip_prefix('(')
            .and_then(|rest| rest.strip_suffix(')'))
            .map(|types| {
                VariantData::Tuple(
                    split_top_level(types)
                        .into_iter()
                        .map(String::from)
                        .collect(),
                )
            }),
    };
    match data {
        Some(data) if !name.is_empty() && data.suffix() == suffix => Ok((name.to_string(), data)),
        _ => Err(expected(
            number,
            "`variant <Name>`, `variant <Name>(<type>, …)` or `variant <Name> {..}`",
            text,
        )),
    }
}

/// `text` split at the `, ` outside brackets (`HashMap<String, Value>` stays whole; the `>`
/// of `->` closes nothing); nothing for an empty text.
pub(super) fn split_top_level(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let (mut depth, mut start, mut previous) = (0_i32, 0, ' ');
    for (at, c) in text.char_indices() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' if previous == '-' => {}
            '>' | ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 && text[at..].starts_with(", ") => {
                parts.push(&text[start..at]);
                start = at + 2;
            }
            _ => {}
        }
        previous = c;
    }
    parts.push(&text[start..]);
    parts
}

/// The string a Rust `{:?}` of a `str` wrote: `"…"` with `\"`, `\\`, `\n`, `\u{…}`, … escaped.
pub(super) fn unquote(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let (hex, after) = rest.split_once('}')?;
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                chars = after.chars();
                c
            }
            _ => return None,
        });
    }
    Some(out)
}

/// An error at line `number`.
pub(super) fn error(number: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line: number,
        message: message.into(),
    }
}

/// "expected `<what>`, found `<found>`" at line `number`.
pub(super) fn expected(number: usize, what: &str, found: &str) -> ParseError {
    error(number, format!("expected {what}, found `{found}`"))
}
