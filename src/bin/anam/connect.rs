//! Where the commands send their requests: the API with a key from `ANAM_API_KEY` or a file,
//! or, without a key, the built-in mock server.

use std::path::Path;
use std::time::Duration;

use anam::mock::{LocalServer, MOCK_API_KEY};
use anam::{ApiKey, Client, ClientBuilder};

/// A client, and the mock server it talks to when there is no key (kept alive with it).
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
    /// The mock server could not start.
    #[error("cannot start the built-in mock server")]
    Mock(#[source] std::io::Error),
    /// The client settings were refused.
    #[error(transparent)]
    Client(#[from] anam::Error),
}

/// The client for these settings; without a key, a client of a freshly started mock server
/// (said on stderr). `timeout` bounds each request attempt (the library's default otherwise).
pub async fn connect(
    base_url: Option<&str>,
    key_file: Option<&Path>,
    timeout: Option<Duration>,
) -> Result<Connection, ConnectError> {
    let key = match key_file {
        Some(path) => Some(read_key(path)?),
        None => std::env::var(anam::API_KEY_ENV)
            .ok()
            .map(|key| key.trim().to_string())
            .filter(|key| !key.is_empty())
            .map(ApiKey::new),
    };
    let Some(key) = key else {
        let mock = LocalServer::start().await.map_err(ConnectError::Mock)?;
        eprintln!(
            "note: {} is not set: using the built-in mock Anam server at {} (it answers with the API spec's examples)",
            anam::API_KEY_ENV,
            mock.base_url()
        );
        if base_url.is_some() {
            eprintln!("note: the base URL is ignored without an API key");
        }
        let builder = Client::builder()
            .api_key(MOCK_API_KEY)
            .base_url(mock.base_url());
        return Ok(Connection {
            client: with_timeout(builder, timeout).build()?,
            _mock: Some(mock),
        });
    };
    let mut builder = Client::builder().api_key(key);
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let builder = with_timeout(builder, timeout);
    Ok(Connection {
        client: builder.build()?,
        _mock: None,
    })
}

fn with_timeout(builder: ClientBuilder, timeout: Option<Duration>) -> ClientBuilder {
    match timeout {
        Some(timeout) => builder.request_timeout(timeout),
        None => builder,
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
