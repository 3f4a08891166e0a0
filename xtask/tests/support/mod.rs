//! Helpers for running the built `xtask` binary on throwaway copies of the repository (its
//! `openapi/` directory and pinned test, or all its sources). Nothing here touches the network.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The workspace root of this checkout.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The vendored spec, parsed.
pub fn vendored_doc() -> Value {
    let bytes = std::fs::read(repo_root().join("openapi/swagger.json")).expect("the vendored spec");
    serde_json::from_slice(&bytes).expect("the vendored spec is JSON")
}

/// The file outside `openapi/` that pins the vendored spec.
pub const SPEC_TEST_PATH: &str = "tests/api/spec_examples.rs";

/// The library file with the spec's sha256 and date (`anam::spec::SPEC_SHA256`), pinned too.
pub const SPEC_MODULE_PATH: &str = "src/spec.rs";

/// The cargo target directory this test binary was built in (where the build checks of the
/// copies run, so they share its dependencies).
pub fn target_dir() -> PathBuf {
    let binary = Path::new(env!("CARGO_BIN_EXE_xtask"));
    binary
        .ancestors()
        .nth(2)
        .expect("the binary sits in <target>/<profile>/")
        .to_path_buf()
}

/// A temporary workspace root holding a copy of the repository's `openapi/` and pinned test
/// (or of all its sources), removed on drop.
pub struct TempRoot(PathBuf);

impl TempRoot {
    /// A fresh copy of `openapi/`, [`SPEC_TEST_PATH`] and [`SPEC_MODULE_PATH`], named after
    /// the test.
    pub fn new(test: &str) -> TempRoot {
        let root = TempRoot::empty(test);
        copy_dir(&repo_root().join("openapi"), &root.join("openapi"), false);
        root.copy_from_repo(SPEC_TEST_PATH);
        root.copy_from_repo(SPEC_MODULE_PATH);
        root
    }

    /// A fresh copy of every source of the repository (not `target/`, not `.git`), a whole
    /// workspace cargo can check.
    pub fn workspace(test: &str) -> TempRoot {
        let root = TempRoot::empty(test);
        for entry in std::fs::read_dir(repo_root()).expect("the repository") {
            let entry = entry.expect("a directory entry");
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            let from = entry.path();
            if entry.file_type().expect("a file type").is_dir() {
                copy_dir(&from, &root.path().join(&name), true);
            } else {
                std::fs::copy(&from, root.path().join(&name)).expect("a copy");
            }
        }
        root
    }

    /// An empty directory named after the test.
    fn empty(test: &str) -> TempRoot {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "anam-xtask-{test}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("a temporary directory");
        TempRoot(root)
    }

    /// Copies the repository's file `relative` into the same place here.
    fn copy_from_repo(&self, relative: &str) {
        let to = self.join(relative);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("a directory");
        std::fs::copy(repo_root().join(relative), to).expect("a copy");
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A file of it.
    pub fn join(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }

    /// Writes `bytes` to `relative` and returns the path.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> PathBuf {
        let path = self.join(relative);
        std::fs::write(&path, bytes).expect("a written file");
        path
    }

    /// sha256 of every file under `openapi/` and of [`SPEC_TEST_PATH`], by name, to check
    /// nothing was written.
    pub fn pinned_hashes(&self) -> Vec<(String, String)> {
        let mut hashes: Vec<(String, String)> = std::fs::read_dir(self.join("openapi"))
            .expect("openapi/")
            .map(|entry| {
                let entry = entry.expect("a directory entry");
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, sha256(&std::fs::read(entry.path()).expect("a file")))
            })
            .collect();
        for pinned in [SPEC_TEST_PATH, SPEC_MODULE_PATH] {
            let bytes = std::fs::read(self.join(pinned)).expect("a pinned file");
            hashes.push((pinned.to_string(), sha256(&bytes)));
        }
        hashes.sort();
        hashes
    }

    /// The text of a file of it.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.join(relative)).expect("a text file")
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies the files of `from` into `to` (and, if `recursive`, its directories but `.git`).
fn copy_dir(from: &Path, to: &Path, recursive: bool) {
    std::fs::create_dir_all(to).expect("a directory");
    for entry in std::fs::read_dir(from).expect("a directory to copy") {
        let entry = entry.expect("a directory entry");
        let kind = entry.file_type().expect("a file type");
        if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("a copy");
        } else if kind.is_dir() && recursive && entry.file_name() != ".git" {
            copy_dir(&entry.path(), &to.join(entry.file_name()), true);
        }
    }
}

/// Runs `cargo xtask <args>` (the built binary); its build checks share [`target_dir`].
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .expect("the xtask binary runs")
}

/// Its standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Its standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Lower-case hex sha256.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
