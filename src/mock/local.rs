//! [`LocalServer`]: the spec's canned answers from a small HTTP/1.1 server on tokio.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use super::{
    MOCK_API_KEY, RECORDED_BODY_LIMIT, ReceivedRequest, Recorder, body_problem, canned_body,
};
use crate::spec::OPERATIONS;

/// Longest request head read (bytes).
const HEAD_LIMIT: usize = 64 * 1024;
/// Longest request body read (bytes); past [`RECORDED_BODY_LIMIT`], only a JSON body an
/// operation checks is kept (whole, to check it), others (uploads) are read and dropped.
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// A local Anam server on 127.0.0.1 that answers every operation of the spec with the spec's
/// example (status, JSON body), keep-alive, with no dependency beyond tokio. A request no
/// operation matches gets a JSON 404; a JSON request body its operation's generated type
/// refuses, the API's 400 naming the field (see [`crate::mock`]). It keeps the requests it
/// received for [`requests`](Self::requests). It stops when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = anam::mock::LocalServer::start().await?;
/// let anam = server.client()?;
/// let transcript = anam.sessions().transcript("00000000-0000-0000-0000-000000000000").await?;
/// assert_eq!(server.calls("getSessionTranscript"), 1);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct LocalServer {
    base_url: String,
    calls: Arc<Vec<AtomicUsize>>,
    recorder: Recorder,
    task: tokio::task::JoinHandle<()>,
}

impl LocalServer {
    /// Binds a free port on 127.0.0.1 and starts serving. Example on [`LocalServer`].
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let calls: Arc<Vec<AtomicUsize>> =
            Arc::new(OPERATIONS.iter().map(|_| AtomicUsize::new(0)).collect());
        let counters = calls.clone();
        let recorder = Recorder::default();
        let received = recorder.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, counters.clone(), received.clone()));
            }
        });
        Ok(Self {
            base_url,
            calls,
            recorder,
            task,
        })
    }

    /// Every request received, oldest first, 404s included: the last
    /// [`RECORDED_REQUESTS`](super::RECORDED_REQUESTS), bodies cut at
    /// [`RECORDED_BODY_LIMIT`]. Example on [`ReceivedRequest`].
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.recorder.requests()
    }

    /// The server's base URL (`http://127.0.0.1:<port>`), for a client with your own settings.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = anam::mock::LocalServer::start().await?;
    /// let anam = anam::Client::builder()
    ///     .api_key("test-key")
    ///     .base_url(server.base_url())
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A [`Client`](crate::Client) pointed at this server. Example on [`LocalServer`].
    pub fn client(&self) -> crate::Result<crate::Client> {
        crate::Client::builder()
            .api_key(MOCK_API_KEY)
            .base_url(&self.base_url)
            .build()
    }

    /// How many requests of `operation_id` the server has answered. Example on [`LocalServer`].
    pub fn calls(&self, operation_id: &str) -> usize {
        OPERATIONS
            .iter()
            .zip(self.calls.iter())
            .filter(|(op, _)| op.id == operation_id)
            .map(|(_, count)| count.load(Ordering::Relaxed))
            .sum()
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers requests on one connection until the client closes it or sends garbage.
async fn serve(stream: TcpStream, calls: Arc<Vec<AtomicUsize>>, recorder: Recorder) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    while let Some(request) = read_request(&mut reader).await {
        let operation = request.route.map(|index| &OPERATIONS[index]);
        let (status, body) = match (request.route, operation) {
            (Some(index), Some(operation)) => {
                if let Some(count) = calls.get(index) {
                    count.fetch_add(1, Ordering::Relaxed);
                }
                match body_problem(operation, request.content_type.as_deref(), &request.body) {
                    Some(problem) => (400, Some(problem)),
                    None => (operation.success_status, canned_body(operation)),
                }
            }
            _ => (
                404,
                Some(r#"{"message":"no operation of the spec matches this request"}"#.into()),
            ),
        };
        recorder.record(
            &request.method,
            &request.target,
            &request.body,
            operation.map(|op| op.id),
            status,
        );
        let body = body.unwrap_or_default();
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
            reason(status),
            body.len()
        );
        if !body.is_empty() {
            head.push_str("content-type: application/json\r\n");
        }
        head.push_str(if request.close {
            "connection: close\r\n\r\n"
        } else {
            "\r\n"
        });
        let sent = write.write_all(head.as_bytes()).await.is_ok()
            && write.write_all(body.as_bytes()).await.is_ok();
        if !sent || request.close {
            return;
        }
    }
}

