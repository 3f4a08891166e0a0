//! Generates the Anam client from `openapi/swagger.json` into `OUT_DIR` at compile time.
//! The pipeline lives in `src/codegen/` and is shared with `cargo xtask`.

#[allow(dead_code)]
#[path = "src/codegen/mod.rs"]
mod codegen;

fn main() {
    codegen::run_build_script();
}
