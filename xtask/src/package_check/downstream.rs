//! The downstream crate of the package check: a user's project that depends on the unpacked
//! `anam` by path, with features `mock` and `cli` forwarded, and a program that prints the
//! spec's example transcript through the client whatever features are on. It and the unpacked
//! crate are the two members of one workspace, so the `cli` build's library is the one the
//! packaged `anam` binary links: built once, not twice.

use std::path::{Path, PathBuf};

/// The session the program and the binary ask for (the spec example's).
pub const SESSION: &str = "00000000-0000-0000-0000-000000000000";

/// What the program prints once its own `reqwest::Client` got an answer.
pub const OWN_REQWEST_LINE: &str = "own reqwest::Client::new(): pong";

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
/// two builds and the binary share one tokio (and everything above it) instead of building
/// the stack once per feature set.
const MANIFEST: &str = r#"[package]
name = "anam-downstream"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
anam = { path = "../{anam}" }
serde_json = "1"
tokio = { version = "1", features = ["fs", "io-util", "macros", "net", "rt", "rt-multi-thread", "sync", "time"] }
# The project's own reqwest, without its default features unless `reqwest-default`: cargo
# merges anam's reqwest features into it, and its `Client::new()` must keep working.
reqwest = { version = "0.13", default-features = false }
rustls = { version = "0.23", default-features = false, features = ["ring"] }

[features]
mock = ["anam/mock"]
cli = ["anam/cli"]
reqwest-default = ["reqwest/default"]
"#;

/// xtask's manifest: its `[build-dependencies]` are the features the workspace's build side
/// has (xtask/build.rs). The downstream crate asks for the same ones through a build script of
/// its own, as it asks for `anam`'s tokio features: the `anam` build script's dependencies
/// (the generation pipeline's crates) are then those the tests compiled, reused, not compiled
/// again (17 s more for the default build without them, on the 2-core machine). The price is
/// the same as for the tokio features: a feature the packaged build script uses without
/// declaring it among `anam`'s build dependencies would be on here anyway, so this check would
/// not catch it (`cargo xtask build-times`, which builds `anam` alone, would).
const XTASK_MANIFEST: &str = include_str!("../../Cargo.toml");

/// The downstream crate's build script: nothing to do but have the build dependencies.
const BUILD_SCRIPT: &str = "fn main() {}\n";

/// The `[build-dependencies]` table of xtask's manifest, header included (empty when it has
/// none).
fn build_dependencies(manifest: &str) -> &str {
    let Some(start) = manifest.find("\n[build-dependencies]\n") else {
        return "";
    };
    let table = &manifest[start + 1..];
    match table[1..].find("\n[") {
        Some(end) => &table[..end + 2],
        None => table,
    }
}

/// The program: the example transcript through `MockAnam` (`mock`), or
/// with default features a one-request loopback server of its own serving the spec's example,
/// rendered as text.
const PROGRAM: &str = r#"//! The packaged `anam`, used as a downstream project would.

use anam::transcript::{Format, render};
use anam::types::Transcript;

const SESSION: &str = "{session}";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    own_reqwest().await?;
    bodies()?;
    let transcript = fetch().await?;
    assert!(!transcript.messages.is_empty(), "the example has messages");
    print!("{}", render(&transcript, Format::Text));
    Ok(())
}

/// The project's own `reqwest::Client::new()` beside `anam`, and a request through it to a
/// one-request loopback server. With reqwest's default features its TLS is rustls with
/// aws-lc-rs; without them, cargo's merge of anam's `rustls-no-provider` gives it rustls with
/// no provider, which panics in `Client::new()` unless one is installed first: what the README
/// tells such a project to do, done here.
async fn own_reqwest() -> Result<(), Box<dyn std::error::Error>> {
    use std::io::{BufRead, BufReader, Write};

    #[cfg(not(feature = "reqwest-default"))]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/ping", listener.local_addr()?);
    let server = std::thread::spawn(move || -> std::io::Result<()> {
        let (stream, _) = listener.accept()?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut line = String::new();
        while reader.read_line(&mut line)? > 2 {
            line.clear();
        }
        let mut stream = stream;
        write!(stream, "HTTP/1.1 200 OK\r\ncontent-length: 4\r\nconnection: close\r\n\r\npong")
    });
    let text = client.get(&url).send().await?.error_for_status()?.text().await?;
    server.join().map_err(|_| "the server thread panicked")??;
    assert_eq!(text, "pong");
    println!("{OWN_REQWEST_LINE}");
    Ok(())
}

