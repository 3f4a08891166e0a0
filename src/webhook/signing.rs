//! Signed, expiring tool URLs: HMAC-SHA256 over the method, the path, the query and an expiry.
//!
//! Anam signs nothing it sends to a webhook tool, so the URL carries the proof: the backend
//! signs it when it mints the user's session token, and checks it when Anam calls.
//!
//! What is signed, one line each (the *canonical request*):
//!
//! ```text
//! anam-webhook-v1
//! POST
//! /tools/lookup-order
//! exp=1767225600&uid=user-42
//! ```
//!
//! - the method, upper case;
//! - the path as the URL serialises it (percent-encoded);
//! - every query parameter but `sig`, `exp` included: each name and value decoded, then
//!   re-encoded one way (`application/x-www-form-urlencoded`), sorted by name then value and
//!   joined with `&`. So the order of the parameters, and `%20` against `+`, do not matter;
//!   any added, removed or changed parameter does.
//!
//! Scheme, host and port are not signed: a proxy in front of the service may change them
//! (see `webhook::axum`'s external base URL), and the secret already ties a URL to one
//! deployment. `sig` is the lower-case hex of the HMAC-SHA256 of those lines.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use url::Url;

type HmacSha256 = Hmac<Sha256>;

/// The query parameter holding the expiry, in Unix seconds.
pub const EXPIRES_PARAM: &str = "exp";
/// The query parameter holding the signature, lower-case hex.
pub const SIGNATURE_PARAM: &str = "sig";
/// The shortest secret accepted, in bytes: HMAC-SHA256's own output size.
pub const MIN_SECRET_LEN: usize = 32;

/// The first line of every canonical request: a new scheme would change it.
const VERSION_LINE: &str = "anam-webhook-v1";

/// A secret key for signing tool URLs. Its `Debug` is redacted and it has no `Display`.
///
/// Use at least 32 random bytes (`openssl rand -hex 32` gives a 64-character string whose
/// bytes will do), kept out of the source like the API key.
///
/// ```
/// let secret = anam::webhook::WebhookSecret::new("0123456789abcdef0123456789abcdef")?;
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
/// assert!(anam::webhook::WebhookSecret::new("short").is_err());
/// # Ok::<(), anam::webhook::SecretTooShort>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// The secret `bytes`; fewer than [`MIN_SECRET_LEN`] are refused.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, SecretTooShort> {
        let bytes = bytes.into();
        if bytes.len() < MIN_SECRET_LEN {
            return Err(SecretTooShort { len: bytes.len() });
        }
        Ok(Self(bytes))
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
        <HmacSha256 as Mac>::new_from_slice(&self.0).expect("HMAC accepts any key length")
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// A secret shorter than [`MIN_SECRET_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret needs at least {MIN_SECRET_LEN} bytes, this one has {len}")]
pub struct SecretTooShort {
    /// The length given, in bytes.
    pub len: usize,
}

/// Signs tool URLs with the current secret and verifies them against it and, during a
/// rotation, the previous one.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use anam::webhook::{UrlSigner, WebhookSecret};
///
/// let signer = UrlSigner::new(WebhookSecret::new("0123456789abcdef0123456789abcdef")?);
/// let url = url::Url::parse("https://backend.example.com/tools/lookup-order")?;
/// let now = SystemTime::now();
/// let signed = signer.sign(&url, &http::Method::POST, now + Duration::from_secs(3600), &[("uid", "user-42")])?;
/// // https://backend.example.com/tools/lookup-order?uid=user-42&exp=…&sig=…
/// let call = signer.verify(&http::Method::POST, &signed, now)?;
/// assert_eq!(call.param("uid"), Some("user-42"));
/// assert!(signer.verify(&http::Method::GET, &signed, now).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// To rotate: deploy `UrlSigner::new(new).with_previous(old)`, so URLs already handed out
/// (at most one token lifetime old) keep working while new ones are signed with `new`; once
/// they have expired, drop `old`.
#[derive(Clone, Debug)]
pub struct UrlSigner {
    current: WebhookSecret,
    previous: Option<WebhookSecret>,
}

