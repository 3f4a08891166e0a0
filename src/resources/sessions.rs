use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::CreateSessionTokenBody;

use super::with_id;

/// Sessions: `client.sessions()`.
#[derive(Clone, Copy, Debug)]
pub struct Sessions<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> Sessions<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `GET /v1/sessions`: one page of sessions with its `meta` (see
    /// [`Request::into_stream`](crate::Request::into_stream) for every session).
    pub fn list(&self) -> Request<'a, builder::ListSessions<'a>> {
        Request::new(self.raw.list_sessions())
    }

    /// Every session, page after page.
    pub fn list_all(&self) -> crate::pagination::ItemStream<'a, crate::types::Session> {
        self.list().into_stream()
    }

    /// `GET /v1/sessions/{id}`.
    pub fn get(&self, id: impl IntoId) -> Request<'a, builder::GetSession<'a>> {
        with_id(id, |id| self.raw.get_session().id(id))
    }

    /// `GET /v1/sessions/{id}/transcript`: the conversation transcript.
    pub fn transcript(&self, id: impl IntoId) -> Request<'a, builder::GetSessionTranscript<'a>> {
        with_id(id, |id| self.raw.get_session_transcript().id(id))
    }

    /// `POST /v1/sessions/{id}/stop`.
    pub fn stop(&self, id: impl IntoId) -> Request<'a, builder::StopSession<'a>> {
        with_id(id, |id| self.raw.stop_session().id(id))
    }

    /// `GET /v1/sessions/{id}/recording`: a presigned download URL.
    pub fn recording(&self, id: impl IntoId) -> Request<'a, builder::GetSessionRecording<'a>> {
        with_id(id, |id| self.raw.get_session_recording().id(id))
    }

    /// `GET /v1/sessions/{id}/analytics`.
    pub fn analytics(&self, id: impl IntoId) -> Request<'a, builder::GetSessionAnalytics<'a>> {
        with_id(id, |id| self.raw.get_session_analytics().id(id))
    }

    /// `GET /v1/sessions/analytics`: analytics aggregated over many sessions.
    pub fn aggregated_analytics(&self) -> Request<'a, builder::GetAggregatedSessionAnalytics<'a>> {
        Request::new(self.raw.get_aggregated_session_analytics())
    }

    /// `GET /v1/sessions/concurrency`: current concurrency against the plan limit.
    pub fn concurrency(&self) -> Request<'a, builder::GetSessionConcurrency<'a>> {
        Request::new(self.raw.get_session_concurrency())
    }

    /// `POST /v1/auth/session-token`: a short-lived token for a browser or mobile client.
    pub fn create_token(
        &self,
        body: CreateSessionTokenBody,
    ) -> Request<'a, builder::CreateSessionToken<'a>> {
        Request::new(self.raw.create_session_token().body(body))
    }
}
