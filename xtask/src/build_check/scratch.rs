//! The scratch copies of the workspace: which files are copied, syncing them, the lock that
//! keeps two checks out of one copy, and the result cache.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::diagnostics::RawError;
use crate::surface::sha256_hex;

/// Directory names never copied, at any depth.
const SKIPPED_DIRS: &[&str] = &[".git"];

/// Directory names never copied at the top of the workspace.
const SKIPPED_TOP_DIRS: &[&str] = &["target"];

/// How many cached results are kept.
const CACHE_ENTRIES: usize = 32;

/// The first line of a cache entry; a different one is ignored.
const CACHE_VERSION: &str = "update-spec-check cache v1";

/// Every file of the workspace at `root` by relative path, with its bytes: everything but
/// `.git`, the top-level `target` and the directories in `skip` (the target directory the
/// checks use, wherever it is). Symbolic links to directories are not followed.
pub fn sources(root: &Path, skip: &[&Path]) -> Result<BTreeMap<PathBuf, Vec<u8>>, String> {
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter_map(|path| path.canonicalize().ok())
        .collect();
    let mut files = BTreeMap::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let dir = root.join(&relative);
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let name = entry.file_name();
            let path = relative.join(&name);
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
            let name = name.to_string_lossy();
            if kind.is_dir() {
                let skipped = SKIPPED_DIRS.contains(&name.as_ref())
                    || (relative.as_os_str().is_empty()
                        && SKIPPED_TOP_DIRS.contains(&name.as_ref()))
                    || entry
                        .path()
                        .canonicalize()
                        .is_ok_and(|canonical| skip.contains(&canonical));
                if !skipped {
                    pending.push(path);
                }
            } else if entry.path().is_file() {
                let bytes = std::fs::read(entry.path())
                    .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
                files.insert(path, bytes);
            }
        }
    }
    Ok(files)
}

/// Gives the workspace's packages in `files` a version of their own for `slot`
/// (`0.1.0+update-spec.scratch`).
///
/// Cargo hashes a path package's artifacts by name, version and path relative to its
/// workspace, not by where the workspace is, so without this every copy would share the
/// artifacts (and the generated `OUT_DIR`) of the real workspace and of each other, and cargo,
/// judging freshness by timestamps, could take one copy's generated code for another's. A
/// version of their own keeps them apart, while the dependencies stay shared.
pub fn distinguish(files: &mut BTreeMap<PathBuf, Vec<u8>>, slot: &str) {
    for (path, bytes) in files.iter_mut() {
        if path.file_name().is_none_or(|name| name != "Cargo.toml") {
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Some(rewritten) = slot_version(text, slot) {
            *bytes = rewritten.into_bytes();
        }
    }
}

/// `manifest` with the `version = "..."` of its `[package]` (or `[workspace.package]`) table
/// given the build metadata `update-spec.<slot>`, or `None` when it has none.
fn slot_version(manifest: &str, slot: &str) -> Option<String> {
    let mut table = "";
    let mut out = String::with_capacity(manifest.len() + 32);
    let mut done = false;
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed;
        }
        let in_package = table == "[package]" || table == "[workspace.package]";
        match crate::cargo::version_value(trimmed) {
            Some(version) if in_package && !done => {
                let separator = if version.contains('+') { '.' } else { '+' };
                let ending = if line.ends_with('\n') { "\n" } else { "" };
                out.push_str(&format!(
                    "version = \"{version}{separator}update-spec.{slot}\"{ending}"
                ));
                done = true;
            }
            _ => out.push_str(line),
        }
    }
    done.then_some(out)
}

/// Makes `dir` hold exactly `files`: writes those that differ (so the others keep their
/// timestamps and cargo sees them unchanged) and removes the rest.
pub fn sync(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<(), String> {
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if std::fs::read(&path).is_ok_and(|existing| existing == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    remove_extra(dir, Path::new(""), files)
}

/// Removes the files below `dir/relative` that `files` does not list, and emptied directories.
fn remove_extra(
    dir: &Path,
    relative: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
) -> Result<(), String> {
    let here = dir.join(relative);
    let entries =
        std::fs::read_dir(&here).map_err(|e| format!("cannot read {}: {e}", here.display()))?;
    for entry in entries.flatten() {
        let path = relative.join(entry.file_name());
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        let done = if is_dir {
            remove_extra(dir, &path, files)?;
            let empty = std::fs::read_dir(entry.path()).is_ok_and(|mut e| e.next().is_none());
            !empty || std::fs::remove_dir(entry.path()).is_ok()
        } else {
            files.contains_key(&path) || std::fs::remove_file(entry.path()).is_ok()
        };
        if !done {
            return Err(format!("cannot remove {}", entry.path().display()));
        }
    }
    Ok(())
}

/// Takes the lock of one scratch copy, waiting (and saying so) while another check holds it.
/// The lock is released when the returned file is dropped, or the process ends.
pub fn lock(path: &Path, slot: &str) -> Result<File, String> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("build check ({slot}): waiting for another check of the same copy");
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", path.display()));
        }
    }
    file.lock()
        .map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
    Ok(file)
}