impl UrlSigner {
    /// Signs and verifies with `current`. Example on [`UrlSigner`].
    pub fn new(current: WebhookSecret) -> Self {
        Self {
            current,
            previous: None,
        }
    }

    /// Also accepts URLs signed with `previous`, during a rotation. Signing still uses the
    /// current secret only.
    pub fn with_previous(mut self, previous: WebhookSecret) -> Self {
        self.previous = Some(previous);
        self
    }

    /// `url` with `binding` (parameters of the backend's choosing, such as `uid` or
    /// `session`), `exp` and `sig` appended to its query, signed for `method` until
    /// `expires_at` (rounded down to a whole second). The URL's own query parameters stay and
    /// are signed too.
    ///
    /// Refused: a URL that already has `exp` or `sig`, a binding that names them, a URL
    /// without a path (`mailto:`), and an expiry before 1970.
    pub fn sign(
        &self,
        url: &Url,
        method: &http::Method,
        expires_at: SystemTime,
        binding: &[(&str, &str)],
    ) -> Result<Url, SignError> {
        if url.cannot_be_a_base() {
            return Err(SignError::NotAPath);
        }
        let reserved = |name: &str| name == EXPIRES_PARAM || name == SIGNATURE_PARAM;
        if let Some((name, _)) = url.query_pairs().find(|(name, _)| reserved(name)) {
            return Err(SignError::ReservedParameter(name.into_owned()));
        }
        if let Some((name, _)) = binding.iter().find(|(name, _)| reserved(name)) {
            return Err(SignError::ReservedParameter((*name).to_string()));
        }
        let expires = expires_at
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SignError::BeforeEpoch)?
            .as_secs();
        let mut signed = url.clone();
        signed.set_fragment(None);
        {
            let mut query = signed.query_pairs_mut();
            for (name, value) in binding {
                query.append_pair(name, value);
            }
            query.append_pair(EXPIRES_PARAM, &expires.to_string());
        }
        let pairs = decoded_pairs(&signed);
        let signature = mac_of(&self.current, method, signed.path(), &pairs).finalize();
        signed
            .query_pairs_mut()
            .append_pair(SIGNATURE_PARAM, &hex(&signature.into_bytes()));
        Ok(signed)
    }

    /// Checks that `url` was signed by [`sign`](Self::sign) with one of the secrets, for
    /// `method`, and has not expired at `now`: a URL is valid strictly before its `exp`
    /// second. The comparison of signatures is constant-time (`hmac`'s `verify_slice`).
    ///
    /// The signature is checked before the expiry, so [`SignatureError::Expired`] always
    /// means a genuine URL that is too old. Example on [`UrlSigner`].
    pub fn verify(
        &self,
        method: &http::Method,
        url: &Url,
        now: SystemTime,
    ) -> Result<VerifiedUrl, SignatureError> {
        let pairs = decoded_pairs(url);
        let single = |name: &str| {
            let mut found = pairs.iter().filter(|(n, _)| n == name);
            match (found.next(), found.next()) {
                (None, _) => Err(SignatureError::Missing),
                (Some(_), Some(_)) => Err(SignatureError::Malformed),
                (Some((_, value)), None) => Ok(value.as_str()),
            }
        };
        let signature = unhex(single(SIGNATURE_PARAM)?).ok_or(SignatureError::Malformed)?;
        let expires: u64 = single(EXPIRES_PARAM)?
            .parse()
            .map_err(|_| SignatureError::Malformed)?;
        let signed: Vec<(String, String)> = pairs
            .iter()
            .filter(|(name, _)| name != SIGNATURE_PARAM)
            .cloned()
            .collect();
        let matches = |secret: &WebhookSecret| {
            mac_of(secret, method, url.path(), &signed)
                .verify_slice(&signature)
                .is_ok()
        };
        let previous_key = if matches(&self.current) {
            false
        } else if self.previous.as_ref().is_some_and(matches) {
            true
        } else {
            return Err(SignatureError::Invalid);
        };
        let expires_at = UNIX_EPOCH + Duration::from_secs(expires);
        if now >= expires_at {
            return Err(SignatureError::Expired { expires_at });
        }
        Ok(VerifiedUrl {
            params: signed
                .into_iter()
                .filter(|(name, _)| name != EXPIRES_PARAM)
                .collect(),
            expires_at,
            previous_key,
        })
    }
}

