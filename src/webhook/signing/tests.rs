use super::*;
use http::Method;

fn secret(fill: u8) -> WebhookSecret {
    WebhookSecret::new(vec![fill; 32]).unwrap()
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

const EXP: u64 = 1_767_225_600;

fn sign_sample(signer: &UrlSigner) -> Url {
    signer
        .sign(
            &url("https://backend.example.com/tools/lookup-order?tenant=acme"),
            &Method::POST,
            at(EXP),
            &[("uid", "user 42")],
        )
        .unwrap()
}

/// `url` with its query replaced by `query`.
fn with_query(url: &Url, query: &str) -> Url {
    let mut changed = url.clone();
    changed.set_query(Some(query));
    changed
}

fn sig_of(url: &Url) -> String {
    url.query_pairs()
        .find(|(n, _)| n == SIGNATURE_PARAM)
        .unwrap()
        .1
        .into_owned()
}

#[test]
fn a_signed_url_carries_its_binding_expiry_and_a_hex_hmac_of_the_canonical_request() {
    let signer = UrlSigner::new(secret(7));
    let signed = sign_sample(&signer);
    let query = signed.query().unwrap();
    assert!(
        query.starts_with(&format!("tenant=acme&uid=user+42&exp={EXP}&sig=")),
        "{query}"
    );
    // The signature is the HMAC of the documented lines, computed here independently.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(&[7; 32]).unwrap();
    mac.update(
        format!("anam-webhook-v1\nPOST\n/tools/lookup-order\nexp={EXP}&tenant=acme&uid=user+42")
            .as_bytes(),
    );
    assert_eq!(sig_of(&signed), hex(&mac.finalize().into_bytes()));
    let call = signer.verify(&Method::POST, &signed, at(EXP - 1)).unwrap();
    assert_eq!(call.param("uid"), Some("user 42"));
    assert_eq!(call.param("tenant"), Some("acme"));
    assert_eq!(call.param(EXPIRES_PARAM), None);
    assert_eq!(
        call.params().collect::<Vec<_>>(),
        [("tenant", "acme"), ("uid", "user 42")]
    );
    assert_eq!(call.expires_at(), at(EXP));
    assert!(!call.signed_with_previous_secret());
}

#[test]
fn canonicalisation_ignores_parameter_order_and_encoding_only() {
    let signer = UrlSigner::new(secret(7));
    let signed = sign_sample(&signer);
    let sig = sig_of(&signed);
    // Reordered, `%20` for `+`, upper-case hex digits, host and scheme changed: still valid.
    for query in [
        format!("sig={sig}&exp={EXP}&uid=user%2042&tenant=acme"),
        format!(
            "uid=user%2042&tenant=%61cme&sig={}&exp={EXP}",
            sig.to_uppercase()
        ),
    ] {
        let mut moved = with_query(&signed, &query);
        moved.set_host(Some("10.0.0.5")).unwrap();
        moved.set_scheme("http").unwrap();
        assert!(
            signer.verify(&Method::POST, &moved, at(EXP - 1)).is_ok(),
            "{query}"
        );
    }
    // A parameter added, removed, changed, or moved into the value of another: refused.
    for query in [
        format!("tenant=acme&uid=user+42&exp={EXP}&sig={sig}&admin=1"),
        format!("uid=user+42&exp={EXP}&sig={sig}"),
        format!("tenant=acme&uid=user+43&exp={EXP}&sig={sig}"),
        format!("tenant=acme%26uid%3Duser+42&exp={EXP}&sig={sig}"),
        format!("tenant=acme&uid=user+42&exp={}&sig={sig}", EXP + 3600),
    ] {
        assert_eq!(
            signer.verify(&Method::POST, &with_query(&signed, &query), at(EXP - 1)),
            Err(SignatureError::Invalid),
            "{query}"
        );
    }
}

#[test]
fn the_method_and_path_are_signed() {
    let signer = UrlSigner::new(secret(7));
    let signed = sign_sample(&signer);
    assert_eq!(
        signer.verify(&Method::GET, &signed, at(EXP - 1)),
        Err(SignatureError::Invalid)
    );
    for path in [
        "/tools/cancel-order",
        "/tools/lookup-order/",
        "/Tools/lookup-order",
    ] {
        let mut moved = signed.clone();
        moved.set_path(path);
        assert_eq!(
            signer.verify(&Method::POST, &moved, at(EXP - 1)),
            Err(SignatureError::Invalid),
            "{path}"
        );
    }
}

#[test]
fn a_url_is_valid_strictly_before_its_expiry_second() {
    let signer = UrlSigner::new(secret(7));
    let signed = sign_sample(&signer);
    let just_before = at(EXP) - Duration::from_nanos(1);
    assert!(signer.verify(&Method::POST, &signed, just_before).is_ok());
    for now in [at(EXP), at(EXP + 1)] {
        assert_eq!(
            signer.verify(&Method::POST, &signed, now),
            Err(SignatureError::Expired {
                expires_at: at(EXP)
            })
        );
    }
    // A sub-second expiry is rounded down.
    let rounded = signer
        .sign(
            &url("https://b.example/t"),
            &Method::POST,
            at(EXP) + Duration::from_millis(900),
            &[],
        )
        .unwrap();
    assert!(
        signer
            .verify(&Method::POST, &rounded, at(EXP))
            .is_err_and(|e| matches!(e, SignatureError::Expired { .. }))
    );
}

#[test]
fn forged_missing_and_malformed_signatures_are_refused() {
    let signer = UrlSigner::new(secret(7));
    let signed = sign_sample(&signer);
    let other = sign_sample(&UrlSigner::new(secret(8)));
    assert_eq!(
        signer.verify(&Method::POST, &other, at(EXP - 1)),
        Err(SignatureError::Invalid)
    );
    // A forged URL that is also expired says forged, not expired.
    assert_eq!(
        signer.verify(&Method::POST, &other, at(EXP + 1)),
        Err(SignatureError::Invalid)
    );
    let sig = sig_of(&signed);
    for (query, error) in [
        (
            format!("tenant=acme&uid=user+42&exp={EXP}"),
            SignatureError::Missing,
        ),
        (
            format!("tenant=acme&uid=user+42&sig={sig}"),
            SignatureError::Missing,
        ),
        (
            format!("tenant=acme&uid=user+42&exp={EXP}&sig={}", &sig[..63]),
            SignatureError::Malformed,
        ),
        (
            format!("tenant=acme&uid=user+42&exp={EXP}&sig={}g", &sig[..63]),
            SignatureError::Malformed,
        ),
        (
            format!("tenant=acme&uid=user+42&exp=soon&sig={sig}"),
            SignatureError::Malformed,
        ),
        (
            format!("tenant=acme&uid=user+42&exp={EXP}&sig={sig}&sig={sig}"),
            SignatureError::Malformed,
        ),
        (
            format!("tenant=acme&uid=user+42&exp={EXP}&exp={EXP}&sig={sig}"),
            SignatureError::Malformed,
        ),
    ] {
        assert_eq!(
            signer.verify(&Method::POST, &with_query(&signed, &query), at(EXP - 1)),
            Err(error),
            "{query}"
        );
    }
}

#[test]
fn rotation_signs_with_the_current_secret_and_accepts_the_previous() {
    let old = UrlSigner::new(secret(1));
    let rotating = UrlSigner::new(secret(2)).with_previous(secret(1));
    let new_only = UrlSigner::new(secret(2));
    let from_old = sign_sample(&old);
    let from_rotating = sign_sample(&rotating);
    let call = rotating
        .verify(&Method::POST, &from_old, at(EXP - 1))
        .unwrap();
    assert!(call.signed_with_previous_secret());
    assert!(
        !rotating
            .verify(&Method::POST, &from_rotating, at(EXP - 1))
            .unwrap()
            .signed_with_previous_secret()
    );
    // Signed with the new secret: the old signer refuses it, the new one accepts it.
    assert_eq!(
        old.verify(&Method::POST, &from_rotating, at(EXP - 1)),
        Err(SignatureError::Invalid)
    );
    assert!(
        new_only
            .verify(&Method::POST, &from_rotating, at(EXP - 1))
            .is_ok()
    );
    // Once the rotation ends, the old secret's URLs are refused.
    assert_eq!(
        new_only.verify(&Method::POST, &from_old, at(EXP - 1)),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn signing_refuses_reserved_names_and_pathless_urls() {
    let signer = UrlSigner::new(secret(7));
    let sign =
        |u: &str, binding: &[(&str, &str)]| signer.sign(&url(u), &Method::POST, at(EXP), binding);
    assert_eq!(
        sign("https://b.example/t?exp=1", &[]),
        Err(SignError::ReservedParameter("exp".into()))
    );
    assert_eq!(
        sign("https://b.example/t", &[("sig", "x")]),
        Err(SignError::ReservedParameter("sig".into()))
    );
    assert_eq!(sign("mailto:a@b.example", &[]), Err(SignError::NotAPath));
    assert_eq!(
        signer.sign(
            &url("https://b.example/t"),
            &Method::POST,
            UNIX_EPOCH - Duration::from_secs(1),
            &[]
        ),
        Err(SignError::BeforeEpoch)
    );
    // A fragment is never sent to a server, so it is dropped rather than signed.
    let signed = sign("https://b.example/t#top", &[]).unwrap();
    assert_eq!(signed.fragment(), None);
}

#[test]
fn secrets_are_redacted_and_at_least_32_bytes() {
    assert_eq!(
        WebhookSecret::new(vec![0; 31]),
        Err(SecretTooShort { len: 31 })
    );
    let signer = UrlSigner::new(WebhookSecret::new("s3cret-s3cret-s3cret-s3cret-s3cret").unwrap());
    let debug = format!("{signer:?}");
    assert!(!debug.contains("s3cret"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}
