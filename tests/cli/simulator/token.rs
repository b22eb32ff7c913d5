//! The token endpoint: the code and refresh grants with Salesforce's exact errors, the
//! signature, single-use and expiring codes, and the client-authentication rules.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

use super::{oauth_error, org, Org};

pub(super) const TOKEN: &str = "/services/oauth2/token";

/// Salesforce's success response, typed: every field the tool reads.
#[derive(Debug, Deserialize)]
pub(super) struct TokenResponse {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub instance_url: String,
    pub id: String,
    pub issued_at: String,
    pub signature: String,
    pub scope: String,
    pub token_type: String,
}

/// The signature, computed here independently: base64(HMAC-SHA256(secret, id + issued_at)).
fn expected_signature(secret: &str, id: &str, issued_at: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{id}{issued_at}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

async fn exchange(org: &Org, overrides: &[(&str, Option<&str>)]) -> (StatusCode, Value) {
    let code = org.code().await;
    org.post_form(TOKEN, &org.exchange_form(&code, overrides))
        .await
}

pub(super) fn refresh_form(
    org: &Org,
    refresh: &str,
    secret: Option<&str>,
) -> Vec<(String, String)> {
    let mut form = vec![
        ("grant_type".to_owned(), "refresh_token".to_owned()),
        ("refresh_token".to_owned(), refresh.to_owned()),
        (
            "client_id".to_owned(),
            org.sim.config().consumer_key.clone(),
        ),
    ];
    if let Some(secret) = secret {
        form.push(("client_secret".to_owned(), secret.to_owned()));
    }
    form
}

pub(super) fn assert_error(result: (StatusCode, Value), error: &str, description: &str) {
    assert_eq!(result.0, StatusCode::BAD_REQUEST, "{}", result.1);
    assert_eq!(oauth_error(&result.1), (error, description));
}

#[tokio::test]
async fn a_code_exchange_with_verifier_and_secret_returns_salesforces_token_fields() {
    let org = org(|_| {}).await;
    let body = org.tokens().await;
    assert!(
        body.get("expires_in").is_none(),
        "Salesforce sends no expires_in"
    );
    let t: TokenResponse = serde_json::from_value(body).unwrap();
    let base = org.sim.base_url().as_str().trim_end_matches('/').to_owned();
    let user = &org.sim.config().user;
    assert_eq!(t.instance_url, base);
    assert_eq!(t.id, format!("{base}/id/{}/{}", user.org_id, user.user_id));
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.scope, "api web refresh_token");
    assert!(t.refresh_token.is_some());
    assert!(
        t.issued_at.len() == 13 && t.issued_at.chars().all(|c| c.is_ascii_digit()),
        "{}",
        t.issued_at
    );
    assert!(t.access_token.starts_with(&user.org_id));
}

#[tokio::test]
async fn the_signature_is_the_hmac_of_id_and_issued_at_under_the_consumer_secret() {
    let org = org(|_| {}).await;
    let t: TokenResponse = serde_json::from_value(org.tokens().await).unwrap();
    let secret = &org.sim.config().consumer_secret;
    assert_eq!(t.signature, expected_signature(secret, &t.id, &t.issued_at));
    // A mistyped secret (what the tool must catch) does not reproduce it.
    // (Its last character changed to one it certainly is not: the secrets are random.)
    let last = if secret.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
    assert_ne!(t.signature, expected_signature(&wrong, &t.id, &t.issued_at));
}

#[tokio::test]
async fn a_wrong_code_verifier_is_invalid_grant_invalid_code_verifier() {
    let org = org(|_| {}).await;
    let wrong = "x".repeat(64);
    assert_error(
        exchange(&org, &[("code_verifier", Some(&wrong))]).await,
        "invalid_grant",
        "invalid code verifier",
    );
    assert_error(
        exchange(&org, &[("code_verifier", None)]).await,
        "invalid_grant",
        "invalid code verifier",
    );
}

#[tokio::test]
async fn a_code_works_only_once() {
    let org = org(|_| {}).await;
    let code = org.code().await;
    let form = org.exchange_form(&code, &[]);
    assert_eq!(org.post_form(TOKEN, &form).await.0, StatusCode::OK);
    assert_error(
        org.post_form(TOKEN, &form).await,
        "invalid_grant",
        "expired authorization code",
    );
    let unknown = org.exchange_form("aPrxnot-a-code", &[]);
    assert_error(
        org.post_form(TOKEN, &unknown).await,
        "invalid_grant",
        "expired authorization code",
    );
}

