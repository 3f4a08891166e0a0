//! One test per classification rule: the vendored spec against a copy mutated as JSON, both run
//! through the real pipeline.

use serde_json::{Value, json};

use crate::classify::Bump;
use crate::classify::fixtures::{self, at};
use crate::pipeline::{self, vendored};
use crate::report::Report;

/// The report from the vendored spec to a copy changed by `mutate`.
fn report_after(mutate: impl FnOnce(&mut Value)) -> Report {
    let (doc, old) = vendored();
    let mut doc = doc.clone();
    mutate(&mut doc);
    let bytes = serde_json::to_vec(&doc).expect("a JSON value serialises");
    let new = pipeline::run(&bytes).expect("the mutated spec generates");
    Report::new(&old.surface, &new.surface, &old.notes, &new.notes)
}

fn lines(report: &Report) -> Vec<String> {
    report.changes.iter().map(ToString::to_string).collect()
}

/// [`report_after`] for a fixture of [`fixtures::FIXTURES`], checking that the bump the table
/// records for it (what `cargo xtask fixtures` hands to other judges) is the one the
/// classification gives.
fn report_for(mutate: fn(&mut Value)) -> Report {
    let fixture = fixtures::FIXTURES
        .iter()
        .find(|fixture| std::ptr::fn_addr_eq(fixture.mutate, mutate))
        .expect("the fixture is in FIXTURES");
    let report = report_after(mutate);
    assert_eq!(report.bump(), fixture.bump, "{}", fixture.name);
    report
}

#[test]
fn the_same_document_reports_nothing() {
    let report = report_after(|_| {});
    assert_eq!(lines(&report), Vec::<String>::new());
    assert!(report.notes_added.is_empty() && report.notes_removed.is_empty());
    assert_eq!(report.bump(), Bump::Patch);
    assert!(report.render().ends_with(
        "API changes: none\nnormalisation notes: unchanged\nsuggested version bump: patch\n"
    ));
}

