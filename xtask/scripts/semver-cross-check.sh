#!/usr/bin/env bash
# Judges the classification's single-change fixtures (`cargo xtask fixtures`) with
# cargo-semver-checks too, on the packaged crate: the vendored spec is the baseline, each
# fixture a candidate. Prints, per fixture, the bump update-spec suggests and the one
# cargo-semver-checks requires. Needs `cargo install cargo-semver-checks --locked` (0.51 was
# used); rustdoc's JSON output is unstable, so it runs rustdoc with RUSTC_BOOTSTRAP=1.
# Usage: bash xtask/scripts/semver-cross-check.sh [WORK_DIR]   (default target/semver-cross-check)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(realpath -m "${1:-target/semver-cross-check}")
rm -rf "$work" && mkdir -p "$work/fixtures"
export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0

cargo xtask fixtures "$work/fixtures" > "$work/expected.txt"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cargo package --quiet --no-verify --allow-dirty --package anam
tar -xzf "$CARGO_TARGET_DIR/package/anam-$version.crate" -C "$work"
base="$work/anam-$version"

rustdoc_json() { # crate dir -> prints the JSON file's path
  RUSTC_BOOTSTRAP=1 cargo rustdoc --quiet --manifest-path "$1/Cargo.toml" --lib --all-features \
    -- -Z unstable-options --output-format json >&2
  echo "$CARGO_TARGET_DIR/doc/anam.json"
}

cp "$(rustdoc_json "$base")" "$work/baseline.json"
printf '%-28s %-10s %s\n' fixture update-spec cargo-semver-checks
while read -r name expected; do
  candidate="$work/candidate-$name"
  cp -r "$base" "$candidate"
  cp "$work/fixtures/$name.json" "$candidate/openapi/swagger.json"
  cp "$(rustdoc_json "$candidate")" "$work/$name.json"
  if cargo semver-checks check-release --baseline-rustdoc "$work/baseline.json" \
      --current-rustdoc "$work/$name.json" > "$work/$name.log" 2>&1; then
    verdict="no semver violation"
  else
    verdict=$(grep -o 'semver requires new [a-z]* version[^.]*' "$work/$name.log" | head -1 || true)
    verdict=${verdict:-"failed: see $work/$name.log"}
  fi
  printf '%-28s %-10s %s\n' "$name" "$expected" "$verdict"
  rm -rf "$candidate"
done < "$work/expected.txt"
