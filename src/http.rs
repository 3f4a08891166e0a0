//! The HTTP client the generated code runs on: reqwest with rustls, using the *ring* crypto
//! provider and the operating system's certificate verifier.
//!
//! *ring* rather than rustls' default aws-lc-rs: both are audited, constant-time providers with
//! the same TLS 1.2/1.3 cipher suites under rustls' safe defaults, and *ring* builds without a
//! C/CMake toolchain step, which keeps a clean build of this crate markedly faster (figures in
//! docs/MAINTAINERS.md). The provider is passed to this client only; no process-wide default is
//! installed, so an application's own rustls choice is left alone.

use std::sync::Arc;
use std::time::Duration;

use rustls_platform_verifier::BuilderVerifierExt;

use crate::ConfigError;

/// The `User-Agent` every request carries: `anam-rust/<crate version>`.
pub const USER_AGENT: &str = concat!("anam-rust/", env!("CARGO_PKG_VERSION"));

/// Default whole-request timeout (generated from the pipeline's setting).
pub const DEFAULT_REQUEST_TIMEOUT: Duration =
    Duration::from_secs(crate::raw::spec_table::REQUEST_TIMEOUT_SECS);

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A TLS configuration with the *ring* provider, rustls' safe protocol versions, the platform
/// verifier, and ALPN for HTTP/2 and HTTP/1.1.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let http = reqwest::Client::builder()
///     .tls_backend_preconfigured(anam::http::tls_config()?)
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub fn tls_config() -> Result<rustls::ClientConfig, ConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(ConfigError::Tls)?
        .with_platform_verifier()
        .map_err(ConfigError::Tls)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// A `reqwest::ClientBuilder` with the crate's TLS, user agent and default timeouts; add your
/// own settings and pass the built client to the generated client's `new_with_client`.
/// Examples on [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) and
/// [`HookState`](crate::hooks::HookState).
pub fn client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config()?)
        .user_agent(USER_AGENT)
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .timeout(DEFAULT_REQUEST_TIMEOUT))
}

/// A `reqwest::Client` with the crate's defaults. Example on
/// [`HookState`](crate::hooks::HookState).
pub fn default_client() -> Result<reqwest::Client, ConfigError> {
    client_builder()?.build().map_err(ConfigError::HttpClient)
}