/// The cache key of a check: every copied file (path and bytes) and the toolchain.
pub fn cache_key(files: &BTreeMap<PathBuf, Vec<u8>>, toolchain: &str) -> String {
    let mut input = Vec::new();
    input.extend_from_slice(CACHE_VERSION.as_bytes());
    input.push(0);
    input.extend_from_slice(toolchain.as_bytes());
    for (path, bytes) in files {
        input.push(0);
        input.extend_from_slice(path.to_string_lossy().as_bytes());
        input.push(0);
        input.extend_from_slice(bytes.len().to_string().as_bytes());
        input.push(0);
        input.extend_from_slice(bytes);
    }
    sha256_hex(&input)
}

/// The cached errors of the check with `key`, if any.
pub fn cached(base: &Path, key: &str) -> Option<Vec<RawError>> {
    let text = std::fs::read_to_string(entry_path(base, key)).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(CACHE_VERSION) {
        return None;
    }
    lines.map(RawError::from_cache_line).collect()
}

/// Caches the errors of the check with `key` (best effort: a failure only costs a recheck),
/// keeping the newest [`CACHE_ENTRIES`].
pub fn store(base: &Path, key: &str, errors: &[RawError]) {
    let dir = base.join("cache");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let mut text = format!("{CACHE_VERSION}\n");
    for error in errors {
        text.push_str(&error.to_cache_line());
        text.push('\n');
    }
    let _ = std::fs::write(entry_path(base, key), text);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .collect();
    entries.sort();
    let excess = entries.len().saturating_sub(CACHE_ENTRIES);
    for (_, path) in entries.into_iter().take(excess) {
        let _ = std::fs::remove_file(path);
    }
}

/// The file of the cache entry `key`.
fn entry_path(base: &Path, key: &str) -> PathBuf {
    base.join("cache").join(format!("{key}.tsv"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system's temporary one.
    fn temporary(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("anam-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        dir
    }

    #[test]
    fn sources_skip_git_and_target_and_sync_mirrors_them() {
        let root = temporary("scratch-root");
        for (path, text) in [
            ("Cargo.toml", "[workspace]"),
            ("src/lib.rs", "pub fn f() {}"),
            (".git/HEAD", "ref"),
            ("target/debug/x", "artifact"),
            ("src/target/kept.rs", "kept"),
        ] {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let files = sources(&root, &[]).expect("sources");
        let names: Vec<String> = files
            .keys()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["Cargo.toml", "src/lib.rs", "src/target/kept.rs"]);

        let copy = temporary("scratch-copy");
        std::fs::create_dir_all(copy.join("old")).unwrap();
        std::fs::write(copy.join("old/stale.rs"), "stale").unwrap();
        std::fs::write(copy.join("Cargo.toml"), "[workspace]").unwrap();
        let unchanged = std::fs::metadata(copy.join("Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        sync(&copy, &files).expect("synced");
        assert_eq!(sources(&copy, &[]).expect("copied"), files);
        assert!(!copy.join("old").exists(), "stale files and directories go");
        let after = std::fs::metadata(copy.join("Cargo.toml"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(after, unchanged, "an unchanged file is not rewritten");
        let _ = std::fs::remove_dir_all(root);
        let _ = std::fs::remove_dir_all(copy);
    }

    #[test]
    fn each_copy_gives_the_workspace_packages_a_version_of_its_own() {
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("Cargo.toml"),
            b"[package]\nname = \"anam\"\nversion = \"0.1.0\"\n\n[dependencies]\nuuid = { version = \"1\" }\n"
                .to_vec(),
        );
        files.insert(
            PathBuf::from("xtask/Cargo.toml"),
            b"[package]\nname = \"xtask\"\nversion = \"0.0.0+x\"\n".to_vec(),
        );
        files.insert(
            PathBuf::from("tests/Cargo.toml.txt"),
            b"version = \"1\"".to_vec(),
        );
        distinguish(&mut files, "candidate");
        let text = |path: &str| String::from_utf8(files[Path::new(path)].clone()).unwrap();
        assert_eq!(
            text("Cargo.toml"),
            "[package]\nname = \"anam\"\nversion = \"0.1.0+update-spec.candidate\"\n\n\
             [dependencies]\nuuid = { version = \"1\" }\n"
        );
        assert_eq!(
            text("xtask/Cargo.toml"),
            "[package]\nname = \"xtask\"\nversion = \"0.0.0+x.update-spec.candidate\"\n"
        );
        assert_eq!(text("tests/Cargo.toml.txt"), "version = \"1\"");
        assert_eq!(slot_version("[dependencies]\nversion = \"1\"\n", "x"), None);
    }

    #[test]
    fn cached_results_round_trip_and_keys_follow_content() {
        let base = temporary("scratch-cache");
        let errors = vec![RawError {
            file: "tests/api/coverage.rs".into(),
            line: 117,
            column: 12,
            message: "no method named `delete`\tfound".into(),
            targets: vec!["test api".into()],
        }];
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("a.rs"), b"one".to_vec());
        let key = cache_key(&files, "rustc 1");
        assert_ne!(key, cache_key(&files, "rustc 2"));
        files.insert(PathBuf::from("a.rs"), b"two".to_vec());
        assert_ne!(key, cache_key(&files, "rustc 1"));
        assert_eq!(cached(&base, &key), None);
        store(&base, &key, &errors);
        assert_eq!(cached(&base, &key), Some(errors));
        store(&base, "empty", &[]);
        assert_eq!(cached(&base, "empty"), Some(Vec::new()));
        let _ = std::fs::remove_dir_all(base);
    }
}
