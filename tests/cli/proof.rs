//! The OAuth proof against the simulated org, with the browser step run for real by
//! `tests/support/browser.py`: every check passing, each misconfiguration failing the
//! right check with the right fix, the tokens revoked, and the host rule.

pub mod harness;
mod modes;
mod verify;

use std::time::Duration;

use harness::{assert_no_secret, check, org, status_of, ProveAgainst, ScriptedUi};
use secrecy::SecretString;
use sf_webex_setup::recipe::{self, location};
use sf_webex_setup::report::CheckId;
use sf_webex_setup::report::CheckStatus::{Fail, Pass, Skipped, Unknown};
use sf_webex_setup::salesforce::hosts::{HostKind, LoginHost};
use sf_webex_setup::setup::Credentials;

#[tokio::test]
async fn a_recipe_app_passes_every_check_and_every_token_is_revoked() {
    let org = org(|_| {}).await;
    let (result, ui) = org.prove(&org.options()).await;
    let report = result.expect("the proof runs");
    for &id in sf_webex_setup::proof::PROOF_IDS {
        assert_eq!(
            status_of(&report.checks, id),
            Pass,
            "{id}: {:#?}",
            check(&report.checks, id)
        );
    }
    assert!(report.exit_error().is_none());
    let who = report.identity.as_ref().expect("identity");
    assert_eq!(who.username, org.sim.config().user.username);
    assert_eq!(
        who.org_id.as_deref(),
        Some(org.sim.config().user.org_id.as_str())
    );
    let stats = org.sim.stats();
    assert_eq!(
        stats.live_refresh_tokens, 0,
        "the proof leaves no approval behind: {stats:?}"
    );
    assert!(stats.tokens_revoked >= 1, "{stats:?}");
    assert_eq!(org.browser_opens(), 1);
    assert_eq!(ui.shown.len(), 1, "the authorize URL is always shown");
    assert!(
        ui.shown[0].contains("code_challenge_method=S256"),
        "{}",
        ui.shown[0]
    );
    // The recipe's scopes are asked for by name: a server without default scopes would
    // otherwise refuse the sign-in.
    assert!(
        ui.shown[0].contains("scope=api+web+refresh_token"),
        "{}",
        ui.shown[0]
    );
    assert!(
        report.round_trips >= 8,
        "counted {} round trips",
        report.round_trips
    );
    assert!(report.callback_to_report > Duration::ZERO);
    assert_no_secret(&report.checks, &org.secret());
}

#[tokio::test]
async fn a_server_without_revocation_leaves_the_clean_up_undecided_with_a_warning_not_a_rejection()
{
    let org = org(|c| c.revocation = false).await;
    let (result, _) = org.prove(&org.options()).await;
    let report = result.expect("the proof runs");
    let revoked = check(&report.checks, CheckId::TokensRevoked);
    assert_eq!(revoked.status, Unknown, "{revoked:#?}");
    assert!(revoked.detail.contains("HTTP 404"), "{}", revoked.detail);
    assert!(
        report.exit_error().is_none(),
        "a clean-up the server cannot do is not the app's fault: {:?}",
        report.exit_error()
    );
    let warning = report
        .warnings
        .iter()
        .find(|w| w.contains("stay live"))
        .unwrap_or_else(|| panic!("no warning about live tokens: {:?}", report.warnings));
    assert!(
        warning.contains("2 hours") && warning.contains("refresh token policy"),
        "names how long the tokens live: {warning}"
    );
    assert_eq!(status_of(&report.checks, CheckId::ApiScope), Pass);
}

