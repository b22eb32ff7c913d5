//! `init --verify` against the simulated org: the no-login probes pass for a recipe app and
//! fail the right item for each misconfiguration; `--login` runs the proof and updates
//! "last verified"; added latency shows how many round trips deep the probes are.

use std::time::{Duration, Instant};

use super::harness::{check, org, status_of, ProveAgainst, ScriptedUi, SimOrg};
use secrecy::SecretString;
use sf_webex_setup::commands::verify::{run_verify, write_human, VerifyOptions, VerifyReport};
use sf_webex_setup::net::Http;
use sf_webex_setup::output::CheckStyle;
use sf_webex_setup::proof::ProofOptions;
use sf_webex_setup::report::CheckId;
use sf_webex_setup::report::CheckStatus::{Fail, Pass, Unknown};
use sf_webex_setup::store::memory::MemoryStore;
use sf_webex_setup::store::{CredentialStore, StoreKind, StoredApp, STORED_APP_VERSION};

fn stored(org: &SimOrg, secret: Option<&str>) -> MemoryStore {
    let store = MemoryStore::new(StoreKind::SecretService);
    let app = StoredApp {
        consumer_key: org.credentials.consumer_key.clone(),
        consumer_secret: SecretString::from(secret.map_or_else(|| org.secret(), str::to_string)),
        login_url: org.login.origin(),
        callback_urls: org.callbacks.clone(),
        api_name: "Webex_Meetings".into(),
        stored_at: "2026-11-28T12:00:00Z".into(),
        last_verified: None,
        checked: true,
        version: STORED_APP_VERSION,
    };
    store.save("default", &app).expect("memory store");
    store
}

async fn verify(org: &SimOrg, store: &MemoryStore, login: bool) -> (VerifyReport, String) {
    let mut proof = if login {
        org.options()
    } else {
        ProofOptions::no_login(Http::new().expect("http"))
    };
    proof.allow_custom_host = true;
    proof.deadline = Duration::from_secs(10);
    run(&options(proof), store).await
}

fn options(proof: ProofOptions) -> VerifyOptions {
    VerifyOptions {
        profile: "default".into(),
        proof,
    }
}

/// Runs the re-check and renders its human report.
async fn run(opts: &VerifyOptions, store: &MemoryStore) -> (VerifyReport, String) {
    let report = run_verify(opts, store, None, &mut ScriptedUi::default())
        .await
        .expect("verify runs");
    let mut out = Vec::new();
    write_human(&report, CheckStyle::default(), &mut out).expect("in memory");
    (report, String::from_utf8(out).expect("utf-8"))
}

#[tokio::test]
async fn verify_passes_for_a_recipe_app_without_a_browser_in_two_round_trips_deep() {
    let org = org(|_| {}).await;
    let store = stored(&org, None);
    let (report, text) = verify(&org, &store, false).await;
    for id in [
        CheckId::StoreEntry,
        CheckId::Discovery,
        CheckId::ClientAndCallback,
        CheckId::PkceRequired,
        CheckId::SecretAccepted,
    ] {
        assert_eq!(status_of(&report.report.checks, id), Pass, "{id}: {text}");
    }
    assert!(report.exit_error().is_none());
    assert_eq!(org.browser_opens(), 0);
    // discovery + one authorize per callback (2) + the PKCE probe + the secret probe
    assert_eq!(report.report.round_trips, 5, "{text}");
    assert!(text.contains("✓ Consumer secret accepted"), "{text}");
    assert!(!text.contains(&org.secret()));
    assert_eq!(
        org.sim.stats().access_tokens_issued,
        0,
        "no login, no token"
    );
}

#[tokio::test]
async fn verify_fails_the_secret_item_for_a_wrong_secret_with_exit_3() {
    let org = org(|_| {}).await;
    let store = stored(&org, Some(&"F".repeat(64)));
    let (report, text) = verify(&org, &store, false).await;
    let c = check(&report.report.checks, CheckId::SecretAccepted);
    assert_eq!(c.status, Fail, "{text}");
    assert!(c.fix.as_deref().unwrap().contains("Consumer Secret"));
    assert!(text.contains("✗ Consumer secret accepted"), "{text}");
    assert_eq!(report.exit_error().unwrap().exit_code(), 3);
    assert_eq!(
        status_of(&report.report.checks, CheckId::ClientAndCallback),
        Pass
    );
}

