//! Helpers for running the built `xtask` binary on throwaway copies of the repository's
//! `openapi/` directory. Nothing here touches the network.

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

/// A temporary workspace root holding a copy of the repository's `openapi/`, removed on drop.
pub struct TempRoot(PathBuf);

impl TempRoot {
    /// A fresh copy, named after the test.
    pub fn new(test: &str) -> TempRoot {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "anam-xtask-{test}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(unique);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("openapi")).expect("a temporary directory");
        for entry in std::fs::read_dir(repo_root().join("openapi")).expect("openapi/") {
            let entry = entry.expect("a directory entry");
            if entry.file_type().expect("a file type").is_file() {
                std::fs::copy(entry.path(), root.join("openapi").join(entry.file_name()))
                    .expect("a copy");
            }
        }
        TempRoot(root)
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

    /// sha256 of every file under `openapi/`, by name, to check nothing was written.
    pub fn openapi_hashes(&self) -> Vec<(String, String)> {
        let mut hashes: Vec<(String, String)> = std::fs::read_dir(self.join("openapi"))
            .expect("openapi/")
            .map(|entry| {
                let entry = entry.expect("a directory entry");
                let name = entry.file_name().to_string_lossy().into_owned();
                (name, sha256(&std::fs::read(entry.path()).expect("a file")))
            })
            .collect();
        hashes.sort();
        hashes
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `cargo xtask <args>` (the built binary).
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
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
