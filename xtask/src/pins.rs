//! The pins of the vendored spec that `update-spec` rewrites when it vendors a new one: the
//! date, operation count and sha256 in `openapi/README.md`, and the sha256 (and date) the
//! integration tests check the vendored file against. (The surface file's header is rendered
//! with the new sha256 anyway.)

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The README of `openapi/`, relative to the workspace root.
pub const README_PATH: &str = "openapi/README.md";

/// The test that pins the vendored spec's sha256, relative to the workspace root.
pub const SPEC_TEST_PATH: &str = "tests/api/spec_examples.rs";

/// The library file whose constants name the vendored spec (`anam --version` prints them),
/// relative to the workspace root.
pub const SPEC_MODULE_PATH: &str = "src/spec.rs";

/// What the pins say about the vendored spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pins {
    /// Lower-case hex sha256 of its bytes.
    pub sha256: String,
    /// The day it was vendored, `YYYY-MM-DD`.
    pub date: String,
    /// How many operations it has.
    pub operations: usize,
}

/// Rewrites the pins of one file's text.
type Rewrite = fn(&str, &Pins) -> Result<String, String>;

/// The new text of every pinned file under `root`, or why a pin cannot be rewritten (a file or
/// a pin is missing), before anything is written.
pub fn rewrite(root: &Path, pins: &Pins) -> Result<Vec<(PathBuf, String)>, String> {
    let rewrites: [(&str, Rewrite); 3] = [
        (README_PATH, rewrite_readme),
        (SPEC_TEST_PATH, rewrite_spec_test),
        (SPEC_MODULE_PATH, rewrite_spec_module),
    ];
    rewrites
        .into_iter()
        .map(|(relative, rewrite)| {
            let path = root.join(relative);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                format!(
                    "cannot read {}: {e} (update-spec rewrites the spec's pins there)",
                    path.display()
                )
            })?;
            let text = rewrite(&text, pins).map_err(|e| format!("{relative}: {e}"))?;
            Ok((path, text))
        })
        .collect()
}

/// `openapi/README.md`: `as it stood on <date>`, `(<n> operations`, ``sha256 `<hex>` ``.
pub fn rewrite_readme(text: &str, pins: &Pins) -> Result<String, String> {
    let text = replace_after(text, "as it stood on", date_len, &pins.date)?;
    let text = replace_after(&text, "sha256 `", hex_len, &pins.sha256)?;
    replace_count(&text, " operations", &pins.operations.to_string())
}

/// `tests/api/spec_examples.rs`: `const VENDORED_SHA256: &str = "<hex>";` and the comment's
/// `as vendored on <date>`.
pub fn rewrite_spec_test(text: &str, pins: &Pins) -> Result<String, String> {
    let text = replace_after(
        text,
        "const VENDORED_SHA256: &str = \"",
        hex_len,
        &pins.sha256,
    )?;
    replace_after(&text, "as vendored on", date_len, &pins.date)
}

/// `src/spec.rs`: `pub const SPEC_SHA256: &str = "<hex>";` and
/// `pub const SPEC_DATE: &str = "<date>";`.
pub fn rewrite_spec_module(text: &str, pins: &Pins) -> Result<String, String> {
    let text = replace_after(
        text,
        "pub const SPEC_SHA256: &str = \"",
        hex_len,
        &pins.sha256,
    )?;
    replace_after(
        &text,
        "pub const SPEC_DATE: &str = \"",
        date_len,
        &pins.date,
    )
}

/// Replaces the token right after every `marker` (past spaces and line breaks) whose length
/// `token` measures (0: not a token of that kind) with `new`; an error when there is none.
fn replace_after(
    text: &str,
    marker: &str,
    token: fn(&str) -> usize,
    new: &str,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut replaced = 0;
    while let Some(index) = rest.find(marker) {
        let after = index + marker.len();
        out.push_str(&rest[..after]);
        rest = &rest[after..];
        let blank = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..blank]);
        rest = &rest[blank..];
        let length = token(rest);
        if length > 0 {
            out.push_str(new);
            rest = &rest[length..];
            replaced += 1;
        }
    }
    out.push_str(rest);
    if replaced == 0 {
        return Err(format!("no pin after `{marker}` to rewrite"));
    }
    Ok(out)
}

