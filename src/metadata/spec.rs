//! The app as the admin described it: the plain input both the emitter and the comparison
//! take. Built from the validated answers ([`EcaSpec::from_setup`]) or by hand in tests.

use crate::recipe::{self, DistributionState, Scope, SecurityOption};
use crate::setup::AppSetup;

/// An External Client App's recipe-relevant fields, as the admin answered them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcaSpec {
    /// The External Client App Name (metadata `label`).
    pub label: String,
    /// The API Name: the app's member name and file name.
    pub api_name: String,
    pub contact_email: String,
    pub distribution_state: DistributionState,
    /// Every line of the Callback URL box, in order.
    pub callback_urls: Vec<String>,
    /// Every selected scope, in Setup order.
    pub scopes: Vec<&'static Scope>,
    /// The checked Security options.
    pub security: Vec<SecurityOption>,
}

impl EcaSpec {
    /// The validated answers of `init`/`metadata`, without the login host and credentials.
    pub fn from_setup(setup: &AppSetup) -> EcaSpec {
        EcaSpec {
            label: setup.app_name.clone(),
            api_name: setup.api_name.clone(),
            contact_email: setup.contact_email.clone(),
            distribution_state: setup.distribution_state,
            callback_urls: setup.callback_urls.clone(),
            scopes: setup.scopes.clone(),
            security: setup.security.clone(),
        }
    }

    /// The recipe exactly, with `extra_callbacks` after the Webex line (tests, the demo).
    pub fn webex(api_name: &str, contact_email: &str, extra_callbacks: &[String]) -> EcaSpec {
        let mut callback_urls = vec![recipe::WEBEX_CALLBACK_URL.to_owned()];
        callback_urls.extend(extra_callbacks.iter().cloned());
        EcaSpec {
            label: api_name.replace('_', " "),
            api_name: api_name.to_owned(),
            contact_email: contact_email.to_owned(),
            distribution_state: recipe::DISTRIBUTION_STATE,
            callback_urls,
            scopes: recipe::required_scopes().collect(),
            security: recipe::SecurityOption::ALL.to_vec(),
        }
    }

    /// Whether the admin said `option` is checked.
    pub fn is_checked(&self, option: SecurityOption) -> bool {
        self.security.contains(&option)
    }

    /// The value `option`'s metadata field has when the box is as the admin said.
    pub fn security_value(&self, option: SecurityOption) -> bool {
        if self.is_checked(option) {
            option.metadata().1
        } else {
            !option.metadata().1
        }
    }
}