#[tokio::test]
async fn a_missing_loopback_callback_fails_before_any_browser_is_opened() {
    let org = org(|c| {
        c.callback_urls
            .retain(|u| !u.starts_with("http://localhost"))
    })
    .await;
    let (result, _) = org.prove(&org.options()).await;
    let report = result.expect("report");
    let c = check(&report.checks, CheckId::ClientAndCallback);
    assert_eq!(c.status, Fail, "{c:#?}");
    assert!(
        c.detail.contains(&format!("localhost:{}", org.port)),
        "{}",
        c.detail
    );
    assert!(c.fix.as_deref().unwrap().contains(location::CALLBACK));
    assert_eq!(
        org.browser_opens(),
        0,
        "no browser for a callback Salesforce will never redirect to"
    );
    assert_eq!(status_of(&report.checks, CheckId::TokenExchange), Skipped);
    assert_eq!(report.exit_error().unwrap().exit_code(), 3);
}

#[tokio::test]
async fn a_missing_webex_callback_is_named_in_the_failure() {
    let org = org(|c| {
        c.callback_urls
            .retain(|u| u.starts_with("http://localhost"))
    })
    .await;
    let (result, _) = org.prove(&org.options()).await;
    let c = check(&result.expect("report").checks, CheckId::ClientAndCallback).clone();
    assert_eq!(c.status, Fail);
    assert!(
        c.detail
            .contains(sf_webex_setup::recipe::WEBEX_CALLBACK_URL),
        "{}",
        c.detail
    );
}

#[tokio::test]
async fn a_wrong_secret_fails_the_token_exchange_and_names_the_consumer_secret() {
    let org = org(|_| {}).await;
    let wrong = Credentials {
        consumer_key: org.credentials.consumer_key.clone(),
        consumer_secret: SecretString::from("0".repeat(64)),
    };
    let (result, _) = org.prove_with(&wrong, &org.options()).await;
    let report = result.expect("report");
    let c = check(&report.checks, CheckId::TokenExchange);
    assert_eq!(c.status, Fail, "{c:#?}");
    assert!(c.detail.contains("invalid_client"), "{}", c.detail);
    assert!(c.fix.as_deref().unwrap().contains("Consumer Secret"));
    assert_eq!(org.browser_opens(), 1, "the browser step ran");
    assert_eq!(org.sim.stats().access_tokens_issued, 0);
    assert_no_secret(&report.checks, &"0".repeat(64));
}

#[tokio::test]
async fn a_truncated_secret_is_refused_and_reported_as_the_secret() {
    let org = org(|_| {}).await;
    let secret = org.secret();
    let truncated = Credentials {
        consumer_key: org.credentials.consumer_key.clone(),
        consumer_secret: SecretString::from(secret[..secret.len() - 1].to_string()),
    };
    let (result, _) = org.prove_with(&truncated, &org.options()).await;
    let c = check(&result.expect("report").checks, CheckId::TokenExchange).clone();
    assert_eq!(c.status, Fail);
    assert!(c.fix.unwrap().contains("the whole value"));
}

/// The recipe's scopes are requested by name (in the probes as in the sign-in), so an app
/// without one of them is refused by Salesforce itself (`invalid_scope`, on its error
/// page) before any browser is opened; the fix names the scopes to tick.
#[tokio::test]
async fn an_app_without_a_required_scope_is_refused_before_the_browser_with_the_scopes_to_tick() {
    for scope in recipe::required_scopes() {
        let org = org(|c| c.scopes.retain(|s| s != scope.value)).await;
        let (result, _) = org.prove(&org.options()).await;
        let report = result.expect("report");
        assert_eq!(org.browser_opens(), 0, "{}", scope.value);
        let c = check(&report.checks, CheckId::ClientAndCallback);
        assert_eq!(c.status, Fail, "{}: {c:#?}", scope.value);
        assert!(
            c.detail.contains("does not allow a requested scope"),
            "{}: {}",
            scope.value,
            c.detail
        );
        assert!(
            c.fix.as_deref().unwrap_or("").contains(scope.label),
            "{}: {:?}",
            scope.value,
            c.fix
        );
        assert_eq!(status_of(&report.checks, CheckId::TokenExchange), Skipped);
        assert_eq!(org.sim.stats().live_refresh_tokens, 0);
        assert!(report.exit_error().is_some_and(|e| e.exit_code() == 3));
    }
}

