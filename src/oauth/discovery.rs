//! Discovery: a login host's OAuth endpoints from its OpenID discovery document
//! (`/.well-known/openid-configuration`, served without a session), else the documented
//! `/services/oauth2/*` paths. Every URL the document names must pass the host rule
//! ([`check_destination`]) before anything is sent there.

use serde::Deserialize;
use url::Url;

use crate::error::{AppError, ErrorCode};
use crate::net::Http;
use crate::salesforce::endpoints::{
    check_destination, check_named, documented, refused, EndpointSource, Endpoints, Refusal,
    DISCOVERY_PATH,
};
use crate::salesforce::hosts::LoginHost;

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
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Fallback {
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url} did not return a JSON discovery document")]
    NotJson { url: String },
    #[error("the discovery document's {field} is not a URL")]
    NotAUrl { field: &'static str },
    #[error("the discovery document's {field} points elsewhere ({why})")]
    Elsewhere { field: &'static str, why: Refusal },
    #[error("the discovery document lacks authorization_endpoint or token_endpoint")]
    Incomplete,
}

impl Fallback {
    /// The server failed (HTTP 5xx, 429): says nothing about the host or the app, unlike
    /// a wrong answer (404, not JSON, endpoints elsewhere).
    pub fn server_error(&self) -> bool {
        matches!(self, Fallback::Status { status, .. } if *status >= 500 || *status == 429)
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
    if let Some(w) = check_destination(&login.base, allow_custom_host).map_err(refused)? {
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
    let parsed = if fetched.status != 200 {
        Err(Fallback::Status {
            url: url.to_string(),
            status: fetched.status,
        })
    } else {
        serde_json::from_str::<Document>(&fetched.body)
            .map_err(|_| Fallback::NotJson {
                url: url.to_string(),
            })
            .and_then(|doc| from_document(&doc, login, allow_custom_host, &mut warnings))
    };
    Ok(match parsed {
        Err(Fallback::Elsewhere {
            field,
            why: why @ Refusal::OtherOrigin { .. },
        }) => return Err(elsewhere(field, why)),
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
                fallback: Some(reason),
                warnings,
            }
        }
    })
}

/// A custom host's document named another origin: refused before anything is sent (a
/// test server that does this is misconfigured or hostile), exit 3.
fn elsewhere(field: &str, why: Refusal) -> AppError {
    AppError::new(
        ErrorCode::EndpointRefused,
        format!("Refusing the discovery document: its {field} points elsewhere: {why}. Nothing was sent there."),
    )
    .with_fix("serve every endpoint of the test server on its login URL's own origin (scheme, host and port), or use your org's login URL")
    .with_source(why)
}

fn from_document(
    doc: &Document,
    login: &LoginHost,
    allow_custom: bool,
    warnings: &mut Vec<String>,
) -> Result<Endpoints, Fallback> {
    let fallback = documented(login);
    let mut take =
        |field: &'static str, value: &Option<String>, default: &Url| -> Result<Url, Fallback> {
            let Some(raw) = value else {
                return Ok(default.clone());
            };
            let url = Url::parse(raw).map_err(|_| Fallback::NotAUrl { field })?;
            match check_named(&url, login, allow_custom) {
                Ok(Some(w)) if !warnings.contains(&w) => warnings.push(w),
                Ok(_) => {}
                Err(why) => return Err(Fallback::Elsewhere { field, why }),
            }
            Ok(url)
        };
    if doc.authorization_endpoint.is_none() || doc.token_endpoint.is_none() {
        return Err(Fallback::Incomplete);
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

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::salesforce::hosts::HostKind;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_discovery_document_pointing_the_token_endpoint_elsewhere_is_rejected() {
        let login = LoginHost {
            base: url("https://acme.my.salesforce.com/"),
            kind: HostKind::MyDomain,
        };
        let doc = Document {
            issuer: None,
            authorization_endpoint: Some(
                "https://acme.my.salesforce.com/services/oauth2/authorize".into(),
            ),
            token_endpoint: Some("https://collector.example.net/token".into()),
            revocation_endpoint: None,
            userinfo_endpoint: None,
            introspection_endpoint: None,
        };
        let err = from_document(&doc, &login, false, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("token_endpoint") && err.contains("collector.example.net"),
            "{err}"
        );
    }

    /// A server answering every request with `status`.
    async fn answering(status: u16) -> LoginHost {
        let app = axum::Router::new()
            .fallback(move || async move { axum::http::StatusCode::from_u16(status).unwrap() });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        LoginHost {
            base: url(&format!("http://{addr}/")),
            kind: HostKind::Custom,
        }
    }

    #[tokio::test]
    async fn a_5xx_discovery_answer_is_a_server_error_and_a_404_is_not() {
        let http = Http::new().unwrap();
        for (status, server_error) in [(503, true), (500, true), (429, true), (404, false)] {
            let d = discover(&http, &answering(status).await, true)
                .await
                .unwrap();
            let f = d.fallback.expect("falls back");
            assert_eq!(f.server_error(), server_error, "{status}: {f:?}");
        }
    }
}
