//! What the proof checks once it holds tokens: the signature, the scopes and an API call
//! ([`super::refresh`] checks the refresh rules, [`super::identity`] asks who logged in,
//! [`super::revoke`] then revokes them). Nothing here returns early: a network failure
//! becomes an "unknown" check plus a recorded error, so the revoke step always runs.

use oauth2::TokenResponse as _;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::error::AppError;
use crate::net::Http;
use crate::oauth::client::TokenResponse;
use crate::oauth::signature::{self, SignatureVerdict};
use crate::recipe::{self, location, Scope};
use crate::report::Check;
use crate::report::CheckId;
use crate::salesforce::endpoints::check_named;
use crate::salesforce::hosts::LoginHost;
use crate::text::clean_server_text;

/// `secret_signature`: Salesforce signs `id` + `issued_at` with the app's secret.
pub fn signature_check(token: &TokenResponse, secret: &SecretString) -> Check {
    let id = CheckId::SecretSignature;
    let x = token.extra_fields();
    match signature::verify(secret, x.id.as_deref(), x.issued_at.as_deref(), x.signature.as_deref()) {
        SignatureVerdict::Match => Check::pass(id, "The token response's signature (HMAC-SHA256 of id + issued_at) verifies with exactly the stored secret.").with_verdict("the signature matches"),
        SignatureVerdict::Mismatch => Check::fail(
            id,
            "The token response was signed with a different secret than the one stored: the stored secret is not exactly the app's (a truncated copy or an extra character).",
            format!("copy the Consumer Secret again from {} — the whole value", location::CONSUMER_DETAILS),
        ).with_verdict("a different secret"),
        SignatureVerdict::Absent => Check::unknown(id, "The token response has no signature/id/issued_at: not a Salesforce server, so this Salesforce-only proof does not apply."),
        SignatureVerdict::Malformed => Check::unknown(id, "The token response's signature is not Base64 of an HMAC-SHA256 value; it could not be checked."),
    }
}

/// `scopes_granted`: every scope the recipe requires is in `scope`, and a refresh token was
/// issued.
pub fn scopes_check(token: &TokenResponse) -> Check {
    let id = CheckId::ScopesGranted;
    let has_refresh = token.refresh_token().is_some();
    let required: Vec<&'static Scope> = recipe::required_scopes().collect();
    let Some(granted) = token.scopes() else {
        return if has_refresh {
            Check::unknown(
                id,
                "The token response lists no scopes; a refresh token was issued.",
            )
        } else {
            Check::fail(
                id,
                "The token response lists no scopes and carries no refresh token.",
                fix_scopes(&required),
            )
        };
    };
    let granted: Vec<&str> = granted.iter().map(|s| s.as_str()).collect();
    let missing: Vec<&'static Scope> = required
        .iter()
        .copied()
        .filter(|want| !granted.iter().any(|g| want.matches(g)))
        .collect();
    let list = clean_server_text(&granted.join(" "));
    if missing.is_empty() && has_refresh {
        Check::pass(
            id,
            format!("Granted scopes: {list}; a refresh token was issued."),
        )
        .with_verdict(list.clone())
    } else if missing.is_empty() {
        Check::fail(
            id,
            format!("Granted scopes: {list}, but no refresh token was issued."),
            format!(
                "check the app's Refresh Token Policy (Policies → OAuth Policies) issues refresh tokens; {}",
                fix_scopes(&required)
            ),
        )
        .with_verdict("no refresh token")
    } else {
        let values: Vec<&str> = missing.iter().map(|s| s.value).collect();
        Check::fail(
            id,
            format!("Granted scopes: {list}; missing: {}.", values.join(", ")),
            fix_scopes(&missing),
        )
        .with_verdict(format!("missing {}", values.join(", ")))
    }
}

