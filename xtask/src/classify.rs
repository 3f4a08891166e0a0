//! Classifying the change between two [`Surface`]s the way cargo-semver-checks would judge the
//! generated code: `BREAKING` (user code may stop compiling or working), `ADDITIVE` (new API
//! only) or `DOCS` (no Rust signature changes). Sub-client methods are named by users, so
//! they follow the same rules as any method; a new mock helper is additive because the helper
//! trait is sealed (nobody outside the crate implements it), and would break implementors
//! otherwise.

use std::collections::BTreeMap;
use std::fmt;

use crate::surface::{
    Doc, FacadeMethod, MockHelper, MockTrait, Operation, Param, Requirement, RustOperation,
    Surface, render,
};

/// How a change affects users, ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Documentation only (descriptions, or a route users never name).
    Docs,
    /// New API; existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling or start failing.
    Breaking,
}

impl Class {
    /// `Breaking` when `breaks`, else `Additive`.
    fn breaking_if(breaks: bool) -> Class {
        if breaks {
            Class::Breaking
        } else {
            Class::Additive
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Docs => "DOCS",
            Self::Additive => "ADDITIVE",
            Self::Breaking => "BREAKING",
        })
    }
}

/// One classified change of the generated API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub class: Class,
    /// What changed, naming the operation or type (and member).
    pub text: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<8} {}", self.class.to_string(), self.text)
    }
}

/// The semver bump a set of changes calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bump {
    /// Something breaks.
    Major,
    /// Something new, nothing breaks.
    Minor,
    /// Docs only, or nothing.
    Patch,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Major => "major",
            Self::Minor => "minor",
            Self::Patch => "patch",
        })
    }
}

/// The bump for `changes`: major if any is breaking, minor if any is additive, else patch.
pub fn bump(changes: &[Change]) -> Bump {
    match changes.iter().map(|change| change.class).max() {
        Some(Class::Breaking) => Bump::Major,
        Some(Class::Additive) => Bump::Minor,
        Some(Class::Docs) | None => Bump::Patch,
    }
}

/// Every change from `old` to `new`: operations first (each with its sub-client method and
/// mock helper), then the mock helper trait, then types, each by name.
pub fn changes(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut found = Changes {
        list: Vec::new(),
        mock_sealed: new.mock_trait.as_ref().is_some_and(|t| t.sealed),
    };
    for entry in pair_up(&old.operations, &new.operations) {
        match entry {
            Paired::Added(id, new) => {
                found.push(Class::Additive, format!("added operation {id}"));
                found.facade(id, None, new.facade.as_ref());
                found.mock(id, None, new.mock.as_ref());
                found.commands(id, &[], &new.commands);
            }
            Paired::Removed(id, old) => {
                found.push(Class::Breaking, format!("removed operation {id}"));
                found.facade(id, old.facade.as_ref(), None);
                found.mock(id, old.mock.as_ref(), None);
                found.commands(id, &old.commands, &[]);
            }
            Paired::Both(id, old, new) => {
                found.operation(id, old, new);
                found.facade(id, old.facade.as_ref(), new.facade.as_ref());
                found.mock(id, old.mock.as_ref(), new.mock.as_ref());
                found.commands(id, &old.commands, &new.commands);
            }
        }
    }
    found.mock_trait(old.mock_trait.as_ref(), new.mock_trait.as_ref());
    for entry in pair_up(&old.types, &new.types) {
        match entry {
            Paired::Added(name, def) => found.push(
                Class::Additive,
                format!("added type {name}: {}", def.shape.kind()),
            ),
            Paired::Removed(name, _) => found.push(Class::Breaking, format!("removed type {name}")),
            Paired::Both(name, old, new) => found.type_def(name, old, new),
        }
    }
    found.list
}

/// An entry of two maps merged by key.
enum Paired<'a, V> {
    Added(&'a str, &'a V),
    Removed(&'a str, &'a V),
    Both(&'a str, &'a V, &'a V),
}

