//! Everything the user sees that is not a prompt: the human report (stdout for results,
//! stderr for status) and the `--json` envelope.
//!
//! # JSON format
//!
//! With `--json`, stdout carries exactly one document, even on failure:
//!
//! ```json
//! {"status":"ok","result":{…},"warnings":["…"],"error":null}
//! {"status":"error","result":null,"warnings":[],"error":{"code":"missing_answer","exit_code":2,"message":"…","fix":"…"}}
//! ```
//!
//! On an error after work was done (e.g. the OAuth proof ran and a check failed), `result`
//! still carries what was done (the checks), so a script sees why.
//!
//! `error.code` is stable (see the README's table); `exit_code` equals the process's exit
//! code. Nothing in the envelope is ever a secret: the consumer secret, tokens and codes are
//! never placed in a `result`.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;

use crate::error::{AppError, ErrorCode};
use crate::report::{Check, CheckStatus};

#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    code: ErrorCode,
    exit_code: u8,
    message: &'a str,
    fix: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Envelope<'a> {
    status: &'static str,
    result: Option<&'a Value>,
    warnings: &'a [String],
    error: Option<ErrorBody<'a>>,
}

/// The envelope for a finished command, as one line of JSON. `status` is "error" exactly
/// when `error` is given; `result` may accompany either.
pub fn envelope(result: Option<&Value>, error: Option<&AppError>, warnings: &[String]) -> String {
    let env = Envelope {
        status: if error.is_some() { "error" } else { "ok" },
        result,
        warnings,
        error: error.map(|e| ErrorBody {
            code: e.code,
            exit_code: e.exit_code(),
            message: &e.message,
            fix: e.fix.as_deref(),
        }),
    };
    // Serialising plain strings and a Value cannot fail.
    serde_json::to_string(&env).unwrap_or_else(|_| String::from(r#"{"status":"error"}"#))
}

/// Colour only for a terminal, and never with NO_COLOR or TERM=dumb.
pub fn configure_colours() {
    let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM").is_ok_and(|t| t == "dumb");
    if no_colour || !io::stderr().is_terminal() {
        console::set_colors_enabled_stderr(false);
    }
    if no_colour || !io::stdout().is_terminal() {
        console::set_colors_enabled(false);
    }
}

/// One check as a `gh auth status`-style line, with its fix under it.
pub fn check_line(check: &Check) -> String {
    let glyph = check.status.glyph();
    let glyph = match check.status {
        CheckStatus::Pass => console::style(glyph).green().for_stderr(),
        CheckStatus::Fail => console::style(glyph).red().for_stderr(),
        CheckStatus::Unknown => console::style(glyph).yellow().for_stderr(),
        CheckStatus::Skipped => console::style(glyph).dim().for_stderr(),
    };
    let mut line = format!("  {glyph} {}: {}", check.title, check.detail);
    if let Some(fix) = &check.fix {
        line.push_str(&format!("\n      Try: {fix}"));
    }
    line
}

/// Where everything the user sees goes, and the only place that writes it: data and
/// results to `out` (stdout), people's status, warnings, errors and prompts' companions to
/// `err` (stderr). Cloning shares the writers. A closed pipe is not an error
/// (`sf-webex-setup status | head -1`).
#[derive(Clone)]
pub struct Printer {
    pub json: bool,
    out: Shared,
    err: Shared,
}

type Shared = Arc<Mutex<Box<dyn Write + Send>>>;

impl Printer {
    /// The process's stdout and stderr.
    pub fn new(json: bool) -> Self {
        Self::to(json, Box::new(io::stdout()), Box::new(io::stderr()))
    }

    /// Any pair of writers (tests capture both).
    pub fn to(json: bool, out: Box<dyn Write + Send>, err: Box<dyn Write + Send>) -> Self {
        Printer {
            json,
            out: Arc::new(Mutex::new(out)),
            err: Arc::new(Mutex::new(err)),
        }
    }

    fn write(target: &Shared, text: std::fmt::Arguments<'_>) {
        let mut w = target.lock().unwrap_or_else(|p| p.into_inner());
        let _ = w.write_fmt(text);
        let _ = w.flush();
    }

    /// A result line for people (suppressed with --json, which prints the envelope instead).
    pub fn result(&self, text: &str) {
        if !self.json {
            Self::write(&self.out, format_args!("{text}\n"));
        }
    }

    /// A status line for people, on stderr (also with --json: stdout stays one document).
    pub fn status(&self, text: &str) {
        Self::write(&self.err, format_args!("{text}\n"));
    }

    /// Status text without a line break (a prompt, a countdown redrawn with `\r`).
    pub fn status_inline(&self, text: &str) {
        Self::write(&self.err, format_args!("{text}"));
    }

    pub fn warn(&self, text: &str) {
        let label = console::style("warning:").yellow().bold().for_stderr();
        Self::write(&self.err, format_args!("{label} {text}\n"));
    }

    /// An error; a cancellation is said as it is, without the "error:" label.
    pub fn error(&self, e: &AppError) {
        if matches!(
            e.code,
            crate::error::ErrorCode::Cancelled | crate::error::ErrorCode::Terminated
        ) {
            return Self::write(&self.err, format_args!("{e}\n"));
        }
        let label = console::style("error:").red().bold().for_stderr();
        Self::write(&self.err, format_args!("{label} {e}\n"));
    }

    /// The one `--json` document.
    pub fn json(&self, document: &str) {
        Self::write(&self.out, format_args!("{document}\n"));
    }

    /// A block of results for people, written by `write` in one go (status, verify).
    pub fn result_with(
        &self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.json {
            return Ok(());
        }
        let mut w = self.out.lock().unwrap_or_else(|p| p.into_inner());
        match write(&mut **w).and_then(|()| w.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn ok_envelope_has_all_four_keys() {
        let result = serde_json::json!({"profile": "default"});
        let text = envelope(Some(&result), None, &["extra scope full".to_string()]);
        assert_eq!(
            text,
            r#"{"status":"ok","result":{"profile":"default"},"warnings":["extra scope full"],"error":null}"#
        );
    }

    #[test]
    fn error_envelope_carries_code_exit_code_message_and_fix() {
        let e =
            AppError::new(ErrorCode::StoreLocked, "The keyring is locked.").with_fix("unlock it");
        let v: Value = serde_json::from_str(&envelope(None, Some(&e), &[])).unwrap();
        assert_eq!(v["status"], "error");
        assert_eq!(v["result"], Value::Null);
        assert_eq!(v["error"]["code"], "store_locked");
        assert_eq!(v["error"]["exit_code"], 4);
        assert_eq!(v["error"]["fix"], "unlock it");
    }

    #[test]
    fn check_lines_show_glyph_title_detail_and_fix() {
        console::set_colors_enabled_stderr(false);
        let c = Check::fail(
            crate::report::CheckId::PkceRequired,
            "a code was issued without a challenge",
            "tick PKCE",
        );
        assert_eq!(
            check_line(&c),
            "  ✗ PKCE required: a code was issued without a challenge\n      Try: tick PKCE"
        );
    }
}
