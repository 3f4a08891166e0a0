//! The generated client: progenitor's output for the normalised spec, with the pipeline's rules
//! applied to the code (no `api-version` header, the crate's path encoder, success bodies
//! decoded from the bytes the transport read).
//!
//! Every generated operation is a builder-style method on [`Client`]; non-2xx responses come
//! back as [`Error::UnexpectedResponse`] carrying the status, headers and body.

#![allow(missing_docs, dead_code, clippy::all, clippy::pedantic)]

include!(concat!(env!("OUT_DIR"), "/anam_generated.rs"));
