//! The question a destructive command asks first (every DELETE, and stopping a session).

use std::io::{BufRead, IsTerminal, Write};

use crate::output::EXIT_USAGE;

/// Whether to go on with `action` (`Delete persona 1234`): yes with `--yes`; on a terminal,
/// when the user answers `y`; without a terminal, never (`--yes` is the only way, so a script
/// cannot delete by accident). `None` means go on; `Some(status)` means stop with that exit
/// status, with the reason already on stderr: [`EXIT_USAGE`] when refused for want of
/// `--yes` or when the user said no (nothing was sent: like any input refused before
/// sending).
pub fn ask(action: &str, yes: bool) -> std::io::Result<Option<u8>> {
    if yes {
        return Ok(None);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        let _ = writeln!(
            std::io::stderr(),
            "error: {action}: refused without --yes (there is no terminal to ask on); pass \
             --yes to confirm. Nothing was sent."
        );
        return Ok(Some(EXIT_USAGE));
    }
    write!(std::io::stderr(), "{action}? This cannot be undone. [y/N] ")?;
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if is_yes(&answer) {
        Ok(None)
    } else {
        let _ = writeln!(std::io::stderr(), "cancelled: nothing was sent");
        Ok(Some(EXIT_USAGE))
    }
}

/// `y` or `yes`, in any case, around any white space.
fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_y_or_yes_confirms() {
        for answer in ["y\n", "Y\n", " yes \n", "YES"] {
            assert!(is_yes(answer), "{answer:?}");
        }
        for answer in ["", "\n", "n\n", "no", "yess", "ja"] {
            assert!(!is_yes(answer), "{answer:?}");
        }
    }
}
