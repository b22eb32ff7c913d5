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

use serde::Serialize;
use serde_json::Value;

use crate::error::AppError;
use crate::report::{Check, CheckStatus};

#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
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

/// Where human output goes. stdout is for results; stderr for status, warnings and errors.
/// A closed pipe is not an error (`sf-webex-setup status | head -1`).
pub struct Printer {
    pub json: bool,
}

impl Printer {
    pub fn new(json: bool) -> Self {
        Printer { json }
    }

    /// A result line for people (suppressed with --json, which prints the envelope instead).
    pub fn result(&self, text: &str) {
        if !self.json {
            let _ = writeln!(io::stdout().lock(), "{text}");
        }
    }

    /// A status line for people, on stderr (also with --json: stdout stays one document).
    pub fn status(&self, text: &str) {
        let _ = writeln!(io::stderr().lock(), "{text}");
    }

    pub fn warn(&self, text: &str) {
        let _ = writeln!(
            io::stderr().lock(),
            "{} {text}",
            console::style("warning:").yellow().bold().for_stderr()
        );
    }

    pub fn error(&self, e: &AppError) {
        let _ = writeln!(
            io::stderr().lock(),
            "{} {e}",
            console::style("error:").red().bold().for_stderr()
        );
    }

    pub fn json(&self, document: &str) {
        let _ = writeln!(io::stdout().lock(), "{document}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ExitKind;

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
        let e = AppError::new(ExitKind::Store, "store_locked", "The keyring is locked.")
            .with_fix("unlock it");
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
            "pkce_required",
            "PKCE required",
            "a code was issued without a challenge",
            "tick PKCE",
        );
        assert_eq!(
            check_line(&c),
            "  ✗ PKCE required: a code was issued without a challenge\n      Try: tick PKCE"
        );
    }
}
