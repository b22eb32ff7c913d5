//! `GET /services/oauth2/authorize` and the login form behind it (`GET`/`POST /login`):
//! Salesforce's checks in Salesforce's order, then a login (or an existing session), then
//! a single-use code redirected to the registered callback.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use url::Url;

use super::{found, html, Params};
use crate::simulator::config::SimConfig;
use crate::simulator::pages;
use crate::simulator::state::{Challenge, Code, Shared};

const AUTHORIZE_PATH: &str = "/services/oauth2/authorize";
/// Salesforce's session cookie name.
const SESSION_COOKIE: &str = "sid";

/// Who is asking, as far as the authorize step can tell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    /// No session: show the login form (or create one when auto-approving).
    Anonymous,
    /// A session cookie from an earlier login.
    Session,
    /// Logged in by this very request (the login form's POST).
    JustLoggedIn,
    /// Pressed "Deny".
    Denied,
}

pub(super) async fn authorize(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let params = Params::from_query(uri.query());
    let who = match session_cookie(&headers) {
        Some(sid) if shared.has_session(sid) => Who::Session,
        _ => Who::Anonymous,
    };
    let start_url = format!("{AUTHORIZE_PATH}?{}", uri.query().unwrap_or(""));
    decide(&shared, &params, &start_url, who)
}

pub(super) async fn login_form(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let params = Params::from_query(uri.query());
    let start_url = params.get("startURL").unwrap_or(AUTHORIZE_PATH);
    let username = shared.config().user.username.clone();
    html(
        StatusCode::OK,
        pages::login_page(start_url, &username, None),
    )
}

/// The login form's POST: "Deny", a failed login (re-shown with Salesforce's wording), or
/// a new session and straight on to the callback with a code.
pub(super) async fn login_submit(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = Params::parse(&body);
    let start_url = form.get("startURL").unwrap_or("");
    // Only ever continue into the authorize endpoint: no open redirect through the form.
    let Some(query) = start_url
        .strip_prefix(AUTHORIZE_PATH)
        .map(|rest| rest.trim_start_matches('?'))
    else {
        return html(
            StatusCode::BAD_REQUEST,
            pages::oauth_error_page("invalid_request", "invalid startURL"),
        );
    };
    let params = Params::from_query(Some(query));
    if form.get("action") == Some("deny") {
        return decide(&shared, &params, start_url, Who::Denied);
    }
    let username = form.get("username").unwrap_or("").trim();
    // A single-user org: any non-empty username and password log in as the configured user.
    if username.is_empty() || form.get("password").unwrap_or("").is_empty() {
        return html(
            StatusCode::OK,
            pages::login_page(start_url, username, Some(pages::LOGIN_FAILED)),
        );
    }
    let sid = shared.new_session();
    with_session_cookie(decide(&shared, &params, start_url, Who::JustLoggedIn), &sid)
}

/// Salesforce's authorize checks, in order; each failure answers as Salesforce does
/// (error page, error-page redirect or callback redirect).
fn decide(shared: &Shared, params: &Params, start_url: &str, who: Who) -> Response {
    let config: SimConfig = shared.app();
    let callback = match registered_callback(&config, params) {
        Ok(callback) => callback,
        Err((error, description)) => {
            return html(
                StatusCode::BAD_REQUEST,
                pages::oauth_error_page(error, description),
            )
        }
    };
    let redirect_uri = params.get("redirect_uri").unwrap_or("");
    let state = params.get("state");
    let to_callback =
        |pairs: &[(&str, &str)]| found(callback_with(&callback, pairs, state).as_str());
    // 3. The scopes: omitted means the app's own; one the app lacks goes to the error page.
    let scopes = match granted_scopes(&config, params.get("scope")) {
        Some(scopes) => scopes,
        None => {
            let mut page = shared.base.clone();
            page.set_path("/setup/secur/RemoteAccessErrorPage.apexp");
            page.query_pairs_mut()
                .append_pair("error", "invalid_scope")
                .append_pair("error_description", "the requested scope is not allowed");
            return found(page.as_str());
        }
    };
    // 4. PKCE.
    let challenge = match challenge(params) {
        Ok(Some(challenge)) => Some(challenge),
        Ok(None) if config.require_pkce => {
            return to_callback(&[
                ("error", "invalid_request"),
                ("error_description", "missing required code challenge"),
            ])
        }
        Ok(None) => None,
        Err(()) => {
            // Unconfirmed wording: Salesforce's answer to an unknown method is not on record.
            return to_callback(&[
                ("error", "invalid_request"),
                ("error_description", "invalid code challenge method"),
            ]);
        }
    };
    // 5. The response type (only the web-server flow is simulated). Wording unconfirmed.
    if params.get("response_type") != Some("code") {
        return to_callback(&[
            ("error", "unsupported_response_type"),
            ("error_description", "response type not supported"),
        ]);
    }
    // 6. The user.
    let new_sid = match signed_in(shared, &config, params, start_url, who) {
        Ok(new_sid) => new_sid,
        Err(SignIn::Denied) => {
            return to_callback(&[
                ("error", "access_denied"),
                ("error_description", "end-user denied authorization"),
            ])
        }
        Err(SignIn::Form(login)) => return found(login.as_str()),
    };
    // Approval is implicit: the simulated user has already approved the app (Salesforce
    // shows an "Allow Access?" page the first time; the outcome is the same code).
    let code = shared.new_code(Code {
        client_id: config.consumer_key.clone(),
        redirect_uri: redirect_uri.to_owned(),
        challenge,
        scopes,
        expires: shared.code_expiry(),
    });
    let response = to_callback(&[("code", &code)]);
    match new_sid {
        Some(sid) => with_session_cookie(response, &sid),
        None => response,
    }
}

