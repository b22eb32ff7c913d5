//! The simulated org's HTML: the login form, the OAuth error pages, the demo landing page
//! (App Manager view) and the "Consumer Key and Secret" page. Every reflected or configured
//! value goes through html-escape; each page carries a stable `data-sim-page` marker that
//! tests and the browser stand-in can look for.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::config::SimConfig;
use crate::recipe::{self, SecurityOption};

/// The demo app's name in the App Manager view.
pub(crate) const DEMO_APP_NAME: &str = "Webex Integration";

/// Salesforce's wording for a failed login (seen on login.salesforce.com).
pub(crate) const LOGIN_FAILED: &str =
    "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

fn page(title: &str, marker: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title} | Simulated Salesforce org</title></head>\n\
         <body data-sim-page=\"{marker}\">\n{body}\n</body></html>\n",
        title = text(title),
        marker = attr(marker),
    )
}

/// The page Salesforce shows instead of redirecting (unknown client, unregistered
/// callback). `error` and `description` are constants, written as Salesforce's page shows
/// them: `error=…&error_description=…` verbatim (a bare `&` before a name that is no
/// character reference is valid HTML, so the body contains the exact string).
pub(crate) fn oauth_error_page(error: &'static str, description: &'static str) -> String {
    page(
        "Error",
        "oauth-error",
        &format!(
            "<h1>Remote Access Error</h1>\n<p id=\"oauth-error\">error={error}&error_description={description}</p>"
        ),
    )
}

/// `/setup/secur/RemoteAccessErrorPage.apexp?error=…&error_description=…`: reflects the
/// query, escaped.
pub(crate) fn remote_access_error_page(error: &str, description: &str) -> String {
    page(
        "Remote Access Error",
        "remote-access-error",
        &format!(
            "<h1>Remote Access Error</h1>\n<p>Error: <code id=\"error\">{}</code></p>\n\
             <p>Description: <span id=\"error_description\">{}</span></p>",
            text(error),
            text(description)
        ),
    )
}

/// The login form. The first submit button logs in (what a browser's Enter key and the
/// browser stand-in press); "Deny" refuses access.
pub(crate) fn login_page(start_url: &str, username: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p id=\"error\" role=\"alert\">{}</p>\n", text(e)))
        .unwrap_or_default();
    page(
        "Login",
        "login",
        &format!(
            "<h1>Log in to the simulated org</h1>\n{error}\
             <form method=\"post\" action=\"/login\">\n\
             <input type=\"hidden\" name=\"startURL\" value=\"{start}\">\n\
             <label>Username <input type=\"email\" name=\"username\" value=\"{user}\"></label>\n\
             <label>Password <input type=\"password\" name=\"password\"></label>\n\
             <button type=\"submit\" name=\"action\" value=\"login\">Log In</button>\n\
             <button type=\"submit\" name=\"action\" value=\"deny\">Deny</button>\n</form>",
            start = attr(start_url),
            user = attr(username),
        ),
    )
}

fn yes_no(on: bool) -> &'static str {
    if on {
        "☑"
    } else {
        "☐"
    }
}

/// `/`: the App Manager view of the simulated org's one External Client App.
pub(crate) fn landing(config: &SimConfig, base: &str) -> String {
    let callbacks: String = config
        .callback_urls
        .iter()
        .map(|u| format!("<li><code>{}</code></li>", text(u)))
        .collect();
    let scopes: String = config
        .scopes
        .iter()
        .map(|s| {
            let label = recipe::scope_by_value(s).map_or(s.as_str(), |known| known.label);
            format!("<li>{}</li>", text(label))
        })
        .collect();
    let security = SecurityOption::ALL
        .iter()
        .map(|o| format!("<li>{} {}</li>", yes_no(config.has(*o)), text(o.label())))
        .collect::<String>();
    page(
        "App Manager",
        "landing",
        &format!(
            "<h1>Simulated Salesforce org (sf-webex-setup demo)</h1>\n\
             <p>My Domain login URL: <code id=\"login-url\">{base}</code></p>\n\
             <h2>Setup → Apps → App Manager</h2>\n\
             <table><tr><th>App Name</th><th>Type</th></tr>\
             <tr><td>{app}</td><td>External Client App</td></tr></table>\n\
             <h3>{app} → Settings → OAuth Settings</h3>\n\
             <p>Callback URL:</p><ul id=\"callbacks\">{callbacks}</ul>\n\
             <p>Selected OAuth Scopes:</p><ul id=\"scopes\">{scopes}</ul>\n\
             <p>Security:</p><ul id=\"security\">{security}</ul>\n\
             <p><a href=\"/demo/consumer\">Consumer Key and Secret</a></p>",
            base = text(base),
            app = text(DEMO_APP_NAME),
        ),
    )
}

/// `/demo/consumer`: what "Consumer Key and Secret" shows (Salesforce first emails a
/// verification code; the demo skips that step).
pub(crate) fn consumer(config: &SimConfig) -> String {
    page(
        "Consumer Key and Secret",
        "consumer",
        &format!(
            "<h1>{app} → Consumer Key and Secret</h1>\n\
             <p>Consumer Key: <code id=\"consumer-key\">{key}</code></p>\n\
             <p>Consumer Secret: <code id=\"consumer-secret\">{secret}</code></p>\n\
             <p><a href=\"/\">Back to App Manager</a></p>",
            app = text(DEMO_APP_NAME),
            key = text(&config.consumer_key),
            secret = text(&config.consumer_secret),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflected_values_are_escaped() {
        let p = remote_access_error_page("<script>", "a\"b&c");
        assert!(p.contains("&lt;script&gt;"));
        assert!(!p.contains("<script>"));
        let l = login_page("/services/oauth2/authorize?a=\"><x>", "u\"", None);
        assert!(!l.contains("\"><x>"));
    }

    #[test]
    fn the_client_error_page_carries_salesforces_exact_text() {
        let p = oauth_error_page("invalid_client_id", "client identifier invalid");
        assert!(p.contains("error=invalid_client_id&error_description=client identifier invalid"));
        assert!(p.contains("data-sim-page=\"oauth-error\""));
    }
}
