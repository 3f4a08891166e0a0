//! Cargo for the tasks: the command to run it, and reading Cargo.toml lines without a TOML
//! parser (the manifests xtask reads are its own).

use std::process::Command;

/// `cargo`: the one running this task (`$CARGO`) where there is one, else the one on `PATH`.
pub fn command() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The string value of a `version = "..."` line (already trimmed), if it is one.
pub fn version_value(line: &str) -> Option<&str> {
    line.strip_prefix("version")
        .map(str::trim_start)
        .and_then(|rest| rest.strip_prefix('='))
        .map(str::trim)
        .and_then(|value| value.strip_prefix('"')?.strip_suffix('"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_version_key_with_a_string_value_counts() {
        assert_eq!(version_value("version = \"0.1.0\""), Some("0.1.0"));
        assert_eq!(version_value("version=\"1\""), Some("1"));
        assert_eq!(version_value("versions = \"1\""), None);
        assert_eq!(version_value("version = 1"), None);
        assert_eq!(version_value("name = \"version\""), None);
    }
}
