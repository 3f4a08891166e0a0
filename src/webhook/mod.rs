//! Serving Anam's webhook tool calls: signed tool URLs, the arguments decoded, and the answer.
//!
//! A webhook tool is a URL of your backend that Anam's servers call when the persona's LLM
//! uses the tool, posting the arguments the LLM filled in as JSON. Anam signs nothing it
//! sends (its docs offer only static headers), and the call comes from Anam, not from the
//! user's browser: no cookie says who it is for. So, as Anam's own cookbook does, the URL
//! carries the proof: when the backend mints a user's session token it also signs the tool
//! URL for that user (`?uid=…&exp=…&sig=…`, HMAC-SHA256, [`UrlSigner::sign`]) and puts it in
//! the ephemeral persona's tool; when Anam calls, the backend checks the signature and the
//! expiry ([`UrlSigner::verify`]) and reads the user from the signed `uid`.
//!
//! - [`UrlSigner`], [`WebhookSecret`]: sign and verify; two secrets during a rotation.
//! - [`decode_arguments`]: the body into the tool's argument type, bounded, with errors that
//!   name the field and never quote the value.
//! - [`Answer`]: the compact JSON the LLM reads.
//! - With the `axum` feature, [`axum::SignedToolCall`] does all of it as an extractor.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use anam::webhook::{Answer, UrlSigner, WebhookSecret};
//!
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! struct LookupOrder { order_id: String }
//!
//! let signer = UrlSigner::new(WebhookSecret::new("0123456789abcdef0123456789abcdef")?);
//! // When minting the user's session token: the URL to give the tool.
//! let tool_url = signer.sign(
//!     &url::Url::parse("https://backend.example.com/tools/lookup-order")?,
//!     &http::Method::POST,
//!     SystemTime::now() + Duration::from_secs(3600), // a session token's lifetime
//!     &[("uid", "user-42")],
//! )?;
//!
//! // When Anam calls it:
//! let call = signer.verify(&http::Method::POST, &tool_url, SystemTime::now())?;
//! let args: LookupOrder = anam::webhook::decode_arguments(br#"{"orderId":"A-1001"}"#)?;
//! let answer = Answer::new(&serde_json::json!({
//!     "orderId": args.order_id, "user": call.param("uid"), "status": "shipped",
//! }))?;
//! assert_eq!(answer.as_str(), r#"{"orderId":"A-1001","status":"shipped","user":"user-42"}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod arguments;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod signing;

pub use arguments::{
    Answer, ArgumentsError, DEFAULT_MAX_ANSWER_STRING, DEFAULT_MAX_ARGUMENTS_SIZE,
    decode_arguments, decode_arguments_with_limit,
};
pub use signing::{
    EXPIRES_PARAM, MIN_SECRET_LEN, SIGNATURE_PARAM, SecretTooShort, SignError, SignatureError,
    UrlSigner, VerifiedUrl, WebhookSecret,
};
