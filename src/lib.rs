//! Typed Rust client for the [Anam AI](https://anam.ai) REST API.
//!
//! ```no_run
//! # async fn run() -> anam::Result<()> {
//! let anam = anam::Client::from_env()?;
//! let transcript = anam.sessions().transcript("00000000-0000-0000-0000-000000000000").await?;
//! for message in &transcript.messages {
//!     println!("{:?}: {}", message.role, message.message.as_deref().unwrap_or(""));
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - [`Client`] and its per-resource sub-clients ([`resources`]) reach every operation of the
//!   API. Each method returns the operation's request builder: set optional parameters in one
//!   chain, then `.await` it for the body, call `with_response()` for the body with its
//!   [`Response`] status, headers and [`RateLimit`], `with_raw()` for the body as the server
//!   sent it beside its decode ([`RawResponse`]), or `into_stream()` on a list for every
//!   item of every page ([`pagination`]).
//! - [`Error`] is the one error type, with predicates (`is_not_found`, `is_rate_limited`, …);
//!   a 429 says which [`LimitKind`] it hit; [`ConfigError`] says why a client cannot be built.
//! - Idempotent calls and request-rate limits are retried per [`RetryPolicy`]; files are
//!   uploaded with [`UploadFile`].
//! - [`types`] holds every request and response type, generated at build time by progenitor
//!   from Anam's OpenAPI document (vendored byte for byte as `openapi/swagger.json`) after a
//!   normalisation pass the maintainers' guide (`docs/MAINTAINERS.md`) describes rule by rule.
//!   Enums the API sends are *open*: an unknown value decodes into an `Unknown(String)` variant
//!   instead of failing.
//! - [`Client::raw_json`] sends any operation with its JSON body as written ([`RawJsonRequest`]),
//!   through the same transport.
//! - [`raw`] is the generated client itself (its builders' own `send()` skips the crate's error
//!   mapping; prefer `.await`); [`spec`] lists every operation as data.
//! - With the `mock` feature, `mock::MockAnam` is a local mock Anam server for your tests; with
//!   `mock` or `cli`, `mock::LocalServer` is a dependency-free one.
//! - With the `webhook` feature, `webhook` serves Anam's webhook tool calls: signed, expiring
//!   tool URLs and the arguments decoded; with `axum`, an extractor that does both.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api_key;
mod client;
pub mod dry_run;
mod error;
pub mod hooks;
pub mod http;
#[cfg(any(feature = "mock", feature = "cli"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "mock", feature = "cli"))))]
pub mod mock;
mod open_enum;
pub mod pagination;
mod rate_gate;
mod rate_limit;
pub mod raw;
mod raw_json;
mod request;
pub mod resources;
mod retry;
mod session_range;
mod session_token;
pub mod spec;
mod success;
mod timestamp;
#[cfg(feature = "tools")]
#[cfg_attr(docsrs, doc(cfg(feature = "tools")))]
pub mod tools;
pub mod transcript;
mod transport;
pub mod unknown_fields;
mod upload;
pub mod variants;
#[cfg(feature = "webhook")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhook")))]
pub mod webhook;

pub use api_key::ApiKey;
pub use client::{API_KEY_ENV, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{ApiError, BODY_SNIPPET_LIMIT, ConfigError, DecodeError, Error, Result};
pub use rate_limit::{LimitKind, RateLimit};
pub use raw::types;
pub use raw_json::RawJsonRequest;
pub use request::{Operation, RawResponse, Response, ResponseFuture};
pub use resources::{AvatarUploadOptions, DocumentUploadOptions, VoiceUploadOptions};
pub use retry::RetryPolicy;
pub use session_range::SessionRange;
pub use upload::UploadFile;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
