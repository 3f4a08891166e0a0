//! Round trips generated from the spec: every request example and every `oneOf`/`anyOf`
//! variant of every JSON request body (built from the variant's properties and their
//! examples) goes through the library's body type of its operation, and through the binary's
//! `--body-file` to a server that records what it receives; what the type sends again and what
//! arrives must equal what was given. A new example or variant upstream is covered with no
//! hand line.

use std::collections::BTreeSet;

use futures_util::StreamExt;
use serde_json::{Map, Value, json};

use crate::cli::anam_with_input;
use crate::support::scripted::{Reply, Scripted};
use crate::support::spec;

const ID: &str = "00000000-0000-0000-0000-000000000000";

/// One body to send: which operation, where it came from, and the JSON.
struct Case {
    op: &'static anam::spec::Operation,
    label: String,
    body: Value,
}

fn resolve<'d>(doc: &'d Value, value: &'d Value) -> &'d Value {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => doc.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// The raw spec node of an operation.
fn operation_node<'d>(doc: &'d Value, id: &str) -> Option<&'d Value> {
    doc["paths"].as_object()?.values().find_map(|item| {
        item.as_object()?
            .values()
            .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
    })
}

/// A value for `schema`: its example where it has one, else one built from its type, with every
/// property of an object (so a variant is sent with every field it knows).
fn build(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && let Some(value) = values.iter().find(|v| !v.is_null())
    {
        return value.clone();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(member) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|members| members.iter().find(|m| resolve(doc, m)["type"] != "null"))
        {
            return build(doc, member, depth + 1);
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = types.iter().find(|t| **t != "null").copied().unwrap_or(
        if schema.get("properties").is_some() {
            "object"
        } else {
            "string"
        },
    );
    let number = |fallback: f64| {
        let low = schema["minimum"].as_f64();
        let high = schema["maximum"].as_f64();
        match (low, high) {
            (Some(low), _) => low,
            (None, Some(high)) if high < fallback => high,
            _ => fallback,
        }
    };
    match kind {
        "integer" => json!(number(2.0) as i64),
        "number" => json!(number(1.5)),
        "boolean" => json!(true),
        "array" if depth < 6 => json!([build(doc, &schema["items"], depth + 1)]),
        "array" => json!([]),
        "object" => {
            let mut object = Map::new();
            if depth < 6 {
                for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                    object.insert(name.clone(), build(doc, property, depth + 1));
                }
            }
            if object.is_empty() && schema.get("properties").is_none() {
                object.insert("key".into(), json!("value"));
            }
            Value::Object(object)
        }
        _ => match schema["format"].as_str() {
            Some("uuid") => json!("00000000-0000-0000-0000-0000000000aa"),
            Some("date-time") => json!("2026-04-20T09:00:00Z"),
            Some("uri") | Some("url") => json!("https://example.com/hook"),
            _ => json!("text"),
        },
    }
}

/// Every `oneOf`/`anyOf` below `schema`: the property path to it and each member's value.
fn unions(
    doc: &Value,
    schema: &Value,
    path: &mut Vec<String>,
    found: &mut Vec<(Vec<String>, String, Value)>,
    seen: &mut BTreeSet<String>,
) {
    if path.len() > 5 {
        return;
    }
    let reference = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(reference) = &reference
        && !seen.insert(reference.clone())
    {
        return;
    }
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        for (index, member) in schema[key].as_array().into_iter().flatten().enumerate() {
            if resolve(doc, member)["type"] == "null" {
                continue;
            }
            if let Some(only) = required_only(member) {
                // An exactly-one-of constraint (`{required: [personaId]}`): the object itself,
                // with this member's fields and without the other members' own.
                let others: BTreeSet<&str> = schema[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(required_only)
                    .flatten()
                    .filter(|field| !only.contains(field))
                    .collect();
                let mut value = build(doc, &strip_unions(schema), path.len());
                if let Some(object) = value.as_object_mut() {
                    object.retain(|field, _| !others.contains(field.as_str()));
                }
                found.push((path.clone(), format!("required {}", only.join("+")), value));
                continue;
            }
            let name = member
                .get("$ref")
                .and_then(Value::as_str)
                .or_else(|| member.get("title").and_then(Value::as_str))
                .map(|n| n.rsplit('/').next().unwrap_or(n).to_string())
                .unwrap_or_else(|| format!("{key}[{index}]"));
            found.push((path.clone(), name, build(doc, member, path.len())));
            unions(doc, member, path, found, seen);
        }
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        path.push(name.clone());
        unions(doc, property, path, found, seen);
        path.pop();
    }
    if let Some(reference) = reference {
        seen.remove(&reference);
    }
}

/// The fields of a union member that only lists `required` fields (and nothing else).
fn required_only(member: &Value) -> Option<Vec<&str>> {
    let object = member.as_object()?;
    if object.keys().any(|k| k != "required" && k != "description") {
        return None;
    }
    Some(
        object
            .get("required")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect(),
    )
}

