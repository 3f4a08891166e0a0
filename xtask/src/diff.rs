//! A small line diff (Myers' greedy algorithm) printed as a unified diff.

use std::fmt::Write as _;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Past this many differing lines (after the common start and end are set aside), the middle
/// is shown as one replacement rather than searched for a shortest edit script, which would
/// need memory quadratic in that number.
const MAX_EDIT_DISTANCE: usize = 2_000;

/// One line of an edit script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    /// Line `old` of the old text equals line `new` of the new one.
    Keep { old: usize, new: usize },
    /// Line `old` of the old text is gone.
    Delete { old: usize },
    /// Line `new` of the new text is new.
    Insert { new: usize },
}

/// A unified diff from `old` to `new` with file labels, or `None` when they are equal. Hunk
/// headers name the nearest line above the hunk that starts in the first column with a letter
/// (a block header of the surface file), like git's default function context.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let edits = edit_script(&old_lines, &new_lines);
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    let hunks = hunks(&edits);
    if hunks.is_empty() {
        out.push_str("(the texts differ only in line endings or in the final newline)\n");
    }
    for hunk in hunks {
        write_hunk(&mut out, &edits, hunk, &old_lines, &new_lines);
    }
    Some(out)
}

/// A shortest edit script from `old` to `new` (common start and end kept as they are).
fn edit_script(old: &[&str], new: &[&str]) -> Vec<Edit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut edits: Vec<Edit> = (0..prefix).map(|i| Edit::Keep { old: i, new: i }).collect();
    let (old_middle, new_middle) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let middle = myers(old_middle, new_middle).unwrap_or_else(|| {
        let deletes = (0..old_middle.len()).map(|old| Edit::Delete { old });
        deletes
            .chain((0..new_middle.len()).map(|new| Edit::Insert { new }))
            .collect()
    });
    edits.extend(middle.into_iter().map(|edit| match edit {
        Edit::Keep { old, new } => Edit::Keep {
            old: old + prefix,
            new: new + prefix,
        },
        Edit::Delete { old } => Edit::Delete { old: old + prefix },
        Edit::Insert { new } => Edit::Insert { new: new + prefix },
    }));
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    edits.extend((0..suffix).map(|i| Edit::Keep {
        old: old_end + i,
        new: new_end + i,
    }));
    edits
}

/// Myers' O((N+M)·D) shortest edit script, or `None` when D exceeds [`MAX_EDIT_DISTANCE`].
fn myers(old: &[&str], new: &[&str]) -> Option<Vec<Edit>> {
    let (n, m) = (old.len() as isize, new.len() as isize);
    let max = ((n + m) as usize).min(MAX_EDIT_DISTANCE) as isize;
    let offset = max + 1;
    // v[k + offset]: the furthest x reached on diagonal k = x - y.
    let mut v = vec![0isize; 2 * offset as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=max {
        trace.push(v.clone());
        for k in (-d..=d).step_by(2) {
            let index = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[index - 1] < v[index + 1]) {
                v[index + 1]
            } else {
                v[index - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && old[x as usize] == new[y as usize] {
                x += 1;
                y += 1;
            }
            v[index] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, offset, n, m, d));
            }
        }
    }
    None
}

/// Walks the saved frontiers back from `(n, m)` to `(0, 0)`.
fn backtrack(trace: &[Vec<isize>], offset: isize, n: isize, m: isize, depth: isize) -> Vec<Edit> {
    let mut edits = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=depth).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let index = (k + offset) as usize;
        let previous_k = if k == -d || (k != d && v[index - 1] < v[index + 1]) {
            k + 1
        } else {
            k - 1
        };
        let previous_x = if d == 0 {
            0
        } else {
            v[(previous_k + offset) as usize]
        };
        let previous_y = if d == 0 { 0 } else { previous_x - previous_k };
        while x > previous_x && y > previous_y {
            x -= 1;
            y -= 1;
            edits.push(Edit::Keep {
                old: x as usize,
                new: y as usize,
            });
        }
        if d > 0 {
            if x == previous_x {
                edits.push(Edit::Insert {
                    new: previous_y as usize,
                });
            } else {
                edits.push(Edit::Delete {
                    old: previous_x as usize,
                });
            }
        }
        (x, y) = (previous_x, previous_y);
    }
    edits.reverse();
    edits
}

