//! The facade's naming tables: which sub-client carries each tag's operations, what each
//! operation's method is called, and the methods written by hand.

/// Spec tag → the hand-written sub-client type in `crate::resources` that carries its methods.
pub const SUB_CLIENTS: &[(&str, &str)] = &[
    ("Sessions", "Sessions"),
    ("Personas", "Personas"),
    ("Avatars", "Avatars"),
    ("Voices", "Voices"),
    ("LLMs", "Llms"),
    ("Knowledge", "Knowledge"),
    ("Tools", "Tools"),
    ("Share Links", "ShareLinks"),
    ("Meetings", "Meetings"),
    ("Engine", "Engine"),
];

/// `operationId` → its method on the sub-client. An operation missing here still gets a
/// method, named after its `operationId` in snake_case (and a note says so).
pub const METHOD_NAMES: &[(&str, &str)] = &[
    ("createSessionToken", "create_token"),
    ("listSessions", "list"),
    ("getSession", "get"),
    ("getSessionTranscript", "transcript"),
    ("stopSession", "stop"),
    ("getSessionRecording", "recording"),
    ("getSessionAnalytics", "analytics"),
    ("getAggregatedSessionAnalytics", "aggregated_analytics"),
    ("getSessionConcurrency", "concurrency"),
    ("listMeetingInvites", "list_invites"),
    ("createMeetingInvite", "create_invite"),
    ("getMeetingInvite", "get_invite"),
    ("cancelMeetingInvite", "cancel_invite"),
    ("listVoices", "list"),
    ("createVoice", "create"),
    ("createVoicePresignedUpload", "presigned_upload"),
    ("getVoice", "get"),
    ("updateVoice", "update"),
    ("deleteVoice", "delete"),
    ("listTools", "list"),
    ("createTool", "create"),
    ("getTool", "get"),
    ("updateTool", "update"),
    ("deleteTool", "delete"),
    ("listShareLinks", "list"),
    ("createShareLink", "create"),
    ("getShareLink", "get"),
    ("updateShareLink", "update"),
    ("deleteShareLink", "delete"),
    ("listPersonas", "list"),
    ("createPersona", "create"),
    ("getPersona", "get"),
    ("updatePersona", "update"),
    ("deletePersona", "delete"),
    ("listLlms", "list"),
    ("createLlm", "create"),
    ("getLlm", "get"),
    ("updateLlm", "update"),
    ("deleteLlm", "delete"),
    ("listKnowledgeGroups", "list_groups"),
    ("createKnowledgeGroup", "create_group"),
    ("getKnowledgeGroup", "get_group"),
    ("updateKnowledgeGroup", "update_group"),
    ("deleteKnowledgeGroup", "delete_group"),
    ("searchKnowledgeGroup", "search"),
    ("listKnowledgeGroupDocuments", "list_documents"),
    ("getKnowledgeDocument", "get_document"),
    ("updateKnowledgeDocument", "update_document"),
    ("deleteKnowledgeDocument", "delete_document"),
    ("getKnowledgeDocumentDownload", "download_document"),
    ("createEngineSession", "create_session"),
    ("listAvatars", "list"),
    ("createAvatar", "create"),
    ("getAvatar", "get"),
    ("updateAvatar", "update"),
    ("deleteAvatar", "delete"),
];

/// The hand-written facade methods (`src/resources/uploads.rs`) of the request variants
/// progenitor cannot generate: `(operationId, media type, sub-client method)`. They complete
/// `anam::spec`'s list of facade methods and name the binary's upload commands.
pub const HAND_WRITTEN_METHODS: &[(&str, &str, &str)] = &[
    ("createVoice", "multipart/form-data", "clone_from_audio"),
    (
        "uploadKnowledgeGroupDocument",
        "multipart/form-data",
        "upload_document",
    ),
    ("createAvatar", "multipart/form-data", "upload_image"),
];
