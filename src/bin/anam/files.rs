//! Writing output files so that a killed run never leaves a half-written one: write to a
//! temporary name in the same directory, flush to disk, then rename over the final name.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The marker in the names of temporary files (`.<name>.partial-<pid>-<n>`).
const PARTIAL_MARKER: &str = ".partial-";

/// Writes `path` atomically: `write` fills a temporary file beside it, which is synced and
/// renamed to `path` only if `write` succeeded; otherwise it is removed. `write` is handed the
/// file itself, so it should buffer (as `anam::transcript::write` does).
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let temporary = temporary_name(path);
    let outcome = (|| {
        let mut file = File::create(&temporary)?;
        write(&mut file)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if outcome.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    outcome
}

/// Checks that files can be created in `dir`: creates a temporary file there (named so a
/// re-run removes it, were this one killed) and removes it.
pub fn check_writable(dir: &Path) -> std::io::Result<()> {
    let probe = temporary_name(&dir.join("write-check"));
    File::create(&probe)?;
    std::fs::remove_file(&probe)
}

/// A fresh temporary name for `path`: unique per write, so two writes of one file at once
/// (a session listed twice) never share a temporary file.
fn temporary_name(path: &Path) -> PathBuf {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(
        ".{name}{PARTIAL_MARKER}{}-{write}",
        std::process::id()
    ))
}

/// What [`remove_partials`] found in a directory.
#[derive(Debug, PartialEq)]
pub struct Leftovers {
    /// Temporary files an interrupted run left, now removed.
    pub removed: usize,
    /// Every other entry.
    pub others: usize,
}

/// Removes the temporary files an earlier, killed run left in `dir`, and counts the rest.
pub fn remove_partials(dir: &Path) -> std::io::Result<Leftovers> {
    let mut found = Leftovers {
        removed: 0,
        others: 0,
    };
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(PARTIAL_MARKER) && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
            found.removed += 1;
        } else {
            found.others += 1;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_neither_the_file_nor_a_partial() {
        let dir = std::env::temp_dir().join(format!("anam-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.txt");
        let failed = write_atomically(&path, |out: &mut dyn Write| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        write_atomically(&path, |out: &mut dyn Write| out.write_all(b"whole")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        std::fs::write(dir.join(".b.txt.partial-1"), b"x").unwrap();
        assert_eq!(
            remove_partials(&dir).unwrap(),
            Leftovers {
                removed: 1,
                others: 1
            }
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
