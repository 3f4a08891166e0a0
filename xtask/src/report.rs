//! The report `update-spec` prints: the classified API changes, the hand-written code that no
//! longer compiles against the candidate, the normalisation notes that appeared or disappeared,
//! and the suggested version bump (always the last line).

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
        let _ = writeln!(out, "suggested version bump: {}", self.bump());
        out
    }
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

    #[test]
    fn only_in_counts_repeated_lines() {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            only_in(&strings(&["a", "b", "b", "c"]), &strings(&["b", "c", "d"])),
            strings(&["a", "b"])
        );
    }
}