/// What the server needs of a request.
struct Request {
    method: String,
    /// Path and query, as sent.
    target: String,
    /// The index in [`OPERATIONS`] of the operation it addresses.
    route: Option<usize>,
    /// The body: whole for an operation whose JSON body is checked, else its first
    /// [`RECORDED_BODY_LIMIT`] bytes.
    body: Vec<u8>,
    /// Its `content-type`, if it named one.
    content_type: Option<String>,
    close: bool,
}

/// Reads one request (head and body); `None` at end of stream or on a malformed request.
async fn read_request<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> Option<Request> {
    let mut line = String::new();
    read_line(reader, &mut line).await?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let path = target.split('?').next().unwrap_or(&target);
    let route = route(&method, path);
    // A checked JSON body is kept whole; anything else only as far as it is recorded.
    let keep = match route {
        Some(index)
            if crate::raw::spec_table::check_request_body(OPERATIONS[index].id, b"").is_some() =>
        {
            usize::MAX
        }
        _ => RECORDED_BODY_LIMIT,
    };
    let mut body = Vec::new();
    let mut length = 0u64;
    let mut chunked = false;
    let mut close = false;
    let mut content_type = None;
    let mut head = line.len();
    loop {
        let mut header = String::new();
        head += read_line(reader, &mut header).await?;
        if head > HEAD_LIMIT {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().ok()?,
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            "content-type" => content_type = Some(value.to_string()),
            _ => {}
        }
    }
    if chunked {
        let mut total = 0u64;
        loop {
            let mut size = String::new();
            read_line(reader, &mut size).await?;
            let size = u64::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            total += size;
            if total > BODY_LIMIT {
                return None;
            }
            read_body(reader, size, keep, &mut body).await?;
            discard(reader, 2).await?;
            if size == 0 {
                break;
            }
        }
    } else {
        if length > BODY_LIMIT {
            return None;
        }
        read_body(reader, length, keep, &mut body).await?;
    }
    Some(Request {
        method,
        target,
        route,
        body,
        content_type,
        close,
    })
}

/// Reads `count` bytes, appending to `body` while it is shorter than `keep`.
async fn read_body<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    count: u64,
    keep: usize,
    body: &mut Vec<u8>,
) -> Option<()> {
    let room = keep.saturating_sub(body.len()) as u64;
    let kept = count.min(room);
    let before = body.len();
    reader.take(kept).read_to_end(body).await.ok()?;
    if (body.len() - before) as u64 != kept {
        return None;
    }
    discard(reader, count - kept).await
}

/// Reads a line (at most [`HEAD_LIMIT`] bytes); returns its length, `None` at end of stream.
async fn read_line<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    line: &mut String,
) -> Option<usize> {
    let read = reader.take(HEAD_LIMIT as u64).read_line(line).await.ok()?;
    (read > 0).then_some(read)
}

/// Reads and drops `count` bytes.
async fn discard<R: tokio::io::AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    count: u64,
) -> Option<()> {
    let copied = tokio::io::copy(&mut reader.take(count), &mut tokio::io::sink())
        .await
        .ok()?;
    (copied == count).then_some(())
}

/// The index in [`OPERATIONS`] of the operation `method path` addresses
/// ([`crate::spec::route`]).
fn route(method: &str, path: &str) -> Option<usize> {
    let (operation, _) = crate::spec::route(method.parse().ok()?, path)?;
    OPERATIONS.iter().position(|op| op.id == operation.id)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        404 => "Not Found",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_routes_win_over_id_routes_and_ids_must_be_uuids() {
        let concurrency = route("GET", "/v1/sessions/concurrency").map(|i| OPERATIONS[i].id);
        assert_eq!(concurrency, Some("getSessionConcurrency"));
        let session = route("GET", "/v1/sessions/00000000-0000-0000-0000-000000000001");
        assert_eq!(session.map(|i| OPERATIONS[i].id), Some("getSession"));
        assert_eq!(route("GET", "/v1/sessions/not-a-uuid/transcript"), None);
        assert_eq!(route("DELETE", "/v1/sessions"), None);
        let persona = route("GET", "/v1/personas/any-text-id").map(|i| OPERATIONS[i].id);
        assert_eq!(persona, Some("getPersona"));
    }
}
