//! Rules the vendored spec cannot easily exercise, on hand-made surfaces.

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
