//! Cargo for the tasks: the command to run it, and reading Cargo.toml lines without a TOML
//! parser (the manifests xtask reads are its own).

use std::process::Command;

/// Variables cargo sets for the package it runs or tests (`cargo xtask`, or xtask's own tests):
/// they describe xtask, not the packages a nested cargo builds.
const PACKAGE_VARIABLES: &[&str] = &[
    "CARGO_BIN_NAME",
    "CARGO_CRATE_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_RUSTC_CURRENT_DIR",
    "CARGO_TARGET_TMPDIR",
    "OUT_DIR",
];

/// Prefixes of the same: `CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, `CARGO_BIN_EXE_xtask`, ...
const PACKAGE_VARIABLE_PREFIXES: &[&str] = &["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_EXE_"];

/// Variables that make cargo compile the workspace's own crates through clippy: `.ci/run` sets
/// them for its test build (clippy's lints run inside it), and the tests it runs inherit them.
/// A nested build (the update-spec build check, the package check) looks for compile errors
/// only, in packages of its own, so it starts without them.
const LINT_VARIABLES: &[&str] = &["RUSTC_WORKSPACE_WRAPPER", "CLIPPY_ARGS"];

/// `cargo`: the one running this task (`$CARGO`) where there is one, else the one on `PATH`,
/// without the variables cargo set for xtask itself. Build scripts that declare
/// `rerun-if-env-changed` on them (ring's names `CARGO_PKG_NAME` and `CARGO_MANIFEST_DIR`) would
/// otherwise run again, and everything above them be rebuilt, whenever a build starts from
/// `cargo xtask` or a test instead of a shell: in CI, ring and the TLS stack were checked again
/// by the update-spec build tests after clippy had checked them. Nor with [`LINT_VARIABLES`].
pub fn command() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(is_removed) {
            command.env_remove(name);
        }
    }
    command
}

/// True for a variable a nested cargo starts without.
fn is_removed(name: &str) -> bool {
    is_package_variable(name) || LINT_VARIABLES.contains(&name)
}

/// True for a variable cargo sets for the package it runs or tests.
fn is_package_variable(name: &str) -> bool {
    PACKAGE_VARIABLES.contains(&name)
        || PACKAGE_VARIABLE_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
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
    fn the_variables_cargo_sets_for_a_package_are_told_from_its_settings() {
        for name in [
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION_MAJOR",
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
            "CARGO_BIN_EXE_xtask",
            "CARGO_CRATE_NAME",
            "CARGO_PRIMARY_PACKAGE",
            "OUT_DIR",
        ] {
            assert!(is_package_variable(name), "{name}");
        }
        for name in [
            "CARGO",
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "CARGO_INCREMENTAL",
            "CARGO_PROFILE_DEV_DEBUG",
            "RUSTFLAGS",
            "PATH",
        ] {
            assert!(!is_package_variable(name), "{name}");
        }
        for name in LINT_VARIABLES {
            assert!(is_removed(name) && !is_package_variable(name), "{name}");
        }
        for name in ["RUSTC_WRAPPER", "RUSTFLAGS"] {
            assert!(!is_removed(name), "{name}");
        }
    }

    #[test]
    fn nested_cargo_starts_without_the_package_variables_of_this_process() {
        let command = command();
        let removed: Vec<&std::ffi::OsStr> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name)
            .collect();
        // Under `cargo test` this process has them (CARGO_PKG_NAME, CARGO_MANIFEST_DIR, ...),
        // and in CI the lint variables too.
        for (name, _) in std::env::vars_os() {
            let wanted = name.to_str().is_some_and(is_removed);
            assert_eq!(removed.contains(&name.as_os_str()), wanted, "{name:?}");
        }
    }

    #[test]
    fn only_a_version_key_with_a_string_value_counts() {
        assert_eq!(version_value("version = \"0.1.0\""), Some("0.1.0"));
        assert_eq!(version_value("version=\"1\""), Some("1"));
        assert_eq!(version_value("versions = \"1\""), None);
        assert_eq!(version_value("version = 1"), None);
        assert_eq!(version_value("name = \"version\""), None);
    }
}
