//! `cargo xtask msrv`: the declared `rust-version` of `anam` holds for its dependencies.
//!
//! No older toolchain can be installed on the CI machines, so the MSRV is checked in two halves:
//! clippy's `incompatible_msrv` lint (on in `.ci/run`'s clippy run, reading `rust-version` from
//! Cargo.toml) flags the crate's own use of a standard-library API newer than it, and this task
//! reads `cargo metadata` and fails when any crate `anam` builds with (normal and build
//! dependencies, every feature, as locked) declares a newer `rust-version`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// A crate whose declared `rust-version` is newer than the one checked against.
#[derive(Debug, PartialEq, Eq)]
pub struct TooNew {
    /// `name version`.
    pub package: String,
    /// Its `rust-version`.
    pub rust_version: String,
}

/// What the check found.
#[derive(Debug)]
pub struct Outcome {
    /// `anam`'s `rust-version`.
    pub msrv: String,
    /// How many crates were checked (`anam` and its normal and build dependencies).
    pub checked: usize,
    /// How many of them declare a `rust-version`.
    pub declared: usize,
    /// Those that declare a newer one.
    pub too_new: Vec<TooNew>,
}

/// Runs `cargo metadata` in `root` and checks `anam`'s dependency graph.
pub fn run(root: &Path) -> Result<Outcome, String> {
    let output = crate::cargo::command()
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    check(&metadata, "anam")
}

/// Checks the dependency graph of `root_package` in `cargo metadata` output.
pub fn check(metadata: &Value, root_package: &str) -> Result<Outcome, String> {
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?
        .iter()
        .filter_map(|package| Some((package["id"].as_str()?, package)))
        .collect();
    let root = packages
        .values()
        .find(|package| package["name"] == root_package && package["source"].is_null())
        .ok_or_else(|| format!("no workspace package named {root_package}"))?;
    let msrv = root["rust_version"]
        .as_str()
        .ok_or_else(|| format!("{root_package} declares no rust-version"))?
        .to_string();
    let limit = parse(&msrv).ok_or_else(|| format!("rust-version `{msrv}` is not a version"))?;
    let reached = reachable(metadata, root["id"].as_str().unwrap_or_default())?;
    let mut outcome = Outcome {
        msrv,
        checked: reached.len(),
        declared: 0,
        too_new: Vec::new(),
    };
    for id in reached {
        let Some(package) = packages.get(id) else {
            continue;
        };
        let Some(declared) = package["rust_version"].as_str() else {
            continue;
        };
        outcome.declared += 1;
        if parse(declared).is_some_and(|version| version > limit) {
            outcome.too_new.push(TooNew {
                package: format!(
                    "{} {}",
                    package["name"].as_str().unwrap_or("?"),
                    package["version"].as_str().unwrap_or("?")
                ),
                rust_version: declared.to_string(),
            });
        }
    }
    Ok(outcome)
}

/// The ids reachable from `root` through normal and build dependencies of the resolve graph.
fn reachable<'a>(metadata: &'a Value, root: &'a str) -> Result<BTreeSet<&'a str>, String> {
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata has no resolve graph")?
        .iter()
        .filter_map(|node| Some((node["id"].as_str()?, node)))
        .collect();
    let mut seen = BTreeSet::from([root]);
    let mut pending = vec![root];
    while let Some(id) = pending.pop() {
        let Some(node) = nodes.get(id) else { continue };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let not_dev_only = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|kind| kind["kind"].as_str() != Some("dev"));
            if let Some(dep_id) = dep["pkg"].as_str()
                && not_dev_only
                && seen.insert(dep_id)
            {
                pending.push(dep_id);
            }
        }
    }
    Ok(seen)
}

/// `1.88` or `1.88.0` as comparable numbers (a missing part is 0).
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.trim().split('.').map(str::parse::<u64>);
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    parts.next().is_none().then_some((major, minor, patch))
}

/// The report printed on stdout.
pub fn report(outcome: &Outcome) -> String {
    let mut out = format!(
        "rust-version {}: {} crates built with anam (normal and build dependencies, all \
         features), {} of them declare a rust-version\n",
        outcome.msrv, outcome.checked, outcome.declared
    );
    for too_new in &outcome.too_new {
        out.push_str(&format!(
            "TOO NEW {} needs Rust {}\n",
            too_new.package, too_new.rust_version
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A resolve graph: anam -> a (normal), b (build), c (dev only); a -> d.
    fn metadata(d_version: &str) -> Value {
        let package = |id: &str, rust: Option<&str>, local: bool| {
            json!({"id": id, "name": id, "version": "1.0.0", "rust_version": rust,
                   "source": if local { Value::Null } else { json!("registry") }})
        };
        let dep =
            |pkg: &str, kind: Option<&str>| json!({"pkg": pkg, "dep_kinds": [{"kind": kind}]});
        json!({
            "packages": [package("anam", Some("1.88"), true), package("a", Some("1.70"), false),
                         package("b", None, false), package("c", Some("1.99"), false),
                         package("d", Some(d_version), false)],
            "resolve": {"nodes": [
                {"id": "anam", "deps": [dep("a", None), dep("b", Some("build")), dep("c", Some("dev"))]},
                {"id": "a", "deps": [dep("d", None)]},
                {"id": "b", "deps": []}, {"id": "c", "deps": []}, {"id": "d", "deps": []},
            ]}
        })
    }

    #[test]
    fn dependencies_within_the_msrv_pass_and_dev_dependencies_do_not_count() {
        let outcome = check(&metadata("1.88.0"), "anam").unwrap();
        assert_eq!((outcome.checked, outcome.declared), (4, 3));
        assert_eq!(outcome.too_new, []);
    }

    #[test]
    fn a_transitive_dependency_past_the_msrv_is_named() {
        let outcome = check(&metadata("1.89"), "anam").unwrap();
        assert_eq!(
            outcome.too_new,
            [TooNew {
                package: "d 1.0.0".into(),
                rust_version: "1.89".into()
            }]
        );
        assert!(report(&outcome).contains("TOO NEW d 1.0.0 needs Rust 1.89\n"));
    }

    #[test]
    fn versions_compare_by_number() {
        assert!(parse("1.100").unwrap() > parse("1.88.1").unwrap());
        assert_eq!(parse("1.88"), Some((1, 88, 0)));
        assert_eq!(parse("1.x"), None);
    }
}
