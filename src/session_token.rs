//! Session token bodies in one line: a saved persona by its id, or an ephemeral persona
//! built field by field. A backend mints one token per user session (valid for one hour) and
//! hands it to the browser, which never sees the API key. Examples on
//! `CreateSessionTokenBody::saved_persona`.

use crate::types::{CreateSessionTokenBody, EphemeralPersonaConfig, SavedPersonaConfig};

impl SavedPersonaConfig {
    /// The persona saved under `persona_id`. Example on
    /// [`CreateSessionTokenBody::saved_persona`].
    pub fn new(persona_id: impl Into<String>) -> Self {
        Self {
            persona_id: Some(persona_id.into()),
            ..Default::default()
        }
    }
}

impl CreateSessionTokenBody {
    /// A token for the persona saved under `persona_id` (`{"personaConfig": {"personaId": …}}`);
    /// [`ephemeral_persona`](Self::ephemeral_persona) for one defined in the request. A backend
    /// mints one per user session (valid for one hour) and hands it to the browser.
    ///
    /// ```no_run
    /// # async fn run(anam: &anam::Client) -> anam::Result<()> {
    /// use anam::types::{CreateSessionTokenBody, EphemeralPersonaConfig};
    ///
    /// // A persona saved in Anam's lab.
    /// let token = anam.sessions().create_token(CreateSessionTokenBody::saved_persona("persona-id")).await?;
    ///
    /// // An ephemeral persona: only the fields set are sent.
    /// let persona = EphemeralPersonaConfig::builder()
    ///     .name(Some("Cara".to_string()))
    ///     .avatar_id(Some("avatar-id".to_string()))
    ///     .voice_id(Some("voice-id".to_string()))
    ///     .llm_id(Some("llm-id".to_string()))
    ///     .system_prompt(Some("You are a helpful assistant.".to_string()));
    /// let body = CreateSessionTokenBody::ephemeral_persona(persona.try_into()?);
    /// let token = anam.sessions().create_token(body).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn saved_persona(persona_id: impl Into<String>) -> Self {
        Self {
            persona_config: Some(SavedPersonaConfig::new(persona_id).into()),
            ..Default::default()
        }
    }

    /// A token for an ephemeral persona, defined in the request (only the fields set are
    /// sent). Example on [`saved_persona`](Self::saved_persona).
    pub fn ephemeral_persona(persona: EphemeralPersonaConfig) -> Self {
        Self {
            persona_config: Some(persona.into()),
            ..Default::default()
        }
    }
}
