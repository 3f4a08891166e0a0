//! Lists every session as a stream, page after page.
//!
//! `cargo run --features mock --example list_sessions [search]`

mod common;

use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (anam, _mock) = common::client().await?;
    let search = std::env::args().nth(1);
    let mut list = anam.sessions().list();
    if let Some(text) = search {
        list = list.search(text);
    }
    let mut sessions = list.into_stream();
    let mut count = 0;
    while let Some(session) = sessions.try_next().await? {
        count += 1;
        let id = session.id.map(|id| id.to_string()).unwrap_or_default();
        let started = session
            .created_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_default();
        println!("{id}  {started}");
    }
    println!("{count} sessions");
    Ok(())
}
