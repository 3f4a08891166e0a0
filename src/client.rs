//! [`Client`], its [`ClientBuilder`], and the per-resource sub-clients it hands out.

use std::time::Duration;

use crate::hooks::HookState;
use crate::http::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
use crate::resources::{
    Avatars, Engine, Knowledge, Llms, Meetings, Personas, Sessions, ShareLinks, Tools, Voices,
};
use crate::{ApiKey, ConfigError, Result, RetryPolicy, raw};

/// The API's address.
pub const DEFAULT_BASE_URL: &str = "https://api.anam.ai";
/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "ANAM_API_KEY";
/// Environment variable that overrides the base URL.
pub const BASE_URL_ENV: &str = "ANAM_BASE_URL";

/// The Anam API client: cheap to clone, safe to share between tasks.
///
/// ```no_run
/// # async fn run() -> anam::Result<()> {
/// let anam = anam::Client::from_env()?;
/// let transcript = anam.sessions().transcript("00000000-0000-0000-0000-000000000000").await?;
/// println!("{} messages", transcript.messages.len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    raw: raw::Client,
}

impl Client {
    /// A client for `api_key` with every default (see [`ClientBuilder`]).
    ///
    /// ```
    /// let anam = anam::Client::new("your-api-key")?;
    /// assert_eq!(anam.base_url(), "https://api.anam.ai");
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn new(api_key: impl Into<ApiKey>) -> Result<Self> {
        Self::builder().api_key(api_key).build()
    }

    /// A client configured from `ANAM_API_KEY` (required) and `ANAM_BASE_URL` (optional).
    ///
    /// ```
    /// match anam::Client::from_env() {
    ///     Ok(anam) => println!("calling {}", anam.base_url()),
    ///     // "no Anam API key: set ANAM_API_KEY"
    ///     Err(e) => eprintln!("{e}"),
    /// }
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::builder().from_env().build()
    }

    /// A builder for every setting.
    ///
    /// ```
    /// let anam = anam::Client::builder()
    ///     .api_key("your-api-key")
    ///     .retry_policy(anam::RetryPolicy::none())
    ///     .build()?;
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The generated client, for anything the facade does not cover.
    ///
    /// Its methods are the spec's `operationId`s in snake_case; `.await` a builder for the same
    /// error mapping as the facade.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// let transcript = anam.raw().get_session_transcript().id(uuid::Uuid::nil()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(&self) -> &raw::Client {
        &self.raw
    }

    /// The base URL requests go to.
    ///
    /// ```
    /// let anam = anam::Client::builder()
    ///     .api_key("your-api-key")
    ///     .base_url("http://127.0.0.1:8080/")
    ///     .build()?;
    /// assert_eq!(anam.base_url(), "http://127.0.0.1:8080");
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.raw)
    }

    pub(crate) fn hooks(&self) -> &HookState {
        &self.raw.inner
    }

    /// The HTTP client the generated client runs on; the hand-written uploads use it too.
    pub(crate) fn http(&self) -> &reqwest::Client {
        progenitor_client::ClientInfo::client(&self.raw)
    }

    /// Sessions: list, inspect, stop, transcripts, recordings, analytics, session tokens.
    /// Example on [`Sessions`].
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions::new(self)
    }

    /// Personas. Example on [`Personas`].
    pub fn personas(&self) -> Personas<'_> {
        Personas::new(self)
    }

    /// Avatars, including image uploads. Example on [`Avatars`].
    pub fn avatars(&self) -> Avatars<'_> {
        Avatars::new(self)
    }

    /// Voices, including audio uploads for cloning. Example on [`Voices`].
    pub fn voices(&self) -> Voices<'_> {
        Voices::new(self)
    }

    /// LLM configurations. Example on [`Llms`].
    pub fn llms(&self) -> Llms<'_> {
        Llms::new(self)
    }

    /// Knowledge groups and their documents, including document uploads. Example on [`Knowledge`].
    pub fn knowledge(&self) -> Knowledge<'_> {
        Knowledge::new(self)
    }

    /// Tools personas can call. Example on [`Tools`].
    pub fn tools(&self) -> Tools<'_> {
        Tools::new(self)
    }

    /// Share links. Example on [`ShareLinks`].
    pub fn share_links(&self) -> ShareLinks<'_> {
        ShareLinks::new(self)
    }

    /// Meeting invites (a persona joining a Meet, Zoom or Teams call). Example on [`Meetings`].
    pub fn meetings(&self) -> Meetings<'_> {
        Meetings::new(self)
    }

    /// Engine sessions started directly with an API key. Example on [`Engine`].
    pub fn engine(&self) -> Engine<'_> {
        Engine::new(self)
    }
}

