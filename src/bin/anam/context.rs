//! Where the commands send their requests, decided once: the key and where it came from
//! ([`KeySource`]), the base URL, and the client built from them (or the built-in mock
//! server's, with `--mock`). `auth status`, the no-key error and every command read the same
//! resolution.
//!
//! The key comes from, in this order: `--api-key-file`, `ANAM_API_KEY`, then the stored
//! profile (`--profile`/`ANAM_PROFILE`, else `default`) of `anam auth login`. Without a key
//! and without `--mock` nothing is sent: a lost key must not turn into fake data.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anam::mock::{LocalServer, MOCK_API_KEY};
use anam::{ApiKey, Client, ClientBuilder};

use crate::config::{self, DEFAULT_PROFILE};

/// Where the key in use came from.
#[derive(Clone, Debug)]
pub enum KeySource {
    /// `--api-key-file PATH`.
    File(PathBuf),
    /// The `ANAM_API_KEY` variable.
    Variable(&'static str),
    /// A profile stored by `anam auth login`.
    Profile { name: String, path: PathBuf },
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::File(path) => write!(f, "--api-key-file {}", path.display()),
            KeySource::Variable(name) => write!(f, "the {name} variable"),
            KeySource::Profile { name, path } => {
                write!(f, "profile `{name}` in {}", path.display())
            }
        }
    }
}

/// A key, where it came from, and the base URL to use with it.
pub struct Credentials {
    pub key: ApiKey,
    pub source: KeySource,
    /// `--base-url`/`ANAM_BASE_URL`, else the profile's, else the library's default.
    pub base_url: Option<String>,
}

/// A key shown to a person: its last four characters at most, never the rest.
pub fn masked(key: &ApiKey) -> String {
    let key = key.expose();
    let count = key.chars().count();
    if count < 16 {
        return "****".into();
    }
    let tail: String = key.chars().skip(count - 4).collect();
    format!("****{tail}")
}

/// A client, and the mock server it talks to with `--mock` (kept alive with it).
pub struct Connection {
    pub client: Client,
    _mock: Option<LocalServer>,
}

/// Why no client could be made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The key file could not be read.
    #[error("cannot read the API key file {path}")]
    KeyFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The key file is empty.
    #[error("the API key file {0} is empty")]
    EmptyKeyFile(String),
    /// The key variable is set, but to nothing (a secret that did not expand, say) or to
    /// something not UTF-8. Running against the mock instead would look like a success.
    #[error(
        "{0} is set but empty (or not UTF-8): set it to your API key, or unset it to use the built-in mock server"
    )]
    UnusableKeyVariable(&'static str),
    /// The stored credentials could not be read, or are readable by others.
    #[error(transparent)]
    Stored(#[from] config::ConfigError),
    /// A profile named with `--profile`/`ANAM_PROFILE` that is not stored.
    #[error(
        "no profile `{name}` in {}: run `anam auth login --profile {name}`. Nothing was sent.",
        path.display()
    )]
    NoProfile { name: String, path: PathBuf },
    /// The mock server could not start.
    #[error("cannot start the built-in mock server")]
    Mock(#[source] std::io::Error),
    /// The client settings were refused.
    #[error(transparent)]
    Client(#[from] anam::Error),
    /// No key and no `--mock`.
    #[error(
        "no API key: set {variable}, pass --api-key-file PATH or run `anam auth login`{with_url}; \
         to try a command against the built-in mock server instead (the API spec's examples, \
         nothing reaches Anam), pass --mock. Nothing was sent."
    )]
    NoKey {
        /// The variable the key is read from.
        variable: &'static str,
        /// `" (a base URL alone is not enough)"` when one was given.
        with_url: &'static str,
    },
}

/// What the command line says about where requests go.
#[derive(Clone, Copy, Debug, Default)]
pub struct Target<'a> {
    /// `--base-url` / `ANAM_BASE_URL`.
    pub base_url: Option<&'a str>,
    /// `--api-key-file`.
    pub key_file: Option<&'a Path>,
    /// `--profile` / `ANAM_PROFILE`.
    pub profile: Option<&'a str>,
    /// `--timeout`: bounds each request attempt (the library's default otherwise).
    pub timeout: Option<Duration>,
    /// `--mock` / `ANAM_MOCK`: the built-in mock server, whatever the key.
    pub mock: bool,
    /// `--dry-run`: each request printed on stdout, none sent.
    pub dry_run: bool,
}

