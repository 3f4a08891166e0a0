//! Cargo's JSON diagnostics, reduced to the errors, mapped back to the workspace (file, line,
//! the item around the line, the name that went missing).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use syn::spanned::Spanned;

/// How the generated files are named in the report, wherever `OUT_DIR` is.
const OUT_DIR_LABEL: &str = "$OUT_DIR";

/// One compiler error as cargo reported it, its file relative to the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawError {
    /// The file of its primary span: relative to the workspace root, `$OUT_DIR/<file>` for
    /// generated code, absolute for anything else.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The compiler's message (its first line).
    pub message: String,
    /// The targets it was reported for (`lib anam`, `test api`, ...).
    pub targets: Vec<String>,
}

impl RawError {
    /// One tab-separated line of the cache.
    pub fn to_cache_line(&self) -> String {
        let escape = |text: &str| {
            text.replace('\\', "\\\\")
                .replace('\t', "\\t")
                .replace('\n', "\\n")
        };
        format!(
            "{}\t{}\t{}\t{}\t{}",
            escape(&self.file),
            self.line,
            self.column,
            escape(&self.targets.join("\n")),
            escape(&self.message)
        )
    }

    /// The error of one cache line.
    pub fn from_cache_line(line: &str) -> Option<RawError> {
        let unescape = |text: &str| {
            let mut out = String::new();
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            }
            out
        };
        let mut fields = line.split('\t');
        let file = unescape(fields.next()?);
        let line = fields.next()?.parse().ok()?;
        let column = fields.next()?.parse().ok()?;
        let targets = unescape(fields.next()?);
        let message = unescape(fields.next()?);
        Some(RawError {
            file,
            line,
            column,
            message,
            targets: targets
                .split('\n')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect(),
        })
    }
}

/// A compiler error in the workspace, with what the report says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// As in [`RawError`].
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The compiler's message.
    pub message: String,
    /// The targets it was reported for.
    pub targets: Vec<String>,
    /// The item of the file around the line (`every_operation_has_a_method`,
    /// `Voices::clone_from_audio`), when the file parses.
    pub item: Option<String>,
    /// The name the message says is missing (`Voices::delete`), when it says one.
    pub missing: Option<String>,
}

impl CompileError {
    /// True for the same error at the same place (the targets aside).
    pub fn same_error(&self, other: &CompileError) -> bool {
        (&self.file, self.line, self.column, &self.message)
            == (&other.file, other.line, other.column, &other.message)
    }

