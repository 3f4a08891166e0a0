//! The report `update-spec` prints: what the candidate was compared with, the classified API
//! changes, the hand-written code that no longer compiles against the candidate, the normalisation notes that appeared or disappeared,
//! the CHANGELOG entry to paste, and the suggested version bump (always the last line).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::build_check::{self, BuildCheck, CompileError};
use crate::classify::{self, Bump, Change, Class};
use crate::pipeline::{SPEC_PATH, SURFACE_PATH};
use crate::surface::Surface;

/// The old side of the comparison: what the candidate's surface was compared with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// The checked-in `openapi/surface.txt`: what the last release generated, so what users
    /// have. A change of the pipeline since then is classified too.
    SurfaceFile,
    /// The surface the current pipeline generates from the vendored spec, because the surface
    /// file could not be used (the reason); a change of the pipeline itself goes unseen.
    Regenerated(String),
}

/// What changed between the current spec and a candidate.
#[derive(Clone, Debug)]
pub struct Report {
    /// sha256 of the current spec.
    pub old_sha256: String,
    /// sha256 of the candidate.
    pub new_sha256: String,
    /// Classified API changes.
    pub changes: Vec<Change>,
    /// Notes the pipeline makes only on the candidate.
    pub notes_added: Vec<String>,
    /// Notes the pipeline makes only on the current spec.
    pub notes_removed: Vec<String>,
    /// What the build check of the hand-written code found, when the report includes it.
    pub build: Option<BuildCheck>,
    /// What the candidate was compared with, when the report says it.
    pub baseline: Option<Baseline>,
}

impl Report {
    /// Compares two surfaces and the (displayed) notes of the runs that produced them.
    pub fn new(old: &Surface, new: &Surface, old_notes: &[String], new_notes: &[String]) -> Report {
        Report {
            old_sha256: old.spec_sha256.clone(),
            new_sha256: new.spec_sha256.clone(),
            changes: classify::changes(old, new),
            notes_added: only_in(new_notes, old_notes),
            notes_removed: only_in(old_notes, new_notes),
            build: None,
            baseline: None,
        }
    }

    /// The report saying what the candidate was compared with.
    pub fn with_baseline(self, baseline: Baseline) -> Report {
        Report {
            baseline: Some(baseline),
            ..self
        }
    }

    /// The report with the build check's result.
    pub fn with_build(self, build: BuildCheck) -> Report {
        Report {
            build: Some(build),
            ..self
        }
    }

    /// The hand-written code the candidate breaks: the maintainer's work before vendoring.
    pub fn broken(&self) -> &[CompileError] {
        self.build.as_ref().map_or(&[], BuildCheck::broken)
    }

    /// The bump the changes users see call for. Hand-written code the candidate breaks (the
    /// crate's own `match` on a grown open enum, a test naming a removed method) is work for
    /// the maintainer, listed in its own section; it is no signal to users, so it does not
    /// raise the bump: a removed operation the hand-written code used is already a breaking
    /// change of the surface.
    pub fn bump(&self) -> Bump {
        classify::bump(&self.changes)
    }

    /// The report as printed; its last line is `suggested version bump: <bump>`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.old_sha256 == self.new_sha256 {
            let _ = writeln!(out, "spec sha256: {} (unchanged)", self.new_sha256);
        } else {
            let _ = writeln!(
                out,
                "spec sha256: {} -> {}",
                self.old_sha256, self.new_sha256
            );
        }
        match &self.baseline {
            Some(Baseline::SurfaceFile) => {
                let _ = writeln!(
                    out,
                    "compared with: {SURFACE_PATH} as checked in (what users have)"
                );
            }
            Some(Baseline::Regenerated(why)) => {
                let _ = writeln!(
                    out,
                    "compared with: what the current pipeline generates from {SPEC_PATH}, not \
                     {SURFACE_PATH} ({why}); a change of the pipeline itself is not classified"
                );
            }
            None => {}
        }
        if self.changes.is_empty() {
            out.push_str("API changes: none\n");
        } else {
            let _ = writeln!(out, "API changes ({}):", self.changes.len());
            for change in &self.changes {
                let _ = writeln!(out, "{change}");
            }
        }
        if let Some(build) = &self.build {
            build_section(&mut out, build);
        }
        if self.notes_added.is_empty() && self.notes_removed.is_empty() {
            out.push_str("normalisation notes: unchanged\n");
        } else {
            out.push_str("normalisation notes (+ new, - gone):\n");
            for note in &self.notes_added {
                let _ = writeln!(out, "+ {note}");
            }
            for note in &self.notes_removed {
                let _ = writeln!(out, "- {note}");
            }
        }
        changelog_section(&mut out, self);
        let _ = writeln!(out, "suggested version bump: {}", self.bump());
        out
    }
}