const OWN_REQWEST_LINE: &str = "{own_reqwest}";

/// Every kind of body built the way a user's code builds it, through the paths that survive an
/// upstream addition (the generated types are `#[non_exhaustive]`: no struct literals): a
/// builder, `Default` with fields set, a union variant's builder, the named constructors, a
/// field the spec lacks, and a response value for a test of one's own.
fn bodies() -> Result<(), Box<dyn std::error::Error>> {
    use anam::types::*;
    use serde_json::json;

    let saved = CreateSessionTokenBody::saved_persona("persona-1");
    assert_eq!(serde_json::to_value(&saved)?, json!({"personaConfig": {"personaId": "persona-1"}}));
    let persona: EphemeralPersonaConfig = EphemeralPersonaConfig::builder()
        .name(Some("Cara".to_string()))
        .tool_ids(Some(vec![]))
        .try_into()?;
    let ephemeral = CreateSessionTokenBody::ephemeral_persona(persona);
    assert_eq!(
        serde_json::to_value(&ephemeral)?,
        json!({"personaConfig": {"name": "Cara", "toolIds": []}})
    );
    let webhook: ServerWebhookToolConfig = ServerWebhookToolConfig::builder()
        .url("https://example.com/hook")
        .method(ServerWebhookToolConfigMethod::Post)
        .extra_field("awaitResponse", true)
        .try_into()?;
    let tool: CreateToolBody = CreateToolBody::builder()
        .name("lookup_order")
        .description("Looks up an order.")
        .type_(CreateToolBodyType::ServerWebhook)
        .config(Some(CreateToolBodyConfig::from(webhook)))
        .try_into()?;
    assert_eq!(
        serde_json::to_value(&tool)?["config"],
        json!({"url": "https://example.com/hook", "method": "POST", "awaitResponse": true})
    );
    let mut update = UpdatePersonaBody::default();
    update.tool_ids = Some(vec![]);
    update.extra.insert("temperature".into(), json!(0.4));
    assert_eq!(serde_json::to_value(&update)?, json!({"toolIds": [], "temperature": 0.4}));
    let voice: Voice = Voice::builder()
        .display_name(Some("Narrator".to_string()))
        .try_into()?;
    assert_eq!(voice.display_name.as_deref(), Some("Narrator"));
    Ok(())
}

#[cfg(feature = "mock")]
async fn fetch() -> Result<Transcript, Box<dyn std::error::Error>> {
    let mock = anam::mock::MockAnam::start().await;
    let transcript = mock.client()?.sessions().transcript(SESSION).await?;
    assert_eq!(mock.calls("getSessionTranscript"), 1);
    Ok(transcript)
}

#[cfg(not(feature = "mock"))]
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
            format!(
                "{}\n{}",
                MANIFEST.replace("{anam}", &anam_path),
                build_dependencies(XTASK_MANIFEST)
            ),
        ),
        (
            work.join("downstream").join("build.rs"),
            BUILD_SCRIPT.into(),
        ),
        (
            src.join("main.rs"),
            PROGRAM
                .replace("{session}", SESSION)
                .replace("{own_reqwest}", OWN_REQWEST_LINE),
        ),
    ];
    for (path, text) in files {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let lock = anam.join("Cargo.lock");
    std::fs::copy(&lock, work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_dependencies_table_is_cut_out_of_a_manifest() {
        let manifest =
            "[package]\nname = \"x\"\n\n[build-dependencies]\na = \"1\"\n\n[features]\nf = []\n";
        assert_eq!(
            build_dependencies(manifest),
            "[build-dependencies]\na = \"1\"\n\n"
        );
        assert_eq!(
            build_dependencies("[package]\n\n[build-dependencies]\na = \"1\"\n"),
            "[build-dependencies]\na = \"1\"\n"
        );
        assert_eq!(build_dependencies("[package]\nname = \"x\"\n"), "");
    }

    #[test]
    fn the_downstream_crate_asks_for_the_build_side_features_of_xtask() {
        let table = build_dependencies(XTASK_MANIFEST);
        assert!(table.starts_with("[build-dependencies]\n"), "{table}");
        for dependency in ["proc-macro2 = ", "serde_json = ", "syn = "] {
            assert!(table.contains(dependency), "{dependency}: {table}");
        }
        assert!(!table.contains("[dependencies]"), "{table}");
    }
}
