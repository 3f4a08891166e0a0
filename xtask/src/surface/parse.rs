//! Reading `openapi/surface.txt` back into a [`Surface`]: the inverse of [`super::render`], so
//! `update-spec` can compare a candidate with the surface users have (the checked-in file,
//! what the last release generated) rather than with what the current pipeline makes of the
//! vendored spec, and a change of the pipeline itself is classified too.
//!
//! The file's comment lines are skipped but for the spec's hash and the counts (checked
//! against the blocks, so a truncated file is refused). Each line is parsed by the form
//! `render` writes; where the form allows it the parsed item is rendered again and compared
//! with the line, so anything `render` would not have written is an error naming its line.
//! A command's arguments are read from its usage line (positionals `<id>` first, then flags,
//! optional ones in brackets), the only part `render` does not write as such.

use std::collections::BTreeMap;
use std::fmt;

use super::render::{mock_signature, mock_trait_line};
use super::{
    Command, Doc, FacadeMethod, Field, MockHelper, MockTrait, Operation, Param, Requirement,
    RustOperation, Shape, Surface, TypeDef, Variant, VariantData,
};
use crate::codegen::httpmock::TRAIT_NAME;

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

/// The line of a header comment holding the spec's hash.
const SHA_PREFIX: &str = "# spec sha256: ";

/// What the hand-written facade's operations say instead of their generated method.
const NOT_GENERATED: &str = "  not generated: left to the hand-written facade";

/// Parses the text [`super::render::render`] writes.
pub fn parse(text: &str) -> Result<Surface, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cursor = Cursor { lines, next: 0 };
    let header = cursor.header()?;
    let mut surface = Surface {
        spec_sha256: header.sha256.clone(),
        operations: BTreeMap::new(),
        mock_trait: None,
        types: BTreeMap::new(),
    };
    while cursor.skip_blank_lines() {
        let (number, line) = cursor.peek().expect("a line after the blank ones");
        if let Some(id) = line.strip_prefix("operation ") {
            cursor.advance();
            let operation = cursor.operation()?;
            if surface
                .operations
                .insert(id.to_string(), operation)
                .is_some()
            {
                return Err(error(number, format!("operation {id} listed twice")));
            }
        } else if line.starts_with("trait ") {
            cursor.advance();
            if surface.mock_trait.is_some() {
                return Err(error(number, "a second mock helper trait"));
            }
            surface.mock_trait = Some(mock_trait(number, line)?);
            cursor.end_of_block("the end of the trait's block")?;
        } else if let Some(rest) = line.strip_prefix("type ") {
            cursor.advance();
            let (name, kind) = rest
                .split_once(": ")
                .ok_or_else(|| expected(number, "`type <Name>: <kind>`", line))?;
            let def = cursor.type_def(number, kind)?;
            if surface.types.insert(name.to_string(), def).is_some() {
                return Err(error(number, format!("type {name} listed twice")));
            }
        } else {
            return Err(expected(
                number,
                "a block starting `operation `, `trait ` or `type `",
                line,
            ));
        }
    }
    header.check_counts(&surface)?;
    Ok(surface)
}

/// What the header says.
struct Header {
    sha256: String,
    /// The counts line and its number.
    counts: (usize, String),
}

impl Header {
    /// Fails unless the counts line is what `render` writes for `surface`.
    fn check_counts(&self, surface: &Surface) -> Result<(), ParseError> {
        let rendered = super::render::render(surface);
        let (number, counts) = &self.counts;
        let expected_line = rendered
            .lines()
            .find(|line| is_counts_line(line))
            .unwrap_or_default();
        if expected_line == counts {
            Ok(())
        } else {
            Err(error(
                *number,
                format!(
                    "the header says `{counts}` but the blocks make `{expected_line}` (a \
                     truncated or hand-edited file?)"
                ),
            ))
        }
    }
}

/// True for the header line counting the operations and types.
fn is_counts_line(line: &str) -> bool {
    line.starts_with("# ") && line.contains(" operations (") && line.ends_with(" types")
}

/// The lines of the file and the next one to read.
struct Cursor<'t> {
    lines: Vec<&'t str>,
    next: usize,
}

impl<'t> Cursor<'t> {
    /// The next line and its 1-based number, without consuming it.
    fn peek(&self) -> Option<(usize, &'t str)> {
        self.lines.get(self.next).map(|line| (self.next + 1, *line))
    }

    fn advance(&mut self) {
        self.next += 1;
    }

    /// The number of the last line read (for what is missing at the end of the file).
    fn last_number(&self) -> usize {
        self.next.max(1)
    }

