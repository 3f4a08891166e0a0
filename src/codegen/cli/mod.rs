//! The command line's generated half: one `anam <resource> <verb>` command per facade method,
//! read from the same operation table, builders and naming tables as the facade itself, so an
//! operation added to the spec gets its command with no hand-written line.
//!
//! This module decides what each command is ([`CliCommand`]: its name, arguments, help text,
//! output); [`code`] turns that into the clap command tree and the
//! dispatch the `anam` binary includes from `$OUT_DIR/anam_cli.rs`.

use std::collections::BTreeSet;

use super::Notes;
use super::facade::{self, BuilderInfo, HAND_WRITTEN_METHODS, METHOD_NAMES, SUB_CLIENTS};
use super::rows::OperationRow;

pub mod code;
mod inputs;

pub use inputs::{Kind, SpecInputs, spec_inputs};

/// Flags every command may carry, which a spec field must not take over.
pub const RESERVED_FLAGS: &[&str] = &[
    "all",
    "api-key-file",
    "base-url",
    "body-file",
    "help",
    "json",
    "limit",
    "timeout",
    "version",
    "yes",
];

/// Operations that are destructive although their method is not DELETE (every DELETE is):
/// they ask for confirmation, or `--yes`.
pub const DESTRUCTIVE_OPERATIONS: &[&str] = &["stopSession"];

/// A positional argument: a path parameter, in template order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Positional {
    /// The argument id, the facade method's parameter name (`id`).
    pub id: String,
    /// The parameter's name in the path template (`id`).
    pub name: String,
    /// Help text.
    pub help: String,
    /// The Rust type the command line parses it into (`::uuid::Uuid`, `::std::string::String`).
    pub ty: String,
}

/// A query-parameter flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryFlag {
    /// The builder setter and argument id (`per_page`).
    pub id: String,
    /// The parameter's name in the query (`perPage`).
    pub name: String,
    /// The long flag (`per-page`).
    pub long: String,
    /// Help text.
    pub help: String,
    /// True when the spec requires it.
    pub required: bool,
    /// Its enum values (then it is parsed as text and converted by the setter).
    pub values: Vec<String>,
    /// The setter's target type, as seen from the binary (`::std::num::NonZeroU64`); for a
    /// list, the type of one item.
    pub ty: String,
    /// True for a list (`--tags a --tags b`).
    pub many: bool,
}

/// A flag for one top-level scalar field of a JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyFlag {
    /// The field's JSON name (`displayName`).
    pub field: String,
    /// The long flag (`display-name`).
    pub long: String,
    /// Help text.
    pub help: String,
    /// Its enum values.
    pub values: Vec<String>,
    /// How its value is parsed and written into the JSON body.
    pub kind: Kind,
    /// True when the spec requires the field: the flag is then required unless a
    /// `--body-file` is given (which must hold it).
    pub required: bool,
}

/// What a command prints on success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printed {
    /// The decoded body, as JSON.
    Json,
    /// Nothing (the response has no body).
    Nothing,
    /// The raw bytes of a non-JSON body.
    Bytes,
}

/// One command of the generated command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliCommand {
    /// The resource command (`share-links`), from the sub-client.
    pub resource: String,
    /// The verb (`update`), from the facade method.
    pub verb: String,
    /// The operation it sends.
    pub operation_id: String,
    /// The request's media type (`application/json`, or `multipart/form-data` for uploads).
    pub media_type: String,
    /// The client's sub-client accessor (`share_links`).
    pub accessor: String,
    /// The facade method (`update`).
    pub method: String,
    /// One line of help.
    pub about: String,
    /// The long help: summary, the spec's description, the HTTP route.
    pub long_about: String,
    /// Path ids, in template order.
    pub positionals: Vec<Positional>,
    /// Query-parameter flags.
    pub query: Vec<QueryFlag>,
    /// The JSON body type (as seen from the binary) and its field flags, when it takes one.
    pub body: Option<(String, Vec<BodyFlag>)>,
    /// Fields a body fed from the matching `get` holds that the body does not take (an update
    /// leaves them out, with a note).
    pub read_only: Vec<String>,
    /// True when it has `--all` and `--limit` (`into_stream()`).
    pub paginated: bool,
    /// True when it asks for confirmation or `--yes`.
    pub destructive: bool,
    /// What it prints.
    pub printed: Printed,
    /// The success type, as seen from the binary (`::anam::types::Persona`), when it is
    /// JSON.
    pub success: Option<String>,
    /// True for the uploads, whose commands are written by hand in the binary around the
    /// hand-written facade methods; nothing is generated for them but their place in the list.
    pub hand_written: bool,
}

