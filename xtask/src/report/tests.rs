use super::*;

fn compile_error(file: &str, item: Option<&str>, missing: Option<&str>) -> CompileError {
    CompileError {
        file: file.into(),
        line: 117,
        column: 12,
        message: "no method named `delete` found for struct `Voices<'a>` in the current scope"
            .into(),
        targets: vec!["test api".into()],
        item: item.map(String::from),
        missing: missing.map(String::from),
    }
}

fn empty_report() -> Report {
    Report {
        old_sha256: "a".into(),
        new_sha256: "b".into(),
        changes: Vec::new(),
        notes_added: Vec::new(),
        notes_removed: Vec::new(),
        build: None,
        baseline: None,
    }
}

#[test]
fn broken_hand_written_code_has_its_own_section_and_does_not_raise_the_bump() {
    let report = empty_report().with_build(BuildCheck::Checked {
        broken: vec![compile_error(
            "tests/api/coverage.rs",
            Some("every_operation"),
            Some("Voices::delete"),
        )],
        preexisting: vec![compile_error("src/transcript/timing.rs", None, None)],
    });
    assert_eq!(report.bump(), Bump::Patch);
    assert_eq!(
        report.render(),
        "spec sha256: a -> b\n\
             API changes: none\n\
             hand-written code to fix before vendoring (1; the maintainer's work, not counted \
             in the bump):\n\
             TO FIX   tests/api/coverage.rs:117:12 in every_operation (test api): missing \
             Voices::delete: no method named `delete` found for struct `Voices<'a>` in the \
             current scope\n\
             compile errors the vendored spec has too, not counted (1):\n         \
             src/transcript/timing.rs:117:12 (test api): no method named `delete` found for \
             struct `Voices<'a>` in the current scope\n\
             normalisation notes: unchanged\n\
             suggested version bump: patch\n"
    );
    let clean = empty_report().with_build(BuildCheck::Checked {
        broken: Vec::new(),
        preexisting: Vec::new(),
    });
    assert_eq!(clean.bump(), Bump::Patch);
    assert!(clean.render().contains(
        "hand-written code: compiles against the candidate (cargo check --workspace \
             --all-targets --all-features)\n"
    ));
    let work_in_progress = empty_report().with_build(BuildCheck::Checked {
        broken: Vec::new(),
        preexisting: vec![compile_error("src/transcript/timing.rs", None, None)],
    });
    assert_eq!(work_in_progress.bump(), Bump::Patch);
    assert!(
        work_in_progress
            .render()
            .contains("hand-written code: the candidate breaks nothing that compiles")
    );
    let skipped = empty_report().with_build(BuildCheck::Skipped);
    assert!(skipped.render().contains("hand-written code: not checked"));
}

fn change(class: Class, text: &str) -> Change {
    Change {
        class,
        text: text.into(),
    }
}

#[test]
fn changelog_entry_sorts_changes_into_keep_a_changelog_sections() {
    let changes = [
        change(Class::Breaking, "removed operation deleteVoice"),
        change(Class::Docs, "changed doc of operation getSession"),
        change(
            Class::Breaking,
            "changed field Session.id: Option<String> -> Option<i64>",
        ),
        change(
            Class::Additive,
            "added optional parameter listVoices.tag: String",
        ),
        change(Class::Breaking, "removed type DeleteVoiceResponse"),
        change(
            Class::Additive,
            "operation getVoice is now generated: Client::get_voice()",
        ),
    ];
    let old = "0fa5986fa4740ba7c8e4197adac522697f5d632388445cd36ef3667d9910ab36";
    let new = "e39ddda474beb067aeaa2a4bf674dac1713ac708a29b8b3a40b91912a7f39a70";
    assert_eq!(
        changelog_entry(&changes, old, new),
        "### Changed\n\
             - Anam OpenAPI spec updated (sha256 0fa5986fa474 -> e39ddda474be).\n\
             - **Breaking:** changed field Session.id: Option\\<String> -> Option\\<i64>\n\
             - Documentation only: changed doc of operation getSession\n\
             ### Removed\n\
             - **Breaking:** removed operation deleteVoice\n\
             - **Breaking:** removed type DeleteVoiceResponse\n\
             ### Added\n\
             - Added optional parameter listVoices.tag: String\n\
             - Operation getVoice is now generated: Client::get_voice()\n"
    );
}

