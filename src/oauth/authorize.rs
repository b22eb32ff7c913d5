//! The authorize probe: one `GET /services/oauth2/authorize` without following redirects,
//! and what its answer says about the app before anyone logs in.
//!
//! Salesforce checks the client, then the callback, then (per the simulator and the seen
//! responses) PKCE, before it asks for a login. So: a redirect to the login page means the
//! key and callback were accepted; `invalid_client_id` / `redirect_uri_mismatch` (on an
//! error page, in a redirect to one, or in the body) mean they were not; a redirect to the
//! callback carries `error=…` or, without a session, never a code.

use oauth2::{CsrfToken, PkceCodeChallenge};
use url::Url;

use crate::error::AppError;
use crate::net::{Fetched, Http};

/// Error codes recognised on an error page or in its body, in the order they are looked for.
const KNOWN_ERRORS: &[&str] = &[
    "invalid_client_id",
    "redirect_uri_mismatch",
    "invalid_redirect_uri",
    "invalid_scope",
    "OAUTH_EC_APP_NOT_FOUND",
    "OAUTH_APP_BLOCKED",
    "OAUTH_APP_ACCESS_DENIED",
    "unauthorized_client",
    "unsupported_response_type",
    "invalid_client",
    "invalid_request",
    "access_denied",
];

/// What an authorize request got back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorizeAnswer {
    /// Sent on to a login (or interaction) page: client and callback accepted so far.
    LoginPage { location: Option<String> },
    /// Redirected to the callback with `error=…` (the callback is registered).
    CallbackError {
        error: String,
        description: Option<String>,
    },
    /// Redirected to the callback with a code, no login needed.
    CallbackCode,
    /// Not redirected to the callback: an error page, or a redirect to one.
    ErrorPage {
        error: String,
        description: Option<String>,
    },
    /// Anything else: `status` and a short hint at what came back.
    Unrecognised { status: u16, hint: String },
}

/// Builds the probe URL: `response_type=code`, the key, the callback, a fresh `state`,
/// `scope` (what the sign-in will ask for, so an app without one is refused here, before
/// any browser: `invalid_scope` on Salesforce's error page), and an S256 challenge unless
/// `with_pkce` is false.
pub fn probe_url(
    authorize: &Url,
    consumer_key: &str,
    redirect_uri: &str,
    scope: &str,
    with_pkce: bool,
) -> Url {
    let mut url = authorize.clone();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", consumer_key)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", CsrfToken::new_random().secret())
            .append_pair("scope", scope);
        if with_pkce {
            // The verifier is thrown away: this request is never completed.
            let (challenge, _verifier) = PkceCodeChallenge::new_random_sha256();
            q.append_pair("code_challenge", challenge.as_str())
                .append_pair("code_challenge_method", challenge.method().as_str());
        }
    }
    url
}

/// Sends one authorize request (no redirects followed) and classifies the answer.
pub async fn probe(
    http: &Http,
    authorize: &Url,
    consumer_key: &str,
    redirect_uri: &str,
    scope: &str,
    with_pkce: bool,
) -> Result<AuthorizeAnswer, AppError> {
    let url = probe_url(authorize, consumer_key, redirect_uri, scope, with_pkce);
    let fetched = http
        .fetch(
            http.request(reqwest::Method::GET, url.clone()),
            "authorize request",
        )
        .await?;
    Ok(classify(&fetched, &url, redirect_uri))
}

/// Reads an authorize response. `sent` is the request URL (to resolve a relative Location).
pub fn classify(fetched: &Fetched, sent: &Url, redirect_uri: &str) -> AuthorizeAnswer {
    if let Some(location) = &fetched.location {
        if (300..400).contains(&fetched.status) {
            return classify_redirect(location, sent, redirect_uri);
        }
    }
    if let Some((error, description)) = find_error_in_body(&fetched.body) {
        return AuthorizeAnswer::ErrorPage { error, description };
    }
    let html = fetched
        .content_type
        .as_deref()
        .is_some_and(|c| c.contains("html"));
    let lower = fetched.body.to_ascii_lowercase();
    if fetched.status == 200
        && html
        && (lower.contains("password") || lower.contains("login") || lower.contains("<form"))
    {
        return AuthorizeAnswer::LoginPage { location: None };
    }
    let hint = if html {
        "an HTML page without a login form or an error code"
    } else {
        "no redirect and no error code"
    };
    AuthorizeAnswer::Unrecognised {
        status: fetched.status,
        hint: hint.to_string(),
    }
}

