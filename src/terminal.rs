//! The terminal's mode, saved before any prompt changes it and put back when the run is
//! stopped (a hidden prompt turns echo off; a stop must not leave it off).

use std::io;

/// The terminal mode at start-up, if stdin is a terminal.
pub struct SavedMode(Option<rustix::termios::Termios>);

/// Saves the current mode of stdin's terminal.
pub fn save() -> SavedMode {
    SavedMode(rustix::termios::tcgetattr(io::stdin()).ok())
}

impl SavedMode {
    /// Puts the saved mode back and shows the cursor (dialoguer hides it in lists).
    pub fn restore(&self) {
        if let Some(mode) = &self.0 {
            let _ = rustix::termios::tcsetattr(
                io::stdin(),
                rustix::termios::OptionalActions::Now,
                mode,
            );
        }
        let _ = console::Term::stderr().show_cursor();
    }
}
