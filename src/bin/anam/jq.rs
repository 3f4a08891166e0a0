//! `--jq EXPR`: the JSON output filtered by jaq (`jaq-core`, `jaq-std`, `jaq-json`), a jq
//! implementation, compiled once before anything is sent. A list's filter runs on each item,
//! so one filter serves one page and `--all` alike; any other command's on its one document.
//! As with `gh --jq`, a string result prints as its text, any other value as compact JSON,
//! one a line.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

use crate::output::InputError;

/// A compiled `--jq` filter.
pub struct Jq {
    filter: jaq_core::Filter<data::JustLut<Val>>,
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

/// A filter that failed on its input (`.a` of a number, `error("…")`).
#[derive(Debug, thiserror::Error)]
#[error("--jq: {0}")]
pub struct JqError(String);

impl Jq {
    /// Parses and compiles `code`; one that does not parse is refused (exit status 2) before
    /// anything is sent.
    pub fn compile(code: &str) -> Result<Self, InputError> {
        let program = File { code, path: () };
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let modules = Loader::new(defs).load(&arena, program).map_err(|errors| {
            let kinds: Vec<&str> = errors
                .iter()
                .map(|(_, error)| match error {
                    jaq_core::load::Error::Io(_) => "a module cannot be loaded",
                    jaq_core::load::Error::Lex(_) => "it does not tokenise",
                    jaq_core::load::Error::Parse(_) => "it does not parse",
                })
                .collect();
            InputError(format!(
                "--jq `{code}` is not a jq filter: {}. Nothing was sent.",
                kinds.join(", ")
            ))
        })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let names: Vec<String> = errors
                    .iter()
                    .flat_map(|(_, errors)| errors.iter().map(|(name, _)| format!("`{name}`")))
                    .collect();
                InputError(format!(
                    "--jq `{code}` does not compile: unknown {}. Nothing was sent.",
                    names.join(", ")
                ))
            })?;
        Ok(Self { filter })
    }

    /// The lines `json` filters to: text for a string, compact JSON for anything else.
    pub fn run(&self, json: &[u8]) -> Result<Vec<u8>, JqError> {
        let input = jaq_json::read::parse_single(json)
            .map_err(|error| JqError(format!("the output is not JSON: {error}")))?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let mut out = Vec::new();
        for value in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            let value = value.map_err(|error| JqError(error.to_string()))?;
            match &value {
                Val::TStr(text) => out.extend_from_slice(text),
                other => out.extend_from_slice(other.to_string().as_bytes()),
            }
            out.push(b'\n');
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_strings_as_text_and_values_as_json() {
        let jq = Jq::compile(".data[] | select(.n > 1) | .id, {n}").unwrap();
        let out = jq
            .run(br#"{"data":[{"id":"a","n":1},{"id":"b","n":2}]}"#)
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "b\n{\"n\":2}\n");
        assert!(Jq::compile(".[ | ").is_err());
        assert!(Jq::compile("no_such_function").is_err());
        assert!(Jq::compile(".a").unwrap().run(b"1").is_err());
    }
}
