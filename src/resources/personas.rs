use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{CreatePersonaBody, PersonaSummary, UpdatePersonaBody};

use super::with_id;

/// Personas: `client.personas()`.
#[derive(Clone, Copy, Debug)]
pub struct Personas<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> Personas<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `GET /v1/personas`: one page, with its `meta`.
    pub fn list(&self) -> Request<'a, builder::ListPersonas<'a>> {
        Request::new(self.raw.list_personas())
    }

    /// Every persona, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, PersonaSummary> {
        self.list().into_stream()
    }

    /// `POST /v1/personas`.
    pub fn create(&self, body: CreatePersonaBody) -> Request<'a, builder::CreatePersona<'a>> {
        Request::new(self.raw.create_persona().body(body))
    }

    /// `GET /v1/personas/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetPersona<'a>> {
        with_id(id, |id| self.raw.get_persona().id(id))
    }

    /// `PUT /v1/personas/{id}`.
    pub fn update(
        &self,
        id: impl IntoId,
        body: UpdatePersonaBody,
    ) -> Request<'a, builder::UpdatePersona<'a>> {
        with_id(id, |id| self.raw.update_persona().id(id).body(body))
    }

    /// `DELETE /v1/personas/{id}`.
    pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::DeletePersona<'a>> {
        with_id(id, |id| self.raw.delete_persona().id(id))
    }
}
