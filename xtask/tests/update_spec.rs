//! `cargo xtask update-spec` end to end, on temporary copies of `openapi/` (and the pinned test)
//! and local files only, without the build check (`update_spec_build.rs` has the two tests that
//! run it).

mod support;

use serde_json::{Value, json};
use support::{TempRoot, sha256, stderr, stdout, vendored_doc, xtask};

/// The vendored spec without `deleteVoice` and with a new optional `tag` query parameter on
/// `listVoices`, pretty-printed so its bytes differ from any re-serialisation.
fn mutated_spec() -> Vec<u8> {
    let mut doc = vendored_doc();
    doc.pointer_mut("/paths/~1v1~1voices~1{id}")
        .and_then(Value::as_object_mut)
        .expect("the voice path item")
        .remove("delete");
    doc.pointer_mut("/paths/~1v1~1voices/get/parameters")
        .and_then(Value::as_array_mut)
        .expect("listVoices parameters")
        .push(json!({"in": "query", "name": "tag", "schema": {"type": "string"}}));
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("JSON");
    bytes.extend_from_slice(b"\n\n");
    bytes
}

const EXPECTED_CHANGES: &str = "\
API changes (7):
BREAKING removed operation deleteVoice
BREAKING removed method Voices::delete (operation deleteVoice)
BREAKING removed mock helper MockServerExt::delete_voice (operation deleteVoice; feature mock)
BREAKING removed command `anam voices delete` (operation deleteVoice; breaks CLI users)
ADDITIVE added optional parameter listVoices.tag: String
ADDITIVE added optional `--tag` to `anam voices list`
BREAKING removed type DeleteVoiceResponse
hand-written code: not checked (--skip-build-check)
";

