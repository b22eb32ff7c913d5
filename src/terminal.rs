//! The terminal's input mode, saved before any prompt changes it and put back when Ctrl-C
//! stops the run in the middle of one (a hidden prompt turns echo off). Unix: the termios
//! attributes of stdin. Windows: the console input mode, through winapi-util's safe
//! wrappers (the console crate that dialoguer uses changes it while reading a key).

/// The mode as it was; restore it with [`restore`].
#[cfg(unix)]
pub struct Saved(rustix::termios::Termios);

/// The mode as it was; restore it with [`restore`].
#[cfg(windows)]
pub struct Saved(u32);

/// The current mode of stdin, or `None` when stdin is not a terminal.
#[cfg(unix)]
pub fn save() -> Option<Saved> {
    rustix::termios::tcgetattr(std::io::stdin()).ok().map(Saved)
}

#[cfg(windows)]
pub fn save() -> Option<Saved> {
    winapi_util::console::mode(winapi_util::HandleRef::stdin())
        .ok()
        .map(Saved)
}

/// Puts the saved mode back; best effort (the process is stopping anyway).
#[cfg(unix)]
pub fn restore(saved: &Saved) {
    let _ = rustix::termios::tcsetattr(
        std::io::stdin(),
        rustix::termios::OptionalActions::Now,
        &saved.0,
    );
}

#[cfg(windows)]
pub fn restore(saved: &Saved) {
    let _ = winapi_util::console::set_mode(winapi_util::HandleRef::stdin(), saved.0);
}
