use super::*;

#[test]
fn base_urls_must_be_https_unless_loopback_or_opted_in() {
    assert_eq!(
        checked_base_url("https://api.anam.ai/", false).unwrap(),
        "https://api.anam.ai"
    );
    for local in [
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9",
        "http://127.9.9.9",
    ] {
        assert!(checked_base_url(local, false).is_ok(), "{local}");
    }
    let refused = checked_base_url("http://api.anam.ai", false).unwrap_err();
    assert!(
        matches!(refused, ConfigError::InsecureBaseUrl { ref url } if url == "http://api.anam.ai")
    );
    assert!(checked_base_url("http://10.0.0.1", true).is_ok());
    assert!(matches!(
        checked_base_url("ftp://x", true),
        Err(ConfigError::UnsupportedScheme { ref scheme, .. }) if scheme == "ftp"
    ));
    assert!(matches!(
        checked_base_url("not a url", false),
        Err(ConfigError::InvalidBaseUrl { .. })
    ));
}

#[test]
fn every_operation_path_starts_with_the_prefix_a_base_url_must_not_hold() {
    assert_eq!(api_prefix(), "v1");
    for op in crate::spec::OPERATIONS {
        assert!(op.path.starts_with("/v1/"), "{}", op.path);
    }
}

#[test]
fn a_base_url_holding_the_api_prefix_or_a_query_is_refused_naming_it() {
    for (given, suggested) in [
        ("https://api.anam.ai/v1", "https://api.anam.ai"),
        ("https://api.anam.ai/v1/", "https://api.anam.ai"),
        ("https://api.anam.ai/V1//", "https://api.anam.ai"),
        (
            "https://proxy.example/anam/v1",
            "https://proxy.example/anam",
        ),
    ] {
        let error = checked_base_url(given, false).unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(&error, ConfigError::MisleadingBaseUrl { url, .. } if url == given),
            "{text}"
        );
        assert!(text.contains(&format!("`{given}`")), "{text}");
        assert!(text.contains("drop `/v1`"), "{text}");
        assert!(text.contains(&format!("use `{suggested}`")), "{text}");
    }
    for given in ["https://api.anam.ai/?key=1", "https://api.anam.ai/#v1"] {
        let error = checked_base_url(given, false).unwrap_err();
        assert!(
            matches!(&error, ConfigError::MisleadingBaseUrl { .. }),
            "{error}"
        );
    }
    // A proxy mounting the API under its own path keeps it; `/v1` inside is not the end.
    for kept in [
        "https://proxy.example/anam",
        "https://proxy.example/v1/anam/",
        "https://proxy.example/v10",
    ] {
        let url = checked_base_url(kept, false).unwrap();
        assert_eq!(url, kept.trim_end_matches('/'));
    }
}
