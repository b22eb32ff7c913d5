//! Our read-back (SOAP envelopes, parsers, the plan, the comparison) against the simulated
//! org: a Webex-ready app passes every `metadata_…` check, each misconfiguration knob fails
//! its own check with the Setup field to change, and what cannot be read is unknown.

use secrecy::SecretString;
use sf_webex_setup::metadata::client::read_app;
use sf_webex_setup::metadata::{
    compare, Component, Finding, FindingStatus, MetadataCheck, ReadBack,
};
use sf_webex_setup::net::Http;
use sf_webex_setup::recipe::metadata::{IpRelaxation, PermittedUsers, RefreshTokenPolicy};
use sf_webex_setup::recipe::{self, DistributionState};
use sf_webex_setup::simulator::SimConfig;
use FindingStatus::{Fail, Pass, Unknown};

use super::{answers, signed_in};

async fn read_back(change: impl FnOnce(&mut SimConfig)) -> (ReadBack, Vec<Finding>, u32) {
    let (org, token) = signed_in(change).await;
    let http = Http::new().expect("http");
    let back = read_app(&http, &org.sim.base_url(), &token, &answers(&org).api_name).await;
    let findings = compare(&back, &answers(&org));
    (back, findings, http.round_trips())
}

fn status(findings: &[Finding], check: MetadataCheck) -> FindingStatus {
    findings.iter().find(|f| f.check == check).unwrap().status
}

#[tokio::test]
async fn a_webex_ready_app_passes_every_metadata_check_in_two_rounds_of_calls() {
    let (back, findings, calls) = read_back(|_| {}).await;
    for f in &findings {
        assert_eq!(f.status, Pass, "{f:#?}");
    }
    assert_eq!(
        back.global_settings.record().unwrap().full_name,
        "Webex_IntegrationGlblOAuth",
        "found by listing, not guessed"
    );
    assert!(back
        .global_settings
        .record()
        .unwrap()
        .get("consumerSecret")
        .is_none());
    // Round one: read the app + list the dependents; round two: read the 3 dependent types.
    assert_eq!(calls, 5);
}

#[tokio::test]
async fn each_misconfiguration_knob_fails_its_own_check_with_the_setup_field() {
    type Knob = fn(&mut SimConfig);
    let pkce = recipe::SecurityOption::Pkce;
    let knobs: [(&str, Knob, MetadataCheck, &str); 9] = [
        (
            "PKCE off",
            |c| c.require_pkce = false,
            MetadataCheck::Pkce,
            pkce.label(),
        ),
        (
            "secret optional",
            |c| c.require_secret_web_server = false,
            MetadataCheck::SecretWebServerFlow,
            recipe::location::SECURITY,
        ),
        (
            "refresh without secret",
            |c| c.require_secret_refresh = false,
            MetadataCheck::SecretRefreshTokenFlow,
            recipe::location::SECURITY,
        ),
        (
            "missing scope",
            |c| c.scopes.retain(|s| s != "web"),
            MetadataCheck::Scopes,
            recipe::location::SCOPES,
        ),
        (
            "missing callback",
            |c| c.callback_urls.retain(|u| u != recipe::WEBEX_CALLBACK_URL),
            MetadataCheck::CallbackUrls,
            recipe::location::CALLBACK,
        ),
        (
            "admin-approved users",
            |c| c.metadata.permitted_users = PermittedUsers::AdminApprovedPreAuthorized,
            MetadataCheck::PermittedUsers,
            recipe::location::OAUTH_POLICIES,
        ),
        (
            "refresh tokens expire at once",
            |c| c.metadata.refresh_token_policy = RefreshTokenPolicy::Zero,
            MetadataCheck::RefreshTokenPolicy,
            recipe::location::OAUTH_POLICIES,
        ),
        (
            "rotation",
            |c| c.metadata.refresh_token_rotation = true,
            MetadataCheck::RefreshTokenRotation,
            recipe::location::SECURITY,
        ),
        (
            "packaged",
            |c| c.metadata.distribution_state = DistributionState::Packaged,
            MetadataCheck::DistributionState,
            recipe::location::BASIC_INFO,
        ),
    ];
    for (what, knob, check, place) in knobs {
        let (_, findings, _) = read_back(knob).await;
        for f in &findings {
            let want = if f.check == check { Fail } else { Pass };
            assert_eq!(f.status, want, "{what}: {f:#?}");
        }
        let f = findings.iter().find(|f| f.check == check).unwrap();
        assert!(
            f.fix.as_deref().unwrap_or("").contains(place),
            "{what}: {f:#?}"
        );
        assert!(f.check.id().starts_with("metadata_"));
    }
}

