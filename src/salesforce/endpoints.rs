//! The OAuth endpoints of a login host — the documented `/services/oauth2/*` paths (what
//! [`crate::oauth::discovery`] falls back to) — and the rule for where credentials may be
//! sent.
//!
//! The rule: the consumer secret (and any token) goes only to genuine Salesforce hosts over
//! https. With `--allow-custom-host` any https host is allowed, and plain http only on
//! loopback, each with a warning. Every URL a discovery document names is checked too, so
//! a document that points its token endpoint elsewhere never receives the secret.

use url::Url;

use crate::error::{AppError, ErrorCode};
use crate::salesforce::hosts::{is_genuine_salesforce_host, is_loopback_host, LoginHost};

pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
pub const AUTHORIZE_PATH: &str = "/services/oauth2/authorize";
pub const TOKEN_PATH: &str = "/services/oauth2/token";
pub const REVOKE_PATH: &str = "/services/oauth2/revoke";
pub const USERINFO_PATH: &str = "/services/oauth2/userinfo";
pub const INTROSPECT_PATH: &str = "/services/oauth2/introspect";

/// Where each OAuth request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    pub authorize: Url,
    pub token: Url,
    pub revoke: Url,
    pub userinfo: Url,
    pub introspect: Option<Url>,
    /// The discovery document's `issuer`, to compare with a callback's RFC 9207 `iss`.
    pub issuer: Option<String>,
    pub source: EndpointSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointSource {
    /// Read from the host's discovery document (every URL passed the host rule).
    Discovery,
    /// The documented Salesforce paths on the login host.
    Documented,
}

/// Why credentials may not be sent to a URL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{url} carries a user name or password")]
    UserInfo { url: String },
    #[error("{url} is not https on the default port; Salesforce serves OAuth only over https")]
    NotHttpsOnDefaultPort { url: String },
    #[error(
        "{host} is not a Salesforce host; the consumer secret and tokens only go to Salesforce"
    )]
    NotSalesforce { host: String },
    #[error("{url} uses plain http; http is allowed only for loopback test servers (localhost, 127.0.0.1, ::1)")]
    PlainHttp { url: String },
    #[error("{url} uses the scheme {scheme}:, not https")]
    Scheme { url: String, scheme: String },
    #[error("{url} is not on the login URL's origin {login}; a custom host vouches only for itself, so every endpoint must be on it")]
    OtherOrigin { url: String, login: String },
}

/// Whether credentials may be sent to `url`. `Ok(None)`: a genuine Salesforce host over
/// https. `Ok(Some(warning))`: allowed by `--allow-custom-host` (or `--demo`). `Err`:
/// refused; nothing may be sent there.
pub fn check_destination(url: &Url, allow_custom_host: bool) -> Result<Option<String>, Refusal> {
    let host = url.host_str().unwrap_or_default();
    let https = url.scheme() == "https";
    let genuine = is_genuine_salesforce_host(host) && https && url.port().is_none();
    if genuine {
        return Ok(None);
    }
    let shown_url = || redact_query(url);
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::UserInfo { url: shown_url() });
    }
    if !allow_custom_host {
        return Err(if is_genuine_salesforce_host(host) {
            Refusal::NotHttpsOnDefaultPort { url: shown_url() }
        } else {
            Refusal::NotSalesforce {
                host: host.to_string(),
            }
        });
    }
    // With the port: a warning names the server it is about.
    let shown = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    match url.scheme() {
        "https" => Ok(Some(format!(
            "{shown} is not a Salesforce host; credentials are sent there only because of --allow-custom-host"
        ))),
        "http" if is_loopback_host(host) => Ok(Some(format!(
            "{shown} is a loopback test server over plain http (allowed by --allow-custom-host or --demo)"
        ))),
        "http" => Err(Refusal::PlainHttp { url: shown_url() }),
        other => Err(Refusal::Scheme {
            url: shown_url(),
            scheme: other.to_string(),
        }),
    }
}

/// Whether a URL the org named (a discovery document's endpoint, the token response's
/// `instance_url`) may receive credentials or tokens: the host rule, and with a custom
/// login host also its own origin — a test server is trusted only for itself, so a
/// document naming another port or host never gets the secret.
pub fn check_named(
    url: &Url,
    login: &LoginHost,
    allow_custom_host: bool,
) -> Result<Option<String>, Refusal> {
    let warning = check_destination(url, allow_custom_host)?;
    let login_genuine = matches!(check_destination(&login.base, false), Ok(None));
    if !login_genuine && url.origin() != login.base.origin() {
        return Err(Refusal::OtherOrigin {
            url: redact_query(url),
            login: login.base.origin().ascii_serialization(),
        });
    }
    Ok(warning)
}

/// The refusal as an error: exit 2, since it is the login URL the person gave.
pub fn refused(why: Refusal) -> AppError {
    AppError::new(
        ErrorCode::HostRefused,
        format!("Refusing to send the consumer secret: {why}."),
    )
    .with_fix("use your org's login URL, e.g. https://NAME.my.salesforce.com (pass --allow-custom-host only for a test server)")
    .with_source(why)
}

/// For unit tests: serves `app` on 127.0.0.1 and returns its endpoints at the plain paths
/// `/authorize`, `/token`, `/revoke`, `/userinfo` (a fake OAuth server for one test).
#[cfg(test)]
pub(crate) async fn serve_fake(app: axum::Router) -> Endpoints {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base = Url::parse(&format!("http://{addr}/")).expect("a URL");
    let at = |path: &str| base.join(path).expect("a URL");
    Endpoints {
        authorize: at("authorize"),
        token: at("token"),
        revoke: at("revoke"),
        userinfo: at("userinfo"),
        introspect: None,
        issuer: None,
        source: EndpointSource::Documented,
    }
}

/// The documented paths on the login host (the fallback when discovery fails).
pub fn documented(login: &LoginHost) -> Endpoints {
    let at = |path: &str| {
        let mut u = login.base.clone();
        u.set_path(path);
        u.set_query(None);
        u.set_fragment(None);
        u
    };
    Endpoints {
        authorize: at(AUTHORIZE_PATH),
        token: at(TOKEN_PATH),
        revoke: at(REVOKE_PATH),
        userinfo: at(USERINFO_PATH),
        introspect: Some(at(INTROSPECT_PATH)),
        issuer: None,
        source: EndpointSource::Documented,
    }
}

/// A URL for messages: never with its query (which may carry a code or state) nor a user
/// name or password.
pub fn redact_query(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    // Fails only for URLs that cannot hold credentials anyway.
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

#[cfg(test)]
mod tests;
