//! Schema-level rules: rewrite OpenAPI 3.1 / JSON Schema 2020-12 constructs into the
//! OpenAPI 3.0 subset progenitor 0.15 accepts, keeping what each construct means for decoding.
//!
//! Each rule is a small function over the whole document that records a
//! [`Note`](super::generation::Note) for every change it makes.

use serde_json::{Map, Value, json};

use super::Notes;
use super::walk::{self, walk_all_schemas};

/// The OpenAPI version progenitor accepts, written into the normalised document.
pub const TARGET_OPENAPI_VERSION: &str = "3.0.3";

/// Rule `openapi-version`: `openapi: 3.1.x` becomes 3.0.3 and 3.1-only top-level members go.
pub fn downgrade_version(doc: &mut Value, notes: &mut Notes) {
    let Some(version) = doc
        .get("openapi")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return;
    };
    if version.starts_with("3.1") {
        doc["openapi"] = json!(TARGET_OPENAPI_VERSION);
        notes.add(
            "openapi-version",
            "/openapi",
            format!("{version} -> {TARGET_OPENAPI_VERSION}"),
        );
    }
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    for key in ["webhooks", "jsonSchemaDialect"] {
        if root.remove(key).is_some() {
            notes.add(
                "openapi-version",
                &format!("/{key}"),
                "removed (OpenAPI 3.1 only)",
            );
        }
    }
}

/// Rule `vendor-extensions`: every `x-*` member (upstream's `x-mint`) is dropped; none of them
/// affects the wire format, and some (`x-rust-type`) would change what progenitor generates.
pub fn strip_vendor_extensions(doc: &mut Value, notes: &mut Notes) {
    let mut removed: Vec<(String, String)> = Vec::new();
    strip_extensions_at(doc, "", &mut removed);
    let mut by_key = std::collections::BTreeMap::<String, Vec<String>>::new();
    for (key, pointer) in removed {
        by_key.entry(key).or_default().push(pointer);
    }
    for (key, pointers) in by_key {
        let first = pointers.first().cloned().unwrap_or_default();
        notes.add(
            "vendor-extensions",
            &first,
            format!("removed `{key}` ({} occurrences)", pointers.len()),
        );
    }
}

fn strip_extensions_at(value: &mut Value, pointer: &str, removed: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            let keys: Vec<String> = object
                .keys()
                .filter(|k| k.starts_with("x-"))
                .cloned()
                .collect();
            for key in keys {
                object.remove(&key);
                removed.push((key.clone(), walk::child(pointer, &key)));
            }
            for (key, member) in object.iter_mut() {
                // Examples are data, not schema: their keys are the API's, never extensions.
                if key == "example" || key == "examples" || key == "default" || key == "enum" {
                    continue;
                }
                strip_extensions_at(member, &walk::child(pointer, key), removed);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                strip_extensions_at(item, &walk::child(pointer, &index.to_string()), removed);
            }
        }
        _ => {}
    }
}

/// True for a schema that admits only `null`: `{type: "null"}`, `{type: ["null"]}` or
/// `{enum: [null]}`.
fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.len() == 1 && types[0] == "null",
        None => schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null)),
        _ => false,
    }
}

/// Rule `null-branch`: a `null` member of `oneOf`/`anyOf` becomes `nullable: true`.
/// If one member remains, a `$ref` is wrapped as `allOf: [$ref]` (the 3.0 way to make a
/// reference nullable) and an inline schema is merged into the parent.
pub fn null_branches(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = schema.get_mut(key) else {
                continue;
            };
            let before = members.len();
            members.retain(|member| !is_null_schema(member));
            if members.len() == before {
                continue;
            }
            schema.insert("nullable".into(), Value::Bool(true));
            let remaining = match schema.get(key) {
                Some(Value::Array(members)) => members.len(),
                _ => 0,
            };
            let detail = if remaining == 1 {
                collapse_single_member(schema, key);
                format!(
                    "`{key}` null member -> nullable; its one other member replaces the `{key}`"
                )
            } else {
                format!("`{key}` null member -> nullable")
            };
            notes.add("null-branch", pointer, detail);
        }
    });
}

/// Replaces a one-member `oneOf`/`anyOf` by its member: `allOf: [$ref]` for a reference,
/// otherwise the member's keywords merged into the parent (the parent's own keywords win).
fn collapse_single_member(schema: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(mut members)) = schema.remove(key) else {
        return;
    };
    let Some(Value::Object(member)) = members.pop() else {
        return;
    };
    if member.contains_key("$ref") {
        schema.insert("allOf".into(), Value::Array(vec![Value::Object(member)]));
    } else {
        for (k, v) in member {
            schema.entry(k).or_insert(v);
        }
    }
}

