//! What the app now looks like, and the Control Hub hand-off: as text for people and as the
//! `result.app` object of the JSON envelope. Never includes the secret.

use serde_json::{json, Value};

use crate::metadata::EcaSpec;
use crate::recipe;
use crate::salesforce::hosts::LoginHost;
use crate::setup::AppSetup;

/// The app as reported, for the JSON envelope (`result.app`).
pub fn app_json(setup: &AppSetup) -> Value {
    let mut app = spec_json(&setup.login, &EcaSpec::from_setup(setup));
    app["oauth_enabled"] = json!(setup.oauth_enabled);
    app["consumer_key"] = json!(setup.credentials.consumer_key);
    app
}

/// The app's fields in `org` as `--json` shows them (`init`'s `app` adds the key).
pub fn spec_json(org: &LoginHost, spec: &EcaSpec) -> Value {
    json!({
        "login_url": org.origin(),
        "login_host_kind": org.kind,
        "name": spec.label,
        "api_name": spec.api_name,
        "contact_email": spec.contact_email,
        "distribution_state": spec.distribution_state.label(),
        "callback_urls": spec.callback_urls,
        "scopes": spec.scopes.iter().map(|s| s.value).collect::<Vec<_>>(),
        "security": spec.security,
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
