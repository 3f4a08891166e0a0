use super::*;

#[test]
fn every_method_name_maps_back_to_its_operation() {
    for op in OPERATIONS {
        assert_eq!(
            operation_by_method(op.rust_method).map(|o| o.id),
            Some(op.id)
        );
    }
    assert_eq!(
        operation("getSessionTranscript").map(|op| op.rust_method),
        Some("get_session_transcript")
    );
    assert_eq!(Operation::GET_SESSION_TRANSCRIPT.id, "getSessionTranscript");
}

#[test]
fn paths_are_filled_with_encoded_segments() {
    let upload = Operation::UPLOAD_KNOWLEDGE_GROUP_DOCUMENT;
    assert_eq!(
        upload.fill_path(&[("id", "g 1/2")]).as_deref(),
        Some("/v1/knowledge/groups/g%201%2F2/documents")
    );
    assert_eq!(upload.fill_path(&[]), None);
}

#[test]
fn segments_are_encoded_whole_and_dot_segments_refused() {
    assert_eq!(
        encode_path_segment(r"a/b\c?d#e%f g"),
        "a%2Fb%5Cc%3Fd%23e%25f%20g"
    );
    assert_eq!(encode_path_segment("Ünï"), "%C3%9Cn%C3%AF");
    let get = Operation::GET_PERSONA;
    assert_eq!(check_request_path(get, "/v1/personas/p%2F1"), Ok(()));
    assert_eq!(check_request_path(get, "/proxy/v1/personas/p1"), Ok(()));
    for resolved in ["/v1/personas/", "/v1/", "/v1/personas/a/b", "/"] {
        let error = check_request_path(get, resolved).unwrap_err();
        assert!(error.starts_with("parameter `id` must not be"), "{error}");
    }
    let search = Operation::SEARCH_KNOWLEDGE_GROUP;
    let error = check_request_path(search, "/v1/knowledge/search").unwrap_err();
    assert!(
        error.contains("/v1/knowledge/groups/{id}/search"),
        "{error}"
    );
}

/// The straightforward encoding the fast one must equal.
fn encoded_one_byte_at_a_time(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn the_fast_encoding_and_path_check_agree_with_the_plain_ones() {
    let values = [
        "",
        "a",
        "%",
        "00000000-0000-0000-0000-000000000000",
        "a b",
        " a",
        "a ",
        "Ünï",
        "ü",
        "aü",
        "üa",
        "a/b/../c",
        "~._-",
        "€100",
        "日本",
        "x\\y",
        "..",
        ".",
        "a%2F",
    ];
    for value in values {
        assert_eq!(
            encode_path_segment(value),
            encoded_one_byte_at_a_time(value),
            "{value:?}"
        );
    }
    // The path check, against the `rsplit` it replaces, on every operation and on paths
    // with too few, too many, empty and changed segments.
    let reference = |operation: &Operation, path: &str| {
        let mut actual = path.rsplit('/');
        let mut refused = false;
        for expected in operation.path.rsplit('/').take_while(|s| !s.is_empty()) {
            let segment = actual.next();
            refused |= match expected.strip_prefix('{') {
                Some(_) => segment.is_none_or(str::is_empty),
                None => segment != Some(expected),
            };
        }
        refused
    };
    for operation in OPERATIONS {
        let filled: Vec<(&str, &str)> = operation
            .path_parameters
            .iter()
            .map(|p| (p.name, "Q9Q"))
            .collect();
        let good = operation.fill_path(&filled).unwrap_or_default();
        let mut paths = vec![
            good.clone(),
            format!("/proxy{good}"),
            format!("{good}/"),
            format!("{good}/extra"),
            good.replace("Q9Q", ""),
            good.replacen('/', "", 1),
            good.trim_start_matches('/').to_string(),
            String::new(),
            "/".to_string(),
            "v1".to_string(),
        ];
        if let Some((head, _)) = good.rsplit_once('/') {
            paths.push(head.to_string());
        }
        for path in &paths {
            assert_eq!(
                check_request_path(operation, path).is_err(),
                reference(operation, path),
                "{} {path:?}",
                operation.id
            );
        }
        assert_eq!(check_request_path(operation, &good), Ok(()), "{good}");
    }
}

#[test]
fn routes_decode_values_and_refuse_bad_escapes() {
    assert_eq!(decode_segment("a%2Fb%20%C3%9C"), Some("a/b Ü".to_string()));
    assert_eq!(decode_segment("a%2"), None);
    assert_eq!(decode_segment("a%zz"), None);
    assert_eq!(decode_segment("%FF"), None);
    assert!(route(Method::Get, "/v1/personas/%2E%2E").is_none());
    // Empty segments are not values: a trailing slash is the collection.
    let (list, values) = route(Method::Get, "/v1/personas/").unwrap();
    assert_eq!((list.id, values.len()), ("listPersonas", 0));
    assert!(route(Method::Get, "/v1/sessions/not-a-uuid/transcript").is_none());
    let (op, values) = route(Method::Get, "/v1/personas/p1?x=1").unwrap();
    assert_eq!(
        (op.id, values),
        ("getPersona", vec![("id", "p1".to_string())])
    );
    assert_eq!("DELETE".parse(), Ok(Method::Delete));
}

#[test]
fn only_the_engine_session_start_documents_a_session_limit() {
    let starting: Vec<&str> = OPERATIONS
        .iter()
        .filter(|op| op.starts_session())
        .map(|op| op.id)
        .collect();
    assert_eq!(starting, ["createEngineSession"]);
}

#[test]
fn a_uuid_is_its_own_encoding() {
    // The `path-segments` rule writes `Uuid` parameters into URLs without the encoder.
    for id in [
        uuid::Uuid::nil(),
        uuid::Uuid::max(),
        uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
    ] {
        assert_eq!(encode_path_segment(&id.to_string()), format!("{id}"));
    }
}
