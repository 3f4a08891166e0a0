//! Typed Rust client for the [Anam AI](https://anam.ai) REST API.
//!
//! The client and every request and response type are generated at build time by progenitor
//! from Anam's published OpenAPI document (vendored as `openapi/swagger.json`), after a
//! normalisation pass that turns the upstream OpenAPI 3.1 document into the 3.0 subset
//! progenitor accepts. See the crate README for each rule.

pub mod api_key;
pub mod hooks;
pub mod http;
pub mod raw;
pub mod spec;

pub use api_key::ApiKey;
pub use raw::types;
