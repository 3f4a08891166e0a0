//! Uploads a document into a knowledge group, then lists the group's documents.
//!
//! `cargo run --features mock --example upload_document <group-id> <file>`

mod common;

use anam::{DocumentUploadOptions, UploadFile};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (anam, _mock) = common::client().await?;
    let mut args = std::env::args().skip(1);
    let group = args
        .next()
        .unwrap_or_else(|| "00000000-0000-0000-0000-000000000000".into());
    let file = match args.next() {
        Some(path) => UploadFile::from_path(path),
        None => UploadFile::from_bytes("faq.md", "# FAQ\n\nWe open at nine.\n"),
    };
    let options = DocumentUploadOptions::default().chunk_size(800);
    let document = anam
        .knowledge()
        .upload_document(&group, file, options)
        .await?;
    println!(
        "uploaded {} ({:?})",
        document.filename.unwrap_or_default(),
        document.status
    );
    for document in anam.knowledge().list_documents(group.as_str()).await? {
        println!("- {}", document.filename.unwrap_or_default());
    }
    Ok(())
}
