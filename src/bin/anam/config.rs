//! The stored credentials of `anam auth login`: one JSON file,
//! `$XDG_CONFIG_HOME/anam/credentials.json` (else `~/.config/anam/credentials.json`), with a
//! key and an optional base URL per profile. The directory is made mode 0700 and the file
//! written 0600; a file that other users can read is refused, as ssh refuses such a key, and
//! its key is not used.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Every stored profile, by name.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Stored {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile: a key, and the API address it is for.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub api_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("api_key", &"<redacted>")
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// Why the stored credentials could not be read or written. No message quotes the file's
/// content.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no configuration directory: set XDG_CONFIG_HOME or HOME")]
    NoDirectory,
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} can be read by other users (mode {mode:03o}), so its key is not used: run \
         `chmod 600 {}`, or `anam auth login` again",
        path.display(),
        path.display()
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("{} is not a credentials file: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// `$XDG_CONFIG_HOME/anam`, else `$HOME/.config/anam`.
pub fn directory() -> Result<PathBuf, ConfigError> {
    let set = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(base) = set("XDG_CONFIG_HOME") {
        return Ok(PathBuf::from(base).join("anam"));
    }
    match set("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".config").join("anam")),
        None => Err(ConfigError::NoDirectory),
    }
}

/// The credentials file.
pub fn path() -> Result<PathBuf, ConfigError> {
    Ok(directory()?.join("credentials.json"))
}

/// The stored profiles (none when the file does not exist). A file others can read is
/// [`ConfigError::TooOpen`] unless `any_mode` (`auth login` rewrites it at 0600).
pub fn load(path: &Path, any_mode: bool) -> Result<Stored, ConfigError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Stored::default());
        }
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.into(),
                source,
            });
        }
    };
    if !any_mode {
        check_mode(path)?;
    }
    serde_json::from_slice(&bytes).map_err(|error| ConfigError::Invalid {
        path: path.into(),
        reason: format!(
            "{} at line {}, column {}",
            anam::DecodeError::reason_of(&error),
            error.line(),
            error.column()
        ),
    })
}

#[cfg(unix)]
fn check_mode(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })?;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::TooOpen {
            path: path.into(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_: &Path) -> Result<(), ConfigError> {
    Ok(())
}

/// Writes `stored` to `path`: its directory made (0700) if missing, the file written whole
/// under a temporary name at mode 0600 and renamed over the old one; no profile left removes
/// the file.
pub fn save(path: &Path, stored: &Stored) -> Result<(), ConfigError> {
    let write_error = |source| ConfigError::Write {
        path: path.into(),
        source,
    };
    if stored.profiles.is_empty() {
        return match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(write_error(error)),
            _ => Ok(()),
        };
    }
    let directory = path.parent().ok_or(ConfigError::NoDirectory)?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(directory).map_err(write_error)?;
    let mut text = serde_json::to_vec_pretty(stored).map_err(|e| write_error(e.into()))?;
    text.push(b'\n');
    let temporary = directory.join(".credentials.json.tmp");
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(write_error)?;
    file.write_all(&text)
        .and_then(|()| file.sync_all())
        .map_err(write_error)?;
    std::fs::rename(&temporary, path).map_err(write_error)
}
