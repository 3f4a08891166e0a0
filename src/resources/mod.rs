//! Per-resource sub-clients, one per tag of the spec. Each method wraps one generated
//! operation (or, for uploads, a hand-written multipart request) and returns a
//! [`Request`] to `.await`.

mod avatars;
mod engine;
mod knowledge;
mod llms;
mod meetings;
mod personas;
mod sessions;
mod share_links;
mod tools;
mod voices;

pub use avatars::{AvatarUploadOptions, Avatars};
pub use engine::Engine;
pub use knowledge::{DocumentUploadOptions, Knowledge};
pub use llms::Llms;
pub use meetings::Meetings;
pub use personas::Personas;
pub use sessions::Sessions;
pub use share_links::ShareLinks;
pub use tools::Tools;
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
