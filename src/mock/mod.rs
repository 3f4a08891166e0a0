//! Local mock Anam servers that answer every operation of the spec with the spec's own example
//! response (an empty object, array or `204` where the spec has none), taken from the table the
//! pipeline generates ([`crate::spec`]), so they follow the spec automatically.
//!
//! - [`MockAnam`] (feature `mock`): an [`httpmock`] server, for your own tests; add your own
//!   expectations, or use progenitor's typed helpers ([`operations`], [`MockServerExt`]) on a
//!   fresh `httpmock::MockServer` for exact per-operation control.
//! - [`LocalServer`] (features `mock` or `cli`): the same canned answers from a small
//!   dependency-free server on tokio; the `anam` command line runs against it when no API key
//!   is set.
//!
//! ```no_run
//! # #[cfg(feature = "mock")]
//! # async fn run() -> anam::Result<()> {
//! let mock = anam::mock::MockAnam::start().await;
//! let anam = mock.client()?;
//! let transcript = anam.sessions().transcript("00000000-0000-0000-0000-000000000000").await?;
//! assert_eq!(transcript.persona_name.as_deref(), Some("Cara"));
//! assert_eq!(mock.calls("getSessionTranscript"), 1);
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "mock")]
mod anam;
mod local;

#[cfg(feature = "mock")]
pub use anam::{MockAnam, MockServerExt, operations};
#[cfg(feature = "mock")]
pub use httpmock;
pub use local::LocalServer;

/// The API key mock clients use.
pub const MOCK_API_KEY: &str = "anam-mock-key";

/// The body a mock answers `operation` with: the spec's first example for its success status,
/// else an empty JSON object or array; `None` for a response without a body.
fn canned_body(operation: &crate::spec::Operation) -> Option<String> {
    let body = operation.success_body?;
    let status = operation.success_status.to_string();
    let example = operation
        .examples
        .iter()
        .find(|e| e.status == status || e.status.ends_with("XX"))
        .or(operation.examples.first());
    Some(match (example, body.array) {
        (Some(example), _) => example.json.to_string(),
        (None, true) => "[]".to_string(),
        (None, false) => "{}".to_string(),
    })
}
