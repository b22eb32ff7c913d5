//! The result of a proof or a re-check: one [`Check`] per thing proved, each pass / fail /
//! unknown / skipped with its evidence and fix. `init`, `init --verify` and `--json` all use
//! these objects, so a script sees the same `id`s whichever command produced them.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// Proved, with evidence.
    Pass,
    /// Disproved: the app or a credential is wrong; `fix` says what to change.
    Fail,
    /// Could not be decided (e.g. the server is not Salesforce, or a login was needed);
    /// `detail` says why. Never a guessed pass.
    Unknown,
    /// Not attempted (e.g. `--no-login`); `detail` says why.
    Skipped,
}

impl CheckStatus {
    /// The glyph printed in the human report.
    pub fn glyph(self) -> &'static str {
        match self {
            CheckStatus::Pass => "✓",
            CheckStatus::Fail => "✗",
            CheckStatus::Unknown => "?",
            CheckStatus::Skipped => "-",
        }
    }
}

/// One proved (or unproved) property of the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable identifier, e.g. `client_and_callback`, `token_exchange`, `secret_signature`.
    pub id: &'static str,
    /// What was checked, for people.
    pub title: String,
    pub status: CheckStatus,
    /// The evidence (or why it could not be decided). Never contains a secret or token.
    pub detail: String,
    /// What to change, for a failure (the Setup field, the command).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn new(
        id: &'static str,
        title: impl Into<String>,
        status: CheckStatus,
        detail: impl Into<String>,
    ) -> Self {
        Check {
            id,
            title: title.into(),
            status,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn pass(id: &'static str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(id, title, CheckStatus::Pass, detail)
    }

    pub fn fail(
        id: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self::new(id, title, CheckStatus::Fail, detail).with_fix(fix)
    }

    pub fn unknown(id: &'static str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(id, title, CheckStatus::Unknown, detail)
    }

    pub fn skipped(id: &'static str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(id, title, CheckStatus::Skipped, detail)
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// True when no check failed (unknown and skipped do not fail a run).
pub fn all_passed_or_undecided(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status != CheckStatus::Fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_serialise_with_lowercase_status_and_no_empty_fix() {
        let c = Check::pass(
            "token_exchange",
            "Token exchange",
            "HTTP 200 with access_token",
        );
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"id":"token_exchange","title":"Token exchange","status":"pass","detail":"HTTP 200 with access_token"}"#
        );
        let f = Check::fail(
            "pkce_required",
            "PKCE",
            "accepted without a challenge",
            "tick PKCE",
        );
        assert!(serde_json::to_string(&f)
            .unwrap()
            .contains(r#""status":"fail","#));
    }

    #[test]
    fn a_single_failure_fails_the_run_but_unknown_does_not() {
        let ok = Check::pass("a", "a", "");
        let unk = Check::unknown("b", "b", "not Salesforce");
        assert!(all_passed_or_undecided(&[ok.clone(), unk.clone()]));
        assert!(!all_passed_or_undecided(&[
            ok,
            unk,
            Check::fail("c", "c", "", "")
        ]));
    }
}