/// The entries of `old` and `new`, merged by key, in key order.
fn pair_up<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> Vec<Paired<'a, V>> {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| match (old.get(key), new.get(key)) {
            (Some(old), Some(new)) => Some(Paired::Both(key, old, new)),
            (None, Some(new)) => Some(Paired::Added(key, new)),
            (Some(old), None) => Some(Paired::Removed(key, old)),
            (None, None) => None,
        })
        .collect()
}

/// The changes found so far, in order.
struct Changes {
    /// The changes.
    list: Vec<Change>,
    /// Whether the new mock helper trait is sealed, which makes a new method additive.
    mock_sealed: bool,
}

impl Changes {
    /// Records a change.
    fn push(&mut self, class: Class, text: String) {
        self.list.push(Change { class, text });
    }

    /// A `DOCS` change when the doc comment of `what` changed.
    fn doc(&mut self, what: &str, old: Option<&Doc>, new: Option<&Doc>) {
        if old != new {
            self.push(Class::Docs, format!("changed doc of {what}"));
        }
    }

    /// Changes of the sub-client method of operation `id`: it is named by users, so removing,
    /// renaming or changing it breaks them.
    fn facade(&mut self, id: &str, old: Option<&FacadeMethod>, new: Option<&FacadeMethod>) {
        match (old, new) {
            (None, Some(new)) => self.push(
                Class::Additive,
                format!("added method {} (operation {id})", new.path()),
            ),
            (Some(old), None) => self.push(
                Class::Breaking,
                format!("removed method {} (operation {id})", old.path()),
            ),
            (Some(old), Some(new)) => {
                if old.path() != new.path() {
                    self.push(
                        Class::Breaking,
                        format!(
                            "renamed method of operation {id}: {} -> {}",
                            old.path(),
                            new.path()
                        ),
                    );
                } else if old.signature() != new.signature() {
                    self.push(
                        Class::Breaking,
                        format!(
                            "changed method {}: {} -> {}",
                            old.path(),
                            old.signature(),
                            new.signature()
                        ),
                    );
                }
                self.doc(
                    &format!("method {}", new.path()),
                    old.doc.as_ref(),
                    new.doc.as_ref(),
                );
            }
            (None, None) => {}
        }
    }

    /// Changes of the mock helper of operation `id`. A new one adds a method to the helper
    /// trait, which is additive only while the trait is sealed (nobody else implements it).
    fn mock(&mut self, id: &str, old: Option<&MockHelper>, new: Option<&MockHelper>) {
        match (old, new) {
            (None, Some(new)) if self.mock_sealed => self.push(
                Class::Additive,
                format!(
                    "added mock helper {} (operation {id}; feature mock, sealed trait)",
                    mock_path(new)
                ),
            ),
            (None, Some(new)) => self.push(
                Class::Breaking,
                format!(
                    "added mock helper {} (operation {id}; feature mock): the trait is not \
                     sealed, so its implementors must add the method",
                    mock_path(new)
                ),
            ),
            (Some(old), None) => self.push(
                Class::Breaking,
                format!(
                    "removed mock helper {} (operation {id}; feature mock)",
                    mock_path(old)
                ),
            ),
            (Some(old), Some(new)) if old != new => self.push(
                Class::Breaking,
                format!(
                    "changed mock helper {} (feature mock): {} -> {}",
                    mock_path(old),
                    render::mock_signature(old),
                    render::mock_signature(new)
                ),
            ),
            _ => {}
        }
    }

    /// Changes of the mock helper trait itself.
    fn mock_trait(&mut self, old: Option<&MockTrait>, new: Option<&MockTrait>) {
        match (old, new) {
            (None, Some(new)) => self.push(
                Class::Additive,
                format!("added trait {} (feature mock)", new.name),
            ),
            (Some(old), None) => self.push(
                Class::Breaking,
                format!("removed trait {} (feature mock)", old.name),
            ),
            (Some(old), Some(new)) if old.sealed && !new.sealed => self.push(
                Class::Additive,
                format!("trait {} is no longer sealed (feature mock)", new.name),
            ),
            (Some(old), Some(new)) if !old.sealed && new.sealed => self.push(
                Class::Breaking,
                format!(
                    "trait {} is now sealed (feature mock): implementations outside the crate \
                     stop compiling",
                    new.name
                ),
            ),
            _ => {}
        }
    }

