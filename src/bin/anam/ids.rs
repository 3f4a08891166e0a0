//! Path ids on the command line: a text id the client would refuse (empty, only whitespace,
//! `.` or `..`, which would address another resource) is a usage error, exit status 2, naming
//! the argument, before any request. Every other id is sent as one percent-encoded segment.

/// clap's value parser of a text path id (`anam personas get <ID>`).
pub fn path_id(value: &str) -> Result<String, String> {
    anam::spec::check_path_value(value)
        .map(|()| value.to_string())
        .map_err(|why| format!("a path id {why}"))
}
