//! The three `multipart/form-data` uploads progenitor cannot generate, on the generated
//! client's authentication, retry, tracing and error paths. Their operation ids and paths come
//! from [`anam::spec`](crate::spec).

use crate::spec::Operation;
use crate::types::{Avatar, KnowledgeDocument, Voice};
use crate::upload::{Multipart, UploadFile};
use crate::{RawResponse, Result};

use super::{Avatars, Knowledge, Voices};

/// Optional fields of an avatar image upload.
///
/// ```
/// let options = anam::AvatarUploadOptions::default().avatar_model("cara-3");
/// assert_eq!(options.avatar_model.as_deref(), Some("cara-3"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AvatarUploadOptions {
    /// Avatar model (e.g. `cara-3`); the server's default when `None`.
    pub avatar_model: Option<String>,
}

impl AvatarUploadOptions {
    /// The avatar model. Example on [`AvatarUploadOptions`].
    pub fn avatar_model(mut self, model: impl Into<String>) -> Self {
        self.avatar_model = Some(model.into());
        self
    }
}

/// Optional fields of a voice-cloning upload; `None` leaves the server's default.
///
/// ```
/// let options = anam::VoiceUploadOptions::default()
///     .description("Calm, warm narrator")
///     .language("de")
///     .enhance(false);
/// assert_eq!(options.language.as_deref(), Some("de"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VoiceUploadOptions {
    /// Description of the voice.
    pub description: Option<String>,
    /// Language code (server default `en`).
    pub language: Option<String>,
    /// Whether to enhance the voice quality (server default `true`).
    pub enhance: Option<bool>,
}

impl VoiceUploadOptions {
    /// A description of the voice. Example on [`VoiceUploadOptions`].
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The language code. Example on [`VoiceUploadOptions`].
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Whether to enhance the voice quality. Example on [`VoiceUploadOptions`].
    pub fn enhance(mut self, enhance: bool) -> Self {
        self.enhance = Some(enhance);
        self
    }
}

/// Chunking of an uploaded document; `None` leaves the server's default (1000 / 200).
///
/// ```
/// let options = anam::DocumentUploadOptions::default().chunk_size(500).chunk_overlap(50);
/// assert_eq!(options.chunk_size, Some(500));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocumentUploadOptions {
    /// Characters per chunk.
    pub chunk_size: Option<u32>,
    /// Characters shared by consecutive chunks.
    pub chunk_overlap: Option<u32>,
}

impl DocumentUploadOptions {
    /// Characters per chunk. Example on [`DocumentUploadOptions`].
    pub fn chunk_size(mut self, size: u32) -> Self {
        self.chunk_size = Some(size);
        self
    }

    /// Characters shared by consecutive chunks. Example on [`DocumentUploadOptions`].
    pub fn chunk_overlap(mut self, overlap: u32) -> Self {
        self.chunk_overlap = Some(overlap);
        self
    }
}

impl Avatars<'_> {
    /// `POST /v1/avatars` as `multipart/form-data`: create an avatar from an image file (JPEG,
    /// PNG or WebP, at most 4.5 MB). [`create`](Self::create) is the JSON variant, from an
    /// image URL.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{AvatarUploadOptions, UploadFile};
    /// let avatar = anam
    ///     .avatars()
    ///     .upload_image("Cara", UploadFile::from_path("cara.png"), AvatarUploadOptions::default())
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_image(
        &self,
        display_name: impl Into<String>,
        image: UploadFile,
        options: AvatarUploadOptions,
    ) -> Result<Avatar> {
        Self::image_upload(display_name.into(), options)?
            .send(self.client, image)
            .await
    }

    /// [`upload_image`](Self::upload_image), keeping the answer as the server sent it beside
    /// its decode ([`RawResponse`]): a created avatar whose body does not match the spec is
    /// still there to read.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{AvatarUploadOptions, UploadFile};
    /// let answer = anam
    ///     .avatars()
    ///     .upload_image_raw("Cara", UploadFile::from_path("cara.png"), AvatarUploadOptions::default())
    ///     .await?;
    /// println!("{}", String::from_utf8_lossy(answer.body()));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_image_raw(
        &self,
        display_name: impl Into<String>,
        image: UploadFile,
        options: AvatarUploadOptions,
    ) -> Result<RawResponse<Avatar>> {
        Self::image_upload(display_name.into(), options)?
            .send_raw(self.client, image)
            .await
    }

    fn image_upload(display_name: String, options: AvatarUploadOptions) -> Result<Multipart> {
        let mut fields = vec![("displayName", display_name)];
        fields.extend(options.avatar_model.map(|model| ("avatarModel", model)));
        Multipart::new(Operation::CREATE_AVATAR, &[], fields, "imageFile")
    }
}

