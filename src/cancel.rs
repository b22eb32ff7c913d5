//! Ctrl-C (and SIGTERM / SIGHUP, which are treated the same way), decided in one place. Outside critical steps a stop is delivered at once to
//! `main` (as a [`Stop`], to the function given to [`install`]), which prints a message
//! that says truthfully what was and was not written and exits 130; the terminal is put
//! back first (a hidden prompt may have turned echo off). Inside a critical step — the
//! OAuth proof holding live tokens, a keyring write — the stop waits until the step is done
//! ([`hold`]), so tokens are revoked and an entry is never left half-reported.
//!
//! Nothing here exits the process: `main` alone does, when it receives the stop.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::error::{AppError, ErrorCode};
use crate::signals::{self, Signal};

static HOLDS: AtomicUsize = AtomicUsize::new(0);
/// A stop arrived during a hold; `TERMINATED`: it was SIGTERM/SIGHUP.
static PENDING: AtomicBool = AtomicBool::new(false);
static TERMINATED: AtomicBool = AtomicBool::new(false);
/// What the stop says when nothing is held (updated as a command writes things).
static MESSAGE: Mutex<String> = Mutex::new(String::new());
/// What the stop says when it was deferred by a hold.
static AFTER_HOLD: Mutex<String> = Mutex::new(String::new());
/// Where stops are delivered (`main`).
static DELIVER: OnceLock<Box<dyn Fn(Stop) + Send + Sync>> = OnceLock::new();

/// A stop for `main` to carry out: the message says what was (not) written.
#[derive(Debug)]
pub struct Stop {
    pub message: String,
    pub signal: Signal,
}

impl Stop {
    /// The stop as the error `main` reports: exit 130 for Ctrl-C, 143 for SIGTERM/SIGHUP.
    pub fn into_error(self) -> AppError {
        match self.signal {
            Signal::Interrupt => AppError::new(ErrorCode::Cancelled, self.message),
            Signal::Terminate => AppError::new(
                ErrorCode::Terminated,
                self.message.replacen("Cancelled", "Terminated", 1),
            ),
        }
    }
}

/// Installs the handler for the whole run; each stop is handed to `deliver` (from the
/// handler's thread, or from the thread whose hold ended).
pub fn install(on_stop: Box<dyn Fn(Stop) + Send + Sync>) {
    set_message("Cancelled.");
    if DELIVER.set(on_stop).is_err() {
        return;
    }
    signals::install(|signal| {
        if HOLDS.load(Ordering::SeqCst) > 0 {
            TERMINATED.fetch_or(signal == Signal::Terminate, Ordering::SeqCst);
            PENDING.store(true, Ordering::SeqCst);
            eprint_line("\nStopping as soon as the current step is finished…");
            return;
        }
        deliver(lock(&MESSAGE).clone(), signal);
    });
}

/// What a stop now would leave behind, e.g. "Cancelled; nothing was written."
pub fn set_message(message: impl Into<String>) {
    *lock(&MESSAGE) = message.into();
}

/// Defers Ctrl-C while alive; when the last hold drops after a Ctrl-C, the stop is
/// delivered with `after` (which should say what the step completed).
#[must_use = "the step is protected only while the hold is alive"]
pub struct Hold(());

pub fn hold(after: impl Into<String>) -> Hold {
    *lock(&AFTER_HOLD) = after.into();
    HOLDS.fetch_add(1, Ordering::SeqCst);
    Hold(())
}

impl Drop for Hold {
    fn drop(&mut self) {
        if HOLDS.fetch_sub(1, Ordering::SeqCst) == 1 && PENDING.swap(false, Ordering::SeqCst) {
            let signal = if TERMINATED.load(Ordering::SeqCst) {
                Signal::Terminate
            } else {
                Signal::Interrupt
            };
            deliver(lock(&AFTER_HOLD).clone(), signal);
        }
    }
}

fn lock(m: &Mutex<String>) -> std::sync::MutexGuard<'_, String> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn deliver(message: String, signal: Signal) {
    if let Some(deliver) = DELIVER.get() {
        deliver(Stop { message, signal });
    }
}

/// The handler's one line of its own (the rest is `main`'s to say).
fn eprint_line(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}