#[test]
fn removed_operation_is_breaking() {
    let report = report_for(fixtures::removed_operation);
    assert_eq!(
        lines(&report),
        [
            "BREAKING removed operation deleteVoice",
            "BREAKING removed method Voices::delete (operation deleteVoice)",
            "BREAKING removed mock helper MockServerExt::delete_voice (operation deleteVoice; \
             feature mock)",
            "BREAKING removed command `anam voices delete` (operation deleteVoice; breaks CLI \
             users)",
            "BREAKING removed type DeleteVoiceResponse",
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
    assert!(
        report
            .notes_removed
            .iter()
            .any(|note| note.contains("deleteVoice")),
        "{:?}",
        report.notes_removed
    );
    assert!(report.render().ends_with("suggested version bump: major\n"));
}

#[test]
fn new_operation_is_additive_with_its_method_and_mock_helper_because_the_trait_is_sealed() {
    let report = report_for(fixtures::new_operation);
    assert_eq!(
        lines(&report),
        [
            "ADDITIVE added operation getVoicePreview",
            "ADDITIVE added method Voices::get_voice_preview (operation getVoicePreview)",
            "ADDITIVE added mock helper MockServerExt::get_voice_preview (operation \
             getVoicePreview; feature mock, sealed trait)",
            "ADDITIVE added command `anam voices get-voice-preview` (operation getVoicePreview)",
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
    assert!(
        report
            .notes_added
            .iter()
            .any(|note| note.contains("no METHOD_NAMES entry")),
        "{:?}",
        report.notes_added
    );
}

#[test]
fn new_required_parameter_is_breaking() {
    let report = report_for(fixtures::new_required_parameter);
    assert_eq!(
        lines(&report),
        [
            "BREAKING added required parameter listVoices.region: String",
            "BREAKING added required `--region` to `anam voices list`"
        ]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn new_optional_parameter_is_additive() {
    let report = report_for(fixtures::new_optional_parameter);
    assert_eq!(
        lines(&report),
        [
            "ADDITIVE added optional parameter listVoices.tag: String",
            "ADDITIVE added optional `--tag` to `anam voices list`"
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_response_field_is_additive_because_types_are_non_exhaustive() {
    let report = report_for(fixtures::new_response_field);
    assert_eq!(
        lines(&report),
        ["ADDITIVE added field Voice.accent: Option<String> optional"]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_value_of_a_response_enum_is_additive_because_it_is_open() {
    let report = report_for(fixtures::new_response_enum_value);
    assert_eq!(
        lines(&report),
        ["ADDITIVE added variant VoiceProvider::Azure (non-exhaustive enum)"]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_value_of_a_request_only_enum_is_additive_because_it_is_non_exhaustive() {
    let report = report_for(fixtures::new_request_enum_value);
    assert_eq!(
        lines(&report),
        [
            "ADDITIVE added variant CreateMeetingInviteRequestRegionPolicy::Nearest (non-exhaustive enum)"
        ]
    );
    assert_eq!(report.bump(), Bump::Minor);
}

/// The plausible next upstream document, which only adds: an optional `status` filter
/// on `listSessions`, optional `clientMetadata` and `expiresIn` on the session-token body,
/// optional `parameters` and `awaitResponse` on the webhook tool config.
#[test]
fn an_upstream_release_that_only_adds_is_a_minor_release() {
    let report = report_after(|doc| {
        at(doc, "/paths/~1v1~1sessions/get/parameters")
            .as_array_mut()
            .expect("parameters")
            .push(json!({"name": "status", "in": "query", "required": false,
                "schema": {"type": "string", "enum": ["active", "ended"]},
                "description": "Only sessions in this state."}));
        let token = at(
            doc,
            "/paths/~1v1~1auth~1session-token/post/requestBody/content/application~1json/schema/properties",
        )
        .as_object_mut()
        .expect("properties");
        token.insert("clientMetadata".into(), json!({"type": "object"}));
        token.insert(
            "expiresIn".into(),
            json!({"type": "integer", "description": "Seconds."}),
        );
        let webhook = at(
            doc,
            "/paths/~1v1~1tools/post/requestBody/content/application~1json/schema/properties/config/oneOf/2/properties",
        )
        .as_object_mut()
        .expect("properties");
        webhook.insert("parameters".into(), json!({"type": "object"}));
        webhook.insert("awaitResponse".into(), json!({"type": "boolean"}));
    });
    let lines = lines(&report);
    assert!(
        lines.iter().all(|line| !line.starts_with("BREAKING")),
        "{lines:#?}"
    );
    for expected in [
        "ADDITIVE added field CreateSessionTokenBody.client_metadata: \
         Option<serde_json::Map<String, serde_json::Value>> optional",
        "ADDITIVE added field CreateSessionTokenBody.expires_in: Option<i64> optional",
        "ADDITIVE added field ServerWebhookToolConfig.await_response: Option<bool> optional",
        "ADDITIVE added field ServerWebhookToolConfig.parameters: \
         Option<serde_json::Map<String, serde_json::Value>> optional",
    ] {
        assert!(
            lines.iter().any(|line| line == expected),
            "{expected}\n{lines:#?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("ADDITIVE") && line.contains("listSessions.status")),
        "{lines:#?}"
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn new_required_request_field_is_breaking() {
    let report = report_for(fixtures::new_required_request_field);
    let lines = lines(&report);
    assert!(
        lines
            .iter()
            .any(|line| line == "BREAKING added field CreateToolBody.owner: String required"),
        "{lines:#?}"
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn new_union_variant_is_additive() {
    let report = report_for(fixtures::new_union_variant);
    let lines = lines(&report);
    assert!(
        lines.contains(
            &"ADDITIVE added variant CreateToolBodyConfig::ServerMcpToolConfig(ServerMcpToolConfig) (non-exhaustive enum)"
                .to_string()
        ),
        "{lines:#?}"
    );
    assert_eq!(report.bump(), Bump::Minor);
}

#[test]
fn changed_field_type_is_breaking() {
    let report = report_for(fixtures::changed_field_type);
    assert_eq!(
        lines(&report),
        ["BREAKING changed field Voice.display_name: Option<String> -> Option<i64>"]
    );
    assert_eq!(report.bump(), Bump::Major);
}

#[test]
fn changed_description_is_docs_only() {
    let report = report_for(fixtures::changed_description);
    assert_eq!(
        lines(&report),
        ["DOCS     changed doc of field Voice.display_name"]
    );
    assert_eq!(report.bump(), Bump::Patch);
    assert!(report.render().ends_with("suggested version bump: patch\n"));
}

/// Rules the vendored spec cannot easily exercise, on hand-made surfaces.
mod synthetic {
    use std::collections::BTreeMap;

    use crate::classify::{Bump, Class, bump, changes};
    use crate::surface::{
        FacadeMethod, Field, MockHelper, MockTrait, Operation, Param, Requirement, RustOperation,
        Shape, Surface, TypeDef, Variant, VariantData,
    };

    fn surface(operations: Vec<(&str, Operation)>, types: Vec<(&str, Shape)>) -> Surface {
        Surface {
            spec_sha256: String::new(),
            mock_trait: None,
            operations: operations
                .into_iter()
                .map(|(id, operation)| (id.to_string(), operation))
                .collect(),
            types: types
                .into_iter()
                .map(|(name, shape)| (name.to_string(), TypeDef { doc: None, shape }))
                .collect(),
        }
    }

    fn operation(path: &str, rust: Option<Vec<(&str, Requirement)>>) -> Operation {
        Operation {
            method: "GET".into(),
            path: path.into(),
            facade: None,
            mock: None,
            commands: Vec::new(),
            rust: rust.map(|params| RustOperation {
                method: "get_thing".into(),
                builder: "GetThing".into(),
                doc: None,
                params: params
                    .into_iter()
                    .map(|(name, requirement)| {
                        let param = Param {
                            ty: "String".into(),
                            requirement,
                        };
                        (name.to_string(), param)
                    })
                    .collect(),
                body: None,
                success: "Thing".into(),
                error: "Error<()>".into(),
            }),
        }
    }

    fn field(ty: &str) -> Field {
        Field {
            ty: ty.into(),
            optional: ty.starts_with("Option<"),
            doc: None,
        }
    }

    fn structure(literal: bool, fields: &[(&str, &str)]) -> Shape {
        Shape::Struct {
            literal,
            fields: fields
                .iter()
                .map(|(name, ty)| (name.to_string(), field(ty)))
                .collect(),
        }
    }

    fn enumeration(open: bool, variants: &[&str]) -> Shape {
        let variants: BTreeMap<String, Variant> = variants
            .iter()
            .map(|name| {
                let variant = Variant {
                    doc: None,
                    data: VariantData::Unit,
                };
                (name.to_string(), variant)
            })
            .collect();
        Shape::Enum {
            open,
            unknown: open,
            variants,
        }
    }

    fn lines(old: &Surface, new: &Surface) -> Vec<String> {
        changes(old, new).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_new_route_is_docs_and_requirement_changes_follow_the_direction() {
        use Requirement::{Optional, Required};
        let old = surface(
            vec![(
                "getThing",
                operation("/a", Some(vec![("a", Required), ("b", Optional)])),
            )],
            vec![],
        );
        let new = surface(
            vec![(
                "getThing",
                operation("/b", Some(vec![("a", Optional), ("b", Required)])),
            )],
            vec![],
        );
        assert_eq!(
            lines(&old, &new),
            [
                "DOCS     changed route of operation getThing: GET /a -> GET /b",
                "ADDITIVE parameter getThing.a is now optional (was required)",
                "BREAKING parameter getThing.b is now required (was optional)",
            ]
        );
    }

    #[test]
    fn generated_and_hand_written_operations() {
        let old = surface(vec![("getThing", operation("/a", None))], vec![]);
        let new = surface(vec![("getThing", operation("/a", Some(vec![])))], vec![]);
        assert_eq!(
            lines(&old, &new),
            ["ADDITIVE operation getThing is now generated: Client::get_thing()"]
        );
        assert_eq!(
            lines(&new, &old),
            ["BREAKING operation getThing is no longer generated: Client::get_thing() removed"]
        );
        let none = surface(vec![], vec![]);
        assert_eq!(lines(&none, &new), ["ADDITIVE added operation getThing"]);
        assert_eq!(bump(&changes(&none, &new)), Bump::Minor);
    }

    fn with_helpers(mut surface: Surface, sealed: Option<bool>, args: &[&str]) -> Surface {
        surface.mock_trait = sealed.map(|sealed| MockTrait {
            name: "MockServerExt".into(),
            sealed,
        });
        for operation in surface.operations.values_mut() {
            operation.facade = Some(FacadeMethod {
                sub_client: "Things".into(),
                method: "get".into(),
                args: args
                    .iter()
                    .map(|name| (name.to_string(), "impl TryInto<uuid::Uuid>".into()))
                    .collect(),
                builder: "GetThing".into(),
                doc: None,
            });
            operation.mock = Some(MockHelper {
                method: "get_thing".into(),
                when: "operations::GetThingWhen".into(),
                then: "operations::GetThingThen".into(),
            });
        }
        surface
    }

    #[test]
    fn a_new_mock_helper_breaks_only_when_the_trait_is_not_sealed() {
        let none = surface(vec![], vec![]);
        let one = || surface(vec![("getThing", operation("/a", Some(vec![])))], vec![]);
        let sealed = with_helpers(one(), Some(true), &["id"]);
        let open = with_helpers(one(), Some(false), &["id"]);
        let base = |sealed| with_helpers(none.clone(), Some(sealed), &[]);
        assert_eq!(
            lines(&base(true), &sealed),
            [
                "ADDITIVE added operation getThing",
                "ADDITIVE added method Things::get (operation getThing)",
                "ADDITIVE added mock helper MockServerExt::get_thing (operation getThing; \
                 feature mock, sealed trait)",
            ]
        );
        assert_eq!(
            lines(&base(false), &open)[2],
            "BREAKING added mock helper MockServerExt::get_thing (operation getThing; feature \
             mock): the trait is not sealed, so its implementors must add the method"
        );
        assert_eq!(
            lines(&open, &sealed),
            [
                "BREAKING trait MockServerExt is now sealed (feature mock): implementations \
                 outside the crate stop compiling"
            ]
        );
        assert_eq!(
            lines(&sealed, &open),
            ["ADDITIVE trait MockServerExt is no longer sealed (feature mock)"]
        );
    }

    #[test]
    fn a_changed_sub_client_method_breaks() {
        let one = || surface(vec![("getThing", operation("/a", Some(vec![])))], vec![]);
        let old = with_helpers(one(), Some(true), &["id"]);
        let new = with_helpers(one(), Some(true), &["id", "body"]);
        assert_eq!(
            lines(&old, &new),
            [
                "BREAKING changed method Things::get: Things::get(id: impl TryInto<uuid::Uuid>) \
                 -> builder::GetThing -> Things::get(id: impl TryInto<uuid::Uuid>, body: impl \
                 TryInto<uuid::Uuid>) -> builder::GetThing"
            ]
        );
        let mut renamed = old.clone();
        if let Some(facade) = renamed
            .operations
            .get_mut("getThing")
            .and_then(|o| o.facade.as_mut())
        {
            facade.method = "fetch".into();
        }
        assert_eq!(
            lines(&old, &renamed),
            ["BREAKING renamed method of operation getThing: Things::get -> Things::fetch"]
        );
    }

    #[test]
    fn a_field_of_a_struct_without_literals_is_additive() {
        let old = surface(vec![], vec![("Thing", structure(false, &[("a", "i64")]))]);
        let new = surface(
            vec![],
            vec![(
                "Thing",
                structure(false, &[("a", "i64"), ("b", "Option<i64>")]),
            )],
        );
        assert_eq!(
            lines(&old, &new),
            ["ADDITIVE added field Thing.b: Option<i64> optional"]
        );
    }

    #[test]
    fn opening_or_closing_an_enum_breaks_and_closed_variants_break() {
        let closed = surface(vec![], vec![("Kind", enumeration(false, &["A"]))]);
        let open = surface(vec![], vec![("Kind", enumeration(true, &["A", "B"]))]);
        assert_eq!(
            lines(&closed, &open),
            [
                "BREAKING enum Kind is now non-exhaustive",
                "ADDITIVE enum Kind now keeps unknown values (Unknown(String))",
                "ADDITIVE added variant Kind::B (non-exhaustive enum)",
            ]
        );
        assert_eq!(
            lines(&open, &closed),
            [
                "BREAKING enum Kind is now exhaustive",
                "BREAKING enum Kind no longer keeps unknown values (Unknown(String))",
                "BREAKING removed variant Kind::B"
            ]
        );
    }

    #[test]
    fn a_new_kind_of_type_breaks_and_a_new_type_is_additive() {
        let old = surface(vec![], vec![("Thing", structure(true, &[]))]);
        let new = surface(
            vec![],
            vec![("Other", Shape::Unit), ("Thing", enumeration(false, &[]))],
        );
        let found = changes(&old, &new);
        let texts: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "ADDITIVE added type Other: unit struct",
                "BREAKING changed type Thing: struct -> enum",
            ]
        );
        assert_eq!(found.iter().map(|c| c.class).max(), Some(Class::Breaking));
    }
}
