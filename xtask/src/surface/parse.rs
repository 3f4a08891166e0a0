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

use super::{Doc, Field, Operation, RustOperation, Shape, Surface, TypeDef, Variant, VariantData};

mod line;

pub use line::ParseError;
use line::{
    command, error, expected, facade_method, mock_helper, mock_trait, parameter, shape, unquote,
    variant,
};

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

#[cfg(test)]
mod tests;
