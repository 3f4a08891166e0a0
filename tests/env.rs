//! `Client::from_env`: its own binary, because it sets and removes process environment
//! variables that no other test may read at the same time.

use anam::{Client, ConfigError, Error};

const KEY: &str = "sk-test-env-0123456789";

#[test]
fn from_env_reads_the_key_and_base_url_and_names_a_missing_variable() {
    // SAFETY: this binary's only test; nothing else reads the environment meanwhile.
    unsafe {
        std::env::remove_var(anam::API_KEY_ENV);
        std::env::remove_var(anam::BASE_URL_ENV);
    }
    let error = Client::from_env().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Config(ConfigError::MissingApiKey {
                variable: Some("ANAM_API_KEY")
            })
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "no Anam API key: set ANAM_API_KEY");
    // SAFETY: as above.
    unsafe {
        std::env::set_var(anam::API_KEY_ENV, format!("  {KEY}\n"));
        std::env::set_var(anam::BASE_URL_ENV, "http://127.0.0.1:1/");
    }
    let anam = Client::from_env().unwrap();
    assert_eq!(anam.base_url(), "http://127.0.0.1:1");
    // SAFETY: as above.
    unsafe {
        std::env::remove_var(anam::API_KEY_ENV);
        std::env::remove_var(anam::BASE_URL_ENV);
    }
}
