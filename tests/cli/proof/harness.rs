//! What the OAuth proof tests share: a scripted [`ProofUi`], running the proof against a
//! [`SimOrg`] (whose browser really runs tests/support/browser.py), and reading checks.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use sf_webex_setup::error::AppError;
use sf_webex_setup::net::Http;
use sf_webex_setup::proof::{prove, ProofOptions, ProofTarget, ProofUi};
use sf_webex_setup::report::{Check, CheckId, CheckStatus, Report};
use sf_webex_setup::setup::Credentials;

pub use crate::support::{browser_script, org, SimOrg};

/// The person, scripted: records what the proof showed, answers pastes from a queue.
#[derive(Default)]
pub struct ScriptedUi {
    pub shown: Vec<String>,
    pub warnings: Vec<String>,
    pub countdowns: u32,
    pub enters: u32,
    pub pastes: VecDeque<String>,
    /// Progress lines (what each propagation re-check saw).
    pub notes: Vec<String>,
    /// The answer to "wait for the app to propagate?".
    pub wait: bool,
    pub waiting_ticks: u32,
}

impl ProofUi for ScriptedUi {
    fn show_url(&mut self, url: &str) {
        self.shown.push(url.to_string());
    }
    fn wait_for_enter(&mut self) -> Result<(), AppError> {
        self.enters += 1;
        Ok(())
    }
    fn read_pasted(&mut self) -> Result<String, AppError> {
        self.pastes.pop_front().ok_or_else(AppError::cancelled)
    }
    fn countdown(&mut self, _remaining: Duration) {
        self.countdowns += 1;
    }
    fn warn(&mut self, message: &str) {
        self.warnings.push(message.to_string());
    }
    fn offer_wait(&mut self, _limit: Duration, _poll: Duration) -> Result<bool, AppError> {
        Ok(self.wait)
    }
    fn waiting(&mut self, _next: Duration, _waited: Duration, _limit: Duration) {
        self.waiting_ticks += 1;
    }
    fn note(&mut self, message: &str) {
        self.notes.push(message.to_string());
    }
}

/// The proof against a [`SimOrg`].
pub trait ProveAgainst {
    fn options(&self) -> ProofOptions;
    async fn prove(&self, opts: &ProofOptions) -> (Result<Report, AppError>, ScriptedUi);
    async fn prove_with(
        &self,
        credentials: &Credentials,
        opts: &ProofOptions,
    ) -> (Result<Report, AppError>, ScriptedUi);
}

impl ProveAgainst for SimOrg {
    /// Non-interactive, `--allow-custom-host`, the browser script, a short login timeout.
    fn options(&self) -> ProofOptions {
        let mut o = ProofOptions::new(Http::new().expect("http client"), self.browser.clone());
        o.allow_custom_host = true;
        o.login_timeout = Duration::from_secs(20);
        o
    }

    async fn prove(&self, opts: &ProofOptions) -> (Result<Report, AppError>, ScriptedUi) {
        self.prove_with(&self.credentials, opts).await
    }

    async fn prove_with(
        &self,
        credentials: &Credentials,
        opts: &ProofOptions,
    ) -> (Result<Report, AppError>, ScriptedUi) {
        let mut ui = ScriptedUi::default();
        let target = ProofTarget {
            login: &self.login,
            credentials,
            callback_urls: &self.callbacks,
            expected: None,
        };
        let result = prove(&target, opts, &mut ui, None).await;
        (result, ui)
    }
}

/// The check with `id`; panics with the whole list if absent.
pub fn check(checks: &[Check], id: CheckId) -> &Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

pub fn status_of(checks: &[Check], id: CheckId) -> CheckStatus {
    check(checks, id).status
}

/// Every check's text (detail and fix) must be free of the secret.
pub fn assert_no_secret(checks: &[Check], secret: &str) {
    let json = serde_json::to_string(checks).expect("checks serialise");
    assert!(!json.contains(secret), "the secret leaked into the checks");
}