    /// Changes of an operation present on both sides.
    fn operation(&mut self, id: &str, old: &Operation, new: &Operation) {
        if old.route() != new.route() {
            // The route is not part of any Rust signature: the method keeps its name and
            // parameters and simply calls the new route.
            self.push(
                Class::Docs,
                format!(
                    "changed route of operation {id}: {} -> {}",
                    old.route(),
                    new.route()
                ),
            );
        }
        match (&old.rust, &new.rust) {
            (Some(old), Some(new)) => self.rust_operation(id, old, new),
            (None, Some(new)) => self.push(
                Class::Additive,
                format!("operation {id} is now generated: Client::{}()", new.method),
            ),
            (Some(old), None) => self.push(
                Class::Breaking,
                format!(
                    "operation {id} is no longer generated: Client::{}() removed",
                    old.method
                ),
            ),
            (None, None) => {}
        }
    }

    /// Changes of the generated method of an operation.
    fn rust_operation(&mut self, id: &str, old: &RustOperation, new: &RustOperation) {
        if old.method != new.method {
            self.push(
                Class::Breaking,
                format!(
                    "renamed method of operation {id}: Client::{}() -> Client::{}()",
                    old.method, new.method
                ),
            );
        }
        self.doc(
            &format!("operation {id}"),
            old.doc.as_ref(),
            new.doc.as_ref(),
        );
        for entry in pair_up(&old.params, &new.params) {
            match entry {
                Paired::Added(name, param) => self.added_param(id, name, param),
                Paired::Removed(name, _) => {
                    self.push(Class::Breaking, format!("removed parameter {id}.{name}"))
                }
                Paired::Both(name, old, new) => self.param(id, name, old, new),
            }
        }
        match (&old.body, &new.body) {
            (Some(old), Some(new)) => self.param(id, "body", old, new),
            (None, Some(new)) => self.added_param(id, "body", new),
            (Some(_), None) => self.push(Class::Breaking, format!("removed parameter {id}.body")),
            (None, None) => {}
        }
        if old.success != new.success {
            self.push(
                Class::Breaking,
                format!(
                    "changed success type of operation {id}: {} -> {}",
                    old.success, new.success
                ),
            );
        }
        if old.error != new.error {
            self.push(
                Class::Breaking,
                format!(
                    "changed error type of operation {id}: {} -> {}",
                    old.error, new.error
                ),
            );
        }
    }

    /// A new parameter breaks callers only if `send()` fails without it.
    fn added_param(&mut self, id: &str, name: &str, param: &Param) {
        let class = match param.requirement {
            Requirement::Required => Class::Breaking,
            Requirement::Optional | Requirement::Defaulted => Class::Additive,
        };
        self.push(
            class,
            format!(
                "added {} parameter {id}.{name}: {}",
                param.requirement, param.ty
            ),
        );
    }

    /// Changes of a parameter present on both sides: its type, its requirement.
    fn param(&mut self, id: &str, name: &str, old: &Param, new: &Param) {
        if old.ty != new.ty {
            self.push(
                Class::Breaking,
                format!("changed parameter {id}.{name}: {} -> {}", old.ty, new.ty),
            );
        }
        if old.requirement != new.requirement {
            let class = Class::breaking_if(new.requirement == Requirement::Required);
            self.push(
                class,
                format!(
                    "parameter {id}.{name} is now {} (was {})",
                    new.requirement, old.requirement
                ),
            );
        }
    }
}

/// `MockServerExt::delete_voice`.
fn mock_path(mock: &MockHelper) -> String {
    format!("{}::{}", crate::codegen::httpmock::TRAIT_NAME, mock.method)
}

mod commands;
pub mod fixtures;
#[cfg(test)]
mod tests;
mod types;
