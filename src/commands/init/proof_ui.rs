//! The OAuth proof's terminal side: the login URL, "press Enter", the paste prompt and the
//! countdown while the browser is out, all on stderr through the printer (stdout stays for
//! results).

use std::io::{self, BufRead, IsTerminal};
use std::time::Duration;

use dialoguer::Input;

use crate::error::{AppError, ErrorCode};
use crate::output::Printer;
use crate::proof::ProofUi;

/// Runs a blocking terminal read from inside the proof. The proof runs on the
/// multi-threaded runtime ([`crate::commands::Context::runtime`]), where this is allowed;
/// anywhere else it simply runs the read.
fn block_in_place<T>(read: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(read)
        }
        _ => read(),
    }
}

pub struct TerminalProofUi {
    printer: Printer,
    /// Every warning shown, for the `--json` envelope.
    pub warned: Vec<String>,
    interactive: bool,
    /// A countdown line is drawn only on a terminal (a log file gets no `\r` noise).
    draw: bool,
    drawn: bool,
}

impl TerminalProofUi {
    pub fn new(printer: Printer, interactive: bool) -> Self {
        TerminalProofUi {
            printer,
            warned: Vec::new(),
            interactive,
            draw: io::stderr().is_terminal(),
            drawn: false,
        }
    }

    /// Removes the countdown line before anything else is printed.
    fn clear(&mut self) {
        if self.drawn {
            self.printer.status_inline("\r\x1b[2K");
            self.drawn = false;
        }
    }

    /// Redraws the one status line, cut to the terminal's width: a wrapped
    /// line would leave its tail behind on every redraw.
    fn redraw(&mut self, line: &str) {
        let line = match self.printer.err_width() {
            Some(width) => console::truncate_str(line, width.saturating_sub(1), "…").into_owned(),
            None => line.to_string(),
        };
        self.printer.status_inline(&format!("\r\x1b[2K{line}"));
        self.drawn = true;
    }
}

impl Drop for TerminalProofUi {
    fn drop(&mut self) {
        self.clear();
    }
}

fn terminal_failed(e: io::Error) -> AppError {
    AppError::new(ErrorCode::TerminalError, "The terminal could not be read.").with_source(e)
}

/// A dialoguer prompt's failure: Ctrl-C (an interrupted read) cancels.
fn prompt_failed(e: dialoguer::Error) -> AppError {
    match e {
        dialoguer::Error::IO(io) if io.kind() == io::ErrorKind::Interrupted => {
            AppError::cancelled()
        }
        dialoguer::Error::IO(io) => terminal_failed(io),
    }
}

impl ProofUi for TerminalProofUi {
    fn show_url(&mut self, url: &str) {
        self.clear();
        self.printer.status(&format!(
            "\nSign in to the org as an admin to prove the app works. The login URL:\n  {url}"
        ));
    }

    fn wait_for_enter(&mut self) -> Result<(), AppError> {
        if !self.interactive {
            return Ok(());
        }
        self.printer
            .status_inline("Press Enter to open it in your browser… ");
        let mut line = String::new();
        // A blocking read: let the runtime move its other work (the listener) elsewhere.
        match block_in_place(|| io::stdin().lock().read_line(&mut line)) {
            Ok(0) => Err(AppError::cancelled()),
            Ok(_) => Ok(()),
            Err(e) => Err(terminal_failed(e)),
        }
    }

    fn open_it_yourself(&mut self) {
        self.printer.status(
            "Open it in a browser on this computer (--no-browser: none is started here); the check waits for the sign-in.",
        );
    }

    fn read_pasted(&mut self) -> Result<String, AppError> {
        self.clear();
        if !self.interactive {
            return Err(AppError::new(
                ErrorCode::PasteNeedsTerminal,
                "Paste mode needs a person at a terminal.",
            )
            .with_fix("run without --paste and set $BROWSER, or run interactively"));
        }
        self.printer.status(
            "After signing in, the browser lands on http://localhost:…/OauthRedirect?code=… (a \"can't connect\" page is fine: the address bar still has it).",
        );
        block_in_place(|| {
            Input::<String>::new()
                .with_prompt("Paste that whole address (or just the code)")
                .interact_text()
        })
        .map_err(prompt_failed)
    }

    fn countdown(&mut self, remaining: Duration) {
        if !self.draw {
            return;
        }
        self.redraw(&format!(
            "  Waiting for the sign-in in your browser… {} left (Ctrl-C cancels)",
            mmss(remaining)
        ));
    }

    fn warn(&mut self, message: &str) {
        self.clear();
        self.printer.warn(message);
        self.warned.push(message.to_string());
    }

    fn offer_wait(&mut self, limit: Duration, poll: Duration) -> Result<bool, AppError> {
        self.clear();
        if !self.interactive {
            return Ok(false);
        }
        let prompt = format!(
            "Wait for it here (re-checked every {}, up to {}; your answers are kept)?",
            humantime::format_duration(poll),
            humantime::format_duration(limit)
        );
        block_in_place(|| {
            dialoguer::Confirm::new()
                .with_prompt(prompt)
                .default(true)
                .interact_opt()
        })
        .map_err(prompt_failed)?
        .ok_or_else(AppError::cancelled)
    }

    fn waiting(&mut self, next_check: Duration, waited: Duration, limit: Duration) {
        if !self.draw {
            return;
        }
        self.redraw(&format!(
            "  Waiting for the app to reach Salesforce's servers… next check in {} ({} of {}; Ctrl-C stops)",
            mmss(next_check),
            mmss(waited),
            mmss(limit)
        ));
    }

    fn note(&mut self, message: &str) {
        self.clear();
        self.printer.status(&format!("  {message}"));
    }
}

/// `m:ss`.
fn mmss(d: Duration) -> String {
    let secs = d.as_secs();
    format!("{}:{:02}", secs / 60, secs % 60)
}