    /// Skips blank lines; false at the end of the file.
    fn skip_blank_lines(&mut self) -> bool {
        while let Some((_, line)) = self.peek() {
            if !line.is_empty() {
                return true;
            }
            self.advance();
        }
        false
    }

    /// The next line when it starts with `prefix`, with the prefix removed, consumed.
    fn take(&mut self, prefix: &str) -> Option<(usize, &'t str)> {
        let (number, line) = self.peek()?;
        let rest = line.strip_prefix(prefix)?;
        self.advance();
        Some((number, rest))
    }

    /// Like [`Cursor::take`], but the line must be there.
    fn expect(&mut self, prefix: &str, what: &str) -> Result<(usize, &'t str), ParseError> {
        match self.peek() {
            Some((number, line)) => match line.strip_prefix(prefix) {
                Some(rest) => {
                    self.advance();
                    Ok((number, rest))
                }
                None => Err(expected(number, what, line)),
            },
            None => Err(error(
                self.last_number(),
                format!("expected {what}, found the end of the file"),
            )),
        }
    }

    /// Fails unless the block ends here (a blank line or the end of the file).
    fn end_of_block(&self, what: &str) -> Result<(), ParseError> {
        match self.peek() {
            Some((number, line)) if !line.is_empty() => Err(expected(number, what, line)),
            _ => Ok(()),
        }
    }

