use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{Avatar, CreateAvatarBody, UpdateAvatarBody};
use crate::upload::{Multipart, UploadFile};

use super::with_id;

/// Avatars: `client.avatars()`.
#[derive(Clone, Copy, Debug)]
pub struct Avatars<'a> {
    client: &'a crate::Client,
}

/// Optional fields of an avatar image upload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AvatarUploadOptions {
    /// Avatar model (e.g. `cara-3`); the server's default when `None`.
    pub avatar_model: Option<String>,
}

impl<'a> Avatars<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { client }
    }

    /// `GET /v1/avatars`: one page, with its `meta`.
    pub fn list(&self) -> Request<'a, builder::ListAvatars<'a>> {
        Request::new(self.client.raw().list_avatars())
    }

    /// Every avatar, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, Avatar> {
        self.list().into_stream()
    }

    /// `POST /v1/avatars` with a JSON body: create an avatar from an image URL.
    pub fn create(&self, body: CreateAvatarBody) -> Request<'a, builder::CreateAvatar<'a>> {
        Request::new(self.client.raw().create_avatar().body(body))
    }

    /// `POST /v1/avatars` as `multipart/form-data`: create an avatar from an image file
    /// (JPEG, PNG or WebP, at most 4.5 MB).
    pub async fn upload_image(
        &self,
        display_name: impl Into<String>,
        image: UploadFile,
        options: AvatarUploadOptions,
    ) -> crate::Result<Avatar> {
        let mut fields = vec![("displayName", display_name.into())];
        fields.extend(options.avatar_model.map(|model| ("avatarModel", model)));
        Multipart {
            operation: "createAvatar",
            path: "/v1/avatars".into(),
            fields,
            file_field: "imageFile",
        }
        .send(self.client, image)
        .await
    }

    /// `GET /v1/avatars/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetAvatar<'a>> {
        with_id(id, |id| self.client.raw().get_avatar().id(id))
    }

    /// `PUT /v1/avatars/{id}`.
    pub fn update(
        &self,
        id: impl IntoId,
        body: UpdateAvatarBody,
    ) -> Request<'a, builder::UpdateAvatar<'a>> {
        with_id(id, |id| self.client.raw().update_avatar().id(id).body(body))
    }

    /// `DELETE /v1/avatars/{id}` (`.with(|b| b.hard(true))` deletes permanently).
    pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::DeleteAvatar<'a>> {
        with_id(id, |id| self.client.raw().delete_avatar().id(id))
    }
}