#[tokio::test]
async fn verify_fails_the_key_item_for_an_unknown_key() {
    let org = org(|c| c.consumer_key = "3MVGanotherApp".into()).await;
    let store = stored(&org, None);
    let (report, _) = verify(&org, &store, false).await;
    let c = check(&report.report.checks, CheckId::ClientAndCallback);
    assert_eq!(c.status, Fail);
    assert!(c.detail.contains("invalid_client_id"));
    assert_eq!(
        status_of(&report.report.checks, CheckId::SecretAccepted),
        Unknown,
        "the secret cannot be judged for an unknown key"
    );
}

#[tokio::test]
async fn verify_fails_naming_the_webex_callback_when_it_is_removed_after_init() {
    let mut org = org(|_| {}).await;
    let store = stored(&org, None);
    let webex = org.callbacks[0].clone();
    org.sim
        .reconfigure(|c| c.callback_urls.retain(|u| *u != webex));
    let (report, _) = verify(&org, &store, false).await;
    let c = check(&report.report.checks, CheckId::ClientAndCallback);
    assert_eq!(c.status, Fail);
    assert!(c.detail.contains(&webex), "{}", c.detail);
}

#[tokio::test]
async fn verify_passes_with_the_loopback_line_removed_and_says_login_needs_it_back() {
    let mut org = org(|_| {}).await;
    let store = stored(&org, None);
    let loopback = org.loopback.clone();
    org.sim
        .reconfigure(|c| c.callback_urls.retain(|u| *u != loopback));
    let (report, text) = verify(&org, &store, false).await;
    assert!(report.exit_error().is_none(), "{text}");
    for id in [
        CheckId::ClientAndCallback,
        CheckId::PkceRequired,
        CheckId::SecretAccepted,
    ] {
        assert_eq!(status_of(&report.report.checks, id), Pass, "{id}: {text}");
    }
    let c = check(&report.report.checks, CheckId::ClientAndCallback);
    assert!(
        c.detail.contains(&loopback) && c.detail.contains("verify --login"),
        "{}",
        c.detail
    );
}

#[tokio::test]
async fn verify_is_undecided_about_pkce_turned_off_when_a_login_is_needed_and_fails_it_when_not() {
    let org_login = org(|c| c.require_pkce = false).await;
    let (report, _) = verify(&org_login, &stored(&org_login, None), false).await;
    assert_eq!(
        status_of(&report.report.checks, CheckId::PkceRequired),
        Unknown
    );
    assert!(
        report.exit_error().is_none(),
        "unknown does not fail the run"
    );
    let org_auto = org(|c| {
        c.require_pkce = false;
        c.auto_approve = true;
    })
    .await;
    let (report, _) = verify(&org_auto, &stored(&org_auto, None), false).await;
    assert_eq!(
        status_of(&report.report.checks, CheckId::PkceRequired),
        Fail
    );
}

#[tokio::test]
async fn verify_with_login_runs_the_proof_and_updates_last_verified() {
    let org = org(|_| {}).await;
    let store = stored(&org, None);
    let (report, text) = verify(&org, &store, true).await;
    assert!(report.exit_error().is_none(), "{text}");
    assert_eq!(
        status_of(&report.report.checks, CheckId::SecretSignature),
        Pass
    );
    assert!(report.last_verified_updated);
    let saved = store.load("default").expect("entry");
    assert_eq!(saved.last_verified, report.last_verified);
    assert_eq!(org.browser_opens(), 1);
    assert_eq!(org.sim.stats().live_refresh_tokens, 0);
}

#[tokio::test]
async fn a_missing_entry_is_a_store_error_with_exit_4() {
    let org = org(|_| {}).await;
    let store = MemoryStore::new(StoreKind::SecretService);
    let opts = options(ProofOptions::no_login(Http::new().expect("http")));
    let err = run_verify(&opts, &store, None, &mut ScriptedUi::default())
        .await
        .expect_err("no entry");
    assert_eq!(err.exit_code(), 4);
    assert_eq!(org.sim.stats().requests.values().sum::<u64>(), 0);
}

