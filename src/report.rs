//! The verdicts: one [`Check`] per thing proved, each pass / fail / unknown / skipped with
//! its evidence and fix, identified by a [`CheckId`]; and the one [`Report`] that the
//! proof, the no-login probes and `verify` all produce. `init`, `verify` and `--json` use
//! the same objects, so a script sees the same `id`s whichever command produced them.

use std::time::Duration;

use serde::{Serialize, Serializer};

use crate::error::{AppError, ErrorCode};

/// Declares [`CheckId`]: each check with its `--json` id, its title and what it proves (the
/// README's table), in report order.
macro_rules! check_ids {
    ($($variant:ident => $id:literal, $title:literal, $proves:literal;)+) => {
        /// The stable identifier of every check. Scripts match on the ids (`--json`), so
        /// never rename one; add new ones instead.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CheckId { $($variant),+ }

        impl CheckId {
            /// Every id, in report order.
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(CheckId::$variant => $id),+ }
            }

            /// What was checked, for people.
            pub fn title(self) -> &'static str {
                match self { $(CheckId::$variant => $title),+ }
            }

            /// What a pass proves (the README's table).
            pub fn proves(self) -> &'static str {
                match self { $(CheckId::$variant => $proves),+ }
            }
        }
    };
}

check_ids! {
    StoreEntry => "store_entry", "Stored credentials",
        "the stored entry loads and parses (the store is named)";
    Discovery => "discovery", "Login host and discovery document",
        "the login host answers and its discovery document names only allowed hosts";
    ClientAndCallback => "client_and_callback", "Consumer key known and callback registered",
        "the consumer key is known and every callback is registered";
    SignIn => "sign_in", "Sign-in allowed",
        "the admin signed in and allowed the app (Deny, or a policy refusing the user, fails here)";
    TokenExchange => "token_exchange", "Token exchange with secret and PKCE verifier",
        "the code exchange works with the secret and the PKCE verifier";
    SecretAccepted => "secret_accepted", "Consumer secret accepted",
        "a token request with the secret and a made-up code is not refused as `invalid_client`";
    SecretSignature => "secret_signature", "Consumer secret exactly right (signature)",
        "the token response's `signature` verifies with exactly your secret (catches a truncated copy)";
    ApiScope => "api_scope", "API access with the token",
        "an authenticated REST call on `instance_url` succeeds";
    ScopesGranted => "scopes_granted", "Required scopes granted",
        "every scope the recipe needs was granted and a refresh token issued";
    RefreshRequiresSecret => "refresh_requires_secret", "Refresh works and requires the secret",
        "refresh works with the secret and is refused without it";
    PkceRequired => "pkce_required", "PKCE required",
        "authorize without a code challenge is refused";
    Identity => "identity", "Who logged in",
        "who signed in: user, org id, instance";
    MetadataCallbackUrls => "metadata_callback_urls", "Salesforce's record: callback lines",
        "the app's callback lines, as the Metadata API reads them, hold the Webex URL (and match your answer)";
    MetadataScopes => "metadata_scopes", "Salesforce's record: OAuth scopes",
        "the recorded scopes are the recipe's";
    MetadataSecretWebServerFlow => "metadata_secret_web_server_flow", "Salesforce's record: secret for the code exchange",
        "the record requires the secret for the web-server flow";
    MetadataSecretRefreshTokenFlow => "metadata_secret_refresh_token_flow", "Salesforce's record: secret for refresh",
        "the record requires the secret for the refresh-token flow";
    MetadataPkce => "metadata_pkce", "Salesforce's record: PKCE",
        "the record requires PKCE";
    MetadataDistributionState => "metadata_distribution_state", "Salesforce's record: distribution state",
        "the record's distribution state is the recipe's";
    MetadataPermittedUsers => "metadata_permitted_users", "Salesforce's record: permitted users",
        "every Webex user may authorize the app (not admin-approved only)";
    MetadataRefreshTokenPolicy => "metadata_refresh_token_policy", "Salesforce's record: refresh token policy",
        "refresh tokens last long enough for Webex (not `Zero`, not a short lifetime)";
    MetadataIpRelaxation => "metadata_ip_relaxation", "Salesforce's record: IP relaxation",
        "IP restrictions do not lock out Webex's servers (`?` when they may)";
    MetadataRefreshTokenRotation => "metadata_refresh_token_rotation", "Salesforce's record: refresh token rotation",
        "refresh token rotation is off, as Webex expects";
    TokensRevoked => "tokens_revoked", "Tokens revoked",
        "every token obtained was revoked";
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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

    /// The short verdict of a check that names none of its own.
    fn default_verdict(self) -> &'static str {
        match self {
            CheckStatus::Pass => "ok",
            CheckStatus::Fail => "failed",
            CheckStatus::Unknown => "undecided",
            CheckStatus::Skipped => "skipped",
        }
    }
}