impl Target<'_> {
    /// The profile to read: `--profile`/`ANAM_PROFILE`, else `default`.
    pub fn profile_name(&self) -> &str {
        self.profile.unwrap_or(DEFAULT_PROFILE)
    }
}

/// The key of `target` and where it came from, in the documented order; `None` when there
/// is none anywhere. A profile named explicitly but not stored is an error; one passed over
/// for a key that comes first is named in a note.
pub fn resolve(target: &Target<'_>) -> Result<Option<Credentials>, ConnectError> {
    let base_url = target.base_url.map(str::to_owned);
    let from_outside = match target.key_file {
        Some(path) => Some((read_key(path)?, KeySource::File(path.to_path_buf()))),
        None => match std::env::var(anam::API_KEY_ENV) {
            Err(std::env::VarError::NotPresent) => None,
            Ok(key) if !key.trim().is_empty() => Some((
                ApiKey::new(key.trim()),
                KeySource::Variable(anam::API_KEY_ENV),
            )),
            Ok(_) | Err(std::env::VarError::NotUnicode(_)) => {
                return Err(ConnectError::UnusableKeyVariable(anam::API_KEY_ENV));
            }
        },
    };
    if let Some((key, source)) = from_outside {
        if let Some(profile) = target.profile {
            crate::output::note(&format!(
                "note: profile `{profile}` is not used: the key comes from {source}, which comes first"
            ));
        }
        return Ok(Some(Credentials {
            key,
            source,
            base_url,
        }));
    }
    let path = config::path()?;
    let mut stored = config::load(&path, false)?;
    let name = target.profile_name().to_string();
    let Some(profile) = stored.profiles.remove(&name) else {
        return match target.profile {
            Some(_) => Err(ConnectError::NoProfile { name, path }),
            None => Ok(None),
        };
    };
    Ok(Some(Credentials {
        key: ApiKey::new(profile.api_key.trim()),
        source: KeySource::Profile { name, path },
        base_url: base_url.or(profile.base_url),
    }))
}

/// The error for a command that needs a key and has none.
pub fn no_key(target: &Target<'_>) -> ConnectError {
    ConnectError::NoKey {
        variable: anam::API_KEY_ENV,
        with_url: if target.base_url.is_some() {
            " (a base URL alone is not enough)"
        } else {
            ""
        },
    }
}

/// The client for `target`: the built-in mock server's when asked for (said on stderr before
/// anything else happens), else the API's with the key [`resolve`] finds; none is
/// [`ConnectError::NoKey`]. With `--dry-run` the client describes each request on stdout
/// and sends nothing.
pub async fn connect(target: Target<'_>) -> Result<Connection, ConnectError> {
    if target.mock {
        let mock = LocalServer::start().await.map_err(ConnectError::Mock)?;
        crate::output::note(&format!(
            "note: --mock: using the built-in mock Anam server at {} (it answers with the API \
             spec's examples; nothing reaches Anam)",
            mock.base_url()
        ));
        if target.base_url.is_some() {
            crate::output::note("note: --mock: the base URL is not used");
        }
        let builder = Client::builder()
            .api_key(MOCK_API_KEY)
            .base_url(mock.base_url());
        return Ok(Connection {
            client: settings(builder, &target).build()?,
            _mock: Some(mock),
        });
    }
    let Some(credentials) = resolve(&target)? else {
        return Err(no_key(&target));
    };
    let mut builder = Client::builder().api_key(credentials.key);
    if let Some(url) = credentials.base_url {
        builder = builder.base_url(url);
    }
    Ok(Connection {
        client: settings(builder, &target).build()?,
        _mock: None,
    })
}

/// A client for `key` and `base_url` alone (`auth login --check`).
pub fn client_for(
    key: ApiKey,
    base_url: Option<&str>,
    target: &Target<'_>,
) -> anam::Result<Client> {
    let mut builder = Client::builder().api_key(key);
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    settings(builder, target).build()
}

/// The timeout and the dry run of `target`.
fn settings(builder: ClientBuilder, target: &Target<'_>) -> ClientBuilder {
    let builder = match target.timeout {
        Some(timeout) => builder.request_timeout(timeout),
        None => builder,
    };
    if target.dry_run {
        builder.dry_run(crate::output::print_planned)
    } else {
        builder
    }
}

fn read_key(path: &Path) -> Result<ApiKey, ConnectError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConnectError::KeyFile {
        path: path.display().to_string(),
        source,
    })?;
    let key = text.trim();
    if key.is_empty() {
        return Err(ConnectError::EmptyKeyFile(path.display().to_string()));
    }
    Ok(ApiKey::new(key))
}
