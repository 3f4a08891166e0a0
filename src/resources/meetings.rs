use crate::id::IntoId;
use crate::raw::builder;
use crate::request::Request;
use crate::types::{CreateMeetingInviteRequest, MeetingInvite};

use super::with_id;

/// Meeting invites: `client.meetings()`.
#[derive(Clone, Copy, Debug)]
pub struct Meetings<'a> {
    raw: &'a crate::raw::Client,
}

impl<'a> Meetings<'a> {
    pub(crate) fn new(client: &'a crate::Client) -> Self {
        Self { raw: client.raw() }
    }

    /// `GET /v1/meetings/invites`: one page, with its `meta`.
    pub fn list_invites(&self) -> Request<'a, builder::ListMeetingInvites<'a>> {
        Request::new(self.raw.list_meeting_invites())
    }

    /// Every meeting invite, page after page.
    pub fn list_all_invites(&self) -> crate::pagination::ItemStream<'a, MeetingInvite> {
        self.list_invites().into_stream()
    }

    /// `POST /v1/meetings/invites`: send a persona into a Meet, Zoom or Teams call.
    pub fn create_invite(
        &self,
        body: CreateMeetingInviteRequest,
    ) -> Request<'a, builder::CreateMeetingInvite<'a>> {
        Request::new(self.raw.create_meeting_invite().body(body))
    }

    /// `GET /v1/meetings/invites/{id}`.
    pub fn get_invite(&self, id: impl IntoId) -> Request<'a, builder::GetMeetingInvite<'a>> {
        with_id(id, |id| self.raw.get_meeting_invite().id(id))
    }

    /// `DELETE /v1/meetings/invites/{id}`: cancel an invite.
    pub fn cancel_invite(&self, id: impl IntoId) -> Request<'a, builder::CancelMeetingInvite<'a>> {
        with_id(id, |id| self.raw.cancel_meeting_invite().id(id))
    }
}