impl Voices<'_> {
    /// `POST /v1/voices` as `multipart/form-data`: clone a voice from an audio file.
    /// [`create`](Self::create) is the JSON variant, for audio sent through
    /// [`presigned_upload`](Self::presigned_upload).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{UploadFile, VoiceUploadOptions};
    /// let options = VoiceUploadOptions::default().language("en").enhance(true);
    /// let voice = anam
    ///     .voices()
    ///     .clone_from_audio("Narrator", UploadFile::from_path("sample.mp3"), options)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn clone_from_audio(
        &self,
        name: impl Into<String>,
        audio: UploadFile,
        options: VoiceUploadOptions,
    ) -> Result<Voice> {
        Self::voice_upload(name.into(), options)?
            .send(self.client, audio)
            .await
    }

    /// [`clone_from_audio`](Self::clone_from_audio), keeping the answer as the server sent it
    /// beside its decode ([`RawResponse`]).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{UploadFile, VoiceUploadOptions};
    /// let answer = anam
    ///     .voices()
    ///     .clone_from_audio_raw("Narrator", UploadFile::from_path("sample.mp3"), VoiceUploadOptions::default())
    ///     .await?;
    /// let id = answer.decoded().map(|voice| voice.id.clone());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn clone_from_audio_raw(
        &self,
        name: impl Into<String>,
        audio: UploadFile,
        options: VoiceUploadOptions,
    ) -> Result<RawResponse<Voice>> {
        Self::voice_upload(name.into(), options)?
            .send_raw(self.client, audio)
            .await
    }

    fn voice_upload(name: String, options: VoiceUploadOptions) -> Result<Multipart> {
        let mut fields = vec![("name", name)];
        fields.extend(options.description.map(|d| ("description", d)));
        fields.extend(options.language.map(|l| ("language", l)));
        fields.extend(options.enhance.map(|e| ("enhance", e.to_string())));
        Multipart::new(Operation::CREATE_VOICE, &[], fields, "audioFile")
    }
}

impl Knowledge<'_> {
    /// `POST /v1/knowledge/groups/{id}/documents` (`multipart/form-data`): upload a PDF, TXT,
    /// MD, DOCX or CSV file (at most 50 MB) into a group.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{DocumentUploadOptions, UploadFile};
    /// let document = anam
    ///     .knowledge()
    ///     .upload_document(
    ///         "00000000-0000-0000-0000-000000000000",
    ///         UploadFile::from_path("faq.md"),
    ///         DocumentUploadOptions::default().chunk_size(800),
    ///     )
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_document(
        &self,
        group: &str,
        file: UploadFile,
        options: DocumentUploadOptions,
    ) -> Result<KnowledgeDocument> {
        Self::document_upload(group, options)?
            .send(self.client, file)
            .await
    }

    /// [`upload_document`](Self::upload_document), keeping the answer as the server sent it
    /// beside its decode ([`RawResponse`]).
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::{DocumentUploadOptions, UploadFile};
    /// let answer = anam
    ///     .knowledge()
    ///     .upload_document_raw(
    ///         "00000000-0000-0000-0000-000000000000",
    ///         UploadFile::from_path("faq.md"),
    ///         DocumentUploadOptions::default(),
    ///     )
    ///     .await?;
    /// assert!(answer.status().is_success());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upload_document_raw(
        &self,
        group: &str,
        file: UploadFile,
        options: DocumentUploadOptions,
    ) -> Result<RawResponse<KnowledgeDocument>> {
        Self::document_upload(group, options)?
            .send_raw(self.client, file)
            .await
    }

    fn document_upload(group: &str, options: DocumentUploadOptions) -> Result<Multipart> {
        let mut fields = Vec::new();
        fields.extend(options.chunk_size.map(|n| ("chunkSize", n.to_string())));
        fields.extend(
            options
                .chunk_overlap
                .map(|n| ("chunkOverlap", n.to_string())),
        );
        Multipart::new(
            Operation::UPLOAD_KNOWLEDGE_GROUP_DOCUMENT,
            &[("id", group)],
            fields,
            "file",
        )
    }
}
