//! `tokens_revoked`: every token the proof obtained is revoked, and why: each user may hold
//! 5 approvals (refresh tokens) per app, and a 6th silently revokes the oldest — possibly
//! the one Webex uses. A refresh token revokes its access tokens too.

use secrecy::SecretString;

use crate::error::AppError;
use crate::net::Http;
use crate::oauth::client::Minted;
use crate::oauth::revoke::{oauth_error_code, revoke_one};
use crate::report::{Check, CheckId};
use crate::salesforce::endpoints::Endpoints;

/// What the revocation found: the check, a network failure, and a warning for tokens left
/// live by a server without a revocation endpoint.
pub struct Revocation {
    pub check: Check,
    pub error: Option<AppError>,
    pub warning: Option<String>,
}

/// Revokes every refresh token (each revokes its access tokens); with none, the access
/// tokens. Why it matters: each user holds at most 5 approvals per app, and a 6th silently
/// revokes the oldest — possibly the one Webex uses.
pub async fn revoke_all(
    http: &Http,
    endpoints: &Endpoints,
    consumer_key: &str,
    secret: &SecretString,
    minted: Minted,
) -> Revocation {
    let id = CheckId::TokensRevoked;
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
    let Tally {
        failures,
        missing,
        net,
    } = tally(futures_util::future::join_all(requests).await);
    let fix = "revoke it by hand: Setup → Connected Apps OAuth Usage → the app → the user → Revoke (or your personal settings → OAuth Connected Apps)";
    if failures.is_empty() {
        let note = if what == "refresh" {
            " (each also revokes its access tokens)"
        } else {
            ""
        };
        Revocation {
            check: Check::pass(id, format!("Revoked {count} {what} token(s){note}. {why}"))
                .with_verdict(format!("{count} {what} token(s)")),
            error: None,
            warning: None,
        }
    } else if missing == failures.len() {
        no_endpoint(&endpoints.revoke, count, what, fix)
    } else {
        Revocation {
            check: Check::fail(
                id,
                format!(
                    "{} of {count} {what} token(s) could not be revoked ({}). {why}",
                    failures.len(),
                    failures.join("; ")
                ),
                fix,
            )
            .with_verdict(format!("{} left live", failures.len())),
            error: net,
            warning: None,
        }
    }
}

/// What the revocation requests came back with.
#[derive(Default)]
struct Tally {
    /// One line per token not revoked.
    failures: Vec<String>,
    /// How many of those were a 404 (no revocation endpoint).
    missing: usize,
    net: Option<AppError>,
}

fn tally(results: Vec<Result<crate::net::Fetched, AppError>>) -> Tally {
    let mut t = Tally::default();
    for result in results {
        match result {
            Ok(f) if f.status == 200 => {}
            Ok(f) if f.status == 404 => {
                t.missing += 1;
                t.failures.push("HTTP 404".to_string());
            }
            Ok(f) => t.failures.push(format!(
                "HTTP {}{}",
                f.status,
                oauth_error_code(&f.body)
                    .map(|e| format!(" {e}"))
                    .unwrap_or_default()
            )),
            Err(e) => {
                t.failures.push("the network failed".to_string());
                t.net = Some(e);
            }
        }
    }
    t
}

/// The server has no revocation endpoint (404 for every token): a clean-up the server
/// cannot do, not a fault of the app — undecided, with a warning saying how long the
/// tokens stay live.
fn no_endpoint(revoke: &url::Url, count: usize, what: &str, fix: &str) -> Revocation {
    let url = crate::salesforce::endpoints::redact_query(revoke);
    Revocation {
        check: Check::unknown(
            CheckId::TokensRevoked,
            format!("{url} answered HTTP 404: the server has no revocation endpoint, so the {count} {what} token(s) could not be revoked."),
        )
        .with_fix(fix)
        .with_verdict("no revocation endpoint"),
        error: None,
        warning: Some(format!(
            "{count} {what} token(s) from the proof stay live: {url} has no revocation endpoint (HTTP 404). Access tokens end with the session timeout (Salesforce's default: 2 hours); refresh tokens live as long as the app's refresh token policy allows (Salesforce's default: until revoked) — {fix}."
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::report::CheckStatus;
    use oauth2::{AccessToken, RefreshToken};

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
        let Revocation {
            check, error: err, ..
        } = revoke_all(&http, &eps, "key", &secret, minted()).await;
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
        let check = revoke_all(&http, &eps, "key", &secret, minted())
            .await
            .check;
        assert_eq!(check.status, CheckStatus::Pass, "{check:?}");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen[1].contains("client_id=key") && seen[1].contains("client_secret=s3cret"));
    }
}
