//! What the upstream OpenAPI document declares, as data: every operation, whether it is
//! generated or hand-written, and the error responses it documents.

/// HTTP method of an operation.
///
/// ```
/// use anam::spec::{Method, Operation};
///
/// assert_eq!(Operation::STOP_SESSION.method, Method::Post);
/// assert_eq!(Method::Post.as_str(), "POST");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `PATCH`
    Patch,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method as written on the wire. Example on [`Method`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
            Self::Trace => "TRACE",
        }
    }
}

impl std::str::FromStr for Method {
    type Err = UnknownMethod;

    /// The method named `text`, in any case (`"get"`, `"GET"`).
    ///
    /// ```
    /// use anam::spec::Method;
    ///
    /// assert_eq!("put".parse::<Method>(), Ok(Method::Put));
    /// assert!("FETCH".parse::<Method>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        const ALL: [Method; 8] = [
            Method::Get,
            Method::Put,
            Method::Post,
            Method::Delete,
            Method::Patch,
            Method::Head,
            Method::Options,
            Method::Trace,
        ];
        ALL.into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(text))
            .ok_or(UnknownMethod)
    }
}

/// A method name that is none of [`Method`]'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an HTTP method of the spec")]
pub struct UnknownMethod;

/// One operation of the upstream document.
///
/// ```
/// for op in anam::spec::OPERATIONS.iter().filter(|op| op.paginated) {
///     println!("{} {} ({}): {}", op.method.as_str(), op.path, op.id, op.summary);
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// `operationId`.
    pub id: &'static str,
    /// The generated method's name (`operationId` in snake_case).
    pub rust_method: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/v1/sessions/{id}/transcript`.
    pub path: &'static str,
    /// The spec's tag (resource group).
    pub tag: &'static str,
    /// The spec's summary.
    pub summary: &'static str,
    /// True if progenitor generated a method for it.
    pub generated: bool,
    /// The sub-client methods that send it: the generated one (`application/json`, or no
    /// body) and the hand-written uploads (`multipart/form-data`). Each is also a command of
    /// the `anam` binary, `anam <sub-client> <method>` in kebab case.
    pub facade_methods: &'static [FacadeMethod],
    /// Request media types progenitor cannot send, implemented by hand in the facade.
    pub hand_written_media_types: &'static [&'static str],
    /// Its path parameters, in the order the path template names them.
    pub path_parameters: &'static [PathParameter],
    /// True for a list operation whose builder has `into_stream()`: `page` and `perPage`
    /// query parameters and a `{data, meta}` body.
    pub paginated: bool,
    /// The largest `perPage` the API allows, for paginated list operations that declare one.
    pub max_page_size: Option<u64>,
    /// The lowest 2xx status the spec documents (a `2XX` range counts as 200).
    pub success_status: u16,
    /// The body of that response, if it has one.
    pub success_body: Option<SuccessBody>,
    /// Every example the spec gives for its 2xx responses.
    pub examples: &'static [Example],
    /// The spec's first example of its JSON request body, as JSON text.
    pub request_example: Option<&'static str>,
    /// The error responses the spec documents for it.
    pub documented_errors: &'static [DocumentedError],
}

impl Operation {
    /// The path with each `{name}` replaced by its value from `values`, percent-encoded as one
    /// path segment; `None` when a parameter has no value, or a value
    /// [`check_path_value`] refuses.
    ///
    /// ```
    /// let transcript = anam::spec::Operation::GET_SESSION_TRANSCRIPT;
    /// let path = transcript.fill_path(&[("id", "a/b")]);
    /// assert_eq!(path.as_deref(), Some("/v1/sessions/a%2Fb/transcript"));
    /// assert_eq!(transcript.fill_path(&[]), None);
    /// assert_eq!(transcript.fill_path(&[("id", "..")]), None);
    /// ```
    pub fn fill_path(&self, values: &[(&str, &str)]) -> Option<String> {
        let mut path = String::with_capacity(self.path.len() + 40);
        for segment in self.path.split('/').filter(|s| !s.is_empty()) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let (_, value) = values.iter().find(|(n, _)| *n == name)?;
                    check_path_value(value).ok()?;
                    encode_segment(value, &mut path);
                }
                None => path.push_str(segment),
            }
        }
        Some(path)
    }

    /// The documented meaning of `status` for this operation, if the spec gives one.
    ///
    /// ```
    /// let transcript = anam::spec::Operation::GET_SESSION_TRANSCRIPT;
    /// if let Some(error) = transcript.documented(404) {
    ///     println!("404: {}", error.description);
    /// }
    /// ```
    pub fn documented(&self, status: u16) -> Option<&'static DocumentedError> {
        let status = status.to_string();
        self.documented_errors.iter().find(|e| e.status == status)
    }

    /// True when the spec documents a `429` for a session limit on this operation (starting an
    /// engine session): a 429 there that names no other cause is a usage limit.
    ///
    /// ```
    /// use anam::spec::Operation;
    ///
    /// assert!(Operation::CREATE_ENGINE_SESSION.starts_session());
    /// assert!(!Operation::LIST_SESSIONS.starts_session());
    /// ```
    pub fn starts_session(&self) -> bool {
        self.documented(429).is_some_and(|e| {
            let description = e.description.to_ascii_lowercase();
            description.contains("session limit") || description.contains("spend cap")
        })
    }
}

