//! Revoking every token the proof obtained, and why: each user may hold 5 approvals
//! (refresh tokens) per app, and a 6th silently revokes the oldest — possibly the one
//! Webex uses. A refresh token revokes its access tokens too.

use oauth2::{AccessToken, RefreshToken, TokenResponse as _};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::checks::{self, title};
use super::http::Http;
use super::messages::clean_server_text;
use super::tokens::TokenResponse;
use crate::error::AppError;
use crate::report::Check;
use crate::salesforce::endpoints::Endpoints;

/// Tokens the proof obtained and must revoke.
#[derive(Default)]
pub struct Minted {
    pub refresh: Vec<RefreshToken>,
    pub access: Vec<AccessToken>,
}

impl Minted {
    pub fn add(&mut self, token: &TokenResponse) {
        if let Some(rt) = token.refresh_token() {
            if !self.refresh.iter().any(|r| r.secret() == rt.secret()) {
                self.refresh.push(rt.clone());
            }
        }
        self.access.push(token.access_token().clone());
    }
}

impl Minted {
    /// The tokens in a 2xx token response that did not parse as one (a missing
    /// `token_type`, a wrong content type…): read leniently, JSON or form-encoded, so that
    /// nothing the server issued is left alive.
    pub fn from_unparsed(body: &[u8]) -> Minted {
        let field = |name: &str| -> Option<String> {
            let from_json = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get(name)?.as_str().map(str::to_owned));
            from_json
                .or_else(|| {
                    url::form_urlencoded::parse(body)
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.into_owned())
                })
                .filter(|t| !t.trim().is_empty())
        };
        Minted {
            refresh: field("refresh_token")
                .map(RefreshToken::new)
                .into_iter()
                .collect(),
            access: field("access_token")
                .map(AccessToken::new)
                .into_iter()
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.refresh.is_empty() && self.access.is_empty()
    }
}

/// Revokes every refresh token (each revokes its access tokens); with none, the access
/// tokens. Why it matters: each user holds at most 5 approvals per app, and a 6th silently
/// revokes the oldest — possibly the one Webex uses.
///
/// The RFC 7009 request is built here rather than by oauth2, which refuses a revocation URL
/// that is not https — and the loopback test servers allowed by `--allow-custom-host` are
/// plain http. The URL was checked against the host rule like every other endpoint.
pub async fn revoke_all(
    http: &Http,
    endpoints: &Endpoints,
    consumer_key: &str,
    secret: &SecretString,
    minted: Minted,
) -> (Check, Option<AppError>) {
    let id = checks::TOKENS_REVOKED;
    let why = "Each user may hold 5 approvals per app; a 6th silently revokes the oldest, possibly the one Webex uses.";
    let (what, hint, tokens): (&str, &str, Vec<&str>) = if minted.refresh.is_empty() {
        (
            "access",
            "access_token",
            minted.access.iter().map(|t| t.secret().as_str()).collect(),
        )
    } else {
        (
            "refresh",
            "refresh_token",
            minted.refresh.iter().map(|t| t.secret().as_str()).collect(),
        )
    };
    let count = tokens.len();
    let requests = tokens
        .iter()
        .map(|token| revoke_one(http, endpoints, token, hint, consumer_key, secret));
    let mut failures = Vec::new();
    let mut net = None;
    for result in futures_util::future::join_all(requests).await {
        match result {
            Ok(f) if f.status == 200 => {}
            Ok(f) => failures.push(format!(
                "HTTP {}{}",
                f.status,
                oauth_error_code(&f.body)
                    .map(|e| format!(" {e}"))
                    .unwrap_or_default()
            )),
            Err(e) => {
                failures.push("the network failed".to_string());
                net = Some(e);
            }
        }
    }
    if failures.is_empty() {
        let note = if what == "refresh" {
            " (each also revokes its access tokens)"
        } else {
            ""
        };
        (
            Check::pass(
                id,
                title(id),
                format!("Revoked {count} {what} token(s){note}. {why}"),
            ),
            None,
        )
    } else {
        let fix = "revoke it by hand: Setup → Connected Apps OAuth Usage → the app → the user → Revoke (or your personal settings → OAuth Connected Apps)";
        (
            Check::fail(
                id,
                title(id),
                format!(
                    "{} of {count} {what} token(s) could not be revoked ({}). {why}",
                    failures.len(),
                    failures.join("; ")
                ),
                fix,
            ),
            net,
        )
    }
}