#[tokio::test]
async fn a_refresh_that_works_without_the_secret_fails_refresh_requires_secret() {
    let org = org(|c| c.require_secret_refresh = false).await;
    let (result, _) = org.prove(&org.options()).await;
    let report = result.expect("report");
    let c = check(&report.checks, CheckId::RefreshRequiresSecret);
    assert_eq!(c.status, Fail, "{c:#?}");
    assert!(c
        .fix
        .as_deref()
        .unwrap()
        .contains("Require secret for Refresh Token Flow"));
    assert_eq!(
        org.sim.stats().live_refresh_tokens,
        0,
        "the extra tokens are revoked too"
    );
}

#[tokio::test]
async fn pkce_not_required_fails_when_the_org_issues_a_code_without_a_challenge() {
    let org = org(|c| {
        c.require_pkce = false;
        c.auto_approve = true;
    })
    .await;
    let (result, _) = org.prove(&org.options()).await;
    let report = result.expect("report");
    let c = check(&report.checks, CheckId::PkceRequired);
    assert_eq!(c.status, Fail, "{c:#?}");
    assert!(c
        .fix
        .as_deref()
        .unwrap()
        .contains("Require Proof Key for Code Exchange (PKCE)"));
    assert_eq!(
        status_of(&report.checks, CheckId::TokenExchange),
        Pass,
        "the rest of the proof still ran"
    );
}

#[tokio::test]
async fn pkce_not_required_is_unknown_when_the_org_asks_for_a_login_first() {
    let org = org(|c| c.require_pkce = false).await;
    let (result, _) = org.prove(&org.options()).await;
    let c = check(&result.expect("report").checks, CheckId::PkceRequired).clone();
    assert_eq!(c.status, Unknown, "never a guessed pass: {c:#?}");
    assert!(c.detail.contains("login"), "{}", c.detail);
}

#[tokio::test]
async fn a_proof_refused_while_the_app_propagates_waits_and_then_passes_without_re_answering() {
    let org = org(|c| c.propagates_after = Some(Duration::from_millis(1200))).await;
    let mut opts = org.options();
    opts.propagation_wait = Some(Duration::from_secs(20));
    opts.propagation_poll = Duration::from_millis(300);
    let (result, ui) = org.prove(&opts).await;
    let report = result.expect("report");
    assert!(report.exit_error().is_none(), "{:#?}", report.checks);
    assert_eq!(status_of(&report.checks, CheckId::TokenExchange), Pass);
    let notes = ui.notes.join("\n");
    assert!(notes.contains("up to 10 minutes"), "{notes}");
    assert!(
        notes.contains("still refused") && notes.contains("invalid_client_id"),
        "{notes}"
    );
    assert!(notes.contains("reached Salesforce's servers"), "{notes}");
    assert!(ui.waiting_ticks > 0);
    assert_eq!(
        org.browser_opens(),
        1,
        "the sign-in ran once, after the wait"
    );
}

#[tokio::test]
async fn a_person_who_declines_to_wait_gets_the_refusal_and_one_who_accepts_waits() {
    let org = org(|c| c.propagates_after = Some(Duration::from_millis(800))).await;
    let mut opts = org.options();
    opts.interactive = true;
    opts.propagation_poll = Duration::from_millis(300);
    let (result, _) = org.prove(&opts).await;
    let report = result.expect("report");
    assert_eq!(status_of(&report.checks, CheckId::ClientAndCallback), Fail);
    let mut ui = ScriptedUi {
        wait: true,
        ..ScriptedUi::default()
    };
    let target = sf_webex_setup::proof::ProofTarget {
        login: &org.login,
        credentials: &org.credentials,
        callback_urls: &org.callbacks,
        expected: None,
    };
    let report = sf_webex_setup::proof::prove(&target, &opts, &mut ui, None)
        .await
        .expect("report");
    assert!(report.exit_error().is_none(), "{:#?}", report.checks);
    assert!(
        ui.notes.iter().any(|n| n.contains("up to 10 minutes")),
        "the wait was offered: {:?}",
        ui.notes
    );
}