/// Why `value` cannot be the value of a path parameter: it is empty, only whitespace, `.` or
/// `..`. An empty value would address the collection (`/v1/personas/`), and a URL resolves the
/// dot segments away (`/v1/personas/..` is `/v1/`), so each would reach another resource than
/// the one named. Every other value is sent, percent-encoded as one path segment (`a/b` is
/// `a%2Fb`). The client refuses these values before sending, with
/// [`Error::InvalidInput`](crate::Error::InvalidInput) naming the parameter; so does the
/// `anam` command line, with exit status 2.
///
/// ```
/// use anam::spec::check_path_value;
///
/// assert!(check_path_value("persona-1").is_ok());
/// assert!(check_path_value("a/b?c#d%e").is_ok()); // sent as one encoded segment
/// for refused in ["", "  ", ".", ".."] {
///     assert!(check_path_value(refused).is_err(), "{refused:?}");
/// }
/// ```
pub fn check_path_value(value: &str) -> Result<(), &'static str> {
    if value.is_empty() {
        Err("must not be empty")
    } else if value.trim().is_empty() {
        Err("must not be only whitespace")
    } else if value == "." || value == ".." {
        Err("must not be `.` or `..` (a URL resolves them to another path)")
    } else {
        Ok(())
    }
}

/// `value` percent-encoded as one path segment: everything but RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) is encoded, `/`, `%`, `?`, `#` and `\` included (a URL
/// reads `\` as `/`). The generated client calls it for every path parameter (the pipeline's
/// `path-segments` rule puts it in place of progenitor's `encode_path`).
pub(crate) fn encode_path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    encode_segment(value, &mut out);
    out
}

/// Checks that `path`, the path of a request the generated client built for `operation`, still
/// has the operation's shape: it ends with the template's segments, literal ones equal and
/// every parameter a non-empty segment. A value [`check_path_value`] refuses (sent through
/// [`raw()`](crate::Client::raw), which has no other check) changes the shape once the URL
/// resolves it, so the request is refused instead of reaching another resource.
pub(crate) fn check_request_path(operation: &Operation, path: &str) -> Result<(), String> {
    // Runs for every request (the `pre` hook): segments are split off the end by hand, since
    // `rsplit('/')` searches each one with `memrchr`, which costs more than these short
    // segments do.
    let mut actual = Some(path);
    let mut template = Some(operation.path);
    let mut refused = false;
    while let Some(expected) = last_segment(&mut template).filter(|s| !s.is_empty()) {
        let segment = last_segment(&mut actual);
        refused |= match expected.strip_prefix('{') {
            Some(_) => segment.is_none_or(str::is_empty),
            None => segment != Some(expected),
        };
    }
    if !refused {
        return Ok(());
    }
    let names: Vec<String> = operation
        .path_parameters
        .iter()
        .map(|p| format!("`{}`", p.name))
        .collect();
    Err(format!(
        "parameter {} must not be empty, only whitespace, `.` or `..`: the request would address {path}, not {}",
        names.join(" or "),
        operation.path
    ))
}

/// The operation a concrete request addresses, with its path values (percent-decoded, in the
/// template's order): the inverse of [`Operation::fill_path`]. `path` is the request's path as
/// sent (`/v1/personas/a%2Fb`; a query after `?` is ignored).
///
/// A literal segment must be equal, a parameter one non-empty segment whose decoded value
/// [`check_path_value`] accepts, and a parameter the spec declares a UUID a UUID, so
/// `/v1/sessions/concurrency` is `getSessionConcurrency`, never `getSession`. When two
/// templates fit, the one with more literal segments wins. `None` when no operation fits.
///
/// ```
/// use anam::spec::{Method, Operation, route};
///
/// let (operation, values) = route(Method::Get, "/v1/personas/a%2Fb").expect("a route");
/// assert_eq!(operation.id, Operation::GET_PERSONA.id);
/// assert_eq!(values, [("id", "a/b".to_string())]);
/// assert_eq!(route(Method::Get, "/v1/sessions/concurrency").unwrap().0.id, "getSessionConcurrency");
/// assert!(route(Method::Get, "/v1/personas/..").is_none());
/// assert!(route(Method::Patch, "/v1/personas").is_none());
/// ```
pub fn route(
    method: Method,
    path: &str,
) -> Option<(&'static Operation, Vec<(&'static str, String)>)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut best: Option<(usize, &'static Operation, PathValues)> = None;
    for operation in OPERATIONS.iter().filter(|op| op.method == method) {
        let Some((literals, values)) = fit(operation, &segments) else {
            continue;
        };
        if best.as_ref().is_none_or(|(most, _, _)| literals > *most) {
            best = Some((literals, operation, values));
        }
    }
    best.map(|(_, operation, values)| (operation, values))
}

