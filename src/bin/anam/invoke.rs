//! What every generated command calls (`commands`, from `$OUT_DIR/anam_cli.rs`): its shared
//! flags, reading its arguments, building and checking its JSON body, and printing the
//! response. Written once here, so the generated code is one call per argument.

use std::io::{Read, Write};
use std::path::Path;

use clap::{Arg, ArgAction, ArgMatches};
use futures_util::{Stream, TryStreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::output::{EXIT_OK, InputError, Outcome, Output};

/// The largest body file read, so a mistaken `--body-file /dev/zero` ends with an error.
const BODY_FILE_LIMIT: u64 = 16 * 1024 * 1024;

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
    output: Output,
}

impl<'m> Call<'m> {
    /// The command's own arguments, printed as `output` says.
    pub fn new(matches: &'m ArgMatches, output: Output) -> Self {
        Self { matches, output }
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

    /// The request body: the `--body-file` JSON (or `{}`), with each given field flag of
    /// `fields` (`(JSON name, argument id, kind)`) set in it, decoded into `B` so a body the
    /// API would refuse is refused here, naming the field and what was wrong.
    pub fn body<B: DeserializeOwned>(
        &self,
        fields: &[(&str, &str, Kind)],
    ) -> Result<B, InputError> {
        let mut body = match self.flag::<String>("body_file") {
            Some(path) => read_body(&path)?,
            None => Value::Object(Map::new()),
        };
        for (field, id, kind) in fields {
            let value = match kind {
                Kind::Text => self.flag::<String>(id).map(Value::from),
                Kind::Integer => self.flag::<i64>(id).map(Value::from),
                Kind::Number => self.flag::<f64>(id).map(Value::from),
                Kind::Boolean => self.flag::<bool>(id).map(Value::from),
            };
            let Some(value) = value else { continue };
            let Some(object) = body.as_object_mut() else {
                return Err(InputError(format!(
                    "the body is not a JSON object, so its `{field}` cannot be set"
                )));
            };
            object.insert((*field).to_string(), value);
        }
        serde_path_to_error::deserialize::<_, B>(body).map_err(|error| {
            let name = std::any::type_name::<B>()
                .rsplit("::")
                .next()
                .unwrap_or("?");
            let reason = anam::DecodeError::reason_of(error.inner());
            match error.path().to_string().as_str() {
                "." => InputError(format!("the body does not match {name}: {reason}")),
                path => InputError(format!(
                    "the body does not match {name} at `{path}`: {reason}"
                )),
            }
        })
    }

    /// True when the list should be streamed item by item (`--all` or `--limit`).
    pub fn streams(&self) -> bool {
        self.flag::<bool>("all").unwrap_or(false) || self.flag::<u64>("limit").is_some()
    }

    /// Every item of `items` (at most `--limit`) as JSON Lines on stdout.
    pub async fn items<T: Serialize>(&self, items: impl Stream<Item = anam::Result<T>>) -> Outcome {
        let limit = self.flag::<u64>("limit").unwrap_or(u64::MAX);
        let mut items = std::pin::pin!(items);
        let mut stdout = std::io::stdout().lock();
        let mut printed = 0;
        while printed < limit {
            let Some(item) = items.try_next().await? else {
                break;
            };
            serde_json::to_writer(&mut stdout, &crate::output::to_value(&item)?)?;
            writeln!(stdout)?;
            printed += 1;
        }
        stdout.flush()?;
        Ok(EXIT_OK)
    }

    /// The decoded response as JSON.
    pub fn print<T: Serialize>(&self, value: &T) -> Outcome {
        self.output.print(value)
    }

    /// A response without a body: nothing on stdout.
    pub fn done(&self) -> Outcome {
        Ok(EXIT_OK)
    }

    /// A response whose body is not JSON, copied to stdout as it arrives.
    #[allow(dead_code)] // Called by generated code when an operation answers with raw bytes.
    pub async fn write_bytes(&self, body: anam::raw::ByteStream) -> Outcome {
        let mut chunks = body.into_inner();
        let mut stdout = std::io::stdout().lock();
        while let Some(chunk) = chunks.try_next().await? {
            stdout.write_all(&chunk)?;
        }
        stdout.flush()?;
        Ok(EXIT_OK)
    }
}

/// `--body-file`'s JSON: from the file, or stdin for `-`.
fn read_body(path: &str) -> Result<Value, InputError> {
    let (name, source): (String, Box<dyn Read>) = if path == "-" {
        ("standard input".into(), Box::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(Path::new(path))
            .map_err(|e| InputError(format!("cannot read the body file {path}: {e}")))?;
        (path.to_string(), Box::new(file))
    };
    let mut bytes = Vec::new();
    source
        .take(BODY_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError(format!("cannot read the body from {name}: {e}")))?;
    if bytes.len() as u64 > BODY_FILE_LIMIT {
        return Err(InputError(format!(
            "the body in {name} is larger than {} MiB",
            BODY_FILE_LIMIT / (1024 * 1024)
        )));
    }
    serde_json::from_slice(&bytes).map_err(|error| {
        let reason = anam::DecodeError::reason_of(&error);
        InputError(format!(
            "the body in {name} is not JSON: {reason} at line {}, column {}",
            error.line(),
            error.column()
        ))
    })
}