/// One proved (or unproved) property of the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: CheckId,
    /// What was checked, for people (the id's title).
    pub title: &'static str,
    pub status: CheckStatus,
    /// A few words for the one-line report, e.g. "refused without a challenge".
    pub verdict: String,
    /// The evidence (or why it could not be decided). Never contains a secret or token.
    pub detail: String,
    /// What to change, for a failure (the Setup field, the command).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn new(id: CheckId, status: CheckStatus, detail: impl Into<String>) -> Self {
        Check {
            id,
            title: id.title(),
            status,
            verdict: status.default_verdict().to_string(),
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn pass(id: CheckId, detail: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Pass, detail)
    }

    pub fn fail(id: CheckId, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Fail, detail).with_fix(fix)
    }

    pub fn unknown(id: CheckId, detail: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Unknown, detail)
    }

    pub fn skipped(id: CheckId, detail: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Skipped, detail)
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// The short verdict of the one-line report (instead of "ok", "failed", …).
    pub fn with_verdict(mut self, verdict: impl Into<String>) -> Self {
        self.verdict = verdict.into();
        self
    }
}

/// Who signed in, from the userinfo endpoint (no tokens, nothing secret).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub username: String,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub org_id: Option<String>,
    pub instance_url: Option<String>,
}

/// What a proof, a probe run or a re-check found. Serialises as the `checks`,
/// `identity`, `round_trips` and `callback_to_report_ms` of `--json` results; the warnings
/// and the error go in the envelope.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// In [`CheckId::ALL`] order (see [`Report::sort`]).
    pub checks: Vec<Check>,
    pub identity: Option<Identity>,
    /// HTTP requests made (the browser's own requests not included).
    pub round_trips: u32,
    /// From the callback's arrival to the finished report (zero without a login).
    #[serde(rename = "callback_to_report_ms", serialize_with = "as_millis")]
    pub callback_to_report: Duration,
    /// For the person (custom host, discovery fallback, …), in the order they arose.
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// A failure that stopped part of the run (network, deadline); any tokens were still
    /// revoked.
    #[serde(skip)]
    pub error: Option<AppError>,
}

