use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{CreateShareLinkBody, PersonaShareLink, UpdateShareLinkBody};

use super::with_id;

/// Share links: `client.share_links()`.
#[derive(Clone, Copy, Debug)]
pub struct ShareLinks<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> ShareLinks<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `GET /v1/share-links`: one page, with its `meta`.
    pub fn list(&self) -> Request<'a, builder::ListShareLinks<'a>> {
        Request::new(self.raw.list_share_links())
    }

    /// Every share link, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, PersonaShareLink> {
        self.list().into_stream()
    }

    /// `POST /v1/share-links`.
    pub fn create(&self, body: CreateShareLinkBody) -> Request<'a, builder::CreateShareLink<'a>> {
        Request::new(self.raw.create_share_link().body(body))
    }

    /// `GET /v1/share-links/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetShareLink<'a>> {
        with_id(id, |id| self.raw.get_share_link().id(id))
    }

    /// `PUT /v1/share-links/{id}`.
    pub fn update(
        &self,
        id: impl IntoId,
        body: UpdateShareLinkBody,
    ) -> Request<'a, builder::UpdateShareLink<'a>> {
        with_id(id, |id| self.raw.update_share_link().id(id).body(body))
    }

    /// `DELETE /v1/share-links/{id}`.
    pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::DeleteShareLink<'a>> {
        with_id(id, |id| self.raw.delete_share_link().id(id))
    }
}
