//! Uploads over real HTTP: a voice cloned from audio bytes, an avatar image from a path, a
//! knowledge document from a reader with chunking options, and their errors.

use super::*;

#[tokio::test]
async fn a_voice_is_cloned_from_audio_bytes() {
    let server = Scripted::start(vec![Reply::json(
        201,
        support::response_example(Operation::GET_VOICE),
    )])
    .await;
    let voice = client(&server.base_url, quick_retries())
        .voices()
        .clone_from_audio(
            "Narrator",
            UploadFile::from_bytes("narrator.mp3", b"ID3-audio".to_vec()),
            anam::VoiceUploadOptions::default()
                .language("fr")
                .enhance(false),
        )
        .await
        .unwrap();
    assert!(voice.id.is_some());
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/v1/voices")
    );
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    let parts = parse_multipart(&request);
    let fields: Vec<(&str, String)> = parts
        .iter()
        .filter(|p| p.file_name.is_none())
        .map(|p| {
            (
                p.name.as_str(),
                String::from_utf8_lossy(&p.data).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("name", "Narrator".into()),
            ("language", "fr".into()),
            ("enhance", "false".into())
        ]
    );
    let file = parts.iter().find(|p| p.name == "audioFile").unwrap();
    assert_eq!(file.file_name.as_deref(), Some("narrator.mp3"));
    assert_eq!(file.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(file.data, b"ID3-audio");
}

#[tokio::test]
async fn an_avatar_image_is_uploaded_from_a_path() {
    let dir = std::env::temp_dir().join(format!("anam-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("face.png");
    std::fs::write(&path, b"\x89PNG fake").unwrap();
    let server = Scripted::start(vec![Reply::json(
        201,
        support::response_example(Operation::GET_AVATAR),
    )])
    .await;
    let avatar = client(&server.base_url, quick_retries())
        .avatars()
        .upload_image(
            "Cara",
            UploadFile::from_path(&path),
            anam::AvatarUploadOptions::default().avatar_model("cara-3"),
        )
        .await
        .unwrap();
    assert!(avatar.id.is_some());
    let [request] = server.requests().try_into().unwrap();
    let parts = parse_multipart(&request);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["displayName", "avatarModel", "imageFile"]);
    let image = &parts[2];
    assert_eq!(
        (image.file_name.as_deref(), image.content_type.as_deref()),
        (Some("face.png"), Some("image/png"))
    );
    assert_eq!(image.data, b"\x89PNG fake");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_document_is_uploaded_from_a_reader_with_chunking_options() {
    let server = Scripted::start(vec![Reply::json(
        201,
        json!({"id": SESSION, "filename": "notes.md"}),
    )])
    .await;
    let reader = std::io::Cursor::new(b"# Notes\nhello".to_vec());
    let document = client(&server.base_url, quick_retries())
        .knowledge()
        .upload_document(
            SESSION,
            UploadFile::from_reader("notes.md", reader),
            anam::DocumentUploadOptions::default()
                .chunk_size(500)
                .chunk_overlap(50),
        )
        .await
        .unwrap();
    assert_eq!(document.filename.as_deref(), Some("notes.md"));
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(
        request.target,
        format!("/v1/knowledge/groups/{SESSION}/documents")
    );
    let parts = parse_multipart(&request);
    assert_eq!(
        parts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["chunkSize", "chunkOverlap", "file"]
    );
    assert_eq!(parts[0].data, b"500");
    assert_eq!(parts[2].data, b"# Notes\nhello");
    assert_eq!(parts[2].content_type.as_deref(), Some("text/markdown"));
}

#[tokio::test]
async fn upload_errors_use_the_same_mapping() {
    let server = Scripted::start(vec![Reply::json(
        400,
        json!({"message": "audio too short"}),
    )])
    .await;
    let error = client(&server.base_url, quick_retries())
        .voices()
        .clone_from_audio(
            "x",
            UploadFile::from_bytes("a.wav", vec![0u8; 4]),
            Default::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.api().unwrap().message, "audio too short");
    assert_eq!(error.api().unwrap().operation, "createVoice");
}