/// One revocation. Salesforce takes the bare `token=` (reference: "Revoke"), so the client
/// credentials are not sent by default; a server that requires RFC 7009 client
/// authentication answers 401 or `invalid_client` (oidc-provider does), and only then is
/// the request repeated with them (client_secret_post, as for the token endpoint).
async fn revoke_one(
    http: &Http,
    endpoints: &Endpoints,
    token: &str,
    hint: &str,
    consumer_key: &str,
    secret: &SecretString,
) -> Result<super::http::Fetched, AppError> {
    let send = |form: Vec<(&str, &str)>| {
        http.fetch(
            http.request(reqwest::Method::POST, endpoints.revoke.clone())
                .form(&form),
            "token revocation",
        )
    };
    let first = send(vec![("token", token)]).await?;
    // oidc-provider: 400 `invalid_request` "no client authentication mechanism provided".
    let wants_client_auth = first.status == 401
        || (first.status == 400
            && oauth_error_code(&first.body).is_some_and(|e| {
                let e = e.to_ascii_lowercase();
                e.starts_with("invalid_client") || e.contains("client authentication")
            }));
    if !wants_client_auth {
        return Ok(first);
    }
    send(vec![
        ("token", token),
        ("token_type_hint", hint),
        ("client_id", consumer_key),
        ("client_secret", secret.expose_secret()),
    ])
    .await
}

/// `error` (and `error_description`) of an OAuth JSON error body, for messages.
fn oauth_error_code(body: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct E {
        error: String,
        error_description: Option<String>,
    }
    let e: E = serde_json::from_str(body).ok()?;
    Some(clean_server_text(&match e.error_description {
        Some(d) => format!("{} ({d})", e.error),
        None => e.error,
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::report::CheckStatus;

    /// A revoke endpoint that records each body; with `needs_client_auth` it answers as
    /// oidc-provider does unless the client credentials are in the body.
    async fn server(needs_client_auth: bool, seen: Arc<Mutex<Vec<String>>>) -> Endpoints {
        use axum::routing::post;
        let app = axum::Router::new().route(
            "/revoke",
            post(move |body: String| async move {
                let authed = body.contains("client_secret=");
                seen.lock().unwrap().push(body);
                if needs_client_auth && !authed {
                    (
                        axum::http::StatusCode::BAD_REQUEST,
                        r#"{"error":"invalid_request","error_description":"no client authentication mechanism provided"}"#,
                    )
                } else {
                    (axum::http::StatusCode::OK, "")
                }
            }),
        );
        crate::salesforce::endpoints::serve_fake(app).await
    }

    fn minted() -> Minted {
        Minted {
            refresh: vec![RefreshToken::new("RT1".into())],
            access: vec![AccessToken::new("AT1".into())],
        }
    }

    #[tokio::test]
    async fn a_revocation_sends_only_the_token_when_the_server_does_not_ask_for_more() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let eps = server(false, Arc::clone(&seen)).await;
        let secret = SecretString::from("s3cret".to_string());
        let http = Http::new().unwrap();
        let (check, err) = revoke_all(&http, &eps, "key", &secret, minted()).await;
        assert_eq!(check.status, CheckStatus::Pass, "{check:?}");
        assert!(err.is_none());
        assert_eq!(*seen.lock().unwrap(), ["token=RT1"]);
    }

    #[tokio::test]
    async fn a_server_that_wants_client_authentication_gets_the_credentials_on_a_retry() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let eps = server(true, Arc::clone(&seen)).await;
        let secret = SecretString::from("s3cret".to_string());
        let http = Http::new().unwrap();
        let (check, _) = revoke_all(&http, &eps, "key", &secret, minted()).await;
        assert_eq!(check.status, CheckStatus::Pass, "{check:?}");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen[1].contains("client_id=key") && seen[1].contains("client_secret=s3cret"));
    }
}