/// `schema` without its `oneOf`/`anyOf` (so [`build`] builds the object's own properties).
fn strip_unions(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Some(object) = schema.as_object_mut() {
        object.remove("oneOf");
        object.remove("anyOf");
    }
    schema
}

fn set(body: &mut Value, path: &[String], value: Value) {
    let mut slot = body;
    for name in path {
        if !slot.is_object() {
            *slot = json!({});
        }
        slot = slot
            .as_object_mut()
            .map(|object| object.entry(name.clone()).or_insert(json!({})))
            .unwrap_or_else(|| unreachable!("made an object above"));
    }
    *slot = value;
}

/// Every request example and every union variant of every JSON request body.
fn cases() -> Vec<Case> {
    let doc = spec();
    let mut cases = Vec::new();
    for op in anam::spec::OPERATIONS {
        let Some(node) = operation_node(&doc, op.id) else {
            continue;
        };
        let Some(media) = node.pointer("/requestBody/content/application~1json") else {
            continue;
        };
        let mut examples = Vec::new();
        if let Some(example) = media.get("example") {
            examples.push(("example".to_string(), example.clone()));
        }
        for (name, example) in media["examples"].as_object().into_iter().flatten() {
            if let Some(value) = resolve(&doc, example).get("value") {
                examples.push((format!("examples.{name}"), value.clone()));
            }
        }
        let schema = &media["schema"];
        let base = examples
            .first()
            .map(|(_, value)| value.clone())
            .unwrap_or_else(|| build(&doc, schema, 0));
        for (label, body) in examples {
            cases.push(Case { op, label, body });
        }
        let mut found = Vec::new();
        unions(
            &doc,
            schema,
            &mut Vec::new(),
            &mut found,
            &mut BTreeSet::new(),
        );
        for (path, name, value) in found {
            let mut body = base.clone();
            set(&mut body, &path, value);
            cases.push(Case {
                op,
                label: format!("{} = {name}", path.join(".")),
                body,
            });
        }
    }
    cases
}

/// JSON equality with numbers compared by value (`1` and `1.0` are the same number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The command words that send `op`'s JSON body.
fn command(op: &anam::spec::Operation) -> Option<Vec<String>> {
    let method = op
        .facade_methods
        .iter()
        .find(|m| m.media_type == "application/json")?;
    let kebab = |name: &str| name.replace('_', "-");
    let mut args = vec![kebab(method.sub_client), kebab(method.method)];
    for parameter in op.path_parameters {
        args.push(if parameter.uuid {
            ID.into()
        } else {
            "item-1".into()
        });
    }
    args.extend(["--body-file".into(), "-".into(), "--json".into()]);
    if op.method == anam::spec::Method::Delete {
        args.push("--yes".into());
    }
    Some(args)
}

#[test]
fn every_request_example_and_union_variant_survives_the_library_body_types() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let bytes = case.body.to_string();
        let Some((name, result)) =
            anam::raw::spec_table::check_request_body(case.op.id, bytes.as_bytes())
        else {
            failures.push(format!("{}: no JSON body type", case.op.id));
            continue;
        };
        match result {
            Ok(again) if same(&again, &case.body) => {}
            Ok(again) => failures.push(format!(
                "{} ({}) as {name}: given {}\n  sent again {again}",
                case.op.id, case.label, case.body
            )),
            Err(error) => failures.push(format!(
                "{} ({}) as {name}: does not decode: {error}",
                case.op.id, case.label
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_example_and_union_variant_arrives_as_given_through_the_binary() {
    let cases = cases();
    let operations: BTreeSet<&str> = cases.iter().map(|c| c.op.id).collect();
    assert!(cases.len() > 40, "only {} cases", cases.len());
    assert!(operations.contains("createSessionToken"));
    assert!(
        cases
            .iter()
            .any(|c| c.label.contains("ServerWebhookToolConfig")),
        "the tool config variants are covered"
    );
    let failures: Vec<String> = futures_util::stream::iter(cases)
        .map(|case| async move {
            let args = command(case.op)?;
            let server = Scripted::start(vec![Reply::json(200, json!({}))]).await;
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            let input = case.body.to_string();
            let run = anam_with_input(&words, Some(input.as_bytes()), Some(&server.base_url)).await;
            let requests = server.requests();
            let arrived = requests
                .first()
                .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap_or(Value::Null));
            match arrived {
                Some(arrived) if same(&arrived, &case.body) => None,
                Some(arrived) => Some(format!(
                    "{} ({}): sent {}\n  arrived {arrived}",
                    case.op.id, case.label, case.body
                )),
                None => Some(format!(
                    "{} ({}): nothing sent (exit {}): {}",
                    case.op.id, case.label, run.code, run.stderr
                )),
            }
        })
        .buffer_unordered(6)
        .filter_map(|failure| async move { failure })
        .collect()
        .await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
