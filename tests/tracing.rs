//! Spans around each attempt, over real HTTP: which attempts ran, with which fields, and that
//! the key never appears. One global subscriber is installed before any span is created (a
//! per-thread subscriber races with tracing's per-callsite interest cache when tests run in
//! parallel), and the scenarios run one after another in a single test.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use anam::{Client, Error, RetryPolicy, UploadFile};

const KEY: &str = "sk-test-tracing-0123456789";
const GROUP: &str = "00000000-0000-0000-0000-000000000001";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    /// Everything recorded since the last call.
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

fn recorder() -> &'static Buffer {
    static BUFFER: OnceLock<Buffer> = OnceLock::new();
    BUFFER.get_or_init(|| {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buffer
    })
}

/// A port on 127.0.0.1 with nothing listening.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn attempts_are_traced_with_their_fields_and_never_the_key() {
    let trace = recorder();
    let base = closed_port();

    // A POST that never reached the server is retried, each attempt in its own span.
    let example = anam::spec::Operation::CREATE_PERSONA
        .request_example
        .unwrap();
    let body: anam::types::CreatePersonaBody = serde_json::from_str(example).unwrap();
    let error = client(&base).personas().create(body).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "createPersona",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!format!("{error:?}").contains(KEY) && !error.to_string().contains(KEY));
    let text = trace.take();
    for attempt in 1..=3 {
        assert!(text.contains(&format!("attempt={attempt}")), "{text}");
    }
    assert!(text.contains("operation=\"createPersona\""), "{text}");
    assert!(text.contains("path=\"/v1/personas\""), "{text}");
    assert!(text.contains("method=POST"), "{text}");
    // A failed attempt records what failed, not a made-up status.
    assert!(text.contains("error=\"connect\""), "{text}");
    assert!(!text.contains("status="), "{text}");
    assert!(!text.contains(KEY), "the key leaked into traces");

    // An upload from a reader cannot be replayed: one attempt only.
    let file = UploadFile::from_reader("a.txt", std::io::Cursor::new(b"once".to_vec()));
    let error = client(&base)
        .knowledge()
        .upload_document(GROUP, file, Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let text = trace.take();
    assert!(
        text.contains("attempt=1") && !text.contains("attempt=2"),
        "{text}"
    );
    assert!(
        text.contains("operation=\"uploadKnowledgeGroupDocument\""),
        "{text}"
    );

    // The same upload from bytes is replayed.
    let file = UploadFile::from_bytes("a.txt", b"again".to_vec());
    client(&base)
        .knowledge()
        .upload_document(GROUP, file, Default::default())
        .await
        .unwrap_err();
    let text = trace.take();
    assert!(text.contains("attempt=3"), "{text}");
    assert!(!text.contains(KEY));
}
