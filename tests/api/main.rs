//! The crate's integration tests, in one binary: every test talks real HTTP to a server on
//! 127.0.0.1 that it starts itself. Binaries of their own: `tests/env.rs` and
//! `tests/tracing.rs` (they own process-wide state: environment variables, the global
//! subscriber), `tests/load.rs` (it measures the process's memory) and `tests/fuzz.rs` (its
//! long mode runs for minutes).

mod support;

// The `anam` binary's helper modules that need no generated code, compiled here with their own
// unit tests (`test = false` on the binary: its test build compiled the generated commands a
// second time, for seven small tests). They name each other `crate::output` and so on, so they
// sit at this crate's root.
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/anam/confirm.rs"]
mod confirm;
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/anam/files.rs"]
mod files;
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/anam/jq.rs"]
mod jq;
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/anam/listing.rs"]
mod listing;
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/anam/output.rs"]
mod output;
#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/anam/table.rs"]
mod table;

mod cli;
mod cli_faults;
mod cli_gh;
mod cli_help;
mod cli_mock;
mod cli_output;
mod cli_resources;
mod coverage;
mod facade;
mod faults;
mod lossless;
mod mock_checks;
mod path_ids;
mod rate_limits;
mod raw;
mod raw_json;
mod requests;
mod round_trip;
mod session_range;
mod spec_examples;
mod tools;
mod transcripts;
#[cfg(feature = "axum")]
mod webhook;