#[tokio::test]
async fn a_just_created_app_gets_wait_up_to_10_minutes_and_retry() {
    let org = org(|c| c.propagating = true).await;
    let (result, _) = org.prove(&org.options()).await;
    let c = check(&result.expect("report").checks, CheckId::ClientAndCallback).clone();
    assert_eq!(c.status, Fail);
    let fix = c.fix.unwrap();
    assert!(
        fix.contains("up to 10 minutes") && fix.contains("retry with `sf-webex-setup init`"),
        "{fix}"
    );
    assert_eq!(org.browser_opens(), 0);
}

#[tokio::test]
async fn an_unknown_key_fails_client_and_callback_naming_the_consumer_key() {
    let org = org(|c| c.consumer_key = "3MVGsomebodyElse".into()).await;
    let (result, _) = org.prove(&org.options()).await;
    let c = check(&result.expect("report").checks, CheckId::ClientAndCallback).clone();
    assert_eq!(c.status, Fail);
    assert!(c.detail.contains("invalid_client_id"), "{}", c.detail);
    assert!(c.fix.unwrap().contains(location::CONSUMER_DETAILS));
}

#[tokio::test]
async fn the_secret_never_goes_to_a_non_salesforce_host_without_allow_custom_host() {
    let org = org(|_| {}).await;
    let mut opts = org.options();
    opts.allow_custom_host = false;
    let (result, _) = org.prove(&opts).await;
    let err = result.expect_err("refused");
    assert_eq!(err.code.as_str(), "host_refused");
    assert_eq!(err.exit_code(), 2);
    assert_eq!(
        org.sim.stats().requests.values().sum::<u64>(),
        0,
        "not a single request reached the host"
    );
    assert_eq!(org.browser_opens(), 0);
}

#[tokio::test]
async fn plain_http_is_refused_for_a_host_that_is_not_loopback_even_with_allow_custom_host() {
    let org = org(|_| {}).await;
    let remote = LoginHost {
        base: url::Url::parse("http://192.0.2.10:8080/").unwrap(),
        kind: HostKind::Custom,
    };
    let target = sf_webex_setup::proof::ProofTarget {
        login: &remote,
        credentials: &org.credentials,
        callback_urls: &org.callbacks,
        expected: None,
    };
    let opts = org.options();
    let mut ui = harness::ScriptedUi::default();
    let err = sf_webex_setup::proof::prove(&target, &opts, &mut ui, None)
        .await
        .expect_err("refused");
    assert_eq!(err.code.as_str(), "host_refused");
    assert!(err.message.contains("plain http"), "{}", err.message);
    assert_eq!(opts.http.round_trips(), 0);
}

#[tokio::test]
async fn without_login_only_the_no_login_checks_run_and_the_rest_say_why() {
    let org = org(|_| {}).await;
    let mut opts = org.options();
    opts.login = false;
    let (result, _) = org.prove(&opts).await;
    let report = result.expect("report");
    for id in [
        CheckId::ClientAndCallback,
        CheckId::PkceRequired,
        CheckId::SecretAccepted,
    ] {
        assert_eq!(status_of(&report.checks, id), Pass, "{id}");
    }
    let skipped = check(&report.checks, CheckId::TokenExchange);
    assert_eq!(skipped.status, Skipped);
    assert!(skipped.detail.contains("--login"), "{}", skipped.detail);
    assert_eq!(org.browser_opens(), 0);
    assert_eq!(org.sim.stats().access_tokens_issued, 0);
}

#[tokio::test]
async fn the_login_timeout_is_a_network_exit_with_the_paste_hint() {
    let org = org(|_| {}).await;
    let mut opts = org.options();
    opts.login_timeout = Duration::from_millis(300);
    // A browser that never arrives.
    opts.browser = std::sync::Arc::new(crate::support::SilentBrowser);
    let (result, _) = org.prove(&opts).await;
    let err = result.expect_err("timeout");
    assert_eq!(err.exit_code(), 5);
    assert!(err.fix.unwrap().contains("--paste"));
}