#[tokio::test]
async fn a_code_expires_after_fifteen_minutes() {
    let org = org(|_| {}).await;
    let fresh = org.code().await;
    org.sim.advance_clock(Duration::from_secs(14 * 60));
    assert_eq!(
        org.post_form(TOKEN, &org.exchange_form(&fresh, &[]))
            .await
            .0,
        StatusCode::OK
    );
    let stale = org.code().await;
    org.sim.advance_clock(Duration::from_secs(15 * 60 + 1));
    assert_error(
        org.post_form(TOKEN, &org.exchange_form(&stale, &[])).await,
        "invalid_grant",
        "expired authorization code",
    );
}

#[tokio::test]
async fn client_credentials_in_a_basic_header_alone_are_rejected() {
    let org = org(|_| {}).await;
    let code = org.code().await;
    let form = org.exchange_form(&code, &[("client_id", None), ("client_secret", None)]);
    let config = org.sim.config();
    let response = org
        .http
        .post(org.url(TOKEN))
        .basic_auth(&config.consumer_key, Some(&config.consumer_secret))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    assert_error(
        (status, response.json().await.unwrap()),
        "invalid_client",
        "invalid client credentials",
    );
}

#[tokio::test]
async fn a_wrong_or_missing_secret_is_invalid_client() {
    let org = org(|_| {}).await;
    assert_error(
        exchange(&org, &[("client_secret", Some("0BAD"))]).await,
        "invalid_client",
        "invalid client credentials",
    );
    assert_error(
        exchange(&org, &[("client_secret", None)]).await,
        "invalid_client",
        "invalid client credentials",
    );
}

#[tokio::test]
async fn a_missing_secret_is_accepted_when_the_web_server_flow_does_not_require_it() {
    let org = org(|c| c.require_secret_web_server = false).await;
    assert_eq!(
        exchange(&org, &[("client_secret", None)]).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_or_propagating_client_is_invalid_client_id_at_the_token_endpoint() {
    let mut org = org(|_| {}).await;
    assert_error(
        exchange(&org, &[("client_id", Some("3MVGother"))]).await,
        "invalid_client_id",
        "client identifier invalid",
    );
    let code = org.code().await;
    org.sim.reconfigure(|c| c.propagating = true);
    assert_error(
        org.post_form(TOKEN, &org.exchange_form(&code, &[])).await,
        "invalid_client_id",
        "client identifier invalid",
    );
}

#[tokio::test]
async fn a_redirect_uri_differing_from_the_authorize_requests_is_authentication_failure() {
    let org = org(|_| {}).await;
    let other = Some("https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html");
    assert_error(
        exchange(&org, &[("redirect_uri", other)]).await,
        "invalid_grant",
        "authentication failure",
    );
}

#[tokio::test]
async fn an_unsupported_grant_type_is_rejected() {
    let org = org(|_| {}).await;
    let form = vec![("grant_type".to_owned(), "password".to_owned())];
    assert_error(
        org.post_form(TOKEN, &form).await,
        "unsupported_grant_type",
        "grant type not supported",
    );
}

#[tokio::test]
async fn refresh_needs_the_secret_when_the_app_requires_it_and_returns_a_signed_access_token() {
    let org = org(|_| {}).await;
    let t: TokenResponse = serde_json::from_value(org.tokens().await).unwrap();
    let refresh = t.refresh_token.unwrap();
    assert_error(
        org.post_form(TOKEN, &refresh_form(&org, &refresh, None))
            .await,
        "invalid_client",
        "invalid client credentials",
    );
    assert_error(
        org.post_form(TOKEN, &refresh_form(&org, &refresh, Some("0BAD")))
            .await,
        "invalid_client",
        "invalid client credentials",
    );
    let secret = org.sim.config().consumer_secret.clone();
    let (status, body) = org
        .post_form(TOKEN, &refresh_form(&org, &refresh, Some(&secret)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.get("refresh_token").is_none(),
        "no rotation: no new refresh token"
    );
    let r: TokenResponse = serde_json::from_value(body).unwrap();
    assert_ne!(r.access_token, t.access_token);
    assert_eq!(
        r.signature,
        expected_signature(&secret, &r.id, &r.issued_at)
    );
    assert_error(
        org.post_form(TOKEN, &refresh_form(&org, "5Aepnope", Some(&secret)))
            .await,
        "invalid_grant",
        "expired access/refresh token",
    );
}

#[tokio::test]
async fn refresh_without_the_secret_works_when_the_app_does_not_require_it() {
    let org = org(|c| c.require_secret_refresh = false).await;
    let refresh = org.tokens().await["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        org.post_form(TOKEN, &refresh_form(&org, &refresh, None))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn no_refresh_token_is_issued_without_the_refresh_token_scope() {
    let org = org(|c| c.scopes.retain(|s| s != "refresh_token")).await;
    let body = org.tokens().await;
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["scope"], "api web");
}