/// Steps 1 and 2: the client (unknown, or not yet propagated, is NOT redirected: seen),
/// then the callback (an exact match with a registered line, port included: doc).
/// `Err`: the error and description of the error page.
fn registered_callback(
    config: &SimConfig,
    params: &Params,
) -> Result<Url, (&'static str, &'static str)> {
    if config.propagating || params.get("client_id") != Some(config.consumer_key.as_str()) {
        return Err(("invalid_client_id", "client identifier invalid"));
    }
    let redirect_uri = params.get("redirect_uri").unwrap_or("");
    match Url::parse(redirect_uri) {
        Ok(url) if config.callback_urls.iter().any(|c| c == redirect_uri) => Ok(url),
        _ => Err((
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        )),
    }
}

/// Why the sign-in does not go on to a code.
enum SignIn {
    Denied,
    /// To the login form, at this URL.
    Form(Url),
}

/// Step 6: who is signing in. `Ok(Some(sid))`: signed in automatically just now (a new
/// session to set). `prompt=login` forces the form even with a session (doc).
fn signed_in(
    shared: &Shared,
    config: &SimConfig,
    params: &Params,
    start_url: &str,
    who: Who,
) -> Result<Option<String>, SignIn> {
    let forced_login = params
        .get("prompt")
        .is_some_and(|p| p.split(' ').any(|v| v == "login"));
    match who {
        Who::Denied => Err(SignIn::Denied),
        Who::JustLoggedIn => Ok(None),
        Who::Session if !forced_login => Ok(None),
        Who::Anonymous if config.auto_approve && !forced_login => Ok(Some(shared.new_session())),
        Who::Anonymous | Who::Session => {
            let mut login = shared.base.clone();
            login.set_path("/login");
            login.query_pairs_mut().append_pair("startURL", start_url);
            Err(SignIn::Form(login))
        }
    }
}

/// The requested scopes in the app's spelling (so `offline_access` is granted and reported
/// as `refresh_token`; whether Salesforce echoes the synonym instead is unconfirmed), or
/// `None` if one is not the app's.
fn granted_scopes(config: &SimConfig, requested: Option<&str>) -> Option<Vec<String>> {
    let requested: Vec<&str> = requested.unwrap_or("").split_whitespace().collect();
    if requested.is_empty() {
        return Some(config.scopes.clone());
    }
    let mut granted: Vec<String> = Vec::new();
    for scope in requested {
        let have = config.granted_scope(scope)?.to_owned();
        if !granted.contains(&have) {
            granted.push(have);
        }
    }
    Some(granted)
}

/// The PKCE challenge, `Ok(None)` if none was sent, `Err` for an unknown method.
fn challenge(params: &Params) -> Result<Option<Challenge>, ()> {
    let Some(value) = params.get("code_challenge").filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    // Without a method, S256 is assumed: Salesforce documents the challenge only as the
    // SHA-256 hash of the verifier (unconfirmed; RFC 7636's default would be `plain`).
    match params.get("code_challenge_method") {
        None | Some("S256") => Ok(Some(Challenge::S256(value.to_owned()))),
        Some("plain") => Ok(Some(Challenge::Plain(value.to_owned()))),
        Some(_) => Err(()),
    }
}

/// The callback with `pairs` and `state` appended to whatever query it already has.
fn callback_with(callback: &Url, pairs: &[(&str, &str)], state: Option<&str>) -> Url {
    let mut url = callback.clone();
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in pairs {
            query.append_pair(k, v);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    url
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

fn with_session_cookie(mut response: Response, sid: &str) -> Response {
    let cookie = format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