/// Index ranges of `edits` that form hunks: each change with [`CONTEXT`] kept lines around it,
/// changes closer than twice that merged.
fn hunks(edits: &[Edit]) -> Vec<(usize, usize)> {
    let changed: Vec<usize> = edits
        .iter()
        .enumerate()
        .filter(|(_, edit)| !matches!(edit, Edit::Keep { .. }))
        .map(|(index, _)| index)
        .collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for index in changed {
        let start = index.saturating_sub(CONTEXT);
        let end = (index + CONTEXT + 1).min(edits.len());
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    ranges
}

/// Writes the hunk `edits[start..end]` with its `@@` header.
fn write_hunk(
    out: &mut String,
    edits: &[Edit],
    (start, end): (usize, usize),
    old: &[&str],
    new: &[&str],
) {
    let is_old = |edit: &&Edit| !matches!(edit, Edit::Insert { .. });
    let is_new = |edit: &&Edit| !matches!(edit, Edit::Delete { .. });
    let (before, hunk) = (&edits[..start], &edits[start..end]);
    let old_start = before.iter().filter(is_old).count();
    let new_start = before.iter().filter(is_new).count();
    let _ = write!(
        out,
        "@@ -{} +{} @@",
        range(old_start, hunk.iter().filter(is_old).count()),
        range(new_start, hunk.iter().filter(is_new).count())
    );
    if let Some(header) = old[..old_start]
        .iter()
        .rev()
        .find(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        let _ = write!(out, " {header}");
    }
    out.push('\n');
    for edit in hunk {
        let _ = match edit {
            Edit::Keep { old: index, .. } => writeln!(out, " {}", old[*index]),
            Edit::Delete { old: index } => writeln!(out, "-{}", old[*index]),
            Edit::Insert { new: index } => writeln!(out, "+{}", new[*index]),
        };
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

    /// Applies `edits` to `old` and checks the result is `new`.
    fn replay(edits: &[Edit], old: &[&str], new: &[&str]) -> Vec<String> {
        edits
            .iter()
            .filter_map(|edit| match edit {
                Edit::Keep {
                    old: index,
                    new: other,
                } => {
                    assert_eq!(old[*index], new[*other]);
                    Some(old[*index].to_string())
                }
                Edit::Insert { new: index } => Some(new[*index].to_string()),
                Edit::Delete { .. } => None,
            })
            .collect()
    }

    #[test]
    fn edit_scripts_are_shortest_and_replay_to_the_new_text() {
        let old = ["a", "b", "c", "a", "b", "b", "a"];
        let new = ["c", "b", "a", "b", "a", "c"];
        let edits = edit_script(&old, &new);
        assert_eq!(replay(&edits, &old, &new), new);
        let changed = edits
            .iter()
            .filter(|e| !matches!(e, Edit::Keep { .. }))
            .count();
        assert_eq!(changed, 5, "the classic example has an edit distance of 5");
        for (old, new) in [
            (&[][..], &["x"][..]),
            (&["x"][..], &[][..]),
            (&["x"][..], &["y"][..]),
        ] {
            assert_eq!(replay(&edit_script(old, new), old, new), new);
        }
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

    /// Edit distance (insertions and deletions only) by dynamic programming.
    fn distance(old: &[&str], new: &[&str]) -> usize {
        let mut row: Vec<usize> = (0..=new.len()).collect();
        for (i, a) in old.iter().enumerate() {
            let mut next = vec![i + 1; new.len() + 1];
            for (j, b) in new.iter().enumerate() {
                next[j + 1] = if a == b {
                    row[j]
                } else {
                    1 + row[j + 1].min(next[j])
                };
            }
            row = next;
        }
        row[new.len()]
    }

    #[test]
    fn random_pairs_replay_with_the_shortest_script() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        let words = ["a", "b", "c", "d"];
        for _ in 0..300 {
            let old: Vec<&str> = (0..next(9)).map(|_| words[next(4) as usize]).collect();
            let new: Vec<&str> = (0..next(9)).map(|_| words[next(4) as usize]).collect();
            let edits = edit_script(&old, &new);
            assert_eq!(replay(&edits, &old, &new), new, "{old:?} -> {new:?}");
            let changed = edits
                .iter()
                .filter(|e| !matches!(e, Edit::Keep { .. }))
                .count();
            assert_eq!(changed, distance(&old, &new), "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn a_huge_rewrite_falls_back_to_one_replacement() {
        let old: Vec<String> = (0..MAX_EDIT_DISTANCE + 10)
            .map(|i| format!("old {i}"))
            .collect();
        let new: Vec<String> = (0..MAX_EDIT_DISTANCE + 10)
            .map(|i| format!("new {i}"))
            .collect();
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        let edits = edit_script(&old, &new);
        assert_eq!(replay(&edits, &old, &new), new);
    }
}
