//! `cargo xtask surface --check`: passes on the repository, fails with a diff on an edited copy.

mod support;

use support::{TempRoot, stderr, stdout, xtask};

#[test]
fn the_checked_in_surface_matches_the_vendored_spec() {
    let output = xtask(&["surface", "--check"]);
    assert!(
        output.status.success(),
        "openapi/surface.txt is stale; run `cargo xtask surface`\n{}",
        stdout(&output)
    );
}

#[test]
fn an_edited_surface_fails_the_check_with_a_diff_and_surface_repairs_it() {
    let root = TempRoot::new("check");
    let path = root.join("openapi/surface.txt");
    let original = std::fs::read_to_string(&path).unwrap();
    // The first `search` parameter is `listAvatars`'.
    let line = "  param search: String optional\n";
    assert!(original.contains(line), "a search parameter is listed");
    std::fs::write(
        &path,
        original.replacen(line, "  param search: i64 required\n", 1),
    )
    .unwrap();
    let root_arg = root.path().to_str().unwrap();

    let output = xtask(&["surface", "--check", "--root", root_arg]);
    assert_eq!(output.status.code(), Some(1));
    let diff = stdout(&output);
    assert!(
        diff.starts_with("--- openapi/surface.txt (checked in)\n+++ "),
        "{diff}"
    );
    assert!(
        diff.contains("\n-  param search: i64 required\n+  param search: String optional\n"),
        "{diff}"
    );
    assert!(diff.contains(" @@ operation listAvatars\n"), "{diff}");
    assert!(stderr(&output).contains("cargo xtask surface"));
    let after_check = std::fs::read_to_string(&path).unwrap();
    assert!(
        after_check.contains("i64 required"),
        "--check wrote the file"
    );

    let output = xtask(&["surface", "--root", root_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn a_missing_surface_file_fails_the_check() {
    let root = TempRoot::new("missing");
    std::fs::remove_file(root.join("openapi/surface.txt")).unwrap();
    let output = xtask(&[
        "surface",
        "--check",
        "--root",
        root.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("run `cargo xtask surface` to create it"));
}
