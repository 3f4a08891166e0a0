//! The report `update-spec` prints: the classified API changes, the hand-written code that no
//! longer compiles against the candidate, the normalisation notes that appeared or disappeared,
//! the CHANGELOG entry to paste, and the suggested version bump (always the last line).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::build_check::{self, BuildCheck, CompileError};
use crate::classify::{self, Bump, Change, Class};
use crate::surface::Surface;

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
        }
    }

    /// The report with the build check's result.
    pub fn with_build(self, build: BuildCheck) -> Report {
        Report {
            build: Some(build),
            ..self
        }
    }

    /// The hand-written code the candidate breaks (each place counts as a breaking change).
    pub fn broken(&self) -> &[CompileError] {
        self.build.as_ref().map_or(&[], BuildCheck::broken)
    }

    /// The bump the changes call for: major when hand-written code breaks, too.
    pub fn bump(&self) -> Bump {
        if self.broken().is_empty() {
            classify::bump(&self.changes)
        } else {
            Bump::Major
        }
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
pub fn changelog_entry(changes: &[Change], old_sha256: &str, new_sha256: &str) -> String {
    let spec_line = format!(
        "Anam OpenAPI spec updated (sha256 {} -> {}).",
        short_sha(old_sha256),
        short_sha(new_sha256)
    );
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
            "hand-written code that no longer compiles against the candidate ({}):",
            broken.len()
        );
        for error in broken {
            let _ = writeln!(out, "{:<8} {error}", Class::Breaking.to_string());
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
        }
    }

    #[test]
    fn broken_hand_written_code_has_its_own_section_and_is_breaking() {
        let report = empty_report().with_build(BuildCheck::Checked {
            broken: vec![compile_error(
                "tests/api/coverage.rs",
                Some("every_operation"),
                Some("Voices::delete"),
            )],
            preexisting: vec![compile_error("src/transcript/timing.rs", None, None)],
        });
        assert_eq!(report.bump(), Bump::Major);
        assert_eq!(
            report.render(),
            "spec sha256: a -> b\n\
             API changes: none\n\
             hand-written code that no longer compiles against the candidate (1):\n\
             BREAKING tests/api/coverage.rs:117:12 in every_operation (test api): missing \
             Voices::delete: no method named `delete` found for struct `Voices<'a>` in the \
             current scope\n\
             compile errors the vendored spec has too, not counted (1):\n         \
             src/transcript/timing.rs:117:12 (test api): no method named `delete` found for \
             struct `Voices<'a>` in the current scope\n\
             normalisation notes: unchanged\n\
             suggested version bump: major\n"
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
             suggested version bump: major\n"
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
