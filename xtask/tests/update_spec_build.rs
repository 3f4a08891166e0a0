//! `cargo xtask update-spec` with its build check, on whole copies of the workspace: the only
//! tests that run a real `cargo check` of a scratch copy (they share this binary's target
//! directory, so only the workspace's own crates are checked).

mod support;

use serde_json::{Value, json};
use support::{TempRoot, sha256, stderr, stdout, vendored_doc, xtask};

/// The date the tests write into the pins.
const DATE: &str = "2030-01-02";

/// The hand-written call of the facade method `deleteVoice` generates: its file, its line and
/// the function around it, read from the test file itself so edits there do not break this.
fn delete_voice_call() -> (&'static str, usize, String) {
    const FILE: &str = "tests/api/coverage.rs";
    let text = std::fs::read_to_string(support::repo_root().join(FILE)).expect("coverage.rs");
    let lines: Vec<&str> = text.lines().collect();
    let index = lines
        .iter()
        .position(|line| line.contains("voices.delete(ID)"))
        .expect("coverage.rs calls voices.delete(ID)");
    let function = lines[..index]
        .iter()
        .rev()
        .find_map(|line| {
            let (_, after) = line.split_once("fn ")?;
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .expect("a function around the call");
    (FILE, index + 1, function)
}

/// One candidate with both kinds of change, so one check of the scratch copy covers both:
/// `deleteVoice` removed while `tests/api/coverage.rs` still calls its method, and
/// `getVoicePreview` added, whose generated method, mock helper and command must compile with
/// every feature on (the report lists exactly one place to fix, the removal's). The one error
/// names the removed method, so the vendored spec is not checked. Until 2026-12-07 these were
/// two tests and three checks of the whole workspace, a third of CI's test step; until the
/// fourth session of that day, two checks.
#[test]
fn an_added_operation_compiles_and_a_removed_one_still_called_is_refused_until_forced() {
    let root = TempRoot::workspace("update-build");
    let mut doc = vendored_doc();
    let mut preview = doc
        .pointer("/paths/~1v1~1voices~1{id}/get")
        .expect("getVoice")
        .clone();
    preview["operationId"] = json!("getVoicePreview");
    preview["summary"] = json!("get voice preview");
    doc["paths"]
        .as_object_mut()
        .expect("paths")
        .insert("/v1/voices/{id}/preview".into(), json!({ "get": preview }));
    doc.pointer_mut("/paths/~1v1~1voices~1{id}")
        .and_then(Value::as_object_mut)
        .expect("the voice path item")
        .remove("delete");
    let mut candidate = serde_json::to_vec_pretty(&doc).unwrap();
    candidate.push(b'\n');
    let source = root.write("candidate.json", &candidate);
    let root_arg = root.path().to_str().unwrap();
    let before = root.pinned_hashes();

    let output = xtask(&[
        "update-spec",
        "--root",
        root_arg,
        "--from",
        source.to_str().unwrap(),
    ]);
    let (report, log) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{report}{log}");
    for change in [
        "ADDITIVE added operation getVoicePreview\n",
        "ADDITIVE added method Voices::get_voice_preview (operation getVoicePreview)\n",
        "ADDITIVE added mock helper MockServerExt::get_voice_preview (operation \
         getVoicePreview; feature mock, sealed trait)\n",
        "ADDITIVE added command `anam voices get-voice-preview` (operation getVoicePreview)\n",
        "\nBREAKING removed method Voices::delete (operation deleteVoice)\n",
    ] {
        assert!(report.contains(change), "{change}\n{report}");
    }
    let (file, line, function) = delete_voice_call();
    let broken = format!(
        "\nhand-written code to fix before vendoring (1; the maintainer's work, not counted in \
         the bump):\n\
         TO FIX   {file}:{line}:"
    );
    assert!(report.contains(&broken), "{report}\n{log}");
    assert!(
        report.contains(&format!(
            " in {function} (test api): missing Voices::delete: no method named `delete`"
        )),
        "{report}"
    );
    assert!(
        report.ends_with("\nsuggested version bump: major\n"),
        "{report}"
    );
    assert!(log.contains("error: not vendored: 1 place(s)"), "{log}");
    assert!(
        log.contains("each naming something it removes; the vendored spec has them all"),
        "{log}"
    );
    assert!(!log.contains("build check (vendored)"), "{log}");
    assert!(log.contains("--force"), "{log}");
    assert_eq!(root.pinned_hashes(), before, "something was written");

    // --force vendors it, says what to fix, and reuses the check it just ran.
    let output = xtask(&[
        "update-spec",
        "--force",
        "--date",
        DATE,
        "--root",
        root_arg,
        "--from",
        source.to_str().unwrap(),
    ]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("reusing its result"), "{log}");
    assert!(
        log.contains(&format!(
            "vendored anyway (--force); this hand-written code must be fixed:\n  {file}:{line}:"
        )),
        "{log}"
    );
    let written = std::fs::read(root.join("openapi/swagger.json")).unwrap();
    assert!(written == candidate, "the spec is not byte-identical");

    // Every pin now names the new spec.
    let sha = sha256(&candidate);
    let readme = root.read("openapi/README.md");
    assert!(
        readme.contains(&format!(
            "as it stood on {DATE}\n  (57 operations; sha256 `{sha}`"
        )),
        "{readme}"
    );
    let pinned = root.read(support::SPEC_TEST_PATH);
    assert!(
        pinned.contains(&format!(
            "as vendored on {DATE} (both rewritten by\n// `cargo xtask update-spec`).\n\
             const VENDORED_SHA256: &str = \"{sha}\";\n"
        )),
        "{pinned}"
    );
    let surface = root.read("openapi/surface.txt");
    assert!(surface.contains(&format!("# spec sha256: {sha}\n")));
    assert!(
        surface.contains("  mock: MockServerExt::get_voice_preview(operations::GetVoicePreviewWhen, operations::GetVoicePreviewThen)\n"),
        "the surface lists the new mock helper"
    );
    let check = xtask(&["surface", "--check", "--root", root_arg]);
    assert!(check.status.success(), "{}", stdout(&check));
}
