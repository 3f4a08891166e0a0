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
    /// path segment; `None` when a parameter has no value.
    ///
    /// ```
    /// let transcript = anam::spec::Operation::GET_SESSION_TRANSCRIPT;
    /// let path = transcript.fill_path(&[("id", "a/b")]);
    /// assert_eq!(path.as_deref(), Some("/v1/sessions/a%2Fb/transcript"));
    /// assert_eq!(transcript.fill_path(&[]), None);
    /// ```
    pub fn fill_path(&self, values: &[(&str, &str)]) -> Option<String> {
        let mut path = String::with_capacity(self.path.len() + 40);
        for segment in self.path.split('/').filter(|s| !s.is_empty()) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let (_, value) = values.iter().find(|(n, _)| *n == name)?;
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

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
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
mod tests {
    use super::*;

    #[test]
    fn every_method_name_maps_back_to_its_operation() {
        for op in OPERATIONS {
            assert_eq!(
                operation_by_method(op.rust_method).map(|o| o.id),
                Some(op.id)
            );
        }
        assert_eq!(
            operation("getSessionTranscript").map(|op| op.rust_method),
            Some("get_session_transcript")
        );
        assert_eq!(Operation::GET_SESSION_TRANSCRIPT.id, "getSessionTranscript");
    }

    #[test]
    fn paths_are_filled_with_encoded_segments() {
        let upload = Operation::UPLOAD_KNOWLEDGE_GROUP_DOCUMENT;
        assert_eq!(
            upload.fill_path(&[("id", "g 1/2")]).as_deref(),
            Some("/v1/knowledge/groups/g%201%2F2/documents")
        );
        assert_eq!(upload.fill_path(&[]), None);
    }

    #[test]
    fn only_the_engine_session_start_documents_a_session_limit() {
        let starting: Vec<&str> = OPERATIONS
            .iter()
            .filter(|op| op.starts_session())
            .map(|op| op.id)
            .collect();
        assert_eq!(starting, ["createEngineSession"]);
    }
}
