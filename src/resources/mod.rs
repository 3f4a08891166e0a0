//! Per-resource sub-clients, one per tag of the spec. Each method wraps one generated
//! operation (or, for uploads, a hand-written multipart request) and returns a
//! [`Request`] to `.await`.

mod avatars;
mod crud;
mod engine;
mod knowledge;
mod meetings;
mod sessions;
mod voices;

pub use avatars::{AvatarUploadOptions, Avatars};
pub use crud::{Llms, Personas, ShareLinks, Tools};
pub use engine::Engine;
pub use knowledge::{DocumentUploadOptions, Knowledge};
pub use meetings::Meetings;
pub use sessions::Sessions;
pub use voices::{VoiceUploadOptions, Voices};

use crate::id::IntoId;
use crate::request::{Operation, Request};

/// A request for an operation on the resource `id`; a malformed id fails without sending.
fn with_id<'a, B: Operation + 'a>(
    id: impl IntoId,
    build: impl FnOnce(uuid::Uuid) -> B,
) -> Request<'a, B> {
    Request::from_result(id.into_id().map(build))
}
