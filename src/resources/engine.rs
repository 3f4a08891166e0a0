use crate::raw::builder;
use crate::request::Request;
use crate::types::CreateEngineSessionBody;

/// Engine sessions: `client.engine()`.
#[derive(Clone, Copy, Debug)]
pub struct Engine<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `POST /v1/engine/session`: start a session directly with the API key (server side).
    pub fn create_session(
        &self,
        body: CreateEngineSessionBody,
    ) -> Request<'a, builder::CreateEngineSession<'a>> {
        Request::new(self.raw.create_engine_session().body(body))
    }
}