/// Settings for a [`Client`]. Every field has a documented default; only the key is required.
///
/// ```
/// use std::time::Duration;
///
/// let anam = anam::Client::builder()
///     .api_key("your-api-key")
///     .connect_timeout(Duration::from_secs(5))
///     .request_timeout(Duration::from_secs(120))
///     .build()?;
/// # Ok::<(), anam::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: String,
    connect_timeout: Duration,
    request_timeout: Duration,
    retry: RetryPolicy,
    max_response_size: u64,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    missing_key_hint: Option<&'static str>,
    dry_run: Option<crate::dry_run::DryRun>,
}

impl Default for ClientBuilder {
    /// Base URL `https://api.anam.ai`, 10 s connect timeout, 60 s request timeout, the default
    /// [`RetryPolicy`], the crate's own HTTP client (rustls + ring), HTTPS only.
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_size: crate::hooks::DEFAULT_MAX_RESPONSE_SIZE,
            http_client: None,
            allow_insecure_http: false,
            missing_key_hint: None,
            dry_run: None,
        }
    }
}

impl ClientBuilder {
    /// Send nothing: each request the client would send is handed to `describe` (method,
    /// URL, body; never the headers, so never the key), and the call ends with
    /// [`Error::DryRun`](crate::Error::DryRun). For a command line's `--dry-run`.
    ///
    /// ```
    /// # async fn run() -> anam::Result<()> {
    /// let anam = anam::Client::builder()
    ///     .api_key("your-api-key")
    ///     .dry_run(|planned| println!("{} {}", planned.method, planned.url))
    ///     .build()?;
    /// let listed = anam.personas().list().await;
    /// assert!(matches!(listed, Err(anam::Error::DryRun { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn dry_run(
        mut self,
        describe: impl Fn(&crate::dry_run::PlannedRequest) + Send + Sync + 'static,
    ) -> Self {
        self.dry_run = Some(crate::dry_run::DryRun(std::sync::Arc::new(describe)));
        self
    }

    /// The API key (required). Example on [`ClientBuilder`].
    pub fn api_key(mut self, api_key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// Reads `ANAM_API_KEY` and, if set, `ANAM_BASE_URL`. A missing key is reported by
    /// [`build`](Self::build) as [`ConfigError::MissingApiKey`] naming the variable.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let anam = anam::Client::builder()
    ///     .from_env()
    ///     .request_timeout(Duration::from_secs(120))
    ///     .build();
    /// if let Err(e) = anam {
    ///     eprintln!("{e}"); // no Anam API key: set ANAM_API_KEY
    /// }
    /// ```
    pub fn from_env(mut self) -> Self {
        match std::env::var(API_KEY_ENV) {
            Ok(key) if !key.trim().is_empty() => self.api_key = Some(ApiKey::new(key.trim())),
            _ => self.missing_key_hint = Some(API_KEY_ENV),
        }
        if let Some(url) = std::env::var(BASE_URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty())
        {
            self.base_url = url.trim().to_string();
        }
        self
    }

    /// Where requests go (default `https://api.anam.ai`). Must be `https://`, except for a
    /// loopback address (`127.0.0.0/8`, `::1`, `localhost`) or after
    /// [`allow_insecure_http`](Self::allow_insecure_http).
    ///
    /// Every request path already starts with the API's `/v1`, so a URL ending in `/v1`
    /// (`https://api.anam.ai/v1`) is refused by [`build`](Self::build) as
    /// [`ConfigError::MisleadingBaseUrl`], naming the URL to use instead: it would turn every
    /// call into a 404 that reads as a missing resource. A query or fragment is refused too.
    /// Any other path is kept, for a proxy that serves the API under its own prefix
    /// (`https://proxy.example/anam` sends `https://proxy.example/anam/v1/sessions`).
    ///
    /// ```
    /// use anam::{Client, ConfigError, Error};
    ///
    /// let local = Client::builder().api_key("key").base_url("http://127.0.0.1:8080").build();
    /// assert!(local.is_ok());
    /// let remote = Client::builder().api_key("key").base_url("http://anam.example").build();
    /// assert!(matches!(remote, Err(Error::Config(ConfigError::InsecureBaseUrl { .. }))));
    /// let versioned = Client::builder().api_key("key").base_url("https://api.anam.ai/v1").build();
    /// assert!(matches!(versioned, Err(Error::Config(ConfigError::MisleadingBaseUrl { .. }))));
    /// ```
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Accept a plain `http://` base URL on a non-loopback host. The key then travels in clear.
    ///
    /// ```
    /// let anam = anam::Client::builder()
    ///     .api_key("your-api-key")
    ///     .base_url("http://anam-proxy.internal:8080")
    ///     .allow_insecure_http(true)
    ///     .build()?;
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Time allowed to establish a connection (default 10 s). Example on [`ClientBuilder`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one whole attempt, from sending to the end of the body (default 60 s).
    /// Example on [`ClientBuilder`].
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries
    /// off).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let patient = anam::RetryPolicy::default().max_attempts(5).budget(Duration::from_secs(60));
    /// let anam = anam::Client::builder().api_key("your-api-key").retry_policy(patient).build()?;
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest success body the client reads (default 32 MiB, far above any real Anam
    /// response). A larger one is [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge),
    /// and no more than this many bytes of it are ever held in memory. Error bodies are read
    /// to at most 64 KiB whatever this says (only a snippet is kept).
    ///
    /// ```
    /// let anam = anam::Client::builder()
    ///     .api_key("your-api-key")
    ///     .max_response_size(4 * 1024 * 1024)
    ///     .build()?;
    /// # Ok::<(), anam::Error>(())
    /// ```
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Use this `reqwest::Client` (its own TLS, proxy and timeout settings apply; the
    /// builder's timeouts do not). [`anam::http::client_builder`](crate::http::client_builder)
    /// starts from the crate's own settings.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let http = anam::http::client_builder()?
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .build()?;
    /// let anam = anam::Client::builder().api_key("your-api-key").http_client(http).build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the settings and builds the client. Every problem is an
    /// [`Error::Config`](crate::Error::Config) holding a [`ConfigError`]: no key, an empty
    /// key, a key that cannot be a header, a refused, invalid or misleading base URL, TLS.
    ///
    /// ```
    /// use anam::{ConfigError, Error};
    ///
    /// let error = anam::Client::builder().build().unwrap_err();
    /// assert!(matches!(error, Error::Config(ConfigError::MissingApiKey { .. })));
    /// ```
    pub fn build(self) -> Result<Client> {
        let api_key = self.api_key.ok_or(ConfigError::MissingApiKey {
            variable: self.missing_key_hint,
        })?;
        let mut hooks = HookState::new(api_key)?
            .with_retry(self.retry)
            .with_max_response_size(self.max_response_size);
        if let Some(dry_run) = self.dry_run {
            hooks.sending.dry_run = Some(dry_run);
        }
        let base_url = checked_base_url(&self.base_url, self.allow_insecure_http)?;
        let http = match self.http_client {
            Some(client) => client,
            None => crate::http::client_builder()?
                .connect_timeout(self.connect_timeout)
                .timeout(self.request_timeout)
                .build()
                .map_err(ConfigError::HttpClient)?,
        };
        Ok(Client {
            raw: raw::Client::new_with_client(&base_url, http, hooks),
        })
    }
}

/// The base URL without a trailing slash, if it is allowed.
fn checked_base_url(base_url: &str, allow_insecure_http: bool) -> Result<String, ConfigError> {
    let url =
        reqwest::Url::parse(base_url.trim()).map_err(|source| ConfigError::InvalidBaseUrl {
            url: base_url.to_string(),
            source,
        })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_insecure_http => {}
        "http" => {
            return Err(ConfigError::InsecureBaseUrl {
                url: base_url.to_string(),
            });
        }
        other => {
            return Err(ConfigError::UnsupportedScheme {
                url: base_url.to_string(),
                scheme: other.to_string(),
            });
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::MisleadingBaseUrl {
            url: base_url.to_string(),
            problem: "has a query or fragment, which every request path would be appended to: \
                      give the URL without it"
                .into(),
        });
    }
    let prefix = api_prefix();
    let last = url.path().trim_end_matches('/').rsplit('/').next();
    if last.is_some_and(|segment| !prefix.is_empty() && segment.eq_ignore_ascii_case(prefix)) {
        let path = url.path().trim_end_matches('/');
        let without = &path[..path.len() - prefix.len() - 1];
        let mut suggested = url.clone();
        suggested.set_path(without);
        return Err(ConfigError::MisleadingBaseUrl {
            url: base_url.to_string(),
            problem: format!(
                "already ends in `/{prefix}`, which every request path starts with \
                 (`/{prefix}/sessions`): drop `/{prefix}` and use `{}`",
                suggested.as_str().trim_end_matches('/')
            ),
        });
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The first segment every operation's path starts with (`v1`), from the spec's table.
fn api_prefix() -> &'static str {
    crate::spec::OPERATIONS
        .first()
        .and_then(|op| op.path.split('/').find(|s| !s.is_empty()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
