//! The `metadata_…` checks: the live app read back through the Metadata API with the
//! sign-in's access token, each recipe setting compared with Salesforce's own record of it
//! (and with the admin's answers). Never a failure of the app for what could not be read:
//! no permission, no opt-in, a fault — each is `?` with the reason.

use oauth2::TokenResponse as _;
use secrecy::SecretString;
use url::Url;

use crate::metadata::client::read_app;
use crate::metadata::compare::{self, Finding, FindingStatus};
use crate::metadata::EcaSpec;
use crate::net::Http;
use crate::oauth::client::TokenResponse;
use crate::report::{Check, CheckStatus};
use crate::salesforce::endpoints::check_named;
use crate::salesforce::hosts::LoginHost;

/// Reads the app back and compares it with `expected`; one check per setting.
pub async fn metadata_checks(
    http: &Http,
    token: &TokenResponse,
    login: &LoginHost,
    allow_custom: bool,
    expected: &EcaSpec,
) -> Vec<Check> {
    let instance = token
        .extra_fields()
        .instance_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    let Some(instance) = instance else {
        return undecided("the token response has no instance_url: not a Salesforce server");
    };
    if let Err(why) = check_named(&instance, login, allow_custom) {
        return undecided(&format!(
            "not sending the access token to instance_url: {why}"
        ));
    }
    let session = SecretString::from(token.access_token().secret().clone());
    let read = read_app(http, &instance, &session, &expected.api_name).await;
    compare::compare(&read, expected)
        .into_iter()
        .map(to_check)
        .collect()
}

fn undecided(why: &str) -> Vec<Check> {
    compare::all_unknown(why)
        .into_iter()
        .map(to_check)
        .collect()
}

/// A finding as a report check: the evidence (and any disagreement) as the detail, the
/// change and its Setup field as the fix.
fn to_check(f: Finding) -> Check {
    let status = match f.status {
        FindingStatus::Pass => CheckStatus::Pass,
        FindingStatus::Fail => CheckStatus::Fail,
        FindingStatus::Unknown => CheckStatus::Unknown,
    };
    let check = Check::new(f.check.check_id(), status, f.full_detail());
    match (&f.fix, status) {
        (Some(fix), _) => check.with_fix(fix.clone()),
        (None, CheckStatus::Fail) => check.with_fix(format!("change it in {}", f.setup_field)),
        _ => check,
    }
}