fn fix_scopes(scopes: &[&'static Scope]) -> String {
    let labels: Vec<&str> = scopes.iter().map(|s| s.label).collect();
    format!("in {}, select {}", location::SCOPES, labels.join(" and "))
}

#[derive(Deserialize)]
struct Version {
    url: String,
}

/// `api_scope`: the REST API answers an authenticated request on `instance_url`. The
/// versions list (`/services/data/`) is public, so the call that proves `api` is the
/// newest version's resource list.
pub async fn api_check(
    http: &Http,
    token: &TokenResponse,
    login: &LoginHost,
    allow_custom: bool,
) -> (Check, Option<AppError>) {
    let id = CheckId::ApiScope;
    let resources = match newest_resources(http, token, login, allow_custom).await {
        Ok(url) => url,
        Err(undecided) => return undecided,
    };
    let path = resources.path().to_string();
    let request = http
        .request(reqwest::Method::GET, resources)
        .bearer_auth(token.access_token().secret());
    let fetched = match http.fetch(request, "REST API request").await {
        Ok(f) => f,
        Err(e) => return (Check::unknown(id, e.message.clone()), Some(e)),
    };
    let check = match fetched.status {
        200 => Check::pass(
            id,
            format!("GET {path} answered 200 with the access token."),
        )
        .with_verdict("the REST API answered 200"),
        401 | 403 => Check::fail(
            id,
            format!(
                "GET {path} answered {}: the token is not valid for the REST API.",
                fetched.status
            ),
            // Which scope is missing is the scopes check's job; name them all here.
            format!(
                "{}; see {}",
                fix_scopes(&recipe::required_scopes().collect::<Vec<_>>()),
                CheckId::ScopesGranted
            ),
        )
        .with_verdict(format!("the REST API answered {}", fetched.status)),
        status => Check::unknown(id, format!("GET {path} answered HTTP {status}.")),
    };
    (check, None)
}

/// The newest REST API version's resource list on `instance_url`, or the undecided check
/// (no instance, one the token may not go to, no versions list, the network).
async fn newest_resources(
    http: &Http,
    token: &TokenResponse,
    login: &LoginHost,
    allow_custom: bool,
) -> Result<Url, (Check, Option<AppError>)> {
    let id = CheckId::ApiScope;
    let undecided = |why: String| (Check::unknown(id, why), None);
    let Some(instance) = token
        .extra_fields()
        .instance_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
    else {
        return Err(undecided("The token response has no instance_url: not a Salesforce server, so the REST API cannot be called.".into()));
    };
    if let Err(why) = check_named(&instance, login, allow_custom) {
        return Err(undecided(format!(
            "Not sending the access token to instance_url: {why}."
        )));
    }
    let mut versions_url = instance.clone();
    versions_url.set_path("/services/data/");
    let request = http.request(reqwest::Method::GET, versions_url.clone());
    let versions = match http.fetch(request, "REST API versions request").await {
        Ok(f) => f,
        Err(e) => return Err((Check::unknown(id, e.message.clone()), Some(e))),
    };
    let newest = serde_json::from_str::<Vec<Version>>(&versions.body)
        .ok()
        .and_then(|v| v.last().map(|v| v.url.clone()));
    let Some(path) = newest.filter(|p| p.starts_with("/services/data/")) else {
        return Err(undecided(format!(
            "{versions_url} did not list REST API versions (HTTP {}).",
            versions.status
        )));
    };
    let mut resources = instance;
    resources.set_path(&format!("{}/", path.trim_end_matches('/')));
    Ok(resources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CheckStatus;

    const ID: &str = "https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA";

    fn token(extra: &str) -> TokenResponse {
        let body = format!(r#"{{"access_token":"00D!tok","token_type":"Bearer"{extra}}}"#);
        serde_json::from_str(&body).unwrap()
    }

    fn signed(secret: &str) -> TokenResponse {
        let sig = signature::expected_signature(secret, ID, "1700000000000");
        token(&format!(
            r#","id":"{ID}","issued_at":"1700000000000","signature":"{sig}""#
        ))
    }

    #[test]
    fn a_signature_made_with_another_secret_fails_and_names_the_consumer_secret() {
        let app_secret = "A".repeat(64);
        let stored = SecretString::from("A".repeat(63));
        let c = signature_check(&signed(&app_secret), &stored);
        assert_eq!(c.status, CheckStatus::Fail, "{c:?}");
        assert!(c.fix.unwrap().contains("Consumer Secret"));
        let ok = signature_check(
            &signed(&app_secret),
            &SecretString::from(app_secret.clone()),
        );
        assert_eq!(ok.status, CheckStatus::Pass);
    }

    #[test]
    fn no_signature_is_unknown_not_salesforce_rather_than_a_failure() {
        let c = signature_check(&token(""), &SecretString::from("x".to_string()));
        assert_eq!(c.status, CheckStatus::Unknown);
        assert!(c.detail.contains("not a Salesforce server"));
    }

    #[test]
    fn every_scope_the_recipe_requires_is_checked_and_the_fix_names_the_missing_ones() {
        let t = token(r#","scope":"web refresh_token","refresh_token":"5Aep""#);
        let c = scopes_check(&t);
        assert_eq!(c.status, CheckStatus::Fail, "{c:?}");
        let api = recipe::required_scopes()
            .find(|s| !s.matches("web") && !s.matches("refresh_token"))
            .unwrap();
        assert!(
            c.detail.contains(&format!("missing: {}", api.value)),
            "{}",
            c.detail
        );
        assert_eq!(
            c.fix.unwrap(),
            format!("in {}, select {}", location::SCOPES, api.label)
        );
    }

    #[test]
    fn offline_access_counts_as_the_refresh_token_scope() {
        let t = token(r#","scope":"api web offline_access","refresh_token":"5Aep""#);
        assert_eq!(scopes_check(&t).status, CheckStatus::Pass);
        let no_rt = token(r#","scope":"api web refresh_token""#);
        let c = scopes_check(&no_rt);
        assert_eq!(c.status, CheckStatus::Fail);
        assert!(c.detail.contains("no refresh token"), "{}", c.detail);
    }
}