/// Replaces the number in every `(<n><suffix>` with `new`; an error when there is none.
fn replace_count(text: &str, suffix: &str, new: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut replaced = 0;
    while let Some(index) = rest.find(suffix) {
        let before = &rest[..index];
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let start = index - digits;
        if digits > 0 && before[..start].ends_with('(') {
            out.push_str(&rest[..start]);
            out.push_str(new);
            replaced += 1;
        } else {
            out.push_str(before);
        }
        out.push_str(suffix);
        rest = &rest[index + suffix.len()..];
    }
    out.push_str(rest);
    if replaced == 0 {
        return Err(format!("no `(<n>{suffix}` pin to rewrite"));
    }
    Ok(out)
}

/// The length of the `YYYY-MM-DD` date `text` starts with, or 0.
fn date_len(text: &str) -> usize {
    if is_date(text.get(..10).unwrap_or_default()) {
        10
    } else {
        0
    }
}

/// The length of the 64 hex digits `text` starts with, or 0.
fn hex_len(text: &str) -> usize {
    let digits = text
        .bytes()
        .take_while(|byte| byte.is_ascii_hexdigit())
        .count();
    if digits == 64 { 64 } else { 0 }
}

/// True for `YYYY-MM-DD` (digits and dashes; month 01-12, day 01-31).
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9];
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    if !digits.iter().all(|&i| bytes[i].is_ascii_digit()) {
        return false;
    }
    let month: u32 = text[5..7].parse().unwrap_or(0);
    let day: u32 = text[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today_utc() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    civil_date(seconds / 86_400)
}

/// The `YYYY-MM-DD` of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD_SHA: &str = "0fa5986fa4740ba7c8e4197adac522697f5d632388445cd36ef3667d9910ab36";
    const NEW_SHA: &str = "e39ddda474beb067aeaa2a4bf674dac1713ac708a29b8b3a40b91912a7f39a70";

    fn pins() -> Pins {
        Pins {
            sha256: NEW_SHA.into(),
            date: "2027-01-31".into(),
            operations: 58,
        }
    }

    #[test]
    fn the_readme_pins_are_rewritten_across_line_breaks() {
        let text = format!(
            "- `swagger.json`: vendored **byte for byte** as it stood on 2026-07-23\n  \
             (57 operations; sha256 `{OLD_SHA}`,\n  pinned by tests). 12 operations elsewhere.\n"
        );
        assert_eq!(
            rewrite_readme(&text, &pins()).unwrap(),
            format!(
                "- `swagger.json`: vendored **byte for byte** as it stood on 2027-01-31\n  \
                 (58 operations; sha256 `{NEW_SHA}`,\n  pinned by tests). 12 operations elsewhere.\n"
            )
        );
        assert!(
            rewrite_readme("no pins here", &pins())
                .unwrap_err()
                .contains("as it stood on")
        );
    }

    #[test]
    fn the_test_pins_are_rewritten() {
        let text = format!(
            "// The sha256 of openapi/swagger.json as vendored on 2026-07-23.\n\
             const VENDORED_SHA256: &str = \"{OLD_SHA}\";\n"
        );
        assert_eq!(
            rewrite_spec_test(&text, &pins()).unwrap(),
            format!(
                "// The sha256 of openapi/swagger.json as vendored on 2027-01-31.\n\
                 const VENDORED_SHA256: &str = \"{NEW_SHA}\";\n"
            )
        );
        let without_sha = "// as vendored on 2026-07-23\n";
        assert!(rewrite_spec_test(without_sha, &pins()).is_err());
    }

    #[test]
    fn the_library_pins_are_rewritten() {
        let text = format!(
            "pub const SPEC_SHA256: &str = \"{OLD_SHA}\";\n\
             pub const SPEC_DATE: &str = \"2026-07-23\";\n"
        );
        assert_eq!(
            rewrite_spec_module(&text, &pins()).unwrap(),
            format!(
                "pub const SPEC_SHA256: &str = \"{NEW_SHA}\";\n\
                 pub const SPEC_DATE: &str = \"2027-01-31\";\n"
            )
        );
        assert!(
            rewrite_spec_module("pub const SPEC_DATE: &str = \"2026-07-23\";", &pins()).is_err()
        );
    }

    #[test]
    fn dates_are_civil_utc_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_657), "2026-07-23");
        assert!(is_date(&today_utc()));
        assert!(is_date("2026-12-01"));
        assert!(!is_date("2026-13-01") && !is_date("2026-1-01") && !is_date("yesterday"));
    }
}
