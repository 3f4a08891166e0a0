//! The downstream crate of the package check: a user's project that depends on the unpacked
//! `anam` by path, with features `mock` and `cli` forwarded, and a program that prints the
//! spec's example transcript through the client whatever features are on. It and the unpacked
//! crate are the two members of one workspace, so the `cli` build's library is the one the
//! packaged `anam` binary links: built once, not twice.

use std::path::{Path, PathBuf};

/// The session the program and the binary ask for (the spec example's).
pub const SESSION: &str = "00000000-0000-0000-0000-000000000000";

/// The downstream package's name (for `cargo run -p`).
pub const PACKAGE: &str = "anam-downstream";

/// The workspace manifest; `{anam}` is the unpacked crate's path relative to it. No debug info
/// and no incremental state: the check is about what builds and runs, once.
const WORKSPACE: &str = r#"[workspace]
resolver = "3"
members = ["downstream", "{anam}"]

[profile.dev]
debug = false
incremental = false
"#;

/// The downstream manifest. Its tokio features are those `anam` with `cli` enables, so the
/// three builds and the binary share one tokio (and everything above it) instead of building
/// the stack once per feature set.
const MANIFEST: &str = r#"[package]
name = "anam-downstream"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
anam = { path = "../{anam}" }
tokio = { version = "1", features = ["fs", "io-util", "macros", "net", "rt", "rt-multi-thread", "sync", "time"] }

[features]
mock = ["anam/mock"]
cli = ["anam/cli"]
"#;

/// The program: the example transcript through `MockAnam` (`mock`), `LocalServer` (`cli`), or
/// with default features a one-request loopback server of its own serving the spec's example,
/// rendered as text.
const PROGRAM: &str = r#"//! The packaged `anam`, used as a downstream project would.

use anam::transcript::{Format, render};
use anam::types::Transcript;

const SESSION: &str = "{session}";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let transcript = fetch().await?;
    assert!(!transcript.messages.is_empty(), "the example has messages");
    print!("{}", render(&transcript, Format::Text));
    Ok(())
}

#[cfg(feature = "mock")]
async fn fetch() -> Result<Transcript, Box<dyn std::error::Error>> {
    let mock = anam::mock::MockAnam::start().await;
    let transcript = mock.client()?.sessions().transcript(SESSION).await?;
    assert_eq!(mock.calls("getSessionTranscript"), 1);
    Ok(transcript)
}

#[cfg(all(feature = "cli", not(feature = "mock")))]
async fn fetch() -> Result<Transcript, Box<dyn std::error::Error>> {
    let server = anam::mock::LocalServer::start().await?;
    let transcript = server.client()?.sessions().transcript(SESSION).await?;
    assert_eq!(server.calls("getSessionTranscript"), 1);
    Ok(transcript)
}

#[cfg(not(any(feature = "mock", feature = "cli")))]
async fn fetch() -> Result<Transcript, Box<dyn std::error::Error>> {
    use std::io::{BufRead, BufReader, Write};

    let example = anam::spec::Operation::GET_SESSION_TRANSCRIPT
        .examples
        .first()
        .ok_or("the spec has an example transcript")?
        .json;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let server = std::thread::spawn(move || -> std::io::Result<String> {
        let (stream, _) = listener.accept()?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        let mut line = String::new();
        while reader.read_line(&mut line)? > 2 {
            line.clear();
        }
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{example}",
            example.len()
        )?;
        Ok(request_line)
    });
    let anam = anam::Client::builder().api_key("downstream-key").base_url(base_url).build()?;
    let transcript = anam.sessions().transcript(SESSION).await?;
    let request_line = server.join().map_err(|_| "the server thread panicked")??;
    assert!(
        request_line.starts_with(&format!("GET /v1/sessions/{SESSION}/transcript ")),
        "{request_line}"
    );
    Ok(transcript)
}
"#;

/// Writes the workspace into `work`: its manifest, the downstream crate in `downstream/`, and
/// the package's own `Cargo.lock` as its lock file (so it builds the versions the crate was
/// tested with; cargo adds the downstream package itself). `anam` is the unpacked crate, inside
/// `work`. Returns the workspace manifest.
pub fn write(work: &Path, anam: &Path) -> Result<PathBuf, String> {
    let relative = anam
        .strip_prefix(work)
        .map_err(|_| format!("{} is not inside {}", anam.display(), work.display()))?;
    let anam_path = relative.to_string_lossy().replace('\\', "/");
    let src = work.join("downstream").join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let manifest = work.join("Cargo.toml");
    let files = [
        (manifest.clone(), WORKSPACE.replace("{anam}", &anam_path)),
        (
            work.join("downstream").join("Cargo.toml"),
            MANIFEST.replace("{anam}", &anam_path),
        ),
        (src.join("main.rs"), PROGRAM.replace("{session}", SESSION)),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let lock = anam.join("Cargo.lock");
    std::fs::copy(&lock, work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    Ok(manifest)
}
