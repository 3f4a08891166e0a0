use super::*;

/// A document with one component schema `S`.
fn doc_with(schema: Value) -> Value {
    json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"S": schema}}})
}

fn run(rule: fn(&mut Value, &mut Notes), schema: Value) -> (Value, Notes) {
    let mut doc = doc_with(schema);
    let mut notes = Notes::default();
    rule(&mut doc, &mut notes);
    (doc["components"]["schemas"]["S"].clone(), notes)
}

#[test]
fn version_is_downgraded_and_noted() {
    let mut doc = json!({"openapi": "3.1.0", "webhooks": {}, "paths": {}});
    let mut notes = Notes::default();
    downgrade_version(&mut doc, &mut notes);
    assert_eq!(doc, json!({"openapi": "3.0.3", "paths": {}}));
    assert_eq!(notes.rules(), ["openapi-version", "openapi-version"]);
}

#[test]
fn vendor_extensions_are_removed_but_example_data_is_kept() {
    let mut doc = json!({"x-mint": {}, "paths": {"/a": {"get": {"x-mint": {"a": 1},
        "responses": {"200": {"content": {"application/json": {"example": {"x-keep": 1}}}}}}}}});
    let mut notes = Notes::default();
    strip_vendor_extensions(&mut doc, &mut notes);
    assert!(doc.get("x-mint").is_none());
    assert!(doc.pointer("/paths/~1a/get/x-mint").is_none());
    assert_eq!(
        doc.pointer("/paths/~1a/get/responses/200/content/application~1json/example/x-keep"),
        Some(&json!(1))
    );
    assert_eq!(notes.0[0].detail, "removed `x-mint` (2 occurrences)");
}

#[test]
fn type_array_with_null_becomes_nullable() {
    let (s, notes) = run(
        type_arrays,
        json!({"type": ["string", "null"], "format": "date-time"}),
    );
    assert_eq!(
        s,
        json!({"type": "string", "format": "date-time", "nullable": true})
    );
    assert_eq!(notes.0[0].location, "/components/schemas/S");
}

#[test]
fn type_array_of_several_types_becomes_untyped() {
    let (s, _) = run(type_arrays, json!({"type": ["string", "integer"]}));
    assert_eq!(s, json!({}));
}

#[test]
fn enum_with_null_becomes_nullable() {
    let (s, notes) = run(enum_nulls, json!({"type": "string", "enum": ["A", null]}));
    assert_eq!(
        s,
        json!({"type": "string", "enum": ["A"], "nullable": true})
    );
    assert_eq!(notes.rules(), ["enum-null"]);
}

#[test]
fn null_member_of_one_of_becomes_nullable_ref() {
    let (s, _) = run(
        null_branches,
        json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}], "description": "d"}),
    );
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d"})
    );
}

#[test]
fn null_member_of_any_of_with_several_members_keeps_the_union() {
    let (s, _) = run(
        null_branches,
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": ["null"]}]}),
    );
    assert_eq!(
        s,
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
    );
}

#[test]
fn single_member_union_is_inlined() {
    let (s, notes) = run(
        single_member_unions,
        json!({"type": "string", "description": "d", "oneOf": [{"type": "string", "enum": ["a"]}]}),
    );
    assert_eq!(
        s,
        json!({"type": "string", "description": "d", "enum": ["a"]})
    );
    assert_eq!(notes.rules(), ["single-member-union"]);
}

#[test]
fn nullable_keyword_is_kept_false_is_dropped_and_ref_made_effective() {
    let (s, _) = run(
        nullable_keyword,
        json!({"type": "integer", "nullable": true}),
    );
    assert_eq!(s, json!({"type": "integer", "nullable": true}));
    let (s, _) = run(
        nullable_keyword,
        json!({"type": "integer", "nullable": false}),
    );
    assert_eq!(s, json!({"type": "integer"}));
    let (s, _) = run(
        nullable_keyword,
        json!({"$ref": "#/components/schemas/A", "nullable": true}),
    );
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
    );
}

#[test]
fn const_becomes_single_value_enum() {
    let (s, _) = run(consts, json!({"type": "string", "const": "fixed"}));
    assert_eq!(s, json!({"type": "string", "enum": ["fixed"]}));
}

#[test]
fn numeric_exclusive_bounds_become_3_0_booleans() {
    let (s, notes) = run(
        exclusive_bounds,
        json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}),
    );
    assert_eq!(
        s,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": true})
    );
    assert_eq!(notes.0.len(), 2);
}

#[test]
fn schema_examples_array_becomes_example() {
    let (s, _) = run(
        schema_examples,
        json!({"type": "string", "examples": ["a", "b"]}),
    );
    assert_eq!(s, json!({"type": "string", "example": "a"}));
}

#[test]
fn ref_with_siblings_becomes_all_of() {
    let (s, notes) = run(
        ref_siblings,
        json!({"$ref": "#/components/schemas/A", "description": "d"}),
    );
    assert_eq!(
        s,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "d"})
    );
    assert!(notes.0[0].detail.contains("description"));
    let (s, notes) = run(ref_siblings, json!({"$ref": "#/components/schemas/A"}));
    assert_eq!(s, json!({"$ref": "#/components/schemas/A"}));
    assert!(notes.0.is_empty());
}

#[test]
fn required_only_one_of_is_removed_and_documented() {
    let (s, _) = run(
        required_only_unions,
        json!({"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}),
    );
    assert_eq!(
        s,
        json!({"type": "object", "description": "Exactly one of: a; b."})
    );
}

#[test]
fn identical_inline_titles_are_hoisted_once() {
    let config = json!({"title": "Client Config", "type": "object", "properties": {"a": {"type": "string"}}});
    let mut doc = json!({"paths": {}, "components": {"schemas": {
        "A": {"type": "object", "properties": {"c": config.clone()}},
        "B": {"type": "object", "properties": {"c": config}},
        "T": {"title": "Other", "type": "string"}
    }}});
    let mut notes = Notes::default();
    titles(&mut doc, &mut notes);
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["A"]["properties"]["c"],
        json!({"$ref": "#/components/schemas/ClientConfig"})
    );
    assert_eq!(
        schemas["B"]["properties"]["c"],
        json!({"$ref": "#/components/schemas/ClientConfig"})
    );
    assert_eq!(
        schemas["ClientConfig"],
        json!({"type": "object", "properties": {"a": {"type": "string"}}})
    );
    assert_eq!(schemas["T"], json!({"type": "string"}));
}

#[test]
fn clashing_inline_titles_are_removed() {
    let mut doc = json!({"paths": {}, "components": {"schemas": {
        "A": {"type": "object", "properties": {"c": {"title": "X", "type": "string"}}},
        "B": {"type": "object", "properties": {"c": {"title": "X", "type": "integer"}}}
    }}});
    let mut notes = Notes::default();
    titles(&mut doc, &mut notes);
    assert_eq!(
        doc["components"]["schemas"]["A"]["properties"]["c"],
        json!({"type": "string"})
    );
    assert_eq!(
        doc["components"]["schemas"]["B"]["properties"]["c"],
        json!({"type": "integer"})
    );
    assert!(doc["components"]["schemas"].get("X").is_none());
}
