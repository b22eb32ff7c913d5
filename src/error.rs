//! The one error type that reaches the user: what went wrong, why, the exact fix, a stable
//! machine-readable code and the documented exit code it maps to.
//!
//! Lower layers keep their own error enums; they convert into [`AppError`] at the edge so
//! that the human printer and the `--json` envelope say exactly the same thing.

use std::fmt;

/// Documented exit codes (`--help`, README). Never renumber: scripts depend on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// 1: a bug or an unexpected local failure.
    Internal,
    /// 2: invalid input or usage (a missing or wrong answer, a bad flag).
    Usage,
    /// 3: Salesforce (or the OAuth server) rejected the app or a credential.
    Rejected,
    /// 4: the credential store failed (locked, missing, unreachable, entry not found).
    Store,
    /// 5: the network failed (DNS, TLS, connection, timeout).
    Network,
    /// 130: the user cancelled (Ctrl-C, Esc).
    Cancelled,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        match self {
            ExitKind::Internal => 1,
            ExitKind::Usage => 2,
            ExitKind::Rejected => 3,
            ExitKind::Store => 4,
            ExitKind::Network => 5,
            ExitKind::Cancelled => 130,
        }
    }
}

/// A failure as the user sees it. `code` is a stable snake_case identifier (documented in
/// the README's error table); `message` says what and why; `fix` says exactly what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppError {
    pub kind: ExitKind,
    pub code: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

impl AppError {
    pub fn new(kind: ExitKind, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            kind,
            code,
            message: message.into(),
            fix: None,
        }
    }

    /// Adds the "Try: …" part. Give the exact command or Setup field, not advice.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn usage(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(ExitKind::Usage, code, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ExitKind::Internal, "internal_error", message)
            .with_fix("This is a bug in sf-webex-setup; please report it with the command you ran.")
    }

    pub fn cancelled() -> Self {
        Self::new(
            ExitKind::Cancelled,
            "cancelled",
            "Cancelled; nothing was written.",
        )
    }

    /// A required answer is missing and no prompt may be shown.
    pub fn missing_answer(what: &str, flag: &str, env: &str) -> Self {
        Self::usage(
            "missing_answer",
            format!("{what} is required and no prompt can be shown (non-interactive mode)."),
        )
        .with_fix(format!("pass {flag} (or set {env})"))
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.code()
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n  Try: {fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_documented_table() {
        let table = [
            (ExitKind::Internal, 1),
            (ExitKind::Usage, 2),
            (ExitKind::Rejected, 3),
            (ExitKind::Store, 4),
            (ExitKind::Network, 5),
            (ExitKind::Cancelled, 130),
        ];
        for (kind, code) in table {
            assert_eq!(kind.code(), code, "{kind:?}");
        }
    }

    #[test]
    fn display_puts_the_fix_on_its_own_try_line() {
        let e = AppError::missing_answer(
            "The contact email",
            "--contact-email",
            "SF_WEBEX_CONTACT_EMAIL",
        );
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            "The contact email is required and no prompt can be shown (non-interactive mode).\n  Try: pass --contact-email (or set SF_WEBEX_CONTACT_EMAIL)"
        );
    }
}
