//! Nothing to build: this script exists for its `[build-dependencies]` (xtask/Cargo.toml),
//! which give the crates the library's build script compiles the features the workspace's
//! other crates ask for, so xtask's copy of the generation pipeline and the build script's are
//! one compile, not two (docs/MAINTAINERS.md, "CI at session 4 of 2026-12-07").

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
