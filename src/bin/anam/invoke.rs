//! What every generated command calls (`commands`, from `$OUT_DIR/anam_cli.rs`): its shared
//! flags, reading its arguments, building and checking its JSON body, and printing the
//! response. Written once here, so the generated code is one call per argument.

use clap::{Arg, ArgAction, ArgMatches};
use futures_util::{Stream, TryStreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::output::{EXIT_OK, InputError, Io, Outcome};

mod body;

use body::{Entries, mismatch, object_text, read_body};

/// One command of the generated list.
#[derive(Clone, Copy, Debug)]
pub struct Listed {
    /// The resource command (`personas`).
    pub resource: &'static str,
    /// The verb (`delete`).
    pub verb: &'static str,
    /// The spec's summary (`Delete persona`), which the confirmation question uses.
    pub about: &'static str,
    /// Its positional arguments (the path ids), which the confirmation question names.
    pub ids: &'static [&'static str],
    /// True when it asks first, or needs `--yes`.
    pub destructive: bool,
    /// False for the hand-written upload commands.
    pub generated: bool,
}

/// How a body field's flag value is written into the JSON body.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A JSON string.
    Text,
    /// A JSON integer.
    Integer,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// `--body-file FILE` (`-` for stdin).
pub fn body_file_arg() -> Arg {
    Arg::new("body_file")
        .long("body-file")
        .value_name("FILE")
        .help("The JSON request body, from this file (`-` for standard input); field flags override its fields")
}

/// `--strict` of a command with a body.
pub fn strict_arg() -> Arg {
    Arg::new("strict")
        .long("strict")
        .action(ArgAction::SetTrue)
        .help("Refuse a body with fields the API spec does not describe (by default they are sent, with a warning)")
}

/// `--all` and `--limit N` of a paginated list.
pub fn page_args() -> [Arg; 2] {
    [
        Arg::new("all")
            .long("all")
            .action(ArgAction::SetTrue)
            .help("Every item of every page, one JSON object per line (JSON Lines)"),
        Arg::new("limit")
            .long("limit")
            .value_name("N")
            .value_parser(clap::value_parser!(u64))
            .help("Stop after N items (across pages, as JSON Lines)"),
    ]
}

/// `--yes` of a destructive command.
pub fn yes_arg() -> Arg {
    Arg::new("yes")
        .long("yes")
        .short('y')
        .action(ArgAction::SetTrue)
        .help("Do it without asking (required without a terminal)")
}

/// The error for a command the generated dispatch does not know (never reached through the
/// parsed command line).
pub fn not_generated(resource: &str, verb: &str) -> Box<dyn std::error::Error + Send + Sync> {
    Box::new(InputError(format!(
        "`anam {resource} {verb}` is not a generated command"
    )))
}

/// One parsed generated command.
pub struct Call<'m> {
    matches: &'m ArgMatches,
    io: Io,
}

impl<'m> Call<'m> {
    /// The command's own arguments, printed as `output` says.
    pub fn new(matches: &'m ArgMatches, io: Io) -> Self {
        Self { matches, io }
    }

    /// A required argument (a path id), as clap parsed it.
    pub fn value<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Result<T, InputError> {
        self.flag(id)
            .ok_or_else(|| InputError(format!("the argument <{id}> is missing")))
    }

    /// An optional flag, as clap parsed it.
    pub fn flag<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Option<T> {
        self.matches.try_get_one::<T>(id).ok().flatten().cloned()
    }

