//! Typed Rust client for the [Anam AI](https://anam.ai) REST API.
//!
//! The client and every request and response type are generated at build time by progenitor
//! from Anam's published OpenAPI document (vendored byte for byte as `openapi/swagger.json`),
//! after a normalisation pass that turns the upstream OpenAPI 3.1 document into the 3.0
//! subset progenitor accepts. The crate README lists each rule.
//!
//! - [`raw`]: the generated client: one builder-style method per operation.
//! - [`types`]: every request and response type. Enums the API sends are *open*: a value this
//!   version does not know decodes into an `Unknown(String)` variant instead of failing.
//! - [`spec`]: every operation of the spec as data, with the errors it documents.
//! - [`hooks`] and [`http`]: authentication and the HTTP/TLS stack the client runs on.
//!
//! # Example
//!
//! ```no_run
//! use anam::raw::Error;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = anam::raw::Client::new_with_client(
//!     "https://api.anam.ai",
//!     anam::http::default_client()?,
//!     anam::hooks::HookState::new(std::env::var("ANAM_API_KEY")?),
//! );
//! match client
//!     .get_session_transcript()
//!     .id("00000000-0000-0000-0000-000000000000")
//!     .send()
//!     .await
//! {
//!     Ok(transcript) => {
//!         for message in &transcript.messages {
//!             println!("{:?}: {:?}", message.role, message.message);
//!         }
//!     }
//!     // Every non-2xx response arrives here with its status, headers and body.
//!     Err(Error::UnexpectedResponse(response)) => {
//!         eprintln!("{}: {}", response.status(), response.text().await?);
//!     }
//!     Err(other) => return Err(other.to_string().into()),
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod api_key;
pub mod hooks;
pub mod http;
pub mod raw;
pub mod spec;

pub use api_key::ApiKey;
pub use raw::types;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
