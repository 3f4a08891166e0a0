//! The crate's integration tests, in one binary: every test talks real HTTP to a server on
//! 127.0.0.1 that it starts itself. (Tests that own process-wide state, environment variables
//! or the global tracing subscriber, are binaries of their own: `tests/env.rs`,
//! `tests/tracing.rs`.)

mod support;

mod cli;
mod coverage;
mod facade;
mod faults;
mod rate_limits;
mod raw;
mod spec_examples;
mod transcripts;