/// The report's section with the CHANGELOG entry to paste, when the API changed (a spec
/// whose bytes changed but whose API did not leaves the report as it was).
fn changelog_section(out: &mut String, report: &Report) {
    if !report.changes.is_empty() {
        out.push_str("CHANGELOG entry (paste under ## [Unreleased]):\n");
        out.push_str(&changelog_entry(
            &report.changes,
            &report.old_sha256,
            &report.new_sha256,
        ));
    }
}

/// The Keep a Changelog entry for a spec update: `### Changed` (the spec line first, then
/// breaking changes marked `**Breaking:**` and documentation-only ones), `### Removed`
/// (breaking removals) and `### Added`, each only when it has lines. Hand-written code the
/// candidate breaks is the maintainers' to fix, not a user-facing entry, so it is left out.
/// With the same spec on both sides, the change is the pipeline's, and the first line says so.
pub fn changelog_entry(changes: &[Change], old_sha256: &str, new_sha256: &str) -> String {
    let spec_line = if old_sha256 == new_sha256 {
        format!(
            "Generated API changed by the code generator; the Anam OpenAPI spec is unchanged \
             (sha256 {}).",
            short_sha(new_sha256)
        )
    } else {
        format!(
            "Anam OpenAPI spec updated (sha256 {} -> {}).",
            short_sha(old_sha256),
            short_sha(new_sha256)
        )
    };
    let (mut breaking, mut docs, mut removed, mut added) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for change in changes {
        let text = markdown(&change.text);
        match change.class {
            Class::Breaking if change.text.starts_with("removed ") => {
                removed.push(format!("**Breaking:** {text}"));
            }
            Class::Breaking => breaking.push(format!("**Breaking:** {text}")),
            Class::Additive => added.push(capitalised(&text)),
            Class::Docs => docs.push(format!("Documentation only: {text}")),
        }
    }
    let changed: Vec<String> = std::iter::once(spec_line)
        .chain(breaking)
        .chain(docs)
        .collect();
    let mut out = String::new();
    for (heading, lines) in [("Changed", changed), ("Removed", removed), ("Added", added)] {
        if !lines.is_empty() {
            let _ = writeln!(out, "### {heading}");
            for line in lines {
                let _ = writeln!(out, "- {line}");
            }
        }
    }
    out
}

/// The first 12 hex digits of a sha256, enough to tell specs apart in a changelog.
fn short_sha(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// `text` with every `<` that could open an HTML tag escaped, so `Option<String>` renders as
/// written instead of as a tag.
fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|next| next.is_ascii_alphabetic() || *next == '/')
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` with its first letter upper-case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The report's section on the hand-written code.
fn build_section(out: &mut String, build: &BuildCheck) {
    let (broken, preexisting) = match build {
        BuildCheck::Skipped => {
            out.push_str("hand-written code: not checked (--skip-build-check)\n");
            return;
        }
        BuildCheck::Checked {
            broken,
            preexisting,
        } => (broken, preexisting),
    };
    let command = build_check::CARGO_ARGS[..4].join(" ");
    if broken.is_empty() && preexisting.is_empty() {
        let _ = writeln!(
            out,
            "hand-written code: compiles against the candidate (cargo {command})"
        );
    } else if broken.is_empty() {
        let _ = writeln!(
            out,
            "hand-written code: the candidate breaks nothing that compiles with the vendored \
             spec (cargo {command})"
        );
    } else {
        let _ = writeln!(
            out,
            "hand-written code to fix before vendoring ({}; the maintainer's work, not counted \
             in the bump):",
            broken.len()
        );
        for error in broken {
            let _ = writeln!(out, "TO FIX   {error}");
        }
    }
    if !preexisting.is_empty() {
        let _ = writeln!(
            out,
            "compile errors the vendored spec has too, not counted ({}):",
            preexisting.len()
        );
        for error in preexisting {
            let _ = writeln!(out, "         {error}");
        }
    }
}

/// The lines of `these` missing from `others`, counting repeats, in `these`' order.
fn only_in(these: &[String], others: &[String]) -> Vec<String> {
    let mut available: BTreeMap<&str, usize> = BTreeMap::new();
    for line in others {
        *available.entry(line).or_default() += 1;
    }
    these
        .iter()
        .filter(|line| match available.get_mut(line.as_str()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
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
}
