use crate::pipeline::vendored;
use crate::surface::{Requirement, Shape};

#[test]
fn builders_give_parameters_their_setter_types_and_requirements() {
    let surface = &vendored().1.surface;
    let list_voices = surface.operations["listVoices"]
        .rust
        .as_ref()
        .expect("generated");
    assert_eq!(list_voices.method, "list_voices");
    assert_eq!(list_voices.success, "VoicePage");
    assert_eq!(list_voices.error, "Error<()>");
    let search = &list_voices.params["search"];
    assert_eq!(
        (search.ty.as_str(), search.requirement),
        ("String", Requirement::Optional)
    );
    let get_meeting = surface.operations["getMeetingInvite"]
        .rust
        .as_ref()
        .expect("generated");
    let id = &get_meeting.params["id"];
    assert_eq!(
        (id.ty.as_str(), id.requirement),
        ("uuid::Uuid", Requirement::Required)
    );
    let create = surface.operations["createSessionToken"]
        .rust
        .as_ref()
        .expect("generated");
    let body = create.body.as_ref().expect("a body");
    assert_eq!(
        (body.ty.as_str(), body.requirement),
        ("CreateSessionTokenBody", Requirement::Defaulted)
    );
    assert_eq!(
        create.doc.as_ref().map(|d| d.summary.as_str()),
        Some("create session token")
    );
    let create_voice = surface.operations["createVoice"]
        .rust
        .as_ref()
        .expect("generated");
    let body = create_voice.body.as_ref().expect("a body");
    assert_eq!(
        body.requirement,
        Requirement::Required,
        "a body with required fields is required"
    );
    assert!(
        surface.operations["uploadKnowledgeGroupDocument"]
            .rust
            .is_none()
    );
}

#[test]
fn operations_carry_their_sub_client_method_and_mock_helper() {
    let surface = &vendored().1.surface;
    let delete = &surface.operations["deleteVoice"];
    let facade = delete.facade.as_ref().expect("a sub-client method");
    assert_eq!(
        facade.signature(),
        "Voices::delete(id: impl TryInto<uuid::Uuid>) -> builder::DeleteVoice"
    );
    let update = surface.operations["updatePersona"].facade.as_ref();
    assert_eq!(
        update.map(|method| method.args.last().cloned()),
        Some(Some(("body".to_string(), "UpdatePersonaBody".to_string())))
    );
    let mock = delete.mock.as_ref().expect("a mock helper");
    assert_eq!(
        (mock.method.as_str(), mock.when.as_str(), mock.then.as_str()),
        (
            "delete_voice",
            "operations::DeleteVoiceWhen",
            "operations::DeleteVoiceThen"
        )
    );
    let mock_trait = surface.mock_trait.as_ref().expect("the mock trait");
    assert_eq!(mock_trait.name, "MockServerExt");
    assert!(mock_trait.sealed, "the pipeline seals it");
    let upload = &surface.operations["uploadKnowledgeGroupDocument"];
    assert!(upload.facade.is_none() && upload.mock.is_none());
    let with_facade = surface
        .operations
        .values()
        .filter(|operation| operation.facade.is_some())
        .count();
    assert_eq!(with_facade, 56);
}

/// An added field or value must stay a minor release: a struct users could build with a
/// literal, or an enum they could match exhaustively, would make it a major one.
#[test]
fn every_generated_struct_and_enum_can_grow() {
    let surface = &vendored().1.surface;
    let exhaustive: Vec<&String> = surface
        .types
        .iter()
        .filter(|(_, def)| {
            matches!(
                def.shape,
                Shape::Struct { literal: true, .. } | Shape::Enum { open: false, .. }
            )
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        exhaustive.is_empty(),
        "not #[non_exhaustive]: {exhaustive:?}"
    );
}

#[test]
fn types_list_fields_and_open_enums_without_their_catch_all() {
    let surface = &vendored().1.surface;
    let Shape::Struct { literal, fields } = &surface.types["Voice"].shape else {
        panic!("Voice is a struct");
    };
    assert!(!*literal, "generated structs are #[non_exhaustive]");
    assert_eq!(fields["display_name"].ty, "Option<String>");
    assert!(
        fields["display_tags"].optional,
        "a #[serde(default)] Vec is optional"
    );
    let Shape::Enum {
        open,
        unknown: true,
        variants,
    } = &surface.types["TranscriptRole"].shape
    else {
        panic!("TranscriptRole is an enum");
    };
    assert!(*open);
    assert_eq!(variants.keys().collect::<Vec<_>>(), ["Persona", "User"]);
    assert!(
        !surface.types.contains_key("ConversionError"),
        "submodules are left out"
    );
}