/// `kebab-case` of a name in any case.
pub fn kebab(name: &str) -> String {
    heck::ToKebabCase::to_kebab_case(name)
}

/// A type of progenitor's `builder` module as the binary names it.
fn from_binary(ty: &syn::Type) -> String {
    let text = quote::ToTokens::to_token_stream(ty)
        .to_string()
        .replace(' ', "");
    match text.strip_prefix("types::") {
        Some(rest) => format!("::anam::types::{rest}"),
        None => text,
    }
}

/// [`from_binary`] for a type that may name `types::…` inside its generic arguments
/// (`::std::vec::Vec<types::KnowledgeSearchResult>`).
fn from_binary_deep(ty: &syn::Type) -> String {
    let text = from_binary(ty);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("types::") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let starts_path = out.is_empty() || out.ends_with(['<', ',', '(', '[', '&']);
        out.push_str(if starts_path {
            "::anam::types::"
        } else {
            "types::"
        });
        rest = &after["types::".len()..];
    }
    out.push_str(rest);
    out
}

/// The target of a builder setter's `TryInto<T>` bound.
fn setter_type(info: &BuilderInfo, setter: &str) -> Option<syn::Type> {
    let generics = info.setters.get(setter)?;
    generics
        .where_clause
        .iter()
        .flat_map(|c| c.predicates.iter())
        .find_map(facade::try_into_target)
}

