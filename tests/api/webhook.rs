//! The live persona example's service (`examples/live_persona/app.rs`) on 127.0.0.1, called
//! over real HTTP as the browser and Anam's servers would: the token route against
//! `MockAnam`, and the signed webhook tool route through `SignedToolCall` with valid,
//! expired, forged, tampered and rotated signatures, and bodies too large or of the wrong
//! shape.

#[path = "../../examples/live_persona/app.rs"]
mod app;

use std::time::{Duration, SystemTime};

use anam::mock::MockAnam;
use anam::webhook::axum::ToolCallVerifier;
use anam::webhook::{DEFAULT_MAX_ARGUMENTS_SIZE, SignatureError, UrlSigner, WebhookSecret};
use serde_json::{Value, json};
use url::Url;

const OLD: &str = "old-secret-old-secret-old-secret-old";
const NEW: &str = "new-secret-new-secret-new-secret-new";
const FORGER: &str = "forger-forger-forger-forger-forger-f";

fn secret(text: &str) -> WebhookSecret {
    WebhookSecret::new(text).expect("32 bytes or more")
}

/// The service, on its own port, with its own mock Anam.
struct Service {
    public_url: Url,
    mock: MockAnam,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Service {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Service {
    async fn start(signer: UrlSigner) -> Self {
        Self::behind(signer, None).await
    }

    /// The service behind a proxy whose public base URL is `external` (else its own).
    async fn behind(signer: UrlSigner, external: Option<&Url>) -> Self {
        let mock = MockAnam::start().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let public_url =
            Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let state = app::AppState {
            anam: mock.client().expect("mock client"),
            tools: ToolCallVerifier::new(signer).external_base_url(external.unwrap_or(&public_url)),
            public_url: public_url.clone(),
            persona: app::demo_persona().expect("persona"),
        };
        let server = tokio::spawn(async move {
            axum::serve(listener, app::router(state))
                .await
                .expect("serves");
        });
        Self {
            public_url,
            mock,
            server,
        }
    }

    /// The tool's URL signed by `signer` for `uid`, expiring at `expires_at`.
    fn tool_url(&self, signer: &UrlSigner, uid: &str, expires_at: SystemTime) -> Url {
        let url = self.public_url.join(&app::LOOKUP_ORDER_PATH[1..]).unwrap();
        signer
            .sign(&url, &http::Method::POST, expires_at, &[("uid", uid)])
            .expect("signs")
    }
}

/// What an answer was: status, `WWW-Authenticate`, body as JSON (`Null` if not JSON) and
/// as text.
struct Answered {
    status: u16,
    www_authenticate: Option<String>,
    json: Value,
    text: String,
}

async fn post(url: &str, body: impl Into<reqwest::Body>) -> Answered {
    let response = anam::http::default_client()
        .unwrap()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("the service answers");
    let status = response.status().as_u16();
    let www_authenticate = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_string());
    let text = response.text().await.expect("a whole body");
    Answered {
        status,
        www_authenticate,
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn in_an_hour() -> SystemTime {
    SystemTime::now() + app::TOKEN_LIFETIME
}

const ORDER: &str = r#"{"orderId":"A-1001"}"#;

#[tokio::test]
async fn the_token_route_mints_a_token_with_a_signed_tool_that_anam_can_call() {
    let rotating = UrlSigner::new(secret(NEW)).with_previous(secret(OLD));
    let service = Service::start(rotating.clone()).await;

    let session = post(
        service.public_url.join("session-token").unwrap().as_str(),
        r#"{"userId":"user-42"}"#,
    )
    .await;
    assert_eq!(session.status, 200, "{}", session.text);
    assert!(
        session.json["sessionToken"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "{}",
        session.text
    );
    let tool_url = session.json["toolUrl"].as_str().unwrap().to_string();
    let prefix = format!("{}tools/lookup-order?uid=user-42&exp=", service.public_url);
    assert!(tool_url.starts_with(&prefix), "{tool_url}");
    // Signed with the current secret, for POST, expiring with the token.
    let signed = Url::parse(&tool_url).unwrap();
    let now = SystemTime::now();
    let current = UrlSigner::new(secret(NEW));
    let verified = current.verify(&http::Method::POST, &signed, now).unwrap();
    assert!(verified.expires_at() <= now + app::TOKEN_LIFETIME);
    assert!(matches!(
        current.verify(
            &http::Method::POST,
            &signed,
            now + app::TOKEN_LIFETIME + Duration::from_secs(1)
        ),
        Err(SignatureError::Expired { .. })
    ));

    // Anam received an ephemeral persona whose inline webhook tool is that URL.
    let sent = service
        .mock
        .requests()
        .into_iter()
        .find(|r| r.operation == Some("createSessionToken"))
        .expect("a session token was requested");
    assert_eq!(sent.status, 200);
    let tool = &sent.json().unwrap()["personaConfig"]["tools"][0];
    assert_eq!(tool["url"], json!(tool_url));
    assert_eq!(tool["subtype"], "webhook");
    assert_eq!(tool["method"], "POST");
    assert_eq!(tool["parameters"]["required"], json!(["orderId"]));

    // Anam calls the tool: a compact answer for this user's order.
    let answer = post(&tool_url, ORDER).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.text,
        r#"{"delivery":"arrives Thursday","orderId":"A-1001","status":"shipped"}"#
    );
    // Another user's order, through this user's URL: not found.
    let other = post(&tool_url, r#"{"orderId":"B-2001"}"#).await;
    assert_eq!(other.status, 200);
    assert_eq!(
        other.json,
        json!({"error": "no order with that number for this customer"})
    );
}

/// Asserts a 401 with the given `error` code and the `WWW-Authenticate` header.
fn assert_refused(answer: &Answered, code: &str) {
    assert_eq!(answer.status, 401, "{}", answer.text);
    assert_eq!(answer.json["error"], code, "{}", answer.text);
    assert_eq!(answer.www_authenticate.as_deref(), Some("SignedURL"));
}

#[tokio::test]
async fn expired_forged_tampered_and_missing_signatures_are_refused_with_401() {
    let signer = UrlSigner::new(secret(NEW));
    let service = Service::start(signer.clone()).await;
    let valid = service.tool_url(&signer, "user-42", in_an_hour());
    assert_eq!(post(valid.as_str(), ORDER).await.status, 200);

    let expired = service.tool_url(
        &signer,
        "user-42",
        SystemTime::now() - Duration::from_secs(1),
    );
    let answer = post(expired.as_str(), ORDER).await;
    assert_refused(&answer, "expired_signature");
    assert_eq!(
        answer.json["message"], "the URL's signature has expired",
        "{}",
        answer.text
    );

    let forged = service.tool_url(&UrlSigner::new(secret(FORGER)), "user-42", in_an_hour());
    assert_refused(&post(forged.as_str(), ORDER).await, "invalid_signature");
    let unsigned_part = valid.as_str().split("&sig=").next().unwrap();
    let zeros = format!("{unsigned_part}&sig={}", "0".repeat(64));
    assert_refused(&post(&zeros, ORDER).await, "invalid_signature");

    for tampered in [
        valid.as_str().replace("uid=user-42", "uid=user-7"),
        valid.as_str().replace("&exp=", "&exp=9"),
        format!("{valid}&admin=1"),
    ] {
        assert_refused(&post(&tampered, ORDER).await, "invalid_signature");
    }

    let unsigned = service
        .public_url
        .join("tools/lookup-order?uid=user-42")
        .unwrap();
    assert_refused(&post(unsigned.as_str(), ORDER).await, "missing_signature");
}

#[tokio::test]
async fn the_previous_secret_is_accepted_only_while_the_rotation_lasts() {
    let old = UrlSigner::new(secret(OLD));
    let new = UrlSigner::new(secret(NEW));
    let rotating = Service::start(new.clone().with_previous(secret(OLD))).await;
    let rotated = Service::start(new.clone()).await;

    let from_old = rotating.tool_url(&old, "user-42", in_an_hour());
    let from_new = rotating.tool_url(&new, "user-42", in_an_hour());
    assert_eq!(post(from_old.as_str(), ORDER).await.status, 200);
    assert_eq!(post(from_new.as_str(), ORDER).await.status, 200);

    // Once the old secret is dropped, only the new one's URLs work.
    let from_old = rotated.tool_url(&old, "user-42", in_an_hour());
    let from_new = rotated.tool_url(&new, "user-42", in_an_hour());
    assert_refused(&post(from_old.as_str(), ORDER).await, "invalid_signature");
    assert_eq!(post(from_new.as_str(), ORDER).await.status, 200);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_whether_declared_or_streamed() {
    let signer = UrlSigner::new(secret(NEW));
    let service = Service::start(signer.clone()).await;
    let valid = service.tool_url(&signer, "user-42", in_an_hour());
    let big = format!(
        r#"{{"orderId":"{}"}}"#,
        "x".repeat(DEFAULT_MAX_ARGUMENTS_SIZE)
    );

    let declared = post(valid.as_str(), big.clone()).await;
    assert_eq!(declared.status, 413, "{}", declared.text);
    assert_eq!(declared.json["error"], "arguments_too_large");
    assert_eq!(
        declared.json["message"],
        format!("the arguments are larger than the limit of {DEFAULT_MAX_ARGUMENTS_SIZE} bytes")
    );

    // No Content-Length: chunks, the limit found while reading.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .as_bytes()
        .chunks(4096)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let streamed = post(
        valid.as_str(),
        reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)),
    )
    .await;
    assert_eq!(streamed.status, 413, "{}", streamed.text);

    // Just under the limit, streamed too: read whole, and decoded.
    let fits = format!(
        r#"{{"orderId":"A-1001"{}}}"#,
        " ".repeat(DEFAULT_MAX_ARGUMENTS_SIZE - ORDER.len())
    );
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = fits
        .as_bytes()
        .chunks(4096)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let answer = post(
        valid.as_str(),
        reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);

    // Unsigned, the body is not even read: 401 first.
    let unsigned = service.public_url.join("tools/lookup-order").unwrap();
    assert_refused(&post(unsigned.as_str(), big).await, "missing_signature");
}

#[tokio::test]
async fn a_body_not_matching_the_type_is_400_naming_the_field_without_the_users_text() {
    let signer = UrlSigner::new(secret(NEW));
    let service = Service::start(signer.clone()).await;
    let valid = service.tool_url(&signer, "user-42", in_an_hour());
    let card = "4111 1111 1111 1111";

    for (body, path, message) in [
        (
            format!(r#"{{"orderId":["my card is {card}"]}}"#),
            "orderId",
            "the arguments do not match at `orderId`: invalid type: sequence, expected a string",
        ),
        (
            format!(r#"{{"order":"my card is {card}"}}"#),
            ".",
            "the arguments do not match at `.`: missing field `orderId`",
        ),
        (
            format!("my card is {card}"),
            ".",
            "the arguments do not match at `.`: expected value",
        ),
    ] {
        let answer = post(valid.as_str(), body.clone()).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.text);
        assert_eq!(
            answer.json,
            json!({"error": "invalid_arguments", "message": message, "path": path}),
            "{body}"
        );
        assert!(!answer.text.contains("4111"), "{}", answer.text);
    }
}

#[tokio::test]
async fn behind_a_proxy_that_strips_a_prefix_the_external_base_url_puts_it_back() {
    let signer = UrlSigner::new(secret(NEW));
    let public = Url::parse("https://public.example/backend/").unwrap();
    let behind = Service::behind(signer.clone(), Some(&public)).await;
    let direct = Service::start(signer.clone()).await;
    // Signed as the public URL; the proxy forwards `/tools/lookup-order?…` with another
    // scheme and host.
    let signed = signer
        .sign(
            &public.join("tools/lookup-order").unwrap(),
            &http::Method::POST,
            in_an_hour(),
            &[("uid", "user-42")],
        )
        .unwrap();
    let forwarded = |service: &Service| {
        format!(
            "{}tools/lookup-order?{}",
            service.public_url,
            signed.query().unwrap()
        )
    };
    assert_eq!(post(&forwarded(&behind), ORDER).await.status, 200);
    // Without the base, the path it checks lacks `/backend`: refused.
    assert_refused(&post(&forwarded(&direct), ORDER).await, "invalid_signature");
}