/// Rule `single-member-union`: a `oneOf`/`anyOf` with exactly one member (upstream wraps an
/// enum this way) is replaced by that member.
pub fn single_member_unions(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        for key in ["oneOf", "anyOf"] {
            if matches!(schema.get(key), Some(Value::Array(m)) if m.len() == 1) {
                collapse_single_member(schema, key);
                notes.add(
                    "single-member-union",
                    pointer,
                    format!("one-member `{key}` inlined"),
                );
            }
        }
    });
}

/// Rule `type-array`: `type: [T, "null"]` becomes `type: T` + `nullable: true`; a list of
/// several non-null types becomes an untyped schema (any JSON value), which loses nothing.
pub fn type_arrays(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        let Some(Value::Array(types)) = schema.get("type").cloned() else {
            return;
        };
        let nullable = types.iter().any(|t| t == "null");
        let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        if nullable {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        let detail = match rest.as_slice() {
            [single] => {
                schema.insert("type".into(), single.clone());
                format!(
                    "type [{}{}] -> {}",
                    single.as_str().unwrap_or("?"),
                    if nullable { ", null" } else { "" },
                    single.as_str().unwrap_or("?")
                )
            }
            _ => {
                schema.remove("type");
                format!("type array {rest:?} -> untyped (any JSON value)")
            }
        };
        let detail = if nullable {
            format!("{detail} + nullable")
        } else {
            detail
        };
        notes.add("type-array", pointer, detail);
    });
}

/// Rule `enum-null`: `null` inside `enum` is removed and the schema made `nullable`.
pub fn enum_nulls(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        let Some(Value::Array(values)) = schema.get_mut("enum") else {
            return;
        };
        if !values.iter().any(Value::is_null) {
            return;
        }
        values.retain(|v| !v.is_null());
        if values.is_empty() {
            schema.remove("enum");
        }
        schema.insert("nullable".into(), Value::Bool(true));
        notes.add("enum-null", pointer, "null removed from enum -> nullable");
    });
}

/// Rule `nullable-3.0`: upstream sometimes already writes the 3.0 `nullable: true`. It runs
/// before the other nullability rules, so it sees only upstream's own uses: `nullable: true` is
/// kept as is (and noted, so the listing shows where the document mixes dialects),
/// `nullable: false` is dropped as noise, and a `nullable` on a bare `$ref` (which 3.0 ignores)
/// is made effective via `allOf`.
pub fn nullable_keyword(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| match schema.get("nullable") {
        Some(Value::Bool(true)) if !schema.contains_key("$ref") => {
            notes.add("nullable-3.0", pointer, "3.0 `nullable: true` kept as is");
        }
        Some(Value::Bool(false)) => {
            schema.remove("nullable");
            notes.add("nullable-3.0", pointer, "`nullable: false` dropped");
        }
        Some(Value::Bool(true)) if schema.contains_key("$ref") => {
            if let Some(reference) = schema.remove("$ref") {
                schema.insert("allOf".into(), json!([{ "$ref": reference }]));
            }
            notes.add(
                "nullable-3.0",
                pointer,
                "nullable `$ref` -> allOf: [$ref] + nullable",
            );
        }
        _ => {}
    });
}

/// Rule `const`: `const: v` becomes `enum: [v]`.
pub fn consts(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        if let Some(value) = schema.remove("const") {
            notes.add("const", pointer, format!("const {value} -> enum [{value}]"));
            schema.insert("enum".into(), Value::Array(vec![value]));
        }
    });
}

/// Rule `exclusive-bounds`: 3.1 numeric `exclusiveMinimum: n` becomes `minimum: n` +
/// `exclusiveMinimum: true` (and likewise for the maximum).
pub fn exclusive_bounds(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        for (exclusive, inclusive) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(bound) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
                schema.insert(inclusive.into(), bound.clone());
                schema.insert(exclusive.into(), Value::Bool(true));
                notes.add(
                    "exclusive-bounds",
                    pointer,
                    format!("{exclusive}: {bound} -> {inclusive}: {bound}, {exclusive}: true"),
                );
            }
        }
    });
}

/// Rule `schema-examples`: a schema-level `examples` array becomes the 3.0 `example` (its first
/// entry).
pub fn schema_examples(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        if let Some(Value::Array(examples)) = schema.get("examples").cloned() {
            schema.remove("examples");
            if let Some(first) = examples.into_iter().next() {
                schema.entry("example").or_insert(first);
            }
            notes.add("schema-examples", pointer, "examples array -> example");
        }
    });
}