    /// A flag given any number of times (`--tags a --tags b`).
    pub fn flags<T: Clone + Send + Sync + 'static>(&self, id: &str) -> Option<Vec<T>> {
        let values = self.matches.try_get_many::<T>(id).ok().flatten()?;
        Some(values.cloned().collect())
    }

    /// What `listed` is about to do, for the confirmation question: `Delete persona 1234`.
    pub fn action(&self, listed: &Listed) -> String {
        let mut action = listed.about.to_string();
        for id in listed.ids {
            if let Some(value) = self.matches.get_raw(id).into_iter().flatten().next() {
                action.push(' ');
                action.push_str(&value.to_string_lossy());
            }
        }
        action
    }

    /// True when `--yes` was given.
    pub fn yes(&self) -> bool {
        self.flag::<bool>("yes").unwrap_or(false)
    }

    /// The request body to send: the `--body-file` JSON (or `{}`), with each given field flag
    /// of `fields` (`(JSON name, argument id, kind)`) set in it, checked by decoding it into
    /// `B` so a body the API would refuse is refused here, naming the field and what was
    /// wrong. What is sent is the JSON as written, not `B` encoded again: the file's bytes
    /// when nothing was changed, else its top-level fields in their order, each value's text
    /// as written (`null`s, number text, nested key order kept), the changed ones in place
    /// and new ones at the end.
    ///
    /// Fields the spec does not describe are kept and sent, each named in a warning (refused
    /// with `--strict`). The top-level `read_only` fields (what a `get` answers with that the
    /// update does not take: `id`, `createdAt`, …) are left out, with a note, so
    /// `get | jq | update` works.
    pub fn body<B: DeserializeOwned>(
        &self,
        fields: &[(&str, &str, Kind)],
        read_only: &[&str],
    ) -> Result<Vec<u8>, InputError> {
        let written = match self.flag::<String>("body_file") {
            Some(path) => read_body(&path)?,
            None => b"{}".to_vec(),
        };
        // The top-level fields in order, each value's text as written; `None` for a body
        // that is not an object.
        let mut entries = serde_json::from_slice::<Entries>(&written)
            .ok()
            .map(|e| e.0);
        let mut edited = false;
        if let Some(entries) = entries.as_mut() {
            let mut left_out: Vec<&str> = Vec::new();
            entries.retain(|(key, _)| {
                let Some(field) = read_only.iter().find(|field| **field == key) else {
                    return true;
                };
                if !left_out.contains(field) {
                    left_out.push(field);
                }
                false
            });
            if !left_out.is_empty() {
                edited = true;
                stderr_line(&format!(
                    "note: left out what this update does not take (read-only): {}",
                    left_out.join(", ")
                ));
            }
        }
        for (field, id, kind) in fields {
            let value = match kind {
                Kind::Text => self.flag::<String>(id).map(Value::from),
                Kind::Integer => self.flag::<i64>(id).map(Value::from),
                Kind::Number => self.flag::<f64>(id).map(Value::from),
                Kind::Boolean => self.flag::<bool>(id).map(Value::from),
            };
            let Some(value) = value else { continue };
            let Some(entries) = entries.as_mut() else {
                return Err(InputError(format!(
                    "the body is not a JSON object, so its `{field}` cannot be set"
                )));
            };
            let value = serde_json::value::to_raw_value(&value)
                .map_err(|e| InputError(format!("the value of `{field}`: {e}")))?;
            match entries.iter_mut().find(|(key, _)| key == field) {
                Some((_, old)) => *old = value,
                None => entries.push(((*field).to_string(), value)),
            }
            edited = true;
        }
        let sent = match entries {
            Some(entries) if edited => object_text(&entries),
            _ => written,
        };
        let body: Value = serde_json::from_slice(&sent)
            .map_err(|e| InputError(format!("the body is not JSON: {e}")))?;
        let name = std::any::type_name::<B>()
            .rsplit("::")
            .next()
            .unwrap_or("?");
        // Decoded twice only on error: the first pass keeps the unknown fields' names, the
        // second finds the path of what is wrong.
        let unknown = match anam::unknown_fields::decode::<B>(body.clone()) {
            Ok((_, unknown)) => unknown,
            Err(_) => return Err(mismatch::<B>(body, name)),
        };
        if !unknown.is_empty() {
            let list = unknown
                .iter()
                .map(|field| format!("`{field}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if self.flag::<bool>("strict").unwrap_or(false) {
                return Err(InputError(format!(
                    "the body has fields the API spec does not describe for {name}: {list} (--strict)"
                )));
            }
            stderr_line(&format!(
                "warning: the API spec does not describe {list} for {name}: sent as written (--strict refuses)"
            ));
        }
        Ok(sent)
    }

    /// Sends `body` (from [`body`](Self::body)) as written to the operation `operation_id`
    /// through [`anam::Client::raw_json`], with the path ids `path` (`(template name,
    /// argument id)`) and the given query flags `query` (`(query name, argument id)`, each
    /// value as typed), and prints the answer as [`print`](Self::print) does, checked against
    /// `T`.
    pub async fn send_json<T: DeserializeOwned + Send + 'static>(
        &self,
        client: &anam::Client,
        operation_id: &str,
        path: &[(&str, &str)],
        query: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Outcome {
        let operation = anam::spec::operation(operation_id)
            .ok_or_else(|| InputError(format!("no operation `{operation_id}` in the spec")))?;
        let mut request = client.raw_json(operation);
        for (name, id) in path {
            request = request.path(*name, self.text(id)?);
        }
        for (name, id) in query {
            for value in self.matches.get_raw(id).into_iter().flatten() {
                request = request.query(*name, value.to_string_lossy());
            }
        }
        let response = request.body_bytes(body).decode_as::<T>().await?;
        self.print(response)
    }

    /// A path id as text, whatever type clap parsed it into (text or a UUID).
    fn text(&self, id: &str) -> Result<String, InputError> {
        if let Ok(Some(text)) = self.matches.try_get_one::<String>(id) {
            return Ok(text.clone());
        }
        match self.matches.try_get_one::<uuid::Uuid>(id) {
            Ok(Some(uuid)) => Ok(uuid.to_string()),
            _ => Err(InputError(format!("the argument <{id}> is missing"))),
        }
    }

    /// True when the list should be streamed item by item (`--all` or `--limit`).
    pub fn streams(&self) -> bool {
        self.flag::<bool>("all").unwrap_or(false) || self.flag::<u64>("limit").is_some()
    }

    /// Every item of `items` (at most `--limit`) as JSON Lines on stdout, each as the server
    /// wrote it (only its layout made compact). An item that does not match its type is
    /// printed all the same, with a warning on stderr naming where it is off.
    pub async fn items<T>(
        &self,
        items: impl Stream<Item = anam::Result<anam::pagination::RawItem<T>>>,
    ) -> Outcome {
        let limit = self.flag::<u64>("limit").unwrap_or(u64::MAX);
        let mut items = std::pin::pin!(items);
        let mut printed = 0;
        // A table needs every row for its widths; JSON Lines go out as they come.
        let mut rows = Vec::new();
        while printed < limit {
            let Some(item) = items.try_next().await? else {
                break;
            };
            if self.io.table() {
                if let Err(off) = item.decoded() {
                    off_spec(off, Some(item.page()));
                }
                rows.push(item.json().to_vec());
            } else {
                print_item(self.io, &item)?;
            }
            printed += 1;
        }
        if self.io.table() {
            self.io.items_table(&rows)?;
        }
        Ok(EXIT_OK)
    }

    /// The response as the server sent it (see [`Io::print_body`]). The typed decode is
    /// a check: when it failed, the body is printed all the same (the call succeeded: a
    /// `create` created, and its id is in the body), then a warning on stderr says where and
    /// why, without the values, and the exit status is still 0.
    ///
    /// A list's page prints as its items (JSON Lines, or a table), the same shape as
    /// [`items`](Self::items) prints for `--all`; its `meta` is left out (a note on stderr
    /// says when more pages remain, on a terminal).
    pub fn print<T>(&self, response: anam::RawResponse<T>) -> Outcome {
        let is_list = self.matches.try_get_one::<bool>("all").is_ok();
        if !is_list {
            return print_raw(self.io, &response);
        }
        let Some((items, more)) = page_items(response.body()) else {
            return print_raw(self.io, &response);
        };
        if let Err(off) = response.decoded() {
            off_spec(off, None);
        }
        if self.io.table() {
            let rows: Vec<&[u8]> = items.iter().map(|item| item.get().as_bytes()).collect();
            self.io.items_table(&rows)?;
        } else {
            for item in &items {
                self.io.item(item.get().as_bytes())?;
            }
        }
        if let Some(more) = more
            && std::io::IsTerminal::is_terminal(&std::io::stderr())
        {
            stderr_line(&more);
        }
        Ok(EXIT_OK)
    }

    /// A response without a body: nothing on stdout.
    pub fn done(&self) -> Outcome {
        Ok(EXIT_OK)
    }

    /// A response whose body is not JSON, copied to stdout as it arrives.
    #[allow(dead_code)] // Called by generated code when an operation answers with raw bytes.
    pub async fn write_bytes(&self, body: anam::raw::ByteStream) -> Outcome {
        let mut chunks = body.into_inner();
        while let Some(chunk) = chunks.try_next().await? {
            self.io.write(&chunk)?;
        }
        Ok(EXIT_OK)
    }
}