fn as_millis<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Report {
    /// The check with `id`, if reported.
    pub fn get(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Adds `check`, replacing an earlier one with the same id.
    pub fn put(&mut self, check: Check) {
        self.checks.retain(|c| c.id != check.id);
        self.checks.push(check);
    }

    /// Adds a warning unless the same one is already there.
    pub fn warn(&mut self, warning: impl Into<String>) {
        let warning = warning.into();
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Every id in `expected` not yet reported gets a check made by `undecided`; then the
    /// list is put in report order.
    pub fn fill(&mut self, expected: &[CheckId], undecided: impl Fn(CheckId) -> Check) {
        for &id in expected {
            if self.get(id).is_none() {
                self.checks.push(undecided(id));
            }
        }
        self.sort();
    }

    pub fn sort(&mut self) {
        self.checks.sort_by_key(|c| c.id);
    }

    /// Merges `other` (a later stage of the same run) into this one: its checks replace
    /// these, counts add up, warnings are kept once, the first error wins.
    pub fn absorb(&mut self, other: Report) {
        for check in other.checks {
            self.put(check);
        }
        self.sort();
        self.identity = other.identity.or(self.identity.take());
        self.round_trips += other.round_trips;
        self.callback_to_report += other.callback_to_report;
        for w in other.warnings {
            self.warn(w);
        }
        self.error = self.error.take().or(other.error);
    }

    /// The error to exit with: a recorded failure (network 5, …), else exit 3 naming the
    /// failed checks, else `None` (exit 0).
    pub fn exit_error(&self) -> Option<AppError> {
        self.error.clone().or_else(|| rejected(&self.checks))
    }
}

/// Exit 3 naming the failed checks, if any failed (unknown and skipped do not fail a run).
pub fn rejected(checks: &[Check]) -> Option<AppError> {
    let failed: Vec<&Check> = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .collect();
    let first = failed.first()?;
    let ids: Vec<&str> = failed.iter().map(|c| c.id.as_str()).collect();
    let e = AppError::new(
        ErrorCode::AppRejected,
        format!(
            "The app failed {} check(s): {}.",
            failed.len(),
            ids.join(", ")
        ),
    );
    Some(match &first.fix {
        Some(fix) => e.with_fix(fix.clone()),
        None => e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_serialise_with_their_id_title_lowercase_status_and_no_empty_fix() {
        let c = Check::pass(CheckId::TokenExchange, "HTTP 200 with access_token");
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"id":"token_exchange","title":"Token exchange with secret and PKCE verifier","status":"pass","verdict":"ok","detail":"HTTP 200 with access_token"}"#
        );
        let f = Check::fail(
            CheckId::PkceRequired,
            "accepted without a challenge",
            "tick PKCE",
        );
        assert!(serde_json::to_string(&f)
            .unwrap()
            .contains(r#""status":"fail","#));
    }

    #[test]
    fn ids_are_unique_snake_case_and_titled() {
        for (i, id) in CheckId::ALL.iter().enumerate() {
            let s = id.as_str();
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{s}"
            );
            assert!(!id.title().is_empty() && !id.proves().is_empty(), "{s}");
            assert!(
                CheckId::ALL[i + 1..].iter().all(|o| o.as_str() != s),
                "{s} twice"
            );
        }
    }

    #[test]
    fn report_order_is_the_declared_order() {
        let mut sorted = CheckId::ALL.to_vec();
        sorted.sort();
        assert_eq!(sorted, CheckId::ALL);
    }

    #[test]
    fn a_single_failure_fails_the_run_but_unknown_does_not() {
        let ok = Check::pass(CheckId::Discovery, "");
        let unk = Check::unknown(CheckId::Identity, "not Salesforce");
        assert!(rejected(&[ok.clone(), unk.clone()]).is_none());
        let e = rejected(&[ok, unk, Check::fail(CheckId::PkceRequired, "", "tick it")]).unwrap();
        assert_eq!((e.exit_code(), e.code), (3, ErrorCode::AppRejected));
        assert!(e.message.contains("pkce_required"), "{}", e.message);
        assert_eq!(e.fix.as_deref(), Some("tick it"));
    }

    #[test]
    fn absorbing_a_later_stage_replaces_its_checks_and_keeps_warnings_once() {
        let mut first = Report {
            checks: vec![Check::unknown(CheckId::ClientAndCallback, "")],
            round_trips: 2,
            warnings: vec!["custom host".into()],
            ..Report::default()
        };
        first.absorb(Report {
            checks: vec![
                Check::pass(CheckId::TokensRevoked, ""),
                Check::pass(CheckId::ClientAndCallback, ""),
            ],
            round_trips: 3,
            warnings: vec!["custom host".into()],
            ..Report::default()
        });
        let ids: Vec<_> = first.checks.iter().map(|c| (c.id, c.status)).collect();
        assert_eq!(
            ids,
            [
                (CheckId::ClientAndCallback, CheckStatus::Pass),
                (CheckId::TokensRevoked, CheckStatus::Pass)
            ]
        );
        assert_eq!((first.round_trips, first.warnings.len()), (5, 1));
    }
}
