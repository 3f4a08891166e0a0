//! The resource commands generated from the spec (`$OUT_DIR/anam_cli.rs`, written by build.rs
//! through `src/codegen/cli_code.rs`): `anam <resource> <verb>`, one per facade method, with
//! the path ids as positional arguments, the query parameters and body fields as flags, and
//! the request sent through the facade.

include!(concat!(env!("OUT_DIR"), "/anam_cli.rs"));
