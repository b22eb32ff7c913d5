//! The answers: what the admin's External Client App looks like, as entered in the wizard
//! or passed as flags, after validation. The OAuth proof and the credential store take
//! this; nothing here does I/O.

use secrecy::SecretString;

use crate::recipe::{DistributionState, Scope, SecurityOption};
use crate::salesforce::hosts::LoginHost;

/// The consumer key and secret, as copied from "Consumer Key and Secret". The secret stays
/// wrapped (no Display, redacted Debug) until the moment it is sent.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub consumer_key: String,
    pub consumer_secret: SecretString,
}

/// A validated External Client App, as the admin reported it.
#[derive(Clone, Debug)]
pub struct AppSetup {
    pub login: LoginHost,
    pub app_name: String,
    pub api_name: String,
    pub contact_email: String,
    pub distribution_state: DistributionState,
    pub oauth_enabled: bool,
    /// Every line of the Callback URL box, in order (the Webex URL among them).
    pub callback_urls: Vec<String>,
    /// Every selected scope (the recipe's, plus any confirmed extras).
    pub scopes: Vec<&'static Scope>,
    /// The checked Security options.
    pub security: Vec<SecurityOption>,
    pub credentials: Credentials,
}

impl AppSetup {
    /// The loopback callback line, if the admin registered one (the OAuth proof needs it),
    /// by the validator's rule ([`crate::validate::callback::is_loopback_callback`]).
    pub fn loopback_callback(&self) -> Option<&str> {
        self.callback_urls
            .iter()
            .map(String::as_str)
            .find(|u| crate::validate::callback::is_loopback_callback(u))
    }
}
