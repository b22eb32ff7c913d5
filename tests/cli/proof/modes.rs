//! The proof's other ways through the browser step: paste mode (the admin pastes the
//! address the browser ended on), and a browser that cannot be opened.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use super::harness::{browser_script, check, org, ProveAgainst, ScriptedUi};
use crate::support::NoBrowser;
use sf_webex_setup::error::AppError;
use sf_webex_setup::proof::{prove, ProofTarget, ProofUi};
use sf_webex_setup::report::CheckId;
use sf_webex_setup::report::CheckStatus::Pass;

/// Opens the URL "on another machine": runs browser.py to the end (its callback request
/// fails: nothing listens in paste mode) and pastes the last address it requested.
struct PastingUi {
    log: PathBuf,
    shown: Vec<String>,
}

impl ProofUi for PastingUi {
    fn show_url(&mut self, url: &str) {
        self.shown.push(url.to_string());
        let _ = Command::new("python3")
            .arg(browser_script())
            .arg(url)
            .env("BROWSER_LOG", &self.log)
            .status();
    }
    fn wait_for_enter(&mut self) -> Result<(), AppError> {
        Ok(())
    }
    fn read_pasted(&mut self) -> Result<String, AppError> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .rev()
            .find(|l| l.contains("/OauthRedirect?"))
            .map(str::to_string)
            .ok_or_else(AppError::cancelled)
    }
    fn countdown(&mut self, _remaining: Duration) {}
    fn warn(&mut self, _message: &str) {}
}

// Two workers: the pasting "person" blocks one while the simulated org serves on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paste_mode_completes_the_proof_from_the_address_the_browser_ended_on() {
    let org = org(|_| {}).await;
    let mut opts = org.options();
    opts.paste = true;
    opts.interactive = true;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ui = PastingUi {
        log: dir.path().join("browser.log"),
        shown: Vec::new(),
    };
    let target = ProofTarget {
        login: &org.login,
        credentials: &org.credentials,
        callback_urls: &org.callbacks,
        expected: None,
    };
    let report = prove(&target, &opts, &mut ui, None)
        .await
        .expect("the proof runs");
    assert_eq!(
        check(&report.checks, CheckId::TokenExchange).status,
        Pass,
        "{:#?}",
        report.checks
    );
    assert!(report.exit_error().is_none(), "{:#?}", report.checks);
    assert_eq!(org.browser_opens(), 0, "paste mode opens no browser itself");
    assert_eq!(ui.shown.len(), 1);
}

#[tokio::test]
async fn without_a_browser_an_interactive_run_offers_paste_mode() {
    let org = org(|_| {}).await;
    let mut opts = org.options();
    opts.interactive = true;
    opts.browser = Arc::new(NoBrowser);
    let mut ui = ScriptedUi::default();
    ui.pastes.push_back("not a callback at all !!".into());
    let target = ProofTarget {
        login: &org.login,
        credentials: &org.credentials,
        callback_urls: &org.callbacks,
        expected: None,
    };
    let err = prove(&target, &opts, &mut ui, None)
        .await
        .expect_err("nothing usable was pasted");
    assert_eq!(
        ui.enters, 1,
        "Enter was asked for before opening the browser"
    );
    assert!(
        ui.warnings.iter().any(|w| w.contains("no browser")),
        "{:?}",
        ui.warnings
    );
    assert_eq!(err.exit_code(), 130, "the person stopped pasting: {err:?}");
}

#[tokio::test]
async fn without_a_browser_a_non_interactive_run_stops_with_the_fix() {
    let org = org(|_| {}).await;
    let mut opts = org.options();
    opts.browser = Arc::new(NoBrowser);
    let target = ProofTarget {
        login: &org.login,
        credentials: &org.credentials,
        callback_urls: &org.callbacks,
        expected: None,
    };
    let err = prove(&target, &opts, &mut ScriptedUi::default(), None)
        .await
        .expect_err("no browser");
    assert_eq!(err.code.as_str(), "no_browser");
    assert!(err.fix.unwrap().contains("$BROWSER"));
}
