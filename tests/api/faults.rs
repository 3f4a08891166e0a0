//! A misbehaving server on 127.0.0.1, one fault per test: what the client makes of each (the
//! outcomes the maintainers' guide lists under Reliability). None may panic, hang past its
//! timeouts or leak the key.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anam::{Client, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::{self, KEY, SESSION, quick_retries, transcript_json};

/// A server on 127.0.0.1 that hands each accepted connection, with its number, to `behave`.
pub(crate) async fn misbehaving<F, Fut>(behave: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    misbehaving_on("127.0.0.1:0", behave).await
}

/// [`misbehaving`] on another address (`127.0.0.2:0` is a different loopback host).
pub(crate) async fn misbehaving_on<F, Fut>(address: &str, behave: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind(address).await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let count = connections.clone();
    let behave = Arc::new(behave);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let number = count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(behave(number, stream));
        }
    });
    (base_url, connections)
}

/// Reads a request head (up to the blank line, or as much as came before the stream ended).
pub(crate) async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Reads the request head, then sends a whole, well-formed response and closes.
async fn answer(mut stream: TcpStream, status: u16, content_type: &str, body: &[u8]) {
    read_head(&mut stream).await;
    respond(stream, status, content_type, body).await;
}

/// A whole, well-formed response (the request already read), then close.
pub(crate) async fn respond(stream: TcpStream, status: u16, content_type: &str, body: &[u8]) {
    respond_with(stream, status, content_type, &[], body).await;
}

/// [`respond`] with extra headers.
pub(crate) async fn respond_with(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

/// A `200` declaring a 4,000-byte body, its first bytes, then a TCP reset.
pub(crate) async fn reset_mid_body(mut stream: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4000\r\n\r\n";
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(b"{\"sessionId\": \"00000000-").await;
    let _ = stream.set_zero_linger(); // close with a reset
    drop(stream);
}

/// A chunked `200` whose body never ends, until the client hangs up.
pub(crate) async fn endless_body(mut stream: TcpStream) {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(b"5\r\n[1,2,\r\n").await;
    let chunk = format!("{:x}\r\n{}\r\n", 65536, " ".repeat(65536));
    while stream.write_all(chunk.as_bytes()).await.is_ok() {}
}

/// A `200` declaring a 5 GB body, then nothing for `hold`.
pub(crate) async fn declared_too_large(mut stream: TcpStream, hold: Duration) {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000000000\r\n\r\n";
    let _ = stream.write_all(head.as_bytes()).await;
    tokio::time::sleep(hold).await;
}

fn client(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(retry)
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

fn transcript_bytes() -> Vec<u8> {
    transcript_json().to_string().into_bytes()
}

fn assert_no_key(error: &Error) {
    let chain = support::error_chain(error);
    assert!(
        !chain.contains(KEY) && !format!("{error:?}").contains(KEY),
        "{chain}"
    );
}

#[tokio::test]
async fn a_reset_in_the_middle_of_a_get_body_is_retried_and_succeeds() {
    let (base_url, connections) = misbehaving(|number, mut stream| async move {
        if number == 0 {
            read_head(&mut stream).await;
            reset_mid_body(stream).await;
        } else {
            answer(stream, 200, "application/json", &transcript_bytes()).await;
        }
    })
    .await;
    let transcript = client(&base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .expect("the second attempt succeeds");
    assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn headers_slower_than_the_timeout_end_in_a_timeout_that_counts_its_attempts() {
    let (base_url, connections) = misbehaving(|_, mut stream| async move {
        read_head(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let started = Instant::now();
    let error = client(&base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().ends_with("timed out after 3 attempts"),
        "{error}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 3);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "no attempt outlived its timeout"
    );
    assert_no_key(&error);
}

#[tokio::test]
async fn a_body_that_never_ends_stops_at_the_size_limit() {
    let (base_url, _) = misbehaving(|_, mut stream| async move {
        read_head(&mut stream).await;
        endless_body(stream).await;
    })
    .await;
    let anam = Client::builder()
        .api_key(KEY)
        .base_url(&base_url)
        .max_response_size(1024 * 1024)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = anam.sessions().transcript(SESSION).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                operation: "getSessionTranscript",
                limit: 1_048_576
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_declared_length_past_the_limit_is_refused_without_reading_it() {
    let (base_url, _) = misbehaving(|_, mut stream| async move {
        read_head(&mut stream).await;
        declared_too_large(stream, Duration::from_secs(5)).await;
    })
    .await;
    let started = Instant::now();
    let error = client(&base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    assert!(!error.is_retryable());
    // The server holds the body back for 5 s: an answer before that did not wait for it (a
    // bound on the logic, not on the machine's speed).
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "it waited for the body"
    );
}

#[tokio::test]
async fn truncated_json_html_with_200_and_invalid_utf8_are_decode_errors_with_their_status() {
    let bodies: [(&str, Vec<u8>); 3] = [
        (
            "application/json",
            br#"{"sessionId": "00000000-0000-0000-0000-000000000000", "messages": [{"ro"#.to_vec(),
        ),
        (
            "text/html",
            b"<html><body>maintenance</body></html>".to_vec(),
        ),
        (
            "application/json",
            b"{\"personaName\": \"Car\xff\xfe\"}".to_vec(),
        ),
    ];
    for (content_type, body) in bodies {
        let body = Arc::new(body);
        let served = body.clone();
        let (base_url, _) = misbehaving(move |_, stream| {
            let served = served.clone();
            async move { answer(stream, 200, content_type, &served).await }
        })
        .await;
        let error = client(&base_url, quick_retries())
            .sessions()
            .transcript(SESSION)
            .await
            .unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("{content_type}: expected a decode error, got {error:?}");
        };
        assert_eq!(
            decode.status,
            Some(reqwest::StatusCode::OK),
            "{content_type}"
        );
        assert!(error.to_string().contains("HTTP 200"), "{error}");
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn bursts_of_503_then_success_are_ridden_out() {
    let (base_url, connections) = misbehaving(|number, stream| async move {
        if number < 2 {
            answer(stream, 503, "application/json", br#"{"message":"busy"}"#).await;
        } else {
            answer(stream, 200, "application/json", &transcript_bytes()).await;
        }
    })
    .await;
    client(&base_url, quick_retries())
        .sessions()
        .transcript(SESSION)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_redirect_to_another_host_does_not_carry_the_key() {
    // The other host: 127.0.0.2 is loopback too, but a different host to the client.
    let other = TcpListener::bind("127.0.0.2:0").await.unwrap();
    let other_url = format!("http://{}", other.local_addr().unwrap());
    let (head_tx, head_rx) = tokio::sync::oneshot::channel::<String>();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = other.accept().await else {
            return;
        };
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).await.is_ok_and(|n| n == 1) {
            head.push(byte[0]);
        }
        let _ = head_tx.send(String::from_utf8_lossy(&head).into_owned());
        let body = transcript_bytes();
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes()).await;
        let _ = stream.write_all(&body).await;
    });
    let target = format!("{other_url}/v1/sessions/{SESSION}/transcript");
    let (base_url, _) = misbehaving(move |_, mut stream| {
        let target = target.clone();
        async move {
            read_head(&mut stream).await;
            let reply =
                format!("HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n");
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    })
    .await;
    let outcome = client(&base_url, RetryPolicy::none())
        .sessions()
        .transcript(SESSION)
        .await;
    let head = head_rx.await.expect("the redirect was followed");
    assert!(
        !head.to_ascii_lowercase().contains("authorization"),
        "{head}"
    );
    assert!(!head.contains(KEY));
    outcome.expect("the redirected request succeeds");
}