#[test]
fn changelog_entry_without_api_changes_is_the_spec_line_and_not_printed() {
    assert_eq!(
        changelog_entry(&[], "a", "b"),
        "### Changed\n- Anam OpenAPI spec updated (sha256 a -> b).\n"
    );
    let no_api_change = empty_report().render();
    assert!(!no_api_change.contains("CHANGELOG"), "{no_api_change}");
}

#[test]
fn a_pipeline_change_on_the_same_spec_says_so_in_the_changelog_entry() {
    let changes = [change(Class::Breaking, "removed type Variant0")];
    assert_eq!(
        changelog_entry(&changes, "0fa5986fa4740ba7", "0fa5986fa4740ba7"),
        "### Changed\n\
             - Generated API changed by the code generator; the Anam OpenAPI spec is unchanged \
             (sha256 0fa5986fa474).\n\
             ### Removed\n\
             - **Breaking:** removed type Variant0\n"
    );
}

#[test]
fn the_report_says_what_the_candidate_was_compared_with() {
    let checked_in = empty_report().with_baseline(Baseline::SurfaceFile).render();
    assert!(
        checked_in.starts_with(
            "spec sha256: a -> b\n\
                 compared with: openapi/surface.txt as checked in (what users have)\n\
                 API changes: none\n"
        ),
        "{checked_in}"
    );
    let regenerated = empty_report()
        .with_baseline(Baseline::Regenerated(
            "openapi/surface.txt is missing".into(),
        ))
        .render();
    assert!(
        regenerated.contains(
            "\ncompared with: what the current pipeline generates from \
                 openapi/swagger.json, not openapi/surface.txt (openapi/surface.txt is missing); \
                 a change of the pipeline itself is not classified\n"
        ),
        "{regenerated}"
    );
    assert!(!empty_report().render().contains("compared with"));
}

#[test]
fn a_new_open_enum_value_that_breaks_the_crates_own_match_is_still_a_minor_release() {
    let report = Report {
        changes: vec![change(
            Class::Additive,
            "added variant TranscriptRole::System",
        )],
        ..empty_report()
    }
    .with_build(BuildCheck::Checked {
        broken: vec![compile_error("src/transcript/header.rs", None, None)],
        preexisting: Vec::new(),
    });
    assert_eq!(report.bump(), Bump::Minor);
    let rendered = report.render();
    assert!(
        rendered.contains("TO FIX   src/transcript/header.rs"),
        "{rendered}"
    );
    assert!(
        rendered.ends_with("suggested version bump: minor\n"),
        "{rendered}"
    );
}

#[test]
fn broken_hand_written_code_is_no_changelog_entry() {
    let report = Report {
        changes: vec![change(Class::Additive, "added type Tag: struct")],
        ..empty_report()
    }
    .with_build(BuildCheck::Checked {
        broken: vec![compile_error("tests/api/coverage.rs", None, None)],
        preexisting: Vec::new(),
    });
    let rendered = report.render();
    let entry = rendered
        .split_once("CHANGELOG entry (paste under ## [Unreleased]):\n")
        .expect("a CHANGELOG section")
        .1;
    assert_eq!(
        entry,
        "### Changed\n\
             - Anam OpenAPI spec updated (sha256 a -> b).\n\
             ### Added\n\
             - Added type Tag: struct\n\
             suggested version bump: minor\n"
    );
}

#[test]
fn markdown_escapes_only_what_could_open_a_tag() {
    assert_eq!(
        markdown("impl TryInto<uuid::Uuid>, Vec<T>, Error<()>, </b>, a < b"),
        "impl TryInto\\<uuid::Uuid>, Vec\\<T>, Error<()>, \\</b>, a < b"
    );
}

#[test]
fn only_in_counts_repeated_lines() {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        only_in(&strings(&["a", "b", "b", "c"]), &strings(&["b", "c", "d"])),
        strings(&["a", "b"])
    );
}
