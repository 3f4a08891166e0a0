//! Errors a candidate is known to cause without checking the vendored spec: those that say a
//! name is missing which the candidate's surface no longer has and the vendored one does.
//!
//! With the vendored spec that name exists, so the same error (the same place, saying the same
//! name is missing) cannot occur there; checking the vendored spec only to find that out took
//! as long as the candidate's own check (about 20 s on the 2-core machine). Any other error (a
//! mismatched type, a name the candidate did not remove) still sends the check to the vendored
//! spec, as before.

use std::collections::BTreeSet;

use super::CompileError;
use crate::surface::{Shape, Surface};

/// The names of `surface` that an error's [`CompileError::missing`] can name, each in the form
/// [`key`] reduces a missing name to: `Voices::delete` (a sub-client method),
/// `Client::delete_voice`, `MockServerExt::delete_voice`, `types::Voice` and `Voice` (a type),
/// `Voice.accent` (a field), `VoiceKind::Cloned` (a variant).
pub fn names(surface: &Surface) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mock_trait = surface.mock_trait.as_ref().map(|t| t.name.as_str());
    for operation in surface.operations.values() {
        if let Some(rust) = &operation.rust {
            names.insert(format!("Client::{}", rust.method));
        }
        if let Some(facade) = &operation.facade {
            names.insert(format!("{}::{}", facade.sub_client, facade.method));
        }
        if let (Some(mock), Some(name)) = (&operation.mock, mock_trait) {
            names.insert(format!("{name}::{}", mock.method));
        }
    }
    for (name, def) in &surface.types {
        names.insert(name.clone());
        names.insert(format!("types::{name}"));
        match &def.shape {
            Shape::Struct { fields, .. } => {
                names.extend(fields.keys().map(|field| format!("{name}.{field}")));
            }
            Shape::Enum { variants, .. } => {
                names.extend(variants.keys().map(|variant| format!("{name}::{variant}")));
            }
            Shape::Tuple { .. } | Shape::Unit | Shape::Alias { .. } => {}
        }
    }
    names
}

/// The names `before` has and `after` does not.
pub fn gone(before: &Surface, after: &Surface) -> BTreeSet<String> {
    let after = names(after);
    names(before)
        .into_iter()
        .filter(|name| !after.contains(name))
        .collect()
}

/// A missing name as [`names`] writes it: the owner's path shortened to its last segment
/// (`anam::resources::Voices::delete` → `Voices::delete`, `anam::types::Gone` →
/// `types::Gone`, `anam::types::Voice.accent` → `Voice.accent`).
pub fn key(missing: &str) -> String {
    if let Some((owner, field)) = missing.rsplit_once('.') {
        let owner = owner.rsplit("::").next().unwrap_or(owner);
        return format!("{owner}.{field}");
    }
    let mut segments = missing.rsplit("::");
    match (segments.next(), segments.next()) {
        (Some(last), Some(owner)) => format!("{owner}::{last}"),
        (Some(last), None) => last.to_string(),
        (None, _) => String::new(),
    }
}

/// True when every error says a name in `gone` is missing (and there is at least one).
pub fn all_explained(errors: &[CompileError], gone: &BTreeSet<String>) -> bool {
    !errors.is_empty()
        && errors.iter().all(|error| {
            error
                .missing
                .as_deref()
                .is_some_and(|missing| gone.contains(&key(missing)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(missing: Option<&str>) -> CompileError {
        CompileError {
            file: "tests/api/coverage.rs".into(),
            line: 117,
            column: 12,
            message: "no method named `delete`".into(),
            targets: vec!["test api".into()],
            item: None,
            missing: missing.map(String::from),
        }
    }

    #[test]
    fn missing_names_are_keyed_by_their_owner_and_name() {
        for (missing, expected) in [
            ("Voices::delete", "Voices::delete"),
            ("anam::resources::Voices::delete", "Voices::delete"),
            ("anam::types::Gone", "types::Gone"),
            ("types::Gone", "types::Gone"),
            ("Gone", "Gone"),
            ("Voice.accent", "Voice.accent"),
            ("anam::types::Voice.accent", "Voice.accent"),
        ] {
            assert_eq!(key(missing), expected, "{missing}");
        }
    }

    #[test]
    fn the_vendored_check_is_needed_unless_every_error_names_something_gone() {
        let gone: BTreeSet<String> = ["Voices::delete".to_string()].into();
        assert!(all_explained(&[error(Some("Voices::delete"))], &gone));
        assert!(all_explained(
            &[error(Some("anam::resources::Voices::delete"))],
            &gone
        ));
        // Another missing name, an error without one, or no error at all: check the vendored
        // spec.
        assert!(!all_explained(
            &[error(Some("Voices::delete")), error(Some("Voices::get"))],
            &gone
        ));
        assert!(!all_explained(
            &[error(Some("Voices::delete")), error(None)],
            &gone
        ));
        assert!(!all_explained(&[], &gone));
    }

    /// The checked-in surface, and the same without `operation`: the pipeline is not run, so
    /// this takes milliseconds.
    fn surfaces_without(operation: &str) -> (Surface, Surface) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(crate::pipeline::SURFACE_PATH);
        let text = std::fs::read_to_string(path).expect("openapi/surface.txt");
        let before = crate::surface::parse::parse(&text).expect("the surface parses");
        let mut after = before.clone();
        after.operations.remove(operation).expect("the operation");
        (before, after)
    }

    #[test]
    fn what_a_removed_operation_takes_with_it_is_gone() {
        let (before, after) = surfaces_without("deleteVoice");
        let gone = gone(&before, &after);
        assert_eq!(
            gone,
            [
                "Client::delete_voice",
                "MockServerExt::delete_voice",
                "Voices::delete"
            ]
            .map(String::from)
            .into()
        );
        assert!(names(&before).contains("Voice.country"));
        assert!(names(&before).contains("types::Voice"));
    }
}