    /// `tests/api/coverage.rs:117:12`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

impl fmt::Display for CompileError {
    /// `tests/api/coverage.rs:117:12 in every_operation (test api): missing Voices::delete:
    /// no method named ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.location())?;
        if let Some(item) = &self.item {
            write!(f, " in {item}")?;
        }
        write!(f, " ({})", self.targets.join(", "))?;
        if let Some(missing) = &self.missing {
            write!(f, ": missing {missing}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The errors among cargo's JSON messages (`--message-format=json` output), one per place and
/// message, sorted by file and line. `dir` is the workspace that was checked and `target_dir`
/// its target directory, so absolute paths below them can be shortened.
pub fn parse(stdout: &str, dir: &Path, target_dir: &Path) -> Vec<RawError> {
    let mut found: BTreeMap<(String, usize, usize, String), Vec<String>> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let Some((file, line, column)) = location(&message["message"], dir, target_dir) else {
            // "aborting due to N previous errors" and the like have no span.
            continue;
        };
        let text = message["message"]["message"]
            .as_str()
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        let targets = found.entry((file, line, column, text)).or_default();
        let target = target_label(&message["target"]);
        if !targets.contains(&target) {
            targets.push(target);
        }
    }
    found
        .into_iter()
        .map(|((file, line, column, message), targets)| RawError {
            file,
            line,
            column,
            message,
            targets,
        })
        .collect()
}

/// The place of a diagnostic: its primary span, or, when that lies outside the workspace (in a
/// macro's source), the first place in the workspace the macro was expanded from.
fn location(diagnostic: &Value, dir: &Path, target_dir: &Path) -> Option<(String, usize, usize)> {
    let primary = diagnostic["spans"]
        .as_array()?
        .iter()
        .find(|span| span["is_primary"] == true)?;
    let place = |span: &Value| {
        let (file, inside) = workspace_path(span["file_name"].as_str()?, dir, target_dir);
        let line = span["line_start"].as_u64()? as usize;
        let column = span["column_start"].as_u64()? as usize;
        Some(((file, line, column), inside))
    };
    let (first, inside) = place(primary)?;
    if inside {
        return Some(first);
    }
    let mut span = primary;
    loop {
        let expanded = &span["expansion"]["span"];
        if !expanded.is_object() {
            return Some(first);
        }
        if let Some((found, true)) = place(expanded) {
            return Some(found);
        }
        span = expanded;
    }
}

/// `file_name` as the report shows it, and whether it is a file of the workspace.
fn workspace_path(file_name: &str, dir: &Path, target_dir: &Path) -> (String, bool) {
    let path = Path::new(file_name);
    if path.is_relative() {
        return (file_name.to_string(), true);
    }
    if let Ok(relative) = path.strip_prefix(dir) {
        return (relative.to_string_lossy().into_owned(), true);
    }
    if path.starts_with(target_dir)
        && let Some((_, generated)) = file_name.rsplit_once("/out/")
    {
        return (format!("{OUT_DIR_LABEL}/{generated}"), false);
    }
    (file_name.to_string(), false)
}

/// `lib anam`, `test api`, `example transcript`, `bin xtask`, `build script anam`.
fn target_label(target: &Value) -> String {
    let kind = target["kind"][0].as_str().unwrap_or("target");
    let name = target["name"].as_str().unwrap_or_default();
    match kind {
        "custom-build" => format!("build script {name}"),
        kind => format!("{kind} {name}"),
    }
}

/// Adds to each error the item around it and the name it misses, reading the files from
/// `files` (the checked copy, by path relative to the workspace).
pub fn enrich(raw: Vec<RawError>, files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<CompileError> {
    let mut parsed: BTreeMap<String, Option<syn::File>> = BTreeMap::new();
    raw.into_iter()
        .map(|error| {
            let file = parsed.entry(error.file.clone()).or_insert_with(|| {
                let bytes = files.get(Path::new(&error.file))?;
                syn::parse_file(std::str::from_utf8(bytes).ok()?).ok()
            });
            let item = file
                .as_ref()
                .and_then(|file| enclosing_item(&file.items, error.line));
            CompileError {
                missing: missing_name(&error.message),
                item,
                file: error.file,
                line: error.line,
                column: error.column,
                message: error.message,
                targets: error.targets,
            }
        })
        .collect()
}

/// True when `node` spans `line`.
fn covers(node: &impl Spanned, line: usize) -> bool {
    let span = node.span();
    span.start().line <= line && line <= span.end().line
}

/// The innermost named item of `items` around `line`: `name`, `Type::method`, `module::name`.
pub fn enclosing_item(items: &[syn::Item], line: usize) -> Option<String> {
    let item = items.iter().find(|item| covers(*item, line))?;
    let named = |ident: &syn::Ident| Some(ident.to_string());
    match item {
        syn::Item::Fn(function) => named(&function.sig.ident),
        syn::Item::Impl(block) => {
            let owner = type_label(&block.self_ty);
            let member = block.items.iter().find_map(|member| match member {
                syn::ImplItem::Fn(function) if covers(function, line) => {
                    Some(function.sig.ident.to_string())
                }
                syn::ImplItem::Const(constant) if covers(constant, line) => {
                    Some(constant.ident.to_string())
                }
                _ => None,
            });
            Some(match member {
                Some(member) => format!("{owner}::{member}"),
                None => format!("impl {owner}"),
            })
        }
        syn::Item::Trait(definition) => {
            let member = definition.items.iter().find_map(|member| match member {
                syn::TraitItem::Fn(function) if covers(function, line) => {
                    Some(function.sig.ident.to_string())
                }
                _ => None,
            });
            Some(match member {
                Some(member) => format!("{}::{member}", definition.ident),
                None => definition.ident.to_string(),
            })
        }
        syn::Item::Mod(module) => {
            let inner = module
                .content
                .as_ref()
                .and_then(|(_, items)| enclosing_item(items, line));
            Some(match inner {
                Some(inner) => format!("{}::{inner}", module.ident),
                None => module.ident.to_string(),
            })
        }
        syn::Item::Struct(item) => named(&item.ident),
        syn::Item::Enum(item) => named(&item.ident),
        syn::Item::Const(item) => named(&item.ident),
        syn::Item::Static(item) => named(&item.ident),
        syn::Item::Type(item) => named(&item.ident),
        syn::Item::Macro(item) => match &item.ident {
            Some(ident) => named(ident),
            None => item
                .mac
                .path
                .segments
                .last()
                .map(|segment| format!("{}!", segment.ident)),
        },
        _ => None,
    }
}

/// The last path segment of a type (`Voices` for `Voices<'a>`), or its tokens.
fn type_label(ty: &syn::Type) -> String {
    crate::codegen::type_name(ty)
        .unwrap_or_else(|| quote::ToTokens::to_token_stream(ty).to_string())
}

/// The name an error message says is missing, as a path: `Voices::delete` for "no method named
/// `delete` found for struct `Voices<'a>`", `anam::types::X` for "cannot find type `X` in
/// module `anam::types`", `Voice.accent` for "no field `accent` on type `Voice`".
pub fn missing_name(message: &str) -> Option<String> {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let name = *quoted.first()?;
    let owner = quoted.get(1).map(|owner| owner_path(owner));
    let member_of = |separator: &str| {
        owner
            .as_ref()
            .map(|owner| format!("{owner}{separator}{name}"))
    };
    const MEMBERS: &[&str] = &[
        "no method named",
        "no function or associated item named",
        "no associated item named",
        "no variant or associated item named",
        "no variant named",
        "no associated function or constant named",
    ];
    if MEMBERS.iter().any(|start| message.starts_with(start)) {
        return member_of("::");
    }
    if message.starts_with("no field") {
        return member_of(".");
    }
    if message.starts_with("cannot find") || message.starts_with("failed to resolve") {
        // "... `X` in module `m`", "... could not find `X` in `m`"; "... `X` in this scope".
        return Some(match quoted.get(1) {
            Some(scope) => format!("{}::{name}", owner_path(scope)),
            None => name.to_string(),
        });
    }
    if message.starts_with("unresolved import") {
        return Some(name.to_string());
    }
    if message.contains("has no field named") {
        // "struct `T` has no field named `f`", "variant `E::V` has no field named `f`".
        let field = quoted.get(1)?;
        return Some(format!("{}.{field}", owner_path(name)));
    }
    None
}

/// A type as a path: references and generic arguments dropped (`&Voices<'_>` → `Voices`).
fn owner_path(ty: &str) -> String {
    let ty = ty.trim_start_matches('&').trim_start_matches("mut ").trim();
    ty.split('<').next().unwrap_or(ty).to_string()
}

#[cfg(test)]
mod tests;
