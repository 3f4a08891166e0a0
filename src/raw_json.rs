//! Sending any operation with a JSON body as written, outside the generated builders: the
//! same authentication, retries, rate-limit pause, tracing and error mapping as every other
//! call (the multipart uploads in `upload.rs` are sent the same way).

use std::future::IntoFuture;

use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;

use crate::request::{RawResponse, ResponseFuture};
use crate::spec::Operation;
use crate::{Client, DecodeError, Error, RateLimit, Result};

/// One request to any operation of the spec, its JSON body sent exactly as given: made by
/// [`Client::raw_json`]. Path values go through
/// [`check_path_value`](crate::spec::check_path_value) and are percent-encoded as one segment,
/// query pairs are appended in order, and the body (a [`serde_json::Value`], or bytes sent
/// byte for byte) is not decoded or re-encoded on the way: explicit `null`s, key order and
/// number text reach the server as written. Awaiting it gives the response as the server
/// sent it, decoded as a [`serde_json::Value`]; [`decode_as`](Self::decode_as) decodes it
/// into a type of your choice instead.
///
/// Retries follow the generated calls' rules: GET, PUT and DELETE on the retryable failures,
/// POST only when the request never reached the server or on a request-rate 429. A non-2xx
/// answer is [`Error::Api`] as for any call.
///
/// ```no_run
/// # async fn run(anam: &anam::Client) -> anam::Result<()> {
/// use anam::spec::Operation;
///
/// // `"voiceId": null` clears the field; a typed body could not say so.
/// let updated = anam
///     .raw_json(Operation::UPDATE_PERSONA)
///     .path("id", "00000000-0000-0000-0000-000000000000")
///     .json(&serde_json::json!({"voiceId": null, "name": "Cara"}))
///     .decode_as::<anam::types::Persona>()
///     .await?;
/// println!("HTTP {}: {}", updated.status(), String::from_utf8_lossy(updated.body()));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a request does nothing until it is awaited"]
pub struct RawJsonRequest<'a> {
    client: &'a Client,
    operation: &'static Operation,
    /// Set by [`Client::raw_path`]: the method and path sent instead of the operation's.
    outside: Option<(crate::spec::Method, String)>,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
}

impl<'a> RawJsonRequest<'a> {
    pub(crate) fn new(client: &'a Client, operation: &'static Operation) -> Self {
        Self {
            client,
            operation,
            outside: None,
            path: Vec::new(),
            query: Vec::new(),
            body: None,
        }
    }

    /// The value of the path parameter `name` (`id`), sent percent-encoded as one segment.
    /// Example on [`RawJsonRequest`].
    pub fn path(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.path.push((name.into(), value.to_string()));
        self
    }

    /// A query pair, appended after the ones before (a list parameter is one pair per item).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let page = anam
    ///     .raw_json(anam::spec::Operation::LIST_PERSONAS)
    ///     .query("perPage", 5)
    ///     .query("search", "cara")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// The body: `value` as JSON text (serde_json keeps a [`serde_json::Value`]'s `null`s;
    /// its key order is the map's). Example on [`RawJsonRequest`].
    pub fn json(mut self, value: &serde_json::Value) -> Self {
        self.body = Some(Bytes::from(value.to_string()));
        self
    }

