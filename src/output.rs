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

/// How checks are laid out: with every check's evidence (`--verbose`) or only a failing or
/// undecided one's, wrapped to `width` columns if given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckStyle {
    pub verbose: bool,
    pub width: Option<usize>,
}

/// One check, `gh auth status`-style: the glyph (✓ green, ✗ red, ? yellow when colour is
/// on), the title and its short verdict on one line; under a failing or undecided one —
/// under every one with `--verbose` — the evidence and the fix.
pub fn check_line(check: &Check, style: CheckStyle) -> String {
    let glyph = check.status.glyph();
    let glyph = match check.status {
        CheckStatus::Pass => console::style(glyph).green(),
        CheckStatus::Fail => console::style(glyph).red(),
        CheckStatus::Unknown => console::style(glyph).yellow(),
        CheckStatus::Skipped => console::style(glyph).dim(),
    };
    let mut text = format!("  {glyph} {}: {}", check.title, check.verdict);
    let explained = matches!(check.status, CheckStatus::Fail | CheckStatus::Unknown);
    if style.verbose || explained {
        text.push_str(&format!("\n      {}", check.detail));
        if let Some(fix) = &check.fix {
            text.push_str(&format!("\n      Try: {fix}"));
        }
    }
    match style.width {
        Some(width) => crate::text::wrap(&text, width),
        None => text,
    }
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
    width: Width,
}

/// What text for people is wrapped to.
#[derive(Clone, Copy, Debug)]
enum Width {
    /// Each stream's terminal width, asked at each write (a window may be resized); a
    /// stream that is not a terminal is not wrapped (logs, pipes).
    Terminal,
    /// Always this many columns (tests).
    Fixed(usize),
    Unwrapped,
}

type Shared = Arc<Mutex<Box<dyn Write + Send>>>;

impl Printer {
    /// The process's stdout and stderr, wrapped to their terminals' widths.
    pub fn new(json: bool) -> Self {
        Printer {
            width: Width::Terminal,
            ..Self::to(json, Box::new(io::stdout()), Box::new(io::stderr()))
        }
    }

    /// Any pair of writers (tests capture both), not wrapped.
    pub fn to(json: bool, out: Box<dyn Write + Send>, err: Box<dyn Write + Send>) -> Self {
        Printer {
            json,
            out: Arc::new(Mutex::new(out)),
            err: Arc::new(Mutex::new(err)),
            width: Width::Unwrapped,
        }
    }

    /// Wraps everything for people at `columns` (tests of the layout).
    pub fn wrapped_at(mut self, columns: usize) -> Self {
        self.width = Width::Fixed(columns);
        self
    }

    fn width_of(&self, term: fn() -> console::Term) -> Option<usize> {
        match self.width {
            Width::Terminal => term().size_checked().map(|(_, cols)| usize::from(cols)),
            Width::Fixed(columns) => Some(columns),
            Width::Unwrapped => None,
        }
    }

    /// The width results are wrapped to (`None`: not a terminal).
    pub fn out_width(&self) -> Option<usize> {
        self.width_of(console::Term::stdout)
    }

    /// The width status, warnings and errors are wrapped to.
    pub fn err_width(&self) -> Option<usize> {
        self.width_of(console::Term::stderr)
    }

    /// How checks are laid out on stdout.
    pub fn check_style(&self, verbose: bool) -> CheckStyle {
        CheckStyle {
            verbose,
            width: self.out_width(),
        }
    }

    fn wrap(text: &str, width: Option<usize>) -> String {
        match width {
            Some(w) => crate::text::wrap(text, w),
            None => text.to_string(),
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
            let text = Self::wrap(text, self.out_width());
            Self::write(&self.out, format_args!("{text}\n"));
        }
    }

    /// A status line for people, on stderr (also with --json: stdout stays one document).
    pub fn status(&self, text: &str) {
        let text = Self::wrap(text, self.err_width());
        Self::write(&self.err, format_args!("{text}\n"));
    }

    /// Status text without a line break (a prompt, a countdown redrawn with `\r`).
    pub fn status_inline(&self, text: &str) {
        Self::write(&self.err, format_args!("{text}"));
    }

    pub fn warn(&self, text: &str) {
        let label = console::style("warning:").yellow().bold().for_stderr();
        let text = Self::wrap(&format!("{label} {text}"), self.err_width());
        Self::write(&self.err, format_args!("{text}\n"));
    }

    /// An error; a cancellation is said as it is, without the "error:" label.
    pub fn error(&self, e: &AppError) {
        let text = if matches!(
            e.code,
            crate::error::ErrorCode::Cancelled | crate::error::ErrorCode::Terminated
        ) {
            e.to_string()
        } else {
            let label = console::style("error:").red().bold().for_stderr();
            format!("{label} {e}")
        };
        let text = Self::wrap(&text, self.err_width());
        Self::write(&self.err, format_args!("{text}\n"));
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
    fn a_failing_check_shows_its_verdict_then_evidence_and_fix_a_passing_one_one_line() {
        console::set_colors_enabled(false);
        let id = crate::report::CheckId::PkceRequired;
        let fail = Check::fail(id, "a code was issued without a challenge", "tick PKCE")
            .with_verdict("not required");
        let pass = Check::pass(id, "refused without a challenge: invalid_request")
            .with_verdict("a request without a challenge is refused");
        let plain = CheckStyle::default();
        assert_eq!(
            check_line(&fail, plain),
            "  ✗ PKCE required: not required\n      a code was issued without a challenge\n      Try: tick PKCE"
        );
        assert_eq!(
            check_line(&pass, plain),
            "  ✓ PKCE required: a request without a challenge is refused"
        );
        let verbose = CheckStyle {
            verbose: true,
            ..plain
        };
        assert!(check_line(&pass, verbose)
            .ends_with("\n      refused without a challenge: invalid_request"));
    }

    #[test]
    fn glyphs_are_coloured_only_when_colour_is_on() {
        let fail = Check::fail(crate::report::CheckId::PkceRequired, "e", "f");
        console::set_colors_enabled(true);
        let coloured = check_line(&fail, CheckStyle::default());
        console::set_colors_enabled(false);
        let plain = check_line(&fail, CheckStyle::default());
        assert!(coloured.contains("\u{1b}[31m✗"), "{coloured:?}");
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
    }

    #[test]
    fn text_for_people_is_wrapped_at_the_width_and_json_never_is() {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Sink(Arc<Mutex<Vec<u8>>>);
        impl Write for Sink {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let (out, err) = (Sink::default(), Sink::default());
        let p = Printer::to(false, Box::new(out.clone()), Box::new(err.clone())).wrapped_at(30);
        p.result("one two three four five six seven eight nine ten");
        p.status("https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html is long");
        p.json(r#"{"status":"ok","result":{"text":"one two three four five six seven"}}"#);
        let out = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        let err = String::from_utf8(err.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[..2],
            ["one two three four five six", "seven eight nine ten"]
        );
        assert_eq!(lines.len(), 3, "the JSON document is one line: {out}");
        assert_eq!(
            err,
            "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html\nis long\n"
        );
    }
}
