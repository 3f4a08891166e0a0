use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{CreateVoiceBody, CreateVoicePresignedUploadBody, UpdateVoiceBody, Voice};
use crate::upload::{Multipart, UploadFile};

use super::with_id;

/// Voices: `client.voices()`.
#[derive(Clone, Copy, Debug)]
pub struct Voices<'a> {
    client: &'a crate::Client,
}

/// Optional fields of a voice-cloning upload; `None` leaves the server's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VoiceUploadOptions {
    /// Description of the voice.
    pub description: Option<String>,
    /// Language code (server default `en`).
    pub language: Option<String>,
    /// Whether to enhance the voice quality (server default `true`).
    pub enhance: Option<bool>,
}

impl<'a> Voices<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { client }
    }

    /// `GET /v1/voices`: one page, with its `meta`.
    pub fn list(&self) -> Request<'a, builder::ListVoices<'a>> {
        Request::new(self.client.raw().list_voices())
    }

    /// Every voice, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, Voice> {
        self.list().into_stream()
    }

    /// `POST /v1/voices` with a JSON body: clone a voice from audio already uploaded through
    /// [`presigned_upload`](Self::presigned_upload).
    pub fn create(&self, body: CreateVoiceBody) -> Request<'a, builder::CreateVoice<'a>> {
        Request::new(self.client.raw().create_voice().body(body))
    }

    /// `POST /v1/voices` as `multipart/form-data`: clone a voice from an audio file.
    pub async fn clone_from_audio(
        &self,
        name: impl Into<String>,
        audio: UploadFile,
        options: VoiceUploadOptions,
    ) -> crate::Result<Voice> {
        let mut fields = vec![("name", name.into())];
        fields.extend(options.description.map(|d| ("description", d)));
        fields.extend(options.language.map(|l| ("language", l)));
        fields.extend(options.enhance.map(|e| ("enhance", e.to_string())));
        Multipart {
            operation: "createVoice",
            path: "/v1/voices".into(),
            fields,
            file_field: "audioFile",
        }
        .send(self.client, audio)
        .await
    }

    /// `POST /v1/voices/presigned-upload`: a URL to PUT large audio to.
    pub fn presigned_upload(
        &self,
        body: CreateVoicePresignedUploadBody,
    ) -> Request<'a, builder::CreateVoicePresignedUpload<'a>> {
        Request::new(self.client.raw().create_voice_presigned_upload().body(body))
    }

    /// `GET /v1/voices/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetVoice<'a>> {
        with_id(id, |id| self.client.raw().get_voice().id(id))
    }

    /// `PUT /v1/voices/{id}`.
    pub fn update(
        &self,
        id: impl IntoId,
        body: UpdateVoiceBody,
    ) -> Request<'a, builder::UpdateVoice<'a>> {
        with_id(id, |id| self.client.raw().update_voice().id(id).body(body))
    }

    /// `DELETE /v1/voices/{id}`.
    pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::DeleteVoice<'a>> {
        with_id(id, |id| self.client.raw().delete_voice().id(id))
    }
}