/// Rule `ref-siblings`: keywords next to a `$ref` (ignored by OpenAPI 3.0 tooling) are kept by
/// turning the node into `allOf: [$ref]` plus those keywords.
pub fn ref_siblings(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        if schema.len() > 1 && schema.contains_key("$ref") {
            let reference = schema.remove("$ref").unwrap_or(Value::Null);
            let siblings: Vec<String> = schema.keys().cloned().collect();
            schema.insert("allOf".into(), json!([{ "$ref": reference }]));
            notes.add(
                "ref-siblings",
                pointer,
                format!("$ref with {siblings:?} -> allOf: [$ref] + siblings"),
            );
        }
    });
}

/// Rule `required-only-oneof`: a `oneOf` whose members only list `required` properties (an
/// "exactly one of these fields" constraint) is a validation rule, not a shape; typify would
/// turn it into bogus variants, so it is removed and the constraint noted in the description.
pub fn required_only_unions(doc: &mut Value, notes: &mut Notes) {
    walk_all_schemas(doc, &mut |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("oneOf") else {
            return;
        };
        let groups: Option<Vec<String>> = members
            .iter()
            .map(|member| {
                let member = member.as_object()?;
                if member.len() != 1 {
                    return None;
                }
                let fields = member.get("required")?.as_array()?;
                Some(
                    fields
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" + "),
                )
            })
            .collect();
        let Some(groups) = groups else {
            return;
        };
        schema.remove("oneOf");
        let constraint = format!("Exactly one of: {}.", groups.join("; "));
        let description = match schema.get("description").and_then(Value::as_str) {
            Some(text) => format!("{text}\n\n{constraint}"),
            None => constraint.clone(),
        };
        schema.insert("description".into(), Value::String(description));
        notes.add(
            "required-only-oneof",
            pointer,
            format!("oneOf removed; {constraint}"),
        );
    });
}

/// Rule `titles`: typify names inline schemas after their `title`, so two different inline
/// schemas with one title clash, and the same schema repeated under one title is generated twice.
/// Inline titled schemas that are all identical are hoisted once into `components/schemas` under
/// their title; titles shared by different schemas, and titles of component schemas (already
/// named by their key), are removed.
pub fn titles(doc: &mut Value, notes: &mut Notes) {
    let mut titled: std::collections::BTreeMap<String, Vec<(String, Value)>> = Default::default();
    walk_all_schemas(doc, &mut |pointer, schema| {
        if let Some(Value::String(title)) = schema.get("title") {
            titled
                .entry(title.clone())
                .or_default()
                .push((pointer.to_string(), Value::Object(schema.clone())));
        }
    });
    for (title, sites) in titled {
        let name = heck::ToPascalCase::to_pascal_case(title.as_str());
        let is_component = |pointer: &str| {
            pointer
                .strip_prefix("/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'))
        };
        let inline: Vec<&(String, Value)> =
            sites.iter().filter(|(p, _)| !is_component(p)).collect();
        let all_same = inline.windows(2).all(|pair| pair[0].1 == pair[1].1);
        let free = doc
            .pointer(&walk::child("/components/schemas", &name))
            .is_none();
        if !inline.is_empty() && all_same && free && !name.is_empty() {
            let mut schema = inline[0].1.clone();
            if let Some(object) = schema.as_object_mut() {
                object.remove("title");
            }
            if let Some(schemas) = doc
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                schemas.insert(name.clone(), schema);
            }
            for (pointer, _) in &inline {
                if let Some(site) = doc.pointer_mut(pointer) {
                    *site = walk::ref_to(&name);
                }
                notes.add(
                    "titles",
                    pointer,
                    format!("title `{title}` -> hoisted to component `{name}`"),
                );
            }
        } else {
            for (pointer, _) in &inline {
                if let Some(Value::Object(site)) = doc.pointer_mut(pointer) {
                    site.remove("title");
                }
                notes.add(
                    "titles",
                    pointer,
                    format!("title `{title}` removed (shared by different schemas)"),
                );
            }
        }
        for (pointer, _) in sites.iter().filter(|(p, _)| is_component(p)) {
            if let Some(Value::Object(site)) = doc.pointer_mut(pointer) {
                site.remove("title");
            }
            notes.add(
                "titles",
                pointer,
                format!("title `{title}` removed (component is named by its key)"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
