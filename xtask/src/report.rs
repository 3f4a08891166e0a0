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
mod tests;
