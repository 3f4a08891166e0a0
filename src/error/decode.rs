//! The error for a 2xx body that does not decode into its type: where (a JSON path) and why,
//! without the values, which may be a user's conversation.

use bytes::Bytes;
use reqwest::StatusCode;

use super::{Error, snippet};

/// A 2xx body that did not decode into the expected type.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) {
/// let id = "00000000-0000-0000-0000-000000000000";
/// if let Err(anam::Error::Decode(decode)) = anam.sessions().transcript(id).await {
///     // e.g. `messages[3].speakingDurationSeconds`: invalid type: string, expected f64
///     eprintln!("`{}`: {}", decode.path, decode.reason);
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// `operationId` of the call.
    pub operation: &'static str,
    /// HTTP status of the response.
    pub status: Option<StatusCode>,
    /// JSON path of the first value that failed (`messages[0].durationMs`), `.` for the root.
    pub path: String,
    /// What was wrong, without the offending value (`invalid type: string, expected f64`).
    pub reason: String,
    /// serde's own description, which may quote the offending value. Not part of `Display`.
    pub detail: String,
    /// The start of the body (at most [`BODY_SNIPPET_LIMIT`](crate::BODY_SNIPPET_LIMIT)
    /// bytes). Not part of `Display`. The whole body is [`whole_body`](Self::whole_body).
    pub body: String,
    /// The whole body as received (no copy: the bytes the transport read).
    whole: WholeBody,
}

/// The body a [`DecodeError`] keeps; its `Debug` gives the length only, so a debug print of
/// the error does not dump a conversation.
#[derive(Clone, Default)]
struct WholeBody(Bytes);

impl std::fmt::Debug for WholeBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl DecodeError {
    /// What `error` says was wrong, without the values it quotes, as [`reason`](Self::reason)
    /// holds it: for decoding JSON of your own (a request body from a file) and reporting the
    /// failure without echoing its content.
    ///
    /// ```
    /// let error = serde_json::from_str::<u32>(r#""secret""#).unwrap_err();
    /// assert_eq!(anam::DecodeError::reason_of(&error), "invalid type: string, expected u32");
    /// ```
    pub fn reason_of(error: &serde_json::Error) -> String {
        without_values(error)
    }

    /// The whole body the server sent, as received: a 2xx that did not decode still did
    /// what was asked (a `create` still created), and what it answered (the new id) is here.
    /// Bounded by the client's
    /// [`max_response_size`](crate::ClientBuilder::max_response_size), like every success
    /// body; not part of `Display` or `Debug`, since it may hold a user's conversation.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client, body: anam::types::CreatePersonaBody) {
    /// if let Err(anam::Error::Decode(decode)) = anam.personas().create(body).await {
    ///     let sent: serde_json::Value = serde_json::from_slice(decode.whole_body()).unwrap_or_default();
    ///     eprintln!("created {} despite `{}`: {}", sent["id"], decode.path, decode.reason);
    /// }
    /// # }
    /// ```
    pub fn whole_body(&self) -> &[u8] {
        &self.whole.0
    }

    /// The whole body as shared [`Bytes`] (no copy). See [`whole_body`](Self::whole_body).
    pub fn whole_body_bytes(&self) -> Bytes {
        self.whole.0.clone()
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.operation)?;
        if let Some(status) = self.status {
            write!(f, "HTTP {status}: ")?;
        }
        write!(
            f,
            "response body does not decode at `{}`: {}",
            self.path, self.reason
        )
    }
}

impl Error {
    /// Builds the error for a 2xx body that did not decode, from serde_json's `error`: the
    /// path of the value it is about, and why without the value.
    pub(crate) fn decode(
        operation: &'static str,
        status: Option<StatusCode>,
        body: &Bytes,
        error: &serde_json::Error,
    ) -> Self {
        Self::Decode(DecodeError::new(operation, status, body, error))
    }
}

impl DecodeError {
    /// The error for `body`, which failed to decode with `error`.
    pub(crate) fn new(
        operation: &'static str,
        status: Option<StatusCode>,
        body: &Bytes,
        error: &serde_json::Error,
    ) -> Box<Self> {
        Box::new(DecodeError {
            operation,
            status,
            path: super::json_path::path_of(body, error),
            reason: without_values(error),
            detail: error.to_string(),
            body: snippet(body),
            whole: WholeBody(body.clone()),
        })
    }
}

/// serde_json's description of a failure with the offending value left out: `invalid type:
/// string "hello", expected f64` becomes `invalid type: string, expected f64`, and an unknown
/// variant or field keeps only what was expected. Position suffixes are dropped (the JSON path
/// says where).
fn without_values(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    };
    if error.classify() != serde_json::error::Category::Data {
        return text;
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let kind = rest.split([' ', ',']).next().unwrap_or_default();
            let kind = match kind {
                "floating" => "floating point",
                "unit" => "unit value",
                other => other,
            };
            let expected = rest
                .rfind(", expected ")
                .map(|at| &rest[at..])
                .unwrap_or_default();
            return format!("{prefix}{kind}{expected}");
        }
    }
    for (prefix, what) in [
        ("unknown variant ", "unknown variant"),
        ("unknown field ", "unknown field"),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let expected = rest
                .find(", expected ")
                .map(|at| &rest[at..])
                .unwrap_or_default();
            return format!("{what}{expected}");
        }
    }
    // Missing fields, lengths and syntax name the schema, not the data; anything else (a
    // custom message from a field's own parser) may quote the value, so it is not repeated.
    if text.starts_with("missing field") || text.starts_with("invalid length") {
        text
    } else {
        "the value does not parse as its type".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reasons_leave_the_offending_value_out() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Message {
            seconds: f64,
            role: Role,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Role {
            #[serde(rename = "user")]
            User,
        }
        let reason = |body: &str| {
            let error = serde_json::from_str::<Message>(body).unwrap_err();
            let Error::Decode(decode) =
                Error::decode("op", None, &Bytes::copy_from_slice(body.as_bytes()), &error)
            else {
                panic!("not a decode error");
            };
            (decode.reason.clone(), decode.to_string())
        };
        let (why, shown) = reason(r#"{"seconds": "I told the persona my secret", "role": "user"}"#);
        assert_eq!(why, "invalid type: string, expected f64");
        assert!(!shown.contains("secret"), "{shown}");
        let (why, shown) = reason(r#"{"seconds": 1, "role": "my secret role"}"#);
        assert_eq!(why, "unknown variant, expected `user`");
        assert!(!shown.contains("secret"), "{shown}");
        let (why, _) = reason(r#"{"seconds": 1}"#);
        assert_eq!(why, "missing field `role`");
        let (why, _) = reason(r#"{"seconds": 1, "#);
        assert!(why.starts_with("EOF while parsing"), "{why}");
    }

    #[test]
    fn decode_errors_name_the_json_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            count: i64,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            items: Vec<Item>,
        }
        let body = br#"{"items":[{"count":1},{"count":"two"}]}"#;
        let failure = serde_json::from_slice::<Page>(body).unwrap_err();
        let error = Error::decode(
            "listX",
            Some(StatusCode::OK),
            &Bytes::from_static(body),
            &failure,
        );
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(decode.path, "items[1].count");
        assert!(error.to_string().contains("items[1].count"));
        assert_eq!(decode.whole_body(), body, "the whole body is kept");
        let debug = format!("{decode:?}");
        assert!(
            debug.contains(&format!("<{} bytes>", body.len())),
            "{debug}"
        );
    }
}
