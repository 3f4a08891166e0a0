use super::*;

/// What `cargo check --message-format=json` printed for `tests/api/coverage.rs` once
/// `deleteVoice` was gone from the spec (its long explanation left out), and the same
/// error reported for a second target, a warning and a summary line.
const CAPTURED: &str = concat!(
    r#"{"reason":"compiler-message","package_id":"path+file:///t/update-spec-check/candidate#anam@0.1.0","manifest_path":"/t/update-spec-check/candidate/Cargo.toml","target":{"kind":["test"],"crate_types":["bin"],"name":"api","src_path":"/t/update-spec-check/candidate/tests/api/main.rs","edition":"2024","required-features":["mock","cli"],"doc":false,"doctest":false,"test":true},"message":{"rendered":"error[E0599]: no method named `delete` found for struct `Voices<'a>` in the current scope\n   --> tests/api/coverage.rs:117:12\n","$message_type":"diagnostic","children":[],"level":"error","message":"no method named `delete` found for struct `Voices<'a>` in the current scope","spans":[{"byte_end":3929,"byte_start":3923,"column_end":18,"column_start":12,"expansion":null,"file_name":"tests/api/coverage.rs","is_primary":true,"label":"method not found in `Voices<'_>`","line_end":117,"line_start":117,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}],"code":{"code":"E0599","explanation":null}}}"#,
    "\n",
    r#"{"reason":"compiler-message","target":{"kind":["example"],"name":"transcript"},"message":{"level":"error","message":"no method named `delete` found for struct `Voices<'a>` in the current scope","spans":[{"column_start":12,"expansion":null,"file_name":"tests/api/coverage.rs","is_primary":true,"line_start":117}]}}"#,
    "\n",
    r#"{"reason":"compiler-message","target":{"kind":["lib"],"name":"anam"},"message":{"level":"warning","message":"unused import","spans":[{"column_start":1,"file_name":"src/lib.rs","is_primary":true,"line_start":3}]}}"#,
    "\n",
    r#"{"reason":"compiler-message","target":{"kind":["lib"],"name":"anam"},"message":{"level":"error","message":"cannot find type `Gone` in module `types`","spans":[{"column_start":9,"expansion":null,"file_name":"/t/target/debug/build/anam-1/out/anam_generated.rs","is_primary":true,"line_start":40}]}}"#,
    "\n",
    r#"{"reason":"compiler-message","target":{"kind":["test"],"name":"api"},"message":{"level":"error","message":"aborting due to 1 previous error","spans":[]}}"#,
    "\n",
    r#"{"reason":"build-finished","success":false}"#,
    "\n",
    "not json\n",
);

#[test]
fn errors_are_parsed_deduplicated_and_mapped_into_the_workspace() {
    let errors = parse(
        CAPTURED,
        Path::new("/t/update-spec-check/candidate"),
        Path::new("/t/target"),
    );
    assert_eq!(
        errors,
        [
            RawError {
                file: "$OUT_DIR/anam_generated.rs".into(),
                line: 40,
                column: 9,
                message: "cannot find type `Gone` in module `types`".into(),
                targets: vec!["lib anam".into()],
            },
            RawError {
                file: "tests/api/coverage.rs".into(),
                line: 117,
                column: 12,
                message:
                    "no method named `delete` found for struct `Voices<'a>` in the current scope"
                        .into(),
                targets: vec!["test api".into(), "example transcript".into()],
            },
        ]
    );
    for error in &errors {
        assert_eq!(
            RawError::from_cache_line(&error.to_cache_line()).as_ref(),
            Some(error)
        );
    }
}

#[test]
fn a_macro_error_is_placed_where_the_workspace_expands_it() {
    let diagnostic: Value = serde_json::from_str(
            r#"{"spans":[{"is_primary":true,"file_name":"/registry/tokio-macros/src/lib.rs","line_start":5,"column_start":1,
               "expansion":{"span":{"file_name":"tests/api/raw.rs","line_start":30,"column_start":3,"expansion":null}}}]}"#,
        )
        .unwrap();
    assert_eq!(
        location(&diagnostic, Path::new("/w"), Path::new("/w/target")),
        Some(("tests/api/raw.rs".into(), 30, 3))
    );
}

#[test]
fn enrich_names_the_enclosing_item_and_the_missing_name() {
    let source = "\
//! Tests.

#[tokio::test]
async fn every_operation() {
    let voices = anam.voices();
    voices.delete(ID).await.unwrap();
}

impl<'a> Voices<'a> {
    pub fn clone_from_audio(&self) {
        let _ = Operation::CREATE_VOICE;
    }
}

mod nested {
    fn inner() {
        gone();
    }
}
";
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("tests/api/coverage.rs"),
        source.as_bytes().to_vec(),
    );
    let raw = |line: usize, message: &str| RawError {
        file: "tests/api/coverage.rs".into(),
        line,
        column: 5,
        message: message.into(),
        targets: vec!["test api".into()],
    };
    let errors = enrich(
        vec![
            raw(
                6,
                "no method named `delete` found for struct `Voices<'a>` in the current scope",
            ),
            raw(
                11,
                "no associated item named `CREATE_VOICE` found for struct `anam::spec::Operation` in the current scope",
            ),
            raw(17, "cannot find function `gone` in this scope"),
            raw(1, "mismatched types"),
        ],
        &files,
    );
    let described: Vec<(Option<&str>, Option<&str>)> = errors
        .iter()
        .map(|e| (e.item.as_deref(), e.missing.as_deref()))
        .collect();
    assert_eq!(
        described,
        [
            (Some("every_operation"), Some("Voices::delete")),
            (
                Some("Voices::clone_from_audio"),
                Some("anam::spec::Operation::CREATE_VOICE")
            ),
            (Some("nested::inner"), Some("gone")),
            (None, None),
        ]
    );
    assert_eq!(
        errors[0].to_string(),
        "tests/api/coverage.rs:6:5 in every_operation (test api): missing Voices::delete: \
             no method named `delete` found for struct `Voices<'a>` in the current scope"
    );
}

#[test]
fn missing_names_follow_the_message() {
    for (message, expected) in [
        (
            "no method named `x` found for reference `&Voices<'_>` in the current scope",
            Some("Voices::x"),
        ),
        (
            "cannot find type `DeleteVoiceResponse` in module `anam::types`",
            Some("anam::types::DeleteVoiceResponse"),
        ),
        ("cannot find value `x` in this scope", Some("x")),
        ("no field `accent` on type `Voice`", Some("Voice.accent")),
        (
            "struct `CreateVoiceBody` has no field named `audio`",
            Some("CreateVoiceBody.audio"),
        ),
        (
            "unresolved import `anam::types::Gone`",
            Some("anam::types::Gone"),
        ),
        (
            "failed to resolve: could not find `Gone` in `types`",
            Some("types::Gone"),
        ),
        ("mismatched types", None),
    ] {
        assert_eq!(missing_name(message).as_deref(), expected, "{message}");
    }
}
