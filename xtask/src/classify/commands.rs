//! Changes of the `anam` binary's commands: a script names a command and its arguments, so a
//! removed or renamed command, a removed argument, or a new required one breaks CLI users; a
//! new command or optional flag does not.

use super::{Changes, Class};
use crate::surface::Command;

impl Changes {
    /// Changes of the commands of operation `id`, matched by name.
    pub(super) fn commands(&mut self, id: &str, old: &[Command], new: &[Command]) {
        for command in new {
            if !old.iter().any(|o| o.name == command.name) {
                self.push(
                    Class::Additive,
                    format!("added command `anam {}` (operation {id})", command.name),
                );
            }
        }
        for command in old {
            let Some(renewed) = new.iter().find(|n| n.name == command.name) else {
                let now = match new.first() {
                    Some(other) => format!(", now `anam {}`", other.name),
                    None => String::new(),
                };
                self.push(
                    Class::Breaking,
                    format!(
                        "removed command `anam {}` (operation {id}{now}; breaks CLI users)",
                        command.name
                    ),
                );
                continue;
            };
            self.arguments(command, renewed);
        }
    }

    fn arguments(&mut self, old: &Command, new: &Command) {
        for (argument, was_required) in &old.arguments {
            match new.arguments.get(argument) {
                None => self.push(
                    Class::Breaking,
                    format!(
                        "removed `{argument}` from `anam {}` (breaks CLI users)",
                        new.name
                    ),
                ),
                Some(true) if !was_required => self.push(
                    Class::Breaking,
                    format!("`{argument}` of `anam {}` is now required", new.name),
                ),
                Some(_) => {}
            }
        }
        for (argument, required) in &new.arguments {
            if old.arguments.contains_key(argument) {
                continue;
            }
            let (class, what) = if *required {
                (Class::Breaking, "required")
            } else {
                (Class::Additive, "optional")
            };
            self.push(
                class,
                format!("added {what} `{argument}` to `anam {}`", new.name),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(name: &str, arguments: &[(&str, bool)]) -> Command {
        Command {
            name: name.into(),
            usage: format!("anam {name}"),
            arguments: arguments.iter().map(|(a, r)| (a.to_string(), *r)).collect(),
        }
    }

    fn classified(old: &[Command], new: &[Command]) -> Vec<String> {
        let mut changes = Changes {
            list: Vec::new(),
            mock_sealed: true,
        };
        changes.commands("op", old, new);
        changes
            .list
            .iter()
            .map(|c| format!("{} {}", c.class, c.text))
            .collect()
    }

    #[test]
    fn renamed_commands_and_removed_or_newly_required_arguments_break_cli_users() {
        let old = [command("tools get", &[("<id>", true), ("--all", false)])];
        assert_eq!(
            classified(&old, &[command("tools fetch", &[("<id>", true)])]),
            [
                "ADDITIVE added command `anam tools fetch` (operation op)",
                "BREAKING removed command `anam tools get` (operation op, now `anam tools \
                 fetch`; breaks CLI users)"
            ]
        );
        let changed = command(
            "tools get",
            &[("<id>", true), ("--all", true), ("--x", true)],
        );
        assert_eq!(
            classified(&old, &[changed]),
            [
                "BREAKING `--all` of `anam tools get` is now required",
                "BREAKING added required `--x` to `anam tools get`"
            ]
        );
        let fewer = command("tools get", &[("<id>", true), ("--search", false)]);
        assert_eq!(
            classified(&old, &[fewer]),
            [
                "BREAKING removed `--all` from `anam tools get` (breaks CLI users)",
                "ADDITIVE added optional `--search` to `anam tools get`"
            ]
        );
        assert!(classified(&old, &old).is_empty());
    }
}
