//! Nothing to build: this script exists for its `[build-dependencies]` (xtask/Cargo.toml),
//! which give the crates the library's build script compiles the features the workspace's
//! other crates ask for, so xtask's copy of the generation pipeline and the build script's are
//! one compile, not two (docs/MAINTAINERS.md, CI under 300 s).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