#[tokio::test]
async fn an_answer_that_differs_from_the_record_is_named_as_a_disagreement() {
    let (org, token) = signed_in(|c| c.require_pkce = false).await;
    let http = Http::new().unwrap();
    let said = super::answers(&org);
    let back = read_app(&http, &org.sim.base_url(), &token, &said.api_name).await;
    let f = compare(&back, &said)
        .into_iter()
        .find(|f| f.check == MetadataCheck::Pkce)
        .unwrap();
    assert_eq!(f.status, Fail);
    assert!(
        f.disagreement.as_deref().unwrap_or("").contains(
            "You answered that it is checked; Salesforce's record says it is not checked"
        ),
        "{f:#?}"
    );
}

#[tokio::test]
async fn without_metadata_permission_or_the_eca_opt_in_every_check_is_unknown_with_the_reason() {
    type Knob = fn(&mut SimConfig);
    let cases: [(Knob, &str, &str); 2] = [
        (
            |c| c.metadata.permission = false,
            "sf:INSUFFICIENT_ACCESS",
            "Modify Metadata",
        ),
        (
            |c| c.metadata.eca_opt_in = false,
            "sf:INVALID_TYPE",
            "opt the org in",
        ),
    ];
    for (knob, code, remedy) in cases {
        let (_, findings, _) = read_back(knob).await;
        for f in &findings {
            assert_eq!(f.status, Unknown, "{f:#?}");
            assert!(
                f.detail.contains(code) && f.detail.contains(remedy),
                "{}",
                f.detail
            );
            assert_eq!(f.fix, None);
        }
    }
}

#[tokio::test]
async fn unreadable_global_settings_leave_the_other_checks_judged() {
    let (back, findings, _) = read_back(|c| c.metadata.global_settings_readable = false).await;
    assert!(matches!(back.global_settings, Component::Unavailable(_)));
    let pkce = findings
        .iter()
        .find(|f| f.check == MetadataCheck::Pkce)
        .unwrap();
    assert!(
        pkce.detail
            .contains("View External Client Apps Consumer Secrets in Metadata"),
        "{}",
        pkce.detail
    );
    for f in &findings {
        let want = if f.check.component()
            == sf_webex_setup::recipe::metadata::MetadataType::GlobalOauthSettings
        {
            Unknown
        } else {
            Pass
        };
        assert_eq!(f.status, want, "{f:#?}");
    }
}

#[tokio::test]
async fn enforced_ip_restrictions_are_unknown_and_an_unknown_api_name_leaves_everything_unknown() {
    let (_, findings, _) = read_back(|c| c.metadata.ip_relaxation = IpRelaxation::Enforce).await;
    assert_eq!(status(&findings, MetadataCheck::IpRelaxation), Unknown);
    let (org, token) = signed_in(|_| {}).await;
    let mut said = answers(&org);
    said.api_name = "Webex_Typo".into();
    let back = read_app(
        &Http::new().unwrap(),
        &org.sim.base_url(),
        &token,
        &said.api_name,
    )
    .await;
    assert!(compare(&back, &said)
        .iter()
        .all(|f| f.status == Unknown && f.detail.contains("Webex_Typo")));
}

#[tokio::test]
async fn a_bad_session_or_a_token_without_the_api_scope_is_refused_as_invalid_session() {
    let (org, _) = signed_in(|_| {}).await;
    let http = Http::new().unwrap();
    let bogus = SecretString::from("00D000000000001EAA!AQnot-a-token".to_owned());
    let back = read_app(&http, &org.sim.base_url(), &bogus, "Webex_Integration").await;
    let findings = compare(&back, &answers(&org));
    assert!(
        findings
            .iter()
            .all(|f| f.status == Unknown && f.detail.contains("sf:INVALID_SESSION_ID")),
        "{findings:#?}"
    );
    let (_, findings, _) = read_back(|c| c.scopes.retain(|s| s != "api")).await;
    assert!(
        findings
            .iter()
            .all(|f| f.status == Unknown && f.detail.contains("sf:INVALID_SESSION_ID")),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn an_unreachable_org_makes_the_read_back_unknown_not_a_failure() {
    let (org, token) = signed_in(|_| {}).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let back = read_app(&Http::new().unwrap(), &nowhere, &token, "Webex_Integration").await;
    let findings = compare(&back, &answers(&org));
    assert!(
        findings.iter().all(|f| f.status == Unknown),
        "{findings:#?}"
    );
    assert!(
        findings[0].detail.contains("could not be reached"),
        "{}",
        findings[0].detail
    );
}
