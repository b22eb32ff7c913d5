//! The signals that stop a run, per platform: Ctrl-C (SIGINT, or the Windows console
//! event) and, on Unix, SIGTERM and SIGHUP (systemd stop, `timeout`, a CI cancel, a closed
//! terminal), told apart so that `main` can exit 130 or 143.

/// What stopped the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C.
    Interrupt,
    /// SIGTERM or SIGHUP.
    Terminate,
}

/// Calls `on_signal` (on a thread of its own) for every stopping signal.
#[cfg(unix)]
pub fn install(on_signal: impl Fn(Signal) + Send + 'static) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            on_signal(if signal == SIGINT {
                Signal::Interrupt
            } else {
                Signal::Terminate
            });
        }
    });
}

#[cfg(windows)]
pub fn install(on_signal: impl Fn(Signal) + Send + 'static) {
    let _ = ctrlc::set_handler(move || on_signal(Signal::Interrupt));
}
