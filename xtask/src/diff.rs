//! A unified diff of two texts, line by line: `similar`'s Myers diff (linear in memory, with a
//! deadline past which it settles for a coarser script), printed with a hunk header naming the
//! block it falls in, like git's function context.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, DiffTag};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// How long the search for a shortest edit script may take before a coarser one is used.
const DEADLINE: Duration = Duration::from_secs(2);

/// A unified diff from `old` to `new` with file labels, or `None` when they are equal. Hunk
/// headers name the nearest line above the hunk that starts in the first column with a letter
/// (a block header of the surface file), like git's default function context.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_lines,
        &new_lines,
        Some(Instant::now() + DEADLINE),
    );
    let hunks = similar::group_diff_ops(ops, CONTEXT);
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    if hunks.is_empty() {
        out.push_str("(the texts differ only in line endings or in the final newline)\n");
    }
    for hunk in &hunks {
        write_hunk(&mut out, hunk, &old_lines, &new_lines);
    }
    Some(out)
}

/// Writes one hunk (a group of operations with their context) with its `@@` header.
fn write_hunk(out: &mut String, hunk: &[DiffOp], old: &[&str], new: &[&str]) {
    let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
        return;
    };
    let (old_start, new_start) = (first.old_range().start, first.new_range().start);
    let (old_end, new_end) = (last.old_range().end, last.new_range().end);
    let _ = write!(
        out,
        "@@ -{} +{} @@",
        range(old_start, old_end - old_start),
        range(new_start, new_end - new_start)
    );
    if let Some(header) = old[..old_start]
        .iter()
        .rev()
        .find(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        let _ = write!(out, " {header}");
    }
    out.push('\n');
    for op in hunk {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let (removed, added) = match tag {
            DiffTag::Equal => {
                for line in &old[old_range] {
                    let _ = writeln!(out, " {line}");
                }
                continue;
            }
            DiffTag::Delete => (old_range, 0..0),
            DiffTag::Insert => (0..0, new_range),
            DiffTag::Replace => (old_range, new_range),
        };
        for line in &old[removed] {
            let _ = writeln!(out, "-{line}");
        }
        for line in &new[added] {
            let _ = writeln!(out, "+{line}");
        }
    }
}

/// `start,count` as unified diffs print it: 1-based, or the line before for an empty range.
fn range(start: usize, count: usize) -> String {
    match count {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{count}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies a unified diff of line-terminated texts to `old`, as `patch` would.
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.lines().collect();
        let mut out: Vec<&str> = Vec::new();
        let mut at = 0;
        for line in diff.lines().skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let range = header.split(' ').next().unwrap();
                let (start, count) = range.split_once(',').unwrap_or((range, "1"));
                let start: usize = start.parse().unwrap();
                let start = if count == "0" { start } else { start - 1 };
                out.extend_from_slice(&old[at..start]);
                at = start;
            } else if let Some(kept) = line.strip_prefix(' ') {
                assert_eq!(old[at], kept);
                out.push(kept);
                at += 1;
            } else if let Some(removed) = line.strip_prefix('-') {
                assert_eq!(old[at], removed);
                at += 1;
            } else if let Some(added) = line.strip_prefix('+') {
                out.push(added);
            }
        }
        out.extend_from_slice(&old[at..]);
        out.iter().map(|line| format!("{line}\n")).collect()
    }

    #[test]
    fn unified_diff_has_context_ranges_and_the_enclosing_header() {
        let old = "type A\n  field x: i64\n  field y: i64\n  field z: i64\n  field w: i64\n\ntype B\n  field q: i64\n";
        let new = old.replace("  field z: i64\n", "  field z: String\n");
        let diff = unified(old, &new, "old", "new").expect("a difference");
        assert_eq!(
            diff,
            "--- old\n+++ new\n@@ -1,7 +1,7 @@\n type A\n   field x: i64\n   field y: i64\n-  field z: i64\n+  field z: String\n   field w: i64\n \n type B\n"
        );
        let appended = format!("{old}type C\n");
        let diff = unified(old, &appended, "old", "new").expect("a difference");
        assert!(diff.contains("@@ -6,3 +6,4 @@ type A\n"), "{diff}");
        assert_eq!(unified(old, old, "old", "new"), None);
        let unterminated = old.trim_end_matches('\n');
        let diff = unified(old, unterminated, "old", "new").expect("a difference");
        assert!(diff.contains("final newline"), "{diff}");
    }

    #[test]
    fn random_pairs_patch_to_the_new_text() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        let words = ["a", "b", "c", "d"];
        for _ in 0..300 {
            let mut text = || -> String {
                let lines = next(12);
                (0..lines)
                    .map(|_| format!("{}\n", words[next(4) as usize]))
                    .collect()
            };
            let (old, new) = (text(), text());
            match unified(&old, &new, "old", "new") {
                Some(diff) => assert_eq!(apply(&old, &diff), new, "{old:?} -> {new:?}\n{diff}"),
                None => assert_eq!(old, new),
            }
        }
    }

    #[test]
    fn a_whole_rewrite_is_one_hunk_that_patches_to_the_new_text() {
        let old: String = (0..5_000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..5_000).map(|i| format!("new {i}\n")).collect();
        let diff = unified(&old, &new, "old", "new").expect("a difference");
        assert_eq!(diff.matches("\n@@ ").count(), 1);
        assert_eq!(apply(&old, &diff), new);
    }
}
