//! What the app now looks like, and the Control Hub hand-off: as text for people and as the
//! `result.app` object of the JSON envelope. Never includes the secret.

use serde_json::{json, Value};

use crate::recipe;
use crate::setup::AppSetup;

/// The app as reported, for the JSON envelope (`result.app`).
pub fn app_json(setup: &AppSetup) -> Value {
    json!({
        "login_url": setup.login.origin(),
        "login_host_kind": setup.login.kind,
        "name": setup.app_name,
        "api_name": setup.api_name,
        "contact_email": setup.contact_email,
        "distribution_state": setup.distribution_state.label(),
        "oauth_enabled": setup.oauth_enabled,
        "callback_urls": setup.callback_urls,
        "scopes": setup.scopes.iter().map(|s| s.value).collect::<Vec<_>>(),
        "security": setup.security,
        "consumer_key": setup.credentials.consumer_key,
    })
}

/// The summary of the app, as Setup now shows it.
pub fn app_text(setup: &AppSetup) -> String {
    let scopes: Vec<&str> = setup.scopes.iter().map(|s| s.label).collect();
    let security: Vec<&str> = setup.security.iter().map(|o| o.label()).collect();
    let mut out = format!(
        "External Client App \"{}\" (API Name {}) in {}\n  Contact Email       {}\n  Distribution State  {}\n  Enable OAuth        on\n  Callback URL        {}\n",
        setup.app_name,
        setup.api_name,
        setup.login.origin(),
        setup.contact_email,
        setup.distribution_state.label(),
        setup.callback_urls.join("\n                      "),
    );
    out.push_str(&format!(
        "  OAuth Scopes        {}\n",
        scopes.join("\n                      ")
    ));
    out.push_str(&format!(
        "  Security            {}\n",
        security.join("\n                      ")
    ));
    out.push_str(&format!(
        "  Consumer Key        {}\n",
        setup.credentials.consumer_key
    ));
    out.push_str("  Consumer Secret     (hidden; never printed)\n");
    out
}

/// What is left to do: enter the key and secret in Webex Control Hub (all the seed says of
/// it). `stored`: the tool holds them now, so `handoff` can put them on the clipboard.
pub fn control_hub_text(setup: &AppSetup, stored: bool) -> String {
    let next = format!(
        "Next, enter the Consumer Key ({}) and the Consumer Secret in Webex Control Hub.",
        setup.credentials.consumer_key
    );
    if stored {
        format!("{next}\n  `sf-webex-setup handoff` puts each on the clipboard in turn, so the secret need not be copied from Salesforce again.")
    } else {
        format!(
            "{next}\n  The secret is on {} (this tool never prints it).",
            recipe::location::CONSUMER_DETAILS
        )
    }
}
