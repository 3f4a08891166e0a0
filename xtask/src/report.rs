//! The report `update-spec` prints: the classified API changes, the normalisation notes that
//! appeared or disappeared, and the suggested version bump (always the last line).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::classify::{self, Bump, Change};
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
        }
    }

    /// The bump the changes call for.
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
        if self.changes.is_empty() {
            out.push_str("API changes: none\n");
        } else {
            let _ = writeln!(out, "API changes ({}):", self.changes.len());
            for change in &self.changes {
                let _ = writeln!(out, "{change}");
            }
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

    #[test]
    fn only_in_counts_repeated_lines() {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            only_in(&strings(&["a", "b", "b", "c"]), &strings(&["b", "c", "d"])),
            strings(&["a", "b"])
        );
    }
}