/// A URL that [`UrlSigner::verify`] accepted: its signed parameters and expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedUrl {
    params: Vec<(String, String)>,
    expires_at: SystemTime,
    previous_key: bool,
}

impl VerifiedUrl {
    /// The signed query parameter `name` (decoded), such as the binding's `uid`; `None` when
    /// absent. `exp` and `sig` are not among them ([`expires_at`](Self::expires_at)).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every signed query parameter but `exp` and `sig`, in the URL's order.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// When the URL stops being valid.
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// Whether the previous secret of a rotation signed it (time to re-issue, or a sign that
    /// the rotation can end once this no longer happens).
    pub fn signed_with_previous_secret(&self) -> bool {
        self.previous_key
    }
}

/// Why a URL cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The URL or the binding already uses a parameter the signature needs (`exp`, `sig`).
    #[error("the query parameter `{0}` is reserved for the signature")]
    ReservedParameter(String),
    /// The URL has no path to sign (`mailto:…`).
    #[error("the URL has no path to sign")]
    NotAPath,
    /// The expiry is before 1970.
    #[error("the expiry is before the Unix epoch")]
    BeforeEpoch,
}

/// Why a URL was refused. The messages say what kind of failure it was, nothing about the
/// expected signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// No `sig` or no `exp` parameter.
    #[error("the URL is not signed (no `sig` or `exp` parameter)")]
    Missing,
    /// `sig` is not 64 hex digits, `exp` is not a number, or either appears twice.
    #[error("the URL's signature parameters are malformed")]
    Malformed,
    /// The signature does not match the method, path and query with any secret: forged, or
    /// the URL was changed.
    #[error("the URL's signature does not match")]
    Invalid,
    /// A genuine URL, past its expiry.
    #[error("the URL's signature has expired")]
    Expired {
        /// When it expired.
        expires_at: SystemTime,
    },
}

/// The query's parameters, decoded, in the URL's order.
fn decoded_pairs(url: &Url) -> Vec<(String, String)> {
    url.query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The HMAC of the canonical request, fed line by line (see the module documentation).
/// `pairs` must not hold `sig`.
fn mac_of(
    secret: &WebhookSecret,
    method: &http::Method,
    path: &str,
    pairs: &[(String, String)],
) -> HmacSha256 {
    let mut mac = secret.mac();
    mac.update(canonical_request(method, path, pairs).as_bytes());
    mac
}

/// The text that is signed: version, method, path and canonical query, one per line.
fn canonical_request(method: &http::Method, path: &str, pairs: &[(String, String)]) -> String {
    let mut encoded: Vec<String> = pairs
        .iter()
        .map(|(name, value)| {
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair(name, value)
                .finish()
        })
        .collect();
    // `=` and `&` inside names and values are encoded, so sorting the encoded pairs sorts by
    // name, then value, and joining them is unambiguous.
    encoded.sort_unstable();
    format!(
        "{VERSION_LINE}\n{}\n{path}\n{}",
        method.as_str().to_ascii_uppercase(),
        encoded.join("&")
    )
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(DIGITS[usize::from(byte >> 4)] as char);
        text.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    text
}

/// The 32 bytes of a 64-digit hex signature (either case); `None` otherwise.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests;
