//! Ctrl-C, decided in one place. Outside critical steps the process stops at once with exit
//! 130, the terminal restored (a hidden prompt may have turned echo off) and a message that
//! says truthfully what was and was not written. Inside a critical step — the OAuth proof
//! holding live tokens, a keyring write — the stop waits until the step is done ([`hold`]),
//! so tokens are revoked and an entry is never left half-reported.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::error::{AppError, ExitKind};
use crate::output;

static HOLDS: AtomicUsize = AtomicUsize::new(0);
static PENDING: AtomicBool = AtomicBool::new(false);
/// What the stop says when nothing is held (updated as a command writes things).
static MESSAGE: Mutex<String> = Mutex::new(String::new());
/// What the stop says when it was deferred by a hold.
static AFTER_HOLD: Mutex<String> = Mutex::new(String::new());
static JSON: OnceLock<bool> = OnceLock::new();

/// Installs the handler for the whole run. `json`: the stop also prints the `--json`
/// envelope, so stdout still carries exactly one document.
pub fn install(json: bool) {
    let _ = JSON.set(json);
    set_message("Cancelled.");
    // Saved before any prompt changes the mode, so the stop can put it back.
    let saved = crate::terminal::save();
    let _ = ctrlc::set_handler(move || {
        if HOLDS.load(Ordering::SeqCst) > 0 {
            PENDING.store(true, Ordering::SeqCst);
            let _ = writeln!(
                io::stderr(),
                "\nStopping as soon as the current step is finished…"
            );
            return;
        }
        if let Some(mode) = &saved {
            crate::terminal::restore(mode);
        }
        stop(&lock(&MESSAGE));
    });
}

/// What a stop now would leave behind, e.g. "Cancelled; nothing was written."
pub fn set_message(message: impl Into<String>) {
    *lock(&MESSAGE) = message.into();
}

/// Defers Ctrl-C while alive; when the last hold drops after a Ctrl-C, the process stops
/// with `after` (which should say what the step completed).
#[must_use = "the step is protected only while the hold is alive"]
pub struct Hold(());

pub fn hold(after: impl Into<String>) -> Hold {
    *lock(&AFTER_HOLD) = after.into();
    HOLDS.fetch_add(1, Ordering::SeqCst);
    Hold(())
}

impl Drop for Hold {
    fn drop(&mut self) {
        if HOLDS.fetch_sub(1, Ordering::SeqCst) == 1 && PENDING.load(Ordering::SeqCst) {
            let message = lock(&AFTER_HOLD).clone();
            stop(&message);
        }
    }
}

fn lock(m: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn stop(message: &str) -> ! {
    let _ = console::Term::stderr().show_cursor();
    let _ = writeln!(io::stderr(), "\n{message}");
    if JSON.get().copied().unwrap_or(false) {
        let error = AppError::new(ExitKind::Cancelled, "cancelled", message);
        let _ = writeln!(
            io::stdout(),
            "{}",
            output::envelope(None, Some(&error), &[])
        );
    }
    std::process::exit(ExitKind::Cancelled.code().into())
}