#[test]
fn update_spec_vendors_the_file_byte_for_byte_and_rewrites_the_surface_and_pins() {
    let root = TempRoot::new("update");
    let source = root.write("candidate.json", &mutated_spec());
    let old_surface = std::fs::read_to_string(root.join("openapi/surface.txt")).unwrap();
    let old_sha = sha256(&std::fs::read(root.join("openapi/swagger.json")).unwrap());

    let output = xtask(&[
        "update-spec",
        "--skip-build-check",
        "--date",
        "2030-01-02",
        "--root",
        root.path().to_str().unwrap(),
        "--from",
        source.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));

    let written = std::fs::read(root.join("openapi/swagger.json")).unwrap();
    assert!(
        written == std::fs::read(&source).unwrap(),
        "the spec is not byte-identical"
    );

    let report = stdout(&output);
    assert!(report.contains(EXPECTED_CHANGES), "{report}");
    assert!(report.contains("\n- [error-responses] "), "{report}");
    assert!(
        report.ends_with("\nsuggested version bump: major\n"),
        "{report}"
    );
    assert_eq!(report.matches("suggested version bump").count(), 1);
    // The CHANGELOG entry, just before the bump: the removals under Removed, marked breaking,
    // the new parameter under Added.
    let entry = format!(
        "\nCHANGELOG entry (paste under ## [Unreleased]):\n\
         ### Changed\n\
         - Anam OpenAPI spec updated (sha256 {} -> {}).\n\
         ### Removed\n\
         - **Breaking:** removed operation deleteVoice\n\
         - **Breaking:** removed method Voices::delete (operation deleteVoice)\n\
         - **Breaking:** removed mock helper MockServerExt::delete_voice (operation \
         deleteVoice; feature mock)\n\
         - **Breaking:** removed command `anam voices delete` (operation deleteVoice; breaks \
         CLI users)\n\
         - **Breaking:** removed type DeleteVoiceResponse\n\
         ### Added\n\
         - Added optional parameter listVoices.tag: String\n\
         - Added optional `--tag` to `anam voices list`\n\
         suggested version bump: major\n",
        &old_sha[..12],
        &sha256(&written)[..12]
    );
    assert!(report.ends_with(&entry), "{report}");

    let new_surface = std::fs::read_to_string(root.join("openapi/surface.txt")).unwrap();
    assert!(old_surface.contains("\noperation deleteVoice\n"));
    assert!(!new_surface.contains("\noperation deleteVoice\n"));
    assert!(!new_surface.contains("\ntype DeleteVoiceResponse:"));
    let list_voices = new_surface
        .split("\n\n")
        .find(|block| block.starts_with("operation listVoices\n"))
        .expect("a listVoices block");
    assert!(
        list_voices.contains("\n  param tag: String optional\n"),
        "{list_voices}"
    );
    let sha = sha256(&written);
    assert!(new_surface.contains(&format!("# spec sha256: {sha}\n")));

    // The pins: the README's date, operation count and sha256, the test's sha256 and date.
    let readme = root.read("openapi/README.md");
    assert!(
        readme.contains("as it stood on 2030-01-02\n  (56 operations; sha256 `"),
        "{readme}"
    );
    assert!(readme.contains(&format!("sha256 `{sha}`")), "{readme}");
    let pinned = root.read(support::SPEC_TEST_PATH);
    assert!(
        pinned.contains(&format!("const VENDORED_SHA256: &str = \"{sha}\";")),
        "{pinned}"
    );
    assert!(pinned.contains("as vendored on 2030-01-02 "), "{pinned}");
    assert!(!readme.contains(&old_sha) && !pinned.contains(&old_sha));
    let written_list = stderr(&output);
    for path in ["openapi/README.md", support::SPEC_TEST_PATH] {
        assert!(written_list.contains(path), "{written_list}");
    }

    // The surface update-spec wrote is the one `surface` generates from the vendored file.
    let check = xtask(&[
        "surface",
        "--check",
        "--root",
        root.path().to_str().unwrap(),
    ]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
}

#[test]
fn dry_run_prints_the_report_and_writes_nothing() {
    let root = TempRoot::new("dry-run");
    let source = root.write("candidate.json", &mutated_spec());
    let before = root.pinned_hashes();
    let output = xtask(&[
        "update-spec",
        "--dry-run",
        "--skip-build-check",
        "--root",
        root.path().to_str().unwrap(),
        "--from",
        source.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains(EXPECTED_CHANGES));
    assert!(stderr(&output).contains("dry run: nothing written"));
    assert_eq!(root.pinned_hashes(), before);
}

#[test]
fn unusable_candidates_are_refused_and_nothing_is_written() {
    let root = TempRoot::new("refused");
    let mut schemaless = vendored_doc();
    *schemaless
        .pointer_mut("/paths/~1v1~1voices/get/responses/200/content/application~1json")
        .expect("the listVoices JSON response") = json!({});
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "html.json",
            b"<html>offline</html>".to_vec(),
            "not valid JSON",
        ),
        (
            "swagger2.json",
            br#"{"swagger": "2.0", "info": {}, "paths": {}}"#.to_vec(),
            "not an OpenAPI 3.x document (Swagger 2.0)",
        ),
        (
            "schemaless.json",
            serde_json::to_vec(&schemaless).unwrap(),
            "progenitor panicked on the spec",
        ),
        ("missing.json", Vec::new(), "cannot read"),
    ];
    let before = root.pinned_hashes();
    for (name, bytes, reason) in cases {
        let source = if name == "missing.json" {
            root.join(name)
        } else {
            root.write(name, &bytes)
        };
        let output = xtask(&[
            "update-spec",
            "--root",
            root.path().to_str().unwrap(),
            "--from",
            source.to_str().unwrap(),
        ]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{name}: {message}");
        assert!(message.starts_with("error: "), "{name}: {message}");
        assert!(message.contains(reason), "{name}: {message}");
        assert!(
            !message.contains("panicked at"),
            "{name}: a raw panic message: {message}"
        );
        assert!(stdout(&output).is_empty(), "{name}: a report was printed");
        assert_eq!(
            root.pinned_hashes(),
            before,
            "{name}: something was written"
        );
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        &["update-spec", "--from"][..],
        &["update-spec", "--bogus"][..],
        &["surface", "--check", "--check"][..],
        &["update-spec", "--date", "yesterday"][..],
        &["nonsense"][..],
    ] {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("usage: cargo xtask"), "{args:?}");
    }
}
