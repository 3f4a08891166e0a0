//! `anam api METHOD PATH`, as `gh api`: any request with the key, through the client's own
//! transport (retries, rate-limit pause, error mapping). A path the spec describes goes out
//! as its operation (`Client::raw_json`, path values checked), any other as a literal path
//! (`Client::raw_path`). The answer is printed as the server sent it.

use std::io::Read;

use anam::Client;
use anam::spec::Method;
use clap::Args;
use serde_json::{Map, Value};

use crate::output::{EXIT_OK, InputError, Io, Outcome};

/// The most pages `--paginate` follows, so a server that never says "last" cannot loop it.
const MOST_PAGES: u64 = 10_000;

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// GET, POST, PUT, PATCH or DELETE.
    #[arg(value_name = "METHOD")]
    method: String,
    /// The path, `/v1/…` (a query string may follow: `/v1/personas?perPage=5`).
    #[arg(value_name = "PATH")]
    path: String,
    /// A field as text, `key=value`: a query parameter for GET and DELETE, else a field of
    /// the JSON body. Repeatable.
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    raw_fields: Vec<String>,
    /// A field as JSON, `key=json` (`-F limit=10`, `-F tags='["a"]'`; text that is not JSON
    /// is taken as a string). Repeatable.
    #[arg(short = 'F', long = "field", value_name = "KEY=JSON")]
    fields: Vec<String>,
    /// The request body from this file (`-` for standard input), sent as written; fields
    /// then become query parameters.
    #[arg(long, value_name = "FILE")]
    input: Option<String>,
    /// Follow the pages of a list (GET): adds `page=2`, `page=3`, … until the last page,
    /// printing each page as the server sent it, one a line.
    #[arg(long)]
    paginate: bool,
}

impl ApiArgs {
    /// Refuses a bad method, a bad field or `--paginate` on anything but GET.
    pub fn check(&self) -> Result<(), InputError> {
        let method = self.method()?;
        if self.paginate && method != Method::Get {
            return Err(InputError("--paginate follows the pages of a GET".into()));
        }
        self.pairs().map(drop)
    }

    fn method(&self) -> Result<Method, InputError> {
        self.method
            .to_ascii_uppercase()
            .parse()
            .map_err(|_| InputError(format!("`{}` is not an HTTP method", self.method)))
    }

    /// The `-f` and `-F` fields, in order.
    fn pairs(&self) -> Result<Vec<(String, Value)>, InputError> {
        let split = |field: &String| {
            field
                .split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| InputError(format!("the field `{field}` is not key=value")))
        };
        let mut pairs = Vec::new();
        for field in &self.raw_fields {
            let (key, value) = split(field)?;
            pairs.push((key, Value::String(value)));
        }
        for field in &self.fields {
            let (key, value) = split(field)?;
            let value = serde_json::from_str(&value).unwrap_or(Value::String(value));
            pairs.push((key, value));
        }
        Ok(pairs)
    }
}

/// Sends the request (every page with `--paginate`) and prints each answer.
#[allow(
    clippy::explicit_counter_loop,
    reason = "the page starts at the one asked for (`page=3`), the bound counts from none"
)]
pub async fn run(client: &Client, args: ApiArgs, io: Io) -> Outcome {
    let method = args.method()?;
    let pairs = args.pairs()?;
    let (path, written_query) = match args.path.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (args.path.clone(), String::new()),
    };
    let path = match path.starts_with('/') {
        true => path,
        false => format!("/{path}"),
    };
    let mut query: Vec<(String, String)> = url::form_urlencoded::parse(written_query.as_bytes())
        .into_owned()
        .collect();
    let body = match &args.input {
        Some(file) => Some(read_input(file)?),
        None => None,
    };
    let fields_in_query = body.is_some() || matches!(method, Method::Get | Method::Delete);
    let body = match (body, fields_in_query) {
        (Some(body), _) => Some(body),
        (None, false) => Some(
            serde_json::to_vec(&pairs.iter().cloned().collect::<Map<_, _>>())
                .map_err(|e| InputError(e.to_string()))?,
        ),
        (None, true) => None,
    };
    if fields_in_query {
        for (key, value) in &pairs {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            query.push((key.clone(), text));
        }
    }
    let mut page: u64 = query
        .iter()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let mut previous: Option<bytes::Bytes> = None;
    for _ in 0..MOST_PAGES {
        let mut sent = query.clone();
        if args.paginate {
            sent.retain(|(k, _)| k != "page");
            sent.push(("page".into(), page.to_string()));
        }
        let response = send(client, method, &path, &sent, body.clone()).await?;
        let body = response.body_bytes();
        if previous.as_ref() == Some(&body) {
            break;
        }
        io.print_json(&body)?;
        if !args.paginate || last_page(&body, page) {
            break;
        }
        previous = Some(body);
        page += 1;
    }
    Ok(EXIT_OK)
}

/// One request: as the spec's operation when the path routes to one, else as a literal path.
async fn send(
    client: &Client,
    method: Method,
    path: &str,
    query: &[(String, String)],
    body: Option<Vec<u8>>,
) -> anam::Result<anam::RawResponse<Value>> {
    let mut request = match anam::spec::route(method, path) {
        Some((operation, values)) => {
            let mut request = client.raw_json(operation);
            for (name, value) in values {
                request = request.path(name, value);
            }
            request
        }
        None => client.raw_path(method, path),
    };
    for (key, value) in query {
        request = request.query(key, value);
    }
    if let Some(body) = body {
        request = request.body_bytes(body);
    }
    request.await
}

/// True when `body` is the last page: not a `{data: [...]}` page, an empty one, or one whose
/// `meta.lastPage` is reached.
fn last_page(body: &[u8], page: u64) -> bool {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return true;
    };
    let Some(items) = value.get("data").and_then(Value::as_array) else {
        return true;
    };
    if items.is_empty() {
        return true;
    }
    match value.pointer("/meta/lastPage").and_then(Value::as_u64) {
        Some(last) => page >= last,
        None => value.pointer("/meta/next").is_some_and(Value::is_null),
    }
}

/// `--input`: the file's bytes, or standard input's for `-`.
fn read_input(file: &str) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let read = match file {
        "-" => std::io::stdin().read_to_end(&mut bytes).map(drop),
        path => std::fs::read(path).map(|b| bytes = b),
    };
    read.map_err(|e| InputError(format!("cannot read --input {file}: {e}")))?;
    Ok(bytes)
}
