//! Shared by the examples: the real API when `ANAM_API_KEY` is set, otherwise a local mock
//! Anam server that answers with the spec's examples.

use anam::mock::MockAnam;

/// A client, and the mock server it talks to when there is no key (keep it alive).
pub async fn client() -> anam::Result<(anam::Client, Option<MockAnam>)> {
    if std::env::var_os(anam::API_KEY_ENV).is_some() {
        return Ok((anam::Client::from_env()?, None));
    }
    let mock = MockAnam::start().await;
    eprintln!(
        "{} is not set: using a local mock Anam server at {}",
        anam::API_KEY_ENV,
        mock.base_url()
    );
    Ok((mock.client()?, Some(mock)))
}