#[tokio::test]
async fn added_latency_shows_the_probes_are_two_round_trips_deep() {
    let mut org = org(|_| {}).await;
    let store = stored(&org, None);
    let latency = Duration::from_millis(150);
    org.sim.reconfigure(|c| c.latency = latency);
    let started = Instant::now();
    let (report, _) = verify(&org, &store, false).await;
    let took = started.elapsed();
    assert!(report.exit_error().is_none());
    // Sequential would be 5 × 150 ms; concurrent is 2 deep (discovery, then the rest).
    assert!(took >= latency * 2, "{took:?}");
    assert!(
        took < latency * 4,
        "the probes ran one after another: {took:?}"
    );
}

#[tokio::test]
async fn a_host_that_does_not_answer_is_a_network_failure_with_exit_5_in_bounded_time() {
    let org = org(|_| {}).await;
    let store = stored(&org, None);
    org.sim.stop().await;
    let started = Instant::now();
    let (report, _) = verify_detached(&store).await;
    assert_eq!(report.exit_error().unwrap().exit_code(), 5);
    assert!(started.elapsed() < Duration::from_secs(10));
}

async fn verify_detached(store: &MemoryStore) -> (VerifyReport, String) {
    let mut proof = ProofOptions::no_login(Http::new().expect("http"));
    proof.allow_custom_host = true;
    run(&options(proof), store).await
}

#[tokio::test]
async fn the_json_result_carries_the_same_check_objects_and_no_secret() {
    let org = org(|_| {}).await;
    let store = stored(&org, Some(&"E".repeat(64)));
    let (report, _) = verify(&org, &store, false).await;
    let json = serde_json::to_value(&report).expect("serialises");
    let checks = json["checks"].as_array().expect("checks array");
    let ids: Vec<&str> = checks.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            CheckId::StoreEntry,
            CheckId::Discovery,
            CheckId::ClientAndCallback,
            CheckId::SecretAccepted,
            CheckId::PkceRequired
        ]
        .map(CheckId::as_str)
    );
    let secret = checks
        .iter()
        .find(|c| c["id"] == CheckId::SecretAccepted.as_str())
        .expect("secret check");
    assert_eq!(secret["status"], "fail");
    assert!(secret["fix"].as_str().is_some());
    assert_eq!(json["store"], "secret-service");
    assert!(!json.to_string().contains(&"E".repeat(64)));
}

/// An org in an outage: every request answers `status` with a maintenance page.
async fn outage(status: u16) -> String {
    let app = axum::Router::new().fallback(move || async move {
        (
            axum::http::StatusCode::from_u16(status).unwrap(),
            [("content-type", "text/html")],
            "<html><body>Down for maintenance</body></html>",
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn an_org_answering_errors_everywhere_is_not_a_pass_but_undecided_with_its_own_exit_code() {
    for status in [503, 500, 429, 200] {
        let url = outage(status).await;
        let store = MemoryStore::new(StoreKind::SecretService);
        store
            .save(
                "default",
                &StoredApp {
                    consumer_key: crate::support::KEY.into(),
                    consumer_secret: SecretString::from(crate::support::SECRET),
                    login_url: url,
                    callback_urls: vec![crate::support::WEBEX_CALLBACK.into()],
                    api_name: "Webex".into(),
                    stored_at: "2026-11-28T12:00:00Z".into(),
                    last_verified: None,
                    checked: true,
                    version: STORED_APP_VERSION,
                },
            )
            .unwrap();
        let mut proof = ProofOptions::no_login(Http::new().expect("http"));
        proof.allow_custom_host = true;
        let (report, text) = run(&options(proof), &store).await;
        let e = report
            .exit_error()
            .unwrap_or_else(|| panic!("HTTP {status} read as ok: {text}"));
        assert_eq!(
            (e.code.as_str(), e.exit_code()),
            ("checks_undecided", 6),
            "HTTP {status}: {e}"
        );
        assert!(e.message.contains("client_and_callback"), "{e}");
    }
}
