//! The OAuth endpoints of a login host: from its OpenID discovery document
//! (`/.well-known/openid-configuration`, served without a session), else the documented
//! `/services/oauth2/*` paths — and the rule for where credentials may be sent.
//!
//! The rule: the consumer secret (and any token) goes only to genuine Salesforce hosts over
//! https. With `--allow-custom-host` any https host is allowed, and plain http only on
//! loopback, each with a warning. Every URL a discovery document names is checked too, so
//! a document that points its token endpoint elsewhere never receives the secret.

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde::Deserialize;
use url::Url;

use crate::error::AppError;
use crate::oauth::http::Http;
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

/// The outcome of discovery: the endpoints to use, whether the document was valid and
/// why not, and warnings for the person (custom host, http, fallback).
#[derive(Clone, Debug)]
pub struct Discovered {
    pub endpoints: Endpoints,
    /// `None` when the document was valid; else why the documented paths are used.
    pub fallback: Option<Fallback>,
    pub warnings: Vec<String>,
}

/// Why discovery fell back to the documented paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fallback {
    pub reason: String,
    /// The server failed (HTTP 5xx, 429): says nothing about the host or the app, unlike
    /// a wrong answer (404, not JSON, endpoints elsewhere).
    pub server_error: bool,
}

/// Whether credentials may be sent to `url`. `Ok(None)`: a genuine Salesforce host over
/// https. `Ok(Some(warning))`: allowed by `--allow-custom-host` (or `--demo`). `Err(why)`:
/// refused; nothing may be sent there.
pub fn check_destination(url: &Url, allow_custom_host: bool) -> Result<Option<String>, String> {
    let host = url.host_str().unwrap_or_default();
    let https = url.scheme() == "https";
    let genuine = is_genuine_salesforce_host(host) && https && url.port().is_none();
    if genuine {
        return Ok(None);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{} carries a user name or password",
            redact_query(url)
        ));
    }
    if !allow_custom_host {
        return Err(if is_genuine_salesforce_host(host) {
            format!(
                "{} is not https on the default port; Salesforce serves OAuth only over https",
                redact_query(url)
            )
        } else {
            format!("{host} is not a Salesforce host; the consumer secret and tokens only go to Salesforce")
        });
    }
    // With the port: the warnings are said once per run, per server.
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
        "http" => Err(format!(
            "{} uses plain http; http is allowed only for loopback test servers (localhost, 127.0.0.1, ::1)",
            redact_query(url)
        )),
        other => Err(format!("{} uses the scheme {other}:, not https", redact_query(url))),
    }
}

/// Warnings already shown to the person in this run. `init --verify --login` discovers
/// twice (the probes, then the proof); the host warning should be said once.
static SHOWN_THIS_RUN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Records `warnings` as shown (their caller prints or reports them) and returns those not
/// shown before in this run, in order.
pub fn not_yet_shown(warnings: &[String]) -> Vec<String> {
    let mut shown = SHOWN_THIS_RUN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    warnings
        .iter()
        .filter(|w| shown.insert((*w).clone()))
        .cloned()
        .collect()
}

/// The refusal as an error: exit 2, since it is the login URL the person gave.
pub fn refused(why: &str) -> AppError {
    AppError::usage("host_refused", format!("Refusing to send the consumer secret: {why}."))
        .with_fix("use your org's login URL, e.g. https://NAME.my.salesforce.com (pass --allow-custom-host only for a test server)")
}

/// The documented paths on the login host (the fallback when discovery fails).
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

#[derive(Deserialize)]
struct Document {
    issuer: Option<String>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    userinfo_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
}

/// Reads the discovery document and checks every URL in it. `Err` only when the login host
/// itself is refused by the host rule (exit 2) or does not answer (exit 5); a bad document
/// falls back to the documented paths with a warning.
pub async fn discover(
    http: &Http,
    login: &LoginHost,
    allow_custom_host: bool,
) -> Result<Discovered, AppError> {
    let mut warnings = Vec::new();
    if let Some(w) =
        check_destination(&login.base, allow_custom_host).map_err(|why| refused(&why))?
    {
        warnings.push(w);
    }
    let mut url = login.base.clone();
    url.set_path(DISCOVERY_PATH);
    url.set_query(None);
    let fetched = http
        .fetch(
            http.request(reqwest::Method::GET, url.clone())
                .header("accept", "application/json"),
            "discovery document",
        )
        .await?;
    let server_error = fetched.status >= 500 || fetched.status == 429;
    let parsed = if fetched.status != 200 {
        Err(format!("{url} answered HTTP {}", fetched.status))
    } else {
        serde_json::from_str::<Document>(&fetched.body)
            .map_err(|_| format!("{url} did not return a JSON discovery document"))
            .and_then(|doc| from_document(&doc, login, allow_custom_host, &mut warnings))
    };
    Ok(match parsed {
        Ok(endpoints) => Discovered {
            endpoints,
            fallback: None,
            warnings,
        },
        Err(reason) => {
            warnings.push(format!(
                "{reason}; using the documented /services/oauth2/* paths instead"
            ));
            Discovered {
                endpoints: documented(login),
                fallback: Some(Fallback {
                    reason,
                    server_error,
                }),
                warnings,
            }
        }
    })
}

fn from_document(
    doc: &Document,
    login: &LoginHost,
    allow_custom: bool,
    warnings: &mut Vec<String>,
) -> Result<Endpoints, String> {
    let fallback = documented(login);
    let mut take = |name: &str, value: &Option<String>, default: &Url| -> Result<Url, String> {
        let Some(raw) = value else {
            return Ok(default.clone());
        };
        let url =
            Url::parse(raw).map_err(|_| format!("the discovery document's {name} is not a URL"))?;
        match check_destination(&url, allow_custom) {
            Ok(Some(w)) if !warnings.contains(&w) => warnings.push(w),
            Ok(_) => {}
            Err(why) => {
                return Err(format!(
                    "the discovery document's {name} points elsewhere ({why})"
                ))
            }
        }
        Ok(url)
    };
    if doc.authorization_endpoint.is_none() || doc.token_endpoint.is_none() {
        return Err("the discovery document lacks authorization_endpoint or token_endpoint".into());
    }
    Ok(Endpoints {
        authorize: take(
            "authorization_endpoint",
            &doc.authorization_endpoint,
            &fallback.authorize,
        )?,
        token: take("token_endpoint", &doc.token_endpoint, &fallback.token)?,
        revoke: take(
            "revocation_endpoint",
            &doc.revocation_endpoint,
            &fallback.revoke,
        )?,
        userinfo: take(
            "userinfo_endpoint",
            &doc.userinfo_endpoint,
            &fallback.userinfo,
        )?,
        introspect: match &doc.introspection_endpoint {
            Some(_) => Some(take(
                "introspection_endpoint",
                &doc.introspection_endpoint,
                &fallback.token,
            )?),
            None => None,
        },
        issuer: doc.issuer.clone(),
        source: EndpointSource::Discovery,
    })
}

/// A URL for messages: never with its query (which may carry a code or state).
fn redact_query(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

#[cfg(test)]
mod tests;
