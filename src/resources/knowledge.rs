use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{
    CreateKnowledgeGroupBody, KnowledgeDocument, SearchKnowledgeGroupBody,
    UpdateKnowledgeDocumentBody, UpdateKnowledgeGroupBody,
};
use crate::upload::{Multipart, UploadFile};

use super::with_id;

/// Knowledge groups and documents: `client.knowledge()`.
#[derive(Clone, Copy, Debug)]
pub struct Knowledge<'a> {
    client: &'a crate::Client,
}

/// Chunking of an uploaded document; `None` leaves the server's default (1000 / 200).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentUploadOptions {
    /// Characters per chunk.
    pub chunk_size: Option<u32>,
    /// Characters shared by consecutive chunks.
    pub chunk_overlap: Option<u32>,
}

impl<'a> Knowledge<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { client }
    }

    fn raw(&self) -> &'a crate::raw::Client {
        self.client.raw()
    }

    /// `GET /v1/knowledge/groups`.
    pub fn list_groups(&self) -> Request<'a, builder::ListKnowledgeGroups<'a>> {
        Request::new(self.raw().list_knowledge_groups())
    }

    /// `POST /v1/knowledge/groups`.
    pub fn create_group(
        &self,
        body: CreateKnowledgeGroupBody,
    ) -> Request<'a, builder::CreateKnowledgeGroup<'a>> {
        Request::new(self.raw().create_knowledge_group().body(body))
    }

    /// `GET /v1/knowledge/groups/{id}`.
    pub fn get_group(&self, id: impl IntoId) -> Request<'a, builder::GetKnowledgeGroup<'a>> {
        with_id(id, |id| self.raw().get_knowledge_group().id(id))
    }

    /// `PUT /v1/knowledge/groups/{id}`.
    pub fn update_group(
        &self,
        id: impl IntoId,
        body: UpdateKnowledgeGroupBody,
    ) -> Request<'a, builder::UpdateKnowledgeGroup<'a>> {
        with_id(id, |id| {
            self.raw().update_knowledge_group().id(id).body(body)
        })
    }

    /// `DELETE /v1/knowledge/groups/{id}`.
    pub fn delete_group(&self, id: impl IntoId) -> Request<'a, builder::DeleteKnowledgeGroup<'a>> {
        with_id(id, |id| self.raw().delete_knowledge_group().id(id))
    }

    /// `POST /v1/knowledge/groups/{id}/search`.
    pub fn search(
        &self,
        group: impl IntoId,
        body: SearchKnowledgeGroupBody,
    ) -> Request<'a, builder::SearchKnowledgeGroup<'a>> {
        with_id(group, |id| {
            self.raw().search_knowledge_group().id(id).body(body)
        })
    }

    /// `GET /v1/knowledge/groups/{id}/documents`.
    pub fn list_documents(
        &self,
        group: impl IntoId,
    ) -> Request<'a, builder::ListKnowledgeGroupDocuments<'a>> {
        with_id(group, |id| {
            self.raw().list_knowledge_group_documents().id(id)
        })
    }

    /// `POST /v1/knowledge/groups/{id}/documents` (`multipart/form-data`): upload a PDF, TXT,
    /// MD, DOCX or CSV file (at most 50 MB) into a group.
    pub async fn upload_document(
        &self,
        group: impl IntoId,
        file: UploadFile,
        options: DocumentUploadOptions,
    ) -> crate::Result<KnowledgeDocument> {
        let group = group.into_id()?;
        let mut fields = Vec::new();
        fields.extend(options.chunk_size.map(|n| ("chunkSize", n.to_string())));
        fields.extend(
            options
                .chunk_overlap
                .map(|n| ("chunkOverlap", n.to_string())),
        );
        Multipart {
            operation: "uploadKnowledgeGroupDocument",
            path: format!("/v1/knowledge/groups/{group}/documents"),
            fields,
            file_field: "file",
        }
        .send(self.client, file)
        .await
    }

    /// `GET /v1/knowledge/documents/{id}`.
    pub fn get_document(&self, id: impl IntoId) -> Request<'a, builder::GetKnowledgeDocument<'a>> {
        with_id(id, |id| self.raw().get_knowledge_document().id(id))
    }

    /// `PUT /v1/knowledge/documents/{id}`: rename a document.
    pub fn update_document(
        &self,
        id: impl IntoId,
        body: UpdateKnowledgeDocumentBody,
    ) -> Request<'a, builder::UpdateKnowledgeDocument<'a>> {
        with_id(id, |id| {
            self.raw().update_knowledge_document().id(id).body(body)
        })
    }

    /// `DELETE /v1/knowledge/documents/{id}`.
    pub fn delete_document(
        &self,
        id: impl IntoId,
    ) -> Request<'a, builder::DeleteKnowledgeDocument<'a>> {
        with_id(id, |id| self.raw().delete_knowledge_document().id(id))
    }

    /// `GET /v1/knowledge/documents/{id}/download`: a presigned download URL.
    pub fn download_document(
        &self,
        id: impl IntoId,
    ) -> Request<'a, builder::GetKnowledgeDocumentDownload<'a>> {
        with_id(id, |id| self.raw().get_knowledge_document_download().id(id))
    }
}