/// A response as the server sent it, on stdout as `io` says ([`Io::print_body`]);
/// when its typed decode failed, a warning on stderr says where and why (never a value).
/// Every command that prints an answer prints it here, generated or hand-written.
pub fn print_raw<T>(io: Io, response: &anam::RawResponse<T>) -> Outcome {
    let outcome = io.print_body(response.body())?;
    if let Err(off) = response.decoded() {
        off_spec(off, None);
    }
    Ok(outcome)
}

/// One list item as the server wrote it, one compact line (JSON Lines); an item off the spec
/// is printed all the same, then a warning on stderr names its page and where it is off.
pub fn print_item<T>(
    io: Io,
    item: &anam::pagination::RawItem<T>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    io.item(item.json())?;
    if let Err(off) = item.decoded() {
        off_spec(off, Some(item.page()));
    }
    Ok(())
}

/// The items of a list page (`{data: [...], meta}`), each as written, and a note when its
/// `meta` says more pages remain; `None` for a body that is not such a page.
fn page_items(body: &[u8]) -> Option<(Vec<&RawValue>, Option<String>)> {
    #[derive(serde::Deserialize)]
    struct Page<'p> {
        #[serde(borrow)]
        data: Vec<&'p RawValue>,
        #[serde(default)]
        meta: Option<Value>,
    }
    let page: Page<'_> = serde_json::from_slice(body).ok()?;
    let number = |key| page.meta.as_ref()?.get(key)?.as_u64();
    let more = match (number("currentPage"), number("lastPage")) {
        (Some(current), Some(last)) if current < last => Some(format!(
            "note: page {current} of {last}{}: --page {} for the next, --all for every item",
            number("total")
                .map(|t| format!(" ({t} items)"))
                .unwrap_or_default(),
            current + 1
        )),
        _ => None,
    };
    Some((page.data, more))
}

/// One line on stderr; a closed or full stderr is not worth failing the command for.
fn stderr_line(line: &str) {
    crate::output::note(line);
}

/// The warning for a 2xx answer that does not match the spec: where and why, never a value.
pub fn off_spec(error: &anam::DecodeError, page: Option<u64>) {
    let page = page.map(|p| format!(" (page {p})")).unwrap_or_default();
    stderr_line(&format!(
        "warning: printed as the server sent it, but it does not match the API spec{page}: {error}"
    ));
}
