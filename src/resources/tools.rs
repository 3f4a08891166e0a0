use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{CreateToolBody, Tool, UpdateToolBody};

use super::with_id;

/// Tools: `client.tools()`.
#[derive(Clone, Copy, Debug)]
pub struct Tools<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> Tools<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `GET /v1/tools`: one page, with its `meta`.
    pub fn list(&self) -> Request<'a, builder::ListTools<'a>> {
        Request::new(self.raw.list_tools())
    }

    /// Every tool, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, Tool> {
        self.list().into_stream()
    }

    /// `POST /v1/tools`.
    pub fn create(&self, body: CreateToolBody) -> Request<'a, builder::CreateTool<'a>> {
        Request::new(self.raw.create_tool().body(body))
    }

    /// `GET /v1/tools/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetTool<'a>> {
        with_id(id, |id| self.raw.get_tool().id(id))
    }

    /// `PUT /v1/tools/{id}`.
    pub fn update(
        &self,
        id: impl IntoId,
        body: UpdateToolBody,
    ) -> Request<'a, builder::UpdateTool<'a>> {
        with_id(id, |id| self.raw.update_tool().id(id).body(body))
    }

    /// `DELETE /v1/tools/{id}`.
    pub fn delete(&self, id: impl IntoId) -> Request<'a, builder::DeleteTool<'a>> {
        with_id(id, |id| self.raw.delete_tool().id(id))
    }
}