/// The path values [`route`] found: each parameter's name and decoded value, in template order.
pub type PathValues = Vec<(&'static str, String)>;

/// How many literal segments of `operation`'s template `segments` match, and the decoded
/// path values, when they fit it.
fn fit(operation: &'static Operation, segments: &[&str]) -> Option<(usize, PathValues)> {
    let template = operation.path.split('/').filter(|s| !s.is_empty());
    if template.clone().count() != segments.len() {
        return None;
    }
    let mut literals = 0;
    let mut values = Vec::with_capacity(operation.path_parameters.len());
    for (expected, actual) in template.zip(segments) {
        match expected.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = decode_segment(actual)?;
                check_path_value(&value).ok()?;
                let parameter = operation.path_parameters.iter().find(|p| p.name == name)?;
                if parameter.uuid && uuid::Uuid::parse_str(&value).is_err() {
                    return None;
                }
                values.push((parameter.name, value));
            }
            None if expected == *actual => literals += 1,
            None => return None,
        }
    }
    Some((literals, values))
}

/// A percent-encoded path segment decoded; `None` for a bad escape or bytes that are not UTF-8.
fn decode_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The last `/`-separated segment of `rest`, which keeps what comes before it (`None` once
/// the first segment is taken): the same segments, in the same order, as `rsplit('/')`.
fn last_segment<'a>(rest: &mut Option<&'a str>) -> Option<&'a str> {
    let text = (*rest)?;
    match text.bytes().rposition(|b| b == b'/') {
        Some(slash) => {
            *rest = Some(&text[..slash]);
            Some(&text[slash + 1..])
        }
        None => {
            *rest = None;
            Some(text)
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters. Runs of unreserved
/// characters (a whole UUID) are copied at once rather than one character at a time.
fn encode_segment(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut run = 0;
    for (i, byte) in value.bytes().enumerate() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            continue;
        }
        // `value[run..i]` is unreserved ASCII, so both ends are character boundaries (an
        // empty run may start inside a multi-byte character: it is skipped).
        if run < i {
            out.push_str(&value[run..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xF)]));
        run = i + 1;
    }
    if run < value.len() {
        out.push_str(&value[run..]);
    }
}

/// A sub-client method that sends an operation.
///
/// ```
/// let op = anam::spec::Operation::UPDATE_SHARE_LINK;
/// let method = &op.facade_methods[0];
/// // anam.share_links().update(id, body)
/// assert_eq!((method.sub_client, method.method), ("share_links", "update"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FacadeMethod {
    /// The [`Client`](crate::Client) accessor of its sub-client (`share_links`).
    pub sub_client: &'static str,
    /// The method (`update`).
    pub method: &'static str,
    /// The request's media type: `application/json` (also for requests without a body) or
    /// `multipart/form-data`.
    pub media_type: &'static str,
}

/// A path parameter of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathParameter {
    /// Its name in the path template.
    pub name: &'static str,
    /// True when the spec declares it a UUID.
    pub uuid: bool,
}

/// The body of an operation's success response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuccessBody {
    /// Its media type (`application/json`).
    pub media_type: &'static str,
    /// True when it is a JSON array.
    pub array: bool,
}

/// A response example from the spec (`$ref`s resolved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    /// The status it illustrates (`"200"`).
    pub status: &'static str,
    /// `example`, or its key under `examples`.
    pub name: &'static str,
    /// The example as JSON text.
    pub json: &'static str,
}

/// An error response the spec documents for an operation. Example on
/// [`Operation::documented`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentedError {
    /// Status code as the spec writes it (`"404"`).
    pub status: &'static str,
    /// The spec's description of it.
    pub description: &'static str,
    /// The component schema of its JSON body, when the spec names one.
    pub schema: Option<&'static str>,
}

/// The sha256 of the vendored spec, `openapi/swagger.json` (Anam's published document, byte for
/// byte); `cargo xtask update-spec` rewrites it, and a test checks it against the file.
pub const SPEC_SHA256: &str = "0fa5986fa4740ba7c8e4197adac522697f5d632388445cd36ef3667d9910ab36";

/// The day the vendored spec was taken from Anam (`YYYY-MM-DD`), rewritten with
/// [`SPEC_SHA256`].
pub const SPEC_DATE: &str = "2026-07-23";

/// Every operation of the vendored spec, in document order.
pub const OPERATIONS: &[Operation] = &crate::raw::spec_table::OPERATIONS;

/// The operation with this `operationId`.
///
/// ```
/// let op = anam::spec::operation("getSessionTranscript").expect("in the spec");
/// assert_eq!(op.path, "/v1/sessions/{id}/transcript");
/// ```
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

/// The operation whose generated method is named `method` (`get_session_transcript`); the
/// generated client reports operations to its hooks by this name.
///
/// ```
/// let op = anam::spec::operation_by_method("get_session_transcript").expect("in the spec");
/// assert_eq!(op.id, "getSessionTranscript");
/// ```
pub fn operation_by_method(method: &str) -> Option<&'static Operation> {
    crate::raw::spec_table::by_method(method)
}

#[cfg(test)]
mod tests;
