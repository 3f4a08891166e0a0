//! `cargo xtask update-spec` end to end, on temporary copies of `openapi/` (and the pinned test)
//! and local files only, without the build check (`update_spec_build.rs` has the test that runs
//! it), and `cargo xtask fixtures`.

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
    assert!(
        report.contains("\ncompared with: openapi/surface.txt as checked in (what users have)\n"),
        "{report}"
    );
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
    let module = root.read(support::SPEC_MODULE_PATH);
    assert!(
        module.contains(&format!("pub const SPEC_SHA256: &str = \"{sha}\";"))
            && module.contains("pub const SPEC_DATE: &str = \"2030-01-02\";"),
        "{module}"
    );
    let written_list = stderr(&output);
    for path in [
        "openapi/README.md",
        support::SPEC_TEST_PATH,
        support::SPEC_MODULE_PATH,
    ] {
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

/// `openapi/surface.txt` as of da46caf, before today's pipeline change: union variants then
/// `Variant0 {..}`, request fields without a spec default not yet `Option<_>`, no `extra` field.
const SURFACE_BEFORE_THE_PIPELINE_CHANGE: &str = include_str!("fixtures/surface-da46caf.txt");

/// `update-spec --dry-run --skip-build-check` on `root`, the candidate being its own vendored
/// spec (so only the pipeline can have changed); its report.
fn same_spec_report(root: &TempRoot) -> String {
    let vendored = root.join("openapi/swagger.json");
    let before = root.pinned_hashes();
    let output = xtask(&[
        "update-spec",
        "--dry-run",
        "--skip-build-check",
        "--root",
        root.path().to_str().unwrap(),
        "--from",
        vendored.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("dry run: nothing written"));
    assert_eq!(root.pinned_hashes(), before);
    stdout(&output)
}

#[test]
fn a_pipeline_change_is_classified_against_the_checked_in_surface() {
    let root = TempRoot::new("pipeline-change");
    root.write(
        "openapi/surface.txt",
        SURFACE_BEFORE_THE_PIPELINE_CHANGE.as_bytes(),
    );
    let sha = sha256(&std::fs::read(root.join("openapi/swagger.json")).unwrap());
    let report = same_spec_report(&root);
    assert!(
        report.starts_with(&format!(
            "spec sha256: {sha} (unchanged)\n\
             compared with: openapi/surface.txt as checked in (what users have)\n\
             API changes ("
        )),
        "{report}"
    );
    for line in [
        "BREAKING removed variant CreateToolBodyConfig::Variant2",
        "ADDITIVE added variant CreateToolBodyConfig::ServerWebhookToolConfig\
         (ServerWebhookToolConfig) (non-exhaustive enum)",
        // Every generated type is #[non_exhaustive] now.
        "BREAKING enum CreateToolBodyConfig is now non-exhaustive",
        "BREAKING struct Voice can no longer be built with a struct literal",
        "ADDITIVE added type ServerWebhookToolConfig: struct (no struct literal)",
        "BREAKING removed type CreateToolBodyConfigVariant2Method",
        // Request fields without a spec default, and optional collections, became `Option<_>`.
        "BREAKING changed field CreatePersonaBody.tool_ids: Vec<String> -> Option<Vec<String>>",
        "BREAKING changed field CreateEngineSessionBody.persona_config: \
         serde_json::Map<String, serde_json::Value> -> \
         Option<serde_json::Map<String, serde_json::Value>>",
        // Request types gained `extra`.
        "BREAKING added field CreateAvatarBody.extra: \
         serde_json::Map<String, serde_json::Value> optional",
    ] {
        assert!(report.contains(&format!("\n{line}\n")), "{line}\n{report}");
    }
    // Same spec, same pipeline on both sides of the notes.
    assert!(
        report.contains("\nnormalisation notes: unchanged\n"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "\nCHANGELOG entry (paste under ## [Unreleased]):\n\
             ### Changed\n\
             - Generated API changed by the code generator; the Anam OpenAPI spec is unchanged \
             (sha256 {}).\n",
            &sha[..12]
        )),
        "{report}"
    );
    assert!(
        report.contains("\n- **Breaking:** removed variant CreateToolBodyConfig::Variant2\n"),
        "{report}"
    );
    assert!(
        report.ends_with("\nsuggested version bump: major\n"),
        "{report}"
    );
}

#[test]
fn with_an_up_to_date_surface_file_the_vendored_spec_changes_nothing() {
    let root = TempRoot::new("pipeline-unchanged");
    let sha = sha256(&std::fs::read(root.join("openapi/swagger.json")).unwrap());
    assert_eq!(
        same_spec_report(&root),
        format!(
            "spec sha256: {sha} (unchanged)\n\
             compared with: openapi/surface.txt as checked in (what users have)\n\
             API changes: none\n\
             hand-written code: not checked (--skip-build-check)\n\
             normalisation notes: unchanged\n\
             suggested version bump: patch\n"
        )
    );
}

#[test]
fn without_a_usable_surface_file_the_old_side_is_regenerated_and_the_report_says_so() {
    let missing = TempRoot::new("surface-missing");
    std::fs::remove_file(missing.join("openapi/surface.txt")).unwrap();
    let report = same_spec_report(&missing);
    assert!(
        report.contains(
            "\ncompared with: what the current pipeline generates from openapi/swagger.json, \
             not openapi/surface.txt (openapi/surface.txt is missing); a change of the pipeline \
             itself is not classified\nAPI changes: none\n"
        ),
        "{report}"
    );

    // A stale file that does not parse either: the pipeline change goes unseen.
    let unparsable = TempRoot::new("surface-unparsable");
    let broken = SURFACE_BEFORE_THE_PIPELINE_CHANGE.replacen("  route: ", "  rout: ", 1);
    unparsable.write("openapi/surface.txt", broken.as_bytes());
    let report = same_spec_report(&unparsable);
    assert!(
        report.contains(
            "(openapi/surface.txt does not parse: line 22: expected `  route: <METHOD> <path>`, \
             found `  rout: DELETE /v1/meetings/invites/{id}`)"
        ),
        "{report}"
    );
    assert!(report.contains("\nAPI changes: none\n"), "{report}");

    // With the mutated spec, the same changes as against the checked-in file.
    let source = missing.write("candidate.json", &mutated_spec());
    let output = xtask(&[
        "update-spec",
        "--dry-run",
        "--skip-build-check",
        "--root",
        missing.path().to_str().unwrap(),
        "--from",
        source.to_str().unwrap(),
    ]);
    assert!(
        stdout(&output).contains(EXPECTED_CHANGES),
        "{}",
        stdout(&output)
    );
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
        // clap's message: the usage line, or where to find it.
        let err = stderr(&output);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(
            err.contains("Usage: cargo xtask") || err.contains("try '--help'"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn fixtures_writes_each_single_change_spec_with_its_bump() {
    let root = TempRoot::new("fixtures");
    let dir = root.join("fixtures");
    let output = xtask(&["fixtures", dir.to_str().unwrap()]);
    let listed = stdout(&output);
    assert!(output.status.success(), "{}", stderr(&output));
    let vendored = vendored_doc();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 11, "{listed}");
    for line in lines {
        let (name, bump) = line.split_once(' ').expect("name and bump");
        assert!(["Major", "Minor", "Patch"].contains(&bump), "{line}");
        let text = std::fs::read(dir.join(format!("{name}.json"))).expect(name);
        let doc: Value = serde_json::from_slice(&text).expect(name);
        assert_ne!(doc, vendored, "{name} changes nothing");
    }
    assert!(listed.contains("removed-operation Major\n"), "{listed}");
    assert!(listed.contains("new-response-field Minor\n"), "{listed}");
}