    /// The comment lines at the top: the spec's hash and the counts.
    fn header(&mut self) -> Result<Header, ParseError> {
        let mut sha256 = None;
        let mut counts = None;
        while let Some((number, line)) = self.peek() {
            if !line.starts_with('#') {
                break;
            }
            self.advance();
            if let Some(hash) = line.strip_prefix(SHA_PREFIX) {
                if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(expected(number, "a sha256 of 64 hex digits", hash));
                }
                sha256 = Some(hash.to_string());
            } else if is_counts_line(line) {
                counts = Some((number, line.to_string()));
            }
        }
        let after_header = self.last_number();
        let sha256 = sha256.ok_or_else(|| {
            error(
                after_header,
                format!("expected a header comment `{SHA_PREFIX}<hex>` before the first block"),
            )
        })?;
        let counts = counts.ok_or_else(|| {
            error(
                after_header,
                "expected a header comment `# <n> operations (…), <n> types` before the first \
                 block",
            )
        })?;
        Ok(Header { sha256, counts })
    }

    /// The rest of an operation's block, after its `operation <id>` line.
    fn operation(&mut self) -> Result<Operation, ParseError> {
        let (number, route) = self.expect("  route: ", "`  route: <METHOD> <path>`")?;
        let (method, path) = route
            .split_once(' ')
            .ok_or_else(|| expected(number, "`<METHOD> <path>`", route))?;
        let rust = if self.take(NOT_GENERATED).is_some() {
            None
        } else {
            Some(self.rust_operation()?)
        };
        let facade = match self.take("  facade: ") {
            Some((number, signature)) => {
                let mut facade = facade_method(number, signature)?;
                facade.doc = self.doc("    ")?;
                Some(facade)
            }
            None => None,
        };
        let mock = match self.take("  mock: ") {
            Some((number, signature)) => Some(mock_helper(number, signature)?),
            None => None,
        };
        let mut commands = Vec::new();
        while let Some((number, usage)) = self.take("  cli: ") {
            commands.push(command(number, usage)?);
        }
        self.end_of_block(
            "the next line of the operation (`  facade: `, `  mock: `, `  cli: `) or a blank line",
        )?;
        Ok(Operation {
            method: method.to_string(),
            path: path.to_string(),
            rust,
            facade,
            mock,
            commands,
        })
    }

    /// An operation's generated method: from its `method:` line to its `error:` line.
    fn rust_operation(&mut self) -> Result<RustOperation, ParseError> {
        let (number, signature) = self.expect(
            "  method: Client::",
            &format!("`  method: Client::<name>() -> builder::<Builder>` or `{NOT_GENERATED}`"),
        )?;
        let (method, builder) = signature
            .split_once("() -> builder::")
            .ok_or_else(|| expected(number, "`<name>() -> builder::<Builder>`", signature))?;
        let doc = self.doc("  ")?;
        let mut params = BTreeMap::new();
        while let Some((number, param)) = self.take("  param ") {
            let (name, rest) = param
                .split_once(": ")
                .ok_or_else(|| expected(number, "`param <name>: <type> <requirement>`", param))?;
            if params
                .insert(name.to_string(), parameter(number, rest)?)
                .is_some()
            {
                return Err(error(number, format!("parameter {name} listed twice")));
            }
        }
        let body = match self.take("  body: ") {
            Some((number, body)) => Some(parameter(number, body)?),
            None => None,
        };
        let (_, success) = self.expect("  success: ", "`  success: <type>`")?;
        let (_, error) = self.expect("  error: ", "`  error: <type>`")?;
        Ok(RustOperation {
            method: method.to_string(),
            builder: builder.to_string(),
            doc,
            params,
            body,
            success: success.to_string(),
            error: error.to_string(),
        })
    }

    /// The `<indent>doc: "<summary>" #<hash>` line, when the next line is one.
    fn doc(&mut self, indent: &str) -> Result<Option<Doc>, ParseError> {
        let Some((number, rest)) = self.take(&format!("{indent}doc: ")) else {
            return Ok(None);
        };
        let form = "`\"<first line>\" #<hash>`";
        let (quoted, hash) = rest
            .rsplit_once(" #")
            .ok_or_else(|| expected(number, form, rest))?;
        let summary = unquote(quoted).ok_or_else(|| expected(number, form, rest))?;
        let doc = Doc {
            summary,
            hash: hash.to_string(),
        };
        // What `render` would write for it, so escapes it would not write are refused too.
        if format!("{:?} #{}", doc.summary, doc.hash) != rest {
            return Err(expected(number, form, rest));
        }
        Ok(Some(doc))
    }

    /// The rest of a type's block, after its `type <Name>: <kind>` line (line `number`).
    fn type_def(&mut self, number: usize, kind: &str) -> Result<TypeDef, ParseError> {
        let mut shape = shape(number, kind)?;
        let doc = self.doc("  ")?;
        match &mut shape {
            Shape::Struct { fields, .. } => {
                *fields = self.fields("  ")?;
                self.end_of_block("`  field <name>: <type> <optional|required>` or a blank line")?;
            }
            Shape::Enum { variants, .. } => {
                while let Some((number, rest)) = self.take("  variant ") {
                    let (name, mut data) = variant(number, rest)?;
                    let doc = self.doc("    ")?;
                    if let VariantData::Struct(fields) = &mut data {
                        *fields = self.fields("    ")?;
                    }
                    if variants
                        .insert(name.clone(), Variant { doc, data })
                        .is_some()
                    {
                        return Err(error(number, format!("variant {name} listed twice")));
                    }
                }
                self.end_of_block("`  variant <Name>` or a blank line")?;
            }
            Shape::Tuple { .. } | Shape::Unit | Shape::Alias { .. } => {
                self.end_of_block("a blank line (this kind of type has no members)")?;
            }
        }
        Ok(TypeDef { doc, shape })
    }

    /// The `<indent>field ...` lines (each with its doc line) of a struct or variant.
    fn fields(&mut self, indent: &str) -> Result<BTreeMap<String, Field>, ParseError> {
        let mut fields = BTreeMap::new();
        while let Some((number, rest)) = self.take(&format!("{indent}field ")) {
            let form = "`field <name>: <type> <optional|required>`";
            let (name, typed) = rest
                .split_once(": ")
                .ok_or_else(|| expected(number, form, rest))?;
            let (ty, optionality) = typed
                .rsplit_once(' ')
                .ok_or_else(|| expected(number, form, rest))?;
            let optional = match optionality {
                "optional" => true,
                "required" => false,
                other => return Err(expected(number, "`optional` or `required`", other)),
            };
            let doc = self.doc(&format!("{indent}  "))?;
            let field = Field {
                ty: ty.to_string(),
                optional,
                doc,
            };
            if fields.insert(name.to_string(), field).is_some() {
                return Err(error(number, format!("field {name} listed twice")));
            }
        }
        Ok(fields)
    }
}

/// `<type> <required|optional|defaulted>`.
fn parameter(number: usize, text: &str) -> Result<Param, ParseError> {
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
fn facade_method(number: usize, signature: &str) -> Result<FacadeMethod, ParseError> {
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
fn mock_helper(number: usize, signature: &str) -> Result<MockHelper, ParseError> {
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
fn mock_trait(number: usize, line: &str) -> Result<MockTrait, ParseError> {
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
fn command(number: usize, usage: &str) -> Result<Command, ParseError> {
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
fn shape(number: usize, kind: &str) -> Result<Shape, ParseError> {
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
fn variant(number: usize, text: &str) -> Result<(String, VariantData), ParseError> {
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
fn split_top_level(text: &str) -> Vec<&str> {
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
fn unquote(quoted: &str) -> Option<String> {
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
fn error(number: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line: number,
        message: message.into(),
    }
}

/// "expected `<what>`, found `<found>`" at line `number`.
fn expected(number: usize, what: &str, found: &str) -> ParseError {
    error(number, format!("expected {what}, found `{found}`"))
}

#[cfg(test)]
mod tests;
