//! The generated client, exactly as progenitor produced it from the normalised spec.
//!
//! Every generated operation is a builder-style method on [`Client`]; non-2xx responses come
//! back as [`Error::UnexpectedResponse`] carrying the status, headers and body.

#![allow(missing_docs, dead_code, clippy::all, clippy::pedantic)]

include!(concat!(env!("OUT_DIR"), "/anam_generated.rs"));
