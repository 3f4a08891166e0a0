use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{CreateLlmBody, Llm, UpdateLlmBody};

use super::with_id;

/// LLM configurations: `client.llms()`.
#[derive(Clone, Copy, Debug)]
pub struct Llms<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> Llms<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `GET /v1/llms`: one page, with its `meta`.
    pub fn list(&self) -> Request<'a, builder::ListLlms<'a>> {
        Request::new(self.raw.list_llms())
    }

    /// Every LLM configuration, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, Llm> {
        self.list().into_stream()
    }

    /// `POST /v1/llms`.
    pub fn create(&self, body: CreateLlmBody) -> Request<'a, builder::CreateLlm<'a>> {
        Request::new(self.raw.create_llm().body(body))
    }

    /// `GET /v1/llms/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetLlm<'a>> {
        with_id(id, |id| self.raw.get_llm().id(id))
    }

    /// `PUT /v1/llms/{id}`.
    pub fn update(
        &self,
        id: impl IntoId,
        body: UpdateLlmBody,
    ) -> Request<'a, builder::UpdateLlm<'a>> {
        with_id(id, |id| self.raw.update_llm().id(id).body(body))
    }

    /// `DELETE /v1/llms/{id}`.
    pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::DeleteLlm<'a>> {
        with_id(id, |id| self.raw.delete_llm().id(id))
    }
}