fn classify_redirect(location: &str, sent: &Url, redirect_uri: &str) -> AuthorizeAnswer {
    let Ok(target) = sent.join(location) else {
        return AuthorizeAnswer::Unrecognised {
            status: 302,
            hint: "a redirect to an unreadable address".into(),
        };
    };
    let param = |name: &str| {
        target
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if same_endpoint(&target, redirect_uri) {
        if let Some(error) = param("error") {
            return AuthorizeAnswer::CallbackError {
                error,
                description: param("error_description"),
            };
        }
        if param("code").is_some() {
            return AuthorizeAnswer::CallbackCode;
        }
        return AuthorizeAnswer::Unrecognised {
            status: 302,
            hint: "a redirect to the callback without code or error".into(),
        };
    }
    if let Some(error) = param("error") {
        return AuthorizeAnswer::ErrorPage {
            error,
            description: param("error_description"),
        };
    }
    // Salesforce's own error page can carry the code in another form; look at the address.
    if let Some((error, description)) = find_error_in_body(target.as_str()) {
        if target.path().contains("Error") {
            return AuthorizeAnswer::ErrorPage { error, description };
        }
    }
    // Only the path is kept: the rest may carry the state.
    let mut shown = target.clone();
    shown.set_query(None);
    AuthorizeAnswer::LoginPage {
        location: Some(shown.to_string()),
    }
}

/// Scheme, host, port and path equal: the callback, whatever query it carries.
fn same_endpoint(target: &Url, redirect_uri: &str) -> bool {
    let Ok(callback) = Url::parse(redirect_uri) else {
        return false;
    };
    target.scheme() == callback.scheme()
        && target.host_str().map(str::to_ascii_lowercase)
            == callback.host_str().map(str::to_ascii_lowercase)
        && target.port_or_known_default() == callback.port_or_known_default()
        && target.path() == callback.path()
}

/// Finds a known error code in a page (as `error=CODE`, `"error":"CODE"`, or as a whole
/// word), and `error_description=…` when present. The first known code that occurs wins.
fn find_error_in_body(body: &str) -> Option<(String, Option<String>)> {
    let code = KNOWN_ERRORS.iter().find(|code| contains_word(body, code))?;
    let description = body.find("error_description=").map(|at| {
        let rest = &body[at + "error_description=".len()..];
        let end = rest
            .find(['&', '"', '\'', '<', ' ', '\n'])
            .unwrap_or(rest.len());
        let raw = rest[..end].replace('+', " ");
        percent_decode(&raw)
    });
    let description = description.or_else(|| described_as_pre(body));
    Some(((*code).to_string(), description.filter(|d| !d.is_empty())))
}

/// oidc-provider's error page: `<strong>error_description</strong>: …</pre>`.
fn described_as_pre(body: &str) -> Option<String> {
    let marker = "error_description</strong>:";
    let at = body.find(marker)?;
    let rest = &body[at + marker.len()..];
    let end = rest.find('<').unwrap_or(rest.len());
    Some(html_escape::decode_html_entities(rest[..end].trim()).into_owned())
}

fn contains_word(haystack: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    haystack.match_indices(word).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CB: &str = "http://localhost:1717/OauthRedirect";

    fn sent() -> Url {
        Url::parse("https://acme.my.salesforce.com/services/oauth2/authorize?client_id=k").unwrap()
    }

    fn redirect(to: &str) -> Fetched {
        Fetched {
            status: 302,
            location: Some(to.into()),
            content_type: None,
            body: String::new(),
        }
    }

    fn page(status: u16, body: &str) -> Fetched {
        Fetched {
            status,
            location: None,
            content_type: Some("text/html;charset=UTF-8".into()),
            body: body.into(),
        }
    }

    #[test]
    fn a_redirect_to_the_login_page_means_key_and_callback_were_accepted() {
        let a = classify(
            &redirect("/?ec=302&startURL=%2Fsetup%2Fsecur%2FRemoteAccessAuthorizationPage.apexp"),
            &sent(),
            CB,
        );
        assert_eq!(
            a,
            AuthorizeAnswer::LoginPage {
                location: Some("https://acme.my.salesforce.com/".into())
            }
        );
    }

    #[test]
    fn the_missing_challenge_redirect_is_a_callback_error() {
        let a = classify(
            &redirect("http://localhost:1717/OauthRedirect?error=invalid_request&error_description=missing+required+code+challenge&state=s"),
            &sent(),
            CB,
        );
        assert_eq!(
            a,
            AuthorizeAnswer::CallbackError {
                error: "invalid_request".into(),
                description: Some("missing required code challenge".into())
            }
        );
        assert_eq!(
            classify(
                &redirect("http://localhost:1717/OauthRedirect?code=abc&state=s"),
                &sent(),
                CB
            ),
            AuthorizeAnswer::CallbackCode
        );
    }

    #[test]
    fn error_pages_are_read_from_the_location_or_the_body() {
        let via_location = classify(
            &redirect("/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_scope&error_description=the+requested+scope+is+not+allowed"),
            &sent(),
            CB,
        );
        assert_eq!(
            via_location,
            AuthorizeAnswer::ErrorPage {
                error: "invalid_scope".into(),
                description: Some("the requested scope is not allowed".into())
            }
        );
        let body = page(
            400,
            "<p>error=invalid_client_id&error_description=client%20identifier%20invalid</p>",
        );
        assert_eq!(
            classify(&body, &sent(), CB),
            AuthorizeAnswer::ErrorPage {
                error: "invalid_client_id".into(),
                description: Some("client identifier invalid".into())
            }
        );
        let oidc = page(400, "<pre><strong>error</strong>: invalid_redirect_uri</pre><pre><strong>error_description</strong>: redirect_uri did not match any of the client&#39;s registered redirect_uris</pre>");
        let AuthorizeAnswer::ErrorPage { error, description } = classify(&oidc, &sent(), CB) else {
            panic!()
        };
        assert_eq!(error, "invalid_redirect_uri");
        assert!(description.unwrap().contains("client's registered"));
    }

    #[test]
    fn invalid_client_is_not_mistaken_for_invalid_client_id() {
        assert_eq!(
            find_error_in_body("error: invalid_client_id").unwrap().0,
            "invalid_client_id"
        );
        assert_eq!(
            find_error_in_body("error: invalid_client.").unwrap().0,
            "invalid_client"
        );
    }

    #[test]
    fn a_login_form_is_a_login_page_and_anything_else_is_unrecognised() {
        assert_eq!(
            classify(
                &page(200, "<form><input type=password></form>"),
                &sent(),
                CB
            ),
            AuthorizeAnswer::LoginPage { location: None }
        );
        assert!(matches!(
            classify(&page(500, "oops"), &sent(), CB),
            AuthorizeAnswer::Unrecognised { status: 500, .. }
        ));
    }

    #[test]
    fn the_probe_url_sends_s256_explicitly_and_a_128_bit_state() {
        let u = probe_url(&sent(), "KEY", CB, "api web", true);
        let get = |k: &str| {
            u.query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        assert_eq!(get("code_challenge_method").as_deref(), Some("S256"));
        assert_eq!(get("code_challenge").map(|c| c.len()), Some(43));
        assert_eq!(get("scope").as_deref(), Some("api web"), "scopes named");
        assert!(
            get("state").unwrap().len() >= 22,
            "at least 128 bits of base64url"
        );
        assert!(probe_url(&sent(), "KEY", CB, "api web", false)
            .query_pairs()
            .all(|(k, _)| k != "code_challenge"));
    }
}