/// Every command, one per facade method of every operation of `rows`, grouped by sub-client in
/// [`SUB_CLIENTS`] order. Fails when two methods would share a command; an operation left
/// without one (hand-written in the spec's terms, with no hand-written method yet) gets a note.
pub fn commands(
    rows: &[OperationRow],
    inputs: &[(String, SpecInputs)],
    builders: &std::collections::BTreeMap<String, BuilderInfo>,
    whole_hand_written: &BTreeSet<String>,
    notes: &mut Notes,
) -> Result<Vec<CliCommand>, String> {
    let mut commands = Vec::new();
    for (tag, sub_client) in SUB_CLIENTS {
        for row in rows.iter().filter(|row| row.tag == *tag) {
            let empty = SpecInputs::default();
            let spec = inputs
                .iter()
                .find(|(id, _)| *id == row.id)
                .map(|(_, inputs)| inputs)
                .unwrap_or(&empty);
            let builder = heck::ToPascalCase::to_pascal_case(row.id.as_str());
            if !whole_hand_written.contains(&row.id) {
                let info = builders
                    .get(&builder)
                    .ok_or_else(|| format!("{}: no generated builder `{builder}`", row.id))?;
                commands.push(generated(row, spec, sub_client, info)?);
            }
            for (id, media_type, method) in HAND_WRITTEN_METHODS {
                if *id == row.id {
                    commands.push(CliCommand {
                        hand_written: true,
                        ..base(row, spec, sub_client, method, media_type)
                    });
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    for command in &commands {
        if !seen.insert((&command.resource, &command.verb)) {
            return Err(format!(
                "two operations would both be `anam {} {}` (the second is {})",
                command.resource, command.verb, command.operation_id
            ));
        }
    }
    for row in rows {
        if !commands.iter().any(|c| c.operation_id == row.id) {
            notes.add(
                "cli",
                &row.id,
                "no command: no sub-client method (reachable through raw() only)",
            );
        }
    }
    Ok(commands)
}

fn method_name(row: &OperationRow) -> String {
    METHOD_NAMES
        .iter()
        .find(|(op, _)| *op == row.id)
        .map(|(_, method)| (*method).to_string())
        .unwrap_or_else(|| heck::ToSnakeCase::to_snake_case(row.id.as_str()))
}

/// Summary, description and route, as clap's `about` and `long_about`.
fn help(row: &OperationRow, spec: &SpecInputs) -> (String, String) {
    let mut about = row.summary.trim().trim_end_matches('.').to_string();
    if let Some(first) = about.get(..1) {
        about = first.to_uppercase() + &about[1..];
    }
    let mut long = format!("{about}.");
    if !spec.description.is_empty() && spec.description != row.summary {
        long.push_str("\n\n");
        long.push_str(&spec.description);
    }
    if !spec.body_help.is_empty() {
        long.push_str("\n\nThe body: ");
        long.push_str(&spec.body_help);
    }
    long.push_str(&format!("\n\nSends `{} {}`.", row.method, row.path));
    (about, long)
}

fn base(
    row: &OperationRow,
    spec: &SpecInputs,
    sub_client: &str,
    method: &str,
    media_type: &str,
) -> CliCommand {
    let (about, long_about) = help(row, spec);
    CliCommand {
        resource: kebab(sub_client),
        verb: kebab(method),
        operation_id: row.id.clone(),
        media_type: media_type.to_string(),
        accessor: heck::ToSnakeCase::to_snake_case(sub_client),
        method: method.to_string(),
        about,
        long_about,
        positionals: Vec::new(),
        query: Vec::new(),
        body: None,
        read_only: spec.read_only.clone(),
        paginated: false,
        destructive: row.method == "DELETE" || DESTRUCTIVE_OPERATIONS.contains(&row.id.as_str()),
        printed: Printed::Json,
        success: None,
        hand_written: false,
    }
}

fn generated(
    row: &OperationRow,
    spec: &SpecInputs,
    sub_client: &str,
    info: &BuilderInfo,
) -> Result<CliCommand, String> {
    let method = method_name(row);
    let mut command = base(row, spec, sub_client, &method, "application/json");
    let missing = |setter: &str| format!("{}: the builder has no setter `{setter}`", row.id);
    for parameter in &row.path_params {
        let id = heck::ToSnakeCase::to_snake_case(parameter.name.as_str());
        let ty = setter_type(info, &id).ok_or_else(|| missing(&id))?;
        let help = spec
            .path_help
            .iter()
            .find(|(name, _)| *name == parameter.name)
            .map(|(_, help)| help.clone())
            .filter(|help| !help.is_empty())
            .unwrap_or_else(|| format!("The `{}` of the {}.", parameter.name, command.resource));
        command.positionals.push(Positional {
            id,
            name: parameter.name.clone(),
            help,
            ty: from_binary(&ty),
        });
    }
    let mut taken: BTreeSet<String> = RESERVED_FLAGS.iter().map(|f| f.to_string()).collect();
    for parameter in &spec.query {
        let id = heck::ToSnakeCase::to_snake_case(parameter.name.as_str());
        let ty = setter_type(info, &id).ok_or_else(|| missing(&id))?;
        let (ty, many) = match super::generic_argument(&ty, "Vec", 0) {
            Some(item) => (item.clone(), true),
            None => (ty, false),
        };
        let long = kebab(&parameter.name);
        if !taken.insert(long.clone()) {
            return Err(format!(
                "{}: query parameter `{}` would be `--{long}`, which is taken",
                row.id, parameter.name
            ));
        }
        command.query.push(QueryFlag {
            id,
            name: parameter.name.clone(),
            long,
            help: parameter.help.clone(),
            required: parameter.required,
            values: parameter.values.clone(),
            ty: from_binary(&ty),
            many,
        });
    }
    if row.json_body {
        let ty = setter_type(info, "body").ok_or_else(|| missing("body"))?;
        let flags = spec
            .body_fields
            .iter()
            .filter_map(|field| {
                let long = kebab(&field.name);
                // A field whose flag would clash stays reachable through --body-file.
                taken.insert(long.clone()).then(|| BodyFlag {
                    field: field.name.clone(),
                    long,
                    help: field.help.clone(),
                    values: field.values.clone(),
                    kind: field.kind.unwrap_or(Kind::Text),
                    required: field.required,
                })
            })
            .collect();
        command.body = Some((from_binary(&ty), flags));
    }
    command.paginated = row.paginated;
    command.printed = match &info.success {
        Some(syn::Type::Tuple(unit)) if unit.elems.is_empty() => Printed::Nothing,
        Some(ty) if from_binary(ty).ends_with("ByteStream") => Printed::Bytes,
        _ => Printed::Json,
    };
    if command.printed == Printed::Json {
        command.success = info.success.as_ref().map(from_binary_deep);
    }
    Ok(command)
}

/// The command's usage line, as `openapi/surface.txt` lists it: `anam voices get <id>
/// [--search <TEXT>] …`. xtask's `surface::parse` reads the command's arguments back from it
/// (positionals first, optional flags bracketed): keep that form, or change both.
pub fn usage(command: &CliCommand) -> String {
    let mut words = vec![
        "anam".to_string(),
        command.resource.clone(),
        command.verb.clone(),
    ];
    if command.hand_written {
        words.push(format!("({} upload, hand-written)", command.media_type));
        return words.join(" ");
    }
    words.extend(command.positionals.iter().map(|p| format!("<{}>", p.id)));
    for flag in &command.query {
        let value = if flag.values.is_empty() {
            flag.ty.rsplit("::").next().unwrap_or_default().to_string()
        } else {
            flag.values.join("|")
        };
        let many = if flag.many { "…" } else { "" };
        let text = format!("--{} <{value}>{many}", flag.long);
        words.push(if flag.required {
            text
        } else {
            format!("[{text}]")
        });
    }
    if let Some((ty, fields)) = &command.body {
        let ty = ty.rsplit("::").next().unwrap_or_default();
        words.push(format!("[--body-file <{ty} JSON>]"));
        words.extend(fields.iter().map(|f| format!("[--{}]", f.long)));
    }
    if command.paginated {
        words.push("[--all] [--limit <N>]".into());
    }
    if command.destructive {
        words.push("[--yes]".into());
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_vendored_spec_has_a_command_for_every_operation() {
        let commands = &super::super::vendored().cli_commands;
        let covered: BTreeSet<&str> = commands.iter().map(|c| c.operation_id.as_str()).collect();
        assert_eq!(covered.len(), 57);
        assert_eq!(
            commands.len(),
            59,
            "57 operations, two with an upload variant"
        );
        let find = |resource: &str, verb: &str| {
            commands
                .iter()
                .find(|c| c.resource == resource && c.verb == verb)
                .unwrap_or_else(|| panic!("no `anam {resource} {verb}`"))
        };
        let update = find("share-links", "update");
        assert_eq!(update.positionals[0].ty, "::uuid::Uuid");
        let (body, fields) = update.body.as_ref().unwrap();
        assert_eq!(body, "::anam::types::UpdateShareLinkBody");
        assert_eq!(fields[0].long, "expires-in-hours");
        assert_eq!(fields[0].kind, Kind::Number);
        let avatars = find("avatars", "list");
        assert!(avatars.paginated);
        let tags = avatars.query.iter().find(|q| q.id == "tags").unwrap();
        assert!(tags.many);
        let style = avatars
            .query
            .iter()
            .find(|q| q.id == "render_style")
            .unwrap();
        assert!(style.values.contains(&"realistic".to_string()));
        assert!(find("personas", "delete").destructive);
        assert!(find("sessions", "stop").destructive);
        assert!(!find("personas", "get").destructive);
        assert_eq!(find("tools", "delete").printed, Printed::Nothing);
        assert!(find("knowledge", "upload-document").hand_written);
        assert!(find("voices", "clone-from-audio").hand_written);
        find("knowledge", "list-groups");
        find("meetings", "create-invite");
        find("engine", "create-session");
        assert_eq!(
            usage(find("avatars", "delete")),
            "anam avatars delete <id> [--hard <bool>] [--yes]"
        );
    }

    #[test]
    fn two_operations_named_alike_are_refused() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/v1/tools": {"get": {"operationId": "listTools", "tags": ["Tools"],
                "responses": {"200": {"description": "ok"}}}},
            "/v1/tools/all": {"get": {"operationId": "list", "tags": ["Tools"],
                "responses": {"200": {"description": "ok"}}}}}});
        let error = super::super::generate(doc.to_string().as_bytes())
            .expect_err("two `anam tools list` commands");
        assert!(error.to_string().contains("anam tools list"), "{error}");
    }
}
