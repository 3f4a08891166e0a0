//! Reading a secret (the API key) from the terminal without echoing it.
//!
//! Echo goes off before the prompt is shown, as getpass(3) does: whatever is typed once the
//! prompt is up is neither echoed nor lost. (Printing the prompt first and then switching echo
//! off with `TCSAFLUSH`, as `console::Term::read_secure_line` does, throws away what a fast
//! typist or a script sends between the two.)

use std::io;

/// The longest line read, in bytes.
const LIMIT: u64 = 64 * 1024;

/// Shows `prompt` on the controlling terminal and reads one line with echo off; the terminal's
/// settings are restored before returning, whatever happened.
#[cfg(unix)]
pub fn read_hidden_line(prompt: &str) -> io::Result<String> {
    use std::io::{BufRead, Read, Write};
    use std::os::fd::AsRawFd;

    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")?;
    let fd = tty.as_raw_fd();
    let mut settings = std::mem::MaybeUninit::<libc::termios>::uninit();
    // SAFETY: `fd` is open for the whole call and `settings` is a valid termios to fill.
    if unsafe { libc::tcgetattr(fd, settings.as_mut_ptr()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: tcgetattr succeeded, so it initialised `settings`.
    let original = unsafe { settings.assume_init() };
    let mut hidden = original;
    hidden.c_lflag &= !libc::ECHO;
    // The Enter that ends the line still moves the cursor to the next line.
    hidden.c_lflag |= libc::ECHONL;
    // SAFETY: `fd` is open and `hidden` is a termios read from it.
    if unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &hidden) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let _restore = Restore { fd, original };

    let mut writer = &tty;
    writer.write_all(prompt.as_bytes())?;
    writer.flush()?;
    let mut line = String::new();
    io::BufReader::new((&tty).take(LIMIT)).read_line(&mut line)?;
    Ok(line)
}

/// Puts the terminal's settings back when dropped.
#[cfg(unix)]
struct Restore {
    fd: std::os::fd::RawFd,
    original: libc::termios,
}

#[cfg(unix)]
impl Drop for Restore {
    fn drop(&mut self) {
        // SAFETY: the descriptor outlives this guard (it is dropped first, in the function
        // that opened it) and `original` is the termios read from it.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &self.original);
        }
    }
}

/// Elsewhere, the console crate's hidden read, prompt first.
#[cfg(not(unix))]
pub fn read_hidden_line(prompt: &str) -> io::Result<String> {
    let terminal = console::Term::stderr();
    terminal.write_str(prompt)?;
    terminal.read_secure_line()
}