    /// The body: these bytes, sent byte for byte as `application/json` (nothing checks that
    /// they are JSON; the server answers if they are not).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let written = std::fs::read("share-link.json").expect("the file");
    /// let created = anam
    ///     .raw_json(anam::spec::Operation::CREATE_SHARE_LINK)
    ///     .body_bytes(written)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn body_bytes(mut self, bytes: impl Into<Bytes>) -> Self {
        self.body = Some(bytes.into());
        self
    }

    /// Sends the request; the answer's body is decoded as `T` (an empty body as JSON `null`,
    /// so `()` fits an answer without one). A 2xx that does not decode is not an error: see
    /// [`RawResponse::decoded`]. Example on [`RawJsonRequest`].
    pub fn decode_as<T: DeserializeOwned + Send + 'a>(self) -> ResponseFuture<'a, RawResponse<T>> {
        Box::pin(crate::request::recorded(self.send()))
    }

    async fn send<T: DeserializeOwned>(self) -> Result<RawResponse<T>> {
        let operation = self.operation;
        let (id, path, method, spec) = match &self.outside {
            Some((method, path)) => (OUTSIDE, path.clone(), *method, None),
            None => {
                let id = operation.id;
                let values = self.path_values()?;
                let path = operation.fill_path(&values).ok_or_else(|| {
                    Error::InvalidInput(format!("{id}: a path parameter has no value"))
                })?;
                (id, path, operation.method, Some(operation))
            }
        };
        if self.outside.is_some() {
            check_outside_path(&path, !self.path.is_empty())?;
        }
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.client.base_url()))
            .map_err(|e| Error::InvalidInput(format!("{id}: {e}")))?;
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        let method = reqwest::Method::from_bytes(method.as_str().as_bytes())
            .map_err(|e| Error::InvalidInput(format!("{id}: {e}")))?;
        let mut request = reqwest::Request::new(method, url);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(body) = self.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *request.body_mut() = Some(reqwest::Body::from(body));
        }
        self.client.hooks().authorize(&mut request);
        // A bytes body can be sent again, so every retry the rules allow is possible.
        let template = (self.client.hooks().retry().max_attempts > 1)
            .then(|| request.try_clone())
            .flatten();
        let response = crate::transport::send(
            self.client.http(),
            self.client.hooks().sending(),
            spec,
            request,
            move || template.as_ref().and_then(reqwest::Request::try_clone),
        )
        .await
        .map_err(|e| Error::transport(id, e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(crate::request::from_response(id, response).await);
        }
        let headers = response.headers().clone();
        let body = crate::success::body(response)
            .await
            .map_err(|e| crate::request::body_error(id, e))?;
        let json: &[u8] = if body.is_empty() { b"null" } else { &body };
        let decoded =
            serde_json::from_slice(json).map_err(|e| DecodeError::new(id, Some(status), &body, &e));
        Ok(RawResponse::new(
            status,
            RateLimit::from_headers(&headers),
            headers,
            body,
            decoded,
        ))
    }

    /// The path values, each checked and matched to a parameter of the operation.
    fn path_values(&self) -> Result<Vec<(&str, &str)>> {
        let operation = self.operation;
        let mut values = Vec::with_capacity(self.path.len());
        for (name, value) in &self.path {
            if !operation.path_parameters.iter().any(|p| p.name == name) {
                return Err(Error::InvalidInput(format!(
                    "{}: {} has no path parameter `{name}`",
                    operation.id, operation.path
                )));
            }
            if let Err(why) = crate::spec::check_path_value(value) {
                return Err(Error::InvalidInput(format!(
                    "{}: parameter `{name}` {why}",
                    operation.id
                )));
            }
            values.push((name.as_str(), value.as_str()));
        }
        Ok(values)
    }
}

/// A [`Client::raw_path`] path: starts with `/`, no `.` or `..` segment, no `.path()` values.
fn check_outside_path(path: &str, has_values: bool) -> Result<()> {
    let why = if !path.starts_with('/') {
        Some("does not start with `/`")
    } else if path
        .split(['/', '?'])
        .any(|segment| segment == "." || segment == "..")
    {
        Some("has a `.` or `..` segment")
    } else if path.contains(['?', '#']) {
        Some("has a query or fragment (give query pairs with `.query()`)")
    } else if has_values {
        Some("is literal: it takes no `.path()` values")
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::InvalidInput(format!(
            "{OUTSIDE}: the path {path:?} {why}"
        ))),
        None => Ok(()),
    }
}

impl<'a> IntoFuture for RawJsonRequest<'a> {
    type Output = Result<RawResponse<serde_json::Value>>;
    type IntoFuture = ResponseFuture<'a, RawResponse<serde_json::Value>>;

    fn into_future(self) -> Self::IntoFuture {
        self.decode_as()
    }
}

/// The operation name errors carry for a [`Client::raw_path`] request.
const OUTSIDE: &str = "request";

impl Client {
    /// A request to a path the spec does not describe (an endpoint newer than this crate),
    /// with `method`: the same transport, authentication, retry rules and error mapping as
    /// [`raw_json`](Self::raw_json), which it otherwise is (`.query()`, `.json()`,
    /// `.body_bytes()`, `.decode_as()`; `.path()` values are refused). `path` is taken
    /// relative to the base URL and must start with `/` (`/v1/sessions/concurrency`); a `.`
    /// or `..` segment is refused. Errors name the operation `request`.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::spec::Method;
    ///
    /// let answer = anam.raw_path(Method::Get, "/v1/something-new").query("perPage", 1).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw_path(
        &self,
        method: crate::spec::Method,
        path: impl Into<String>,
    ) -> RawJsonRequest<'_> {
        let mut request = RawJsonRequest::new(self, Operation::LIST_SESSIONS);
        request.outside = Some((method, path.into()));
        request
    }

    /// A request to `operation` with a JSON body sent as written (or none): the same
    /// transport as every generated call, for what the typed builders cannot say (an explicit
    /// `null`, a field the spec lacks, key order) or when the operation is only known at run
    /// time. See [`RawJsonRequest`].
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let operation = anam::spec::operation("getSessionTranscript").expect("in the spec");
    /// let transcript = anam
    ///     .raw_json(operation)
    ///     .path("id", "00000000-0000-0000-0000-000000000000")
    ///     .await?;
    /// let value: &serde_json::Value = transcript.decoded().expect("JSON");
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw_json(&self, operation: &'static Operation) -> RawJsonRequest<'_> {
        RawJsonRequest::new(self, operation)
    }
}
