//! `refresh_requires_secret`: a refresh without the consumer secret must be refused and a
//! refresh with it must work. Network failures become "unknown" plus a recorded error, so
//! the proof still goes on to revoke.

use oauth2::basic::BasicErrorResponseType;
use oauth2::{RequestTokenError, TokenResponse as _};

use super::checks::{self, title};
use super::http::{is_transport_failure, Http};
use super::messages::{clean_server_text, explain, security_label, Context, Stage};
use super::revoke::Minted;
use super::tokens::{OAuthClient, TokenResponse};
use crate::error::{AppError, ExitKind};
use crate::recipe::location;
use crate::report::Check;

fn network(what: &str) -> AppError {
    AppError::new(
        ExitKind::Network,
        "network_error",
        format!("The network failed during the {what}."),
    )
    .with_fix("check the network and any proxy (HTTPS_PROXY), then run the command again")
}

/// `refresh_requires_secret`: first without the secret (must be refused), then with it
/// (must work). The bare refresh goes first because, if it is wrongly accepted and the org
/// rotates refresh tokens, it retires the token: the refresh with the secret then fails as
/// a consequence. So an accepted bare refresh decides the check on its own, whatever the
/// second request says.
pub async fn refresh_check(
    http: &Http,
    with_secret: &OAuthClient,
    without_secret: &OAuthClient,
    token: &TokenResponse,
    ctx: &Context<'_>,
    minted: &mut Minted,
) -> (Check, Option<AppError>) {
    let id = checks::REFRESH_REQUIRES_SECRET;
    let Some(rt) = token.refresh_token() else {
        return (
            Check::skipped(
                id,
                title(id),
                format!(
                    "No refresh token was issued; see {}.",
                    checks::SCOPES_GRANTED
                ),
            ),
            None,
        );
    };
    let label = security_label("secret-refresh-token-flow");
    let bare = without_secret
        .exchange_refresh_token(rt)
        .request_async(http)
        .await;
    let refused = match bare {
        Ok(t) => {
            minted.add(&t);
            None
        }
        Err(e) if is_transport_failure(&e) => {
            return (
                Check::unknown(id, title(id), "The network failed during the refresh."),
                Some(network("refresh")),
            )
        }
        Err(RequestTokenError::ServerResponse(e)) => Some(clean_server_text(&format!(
            "{}{}",
            e.error().as_ref(),
            e.error_description()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ))),
        Err(_) => Some("an unreadable answer".to_string()),
    };
    let full = with_secret
        .exchange_refresh_token(rt)
        .request_async(http)
        .await;
    if let Ok(t) = &full {
        minted.add(t);
    }
    let Some(why) = refused else {
        // Decided by the bare refresh alone (see above): the second answer cannot excuse it.
        return (
            Check::fail(
                id,
                title(id),
                "A refresh WITHOUT the consumer secret was accepted: anyone holding a refresh token can mint access tokens.",
                format!("tick \"{label}\" in {} and save", location::SECURITY),
            ),
            None,
        );
    };
    let check = match full {
        Ok(_) => Check::pass(
            id,
            title(id),
            format!("Refresh with the secret worked; without it, refused: {why}."),
        ),
        Err(e) if is_transport_failure(&e) => {
            return (
                Check::unknown(id, title(id), "The network failed during the refresh."),
                Some(network("refresh")),
            )
        }
        Err(RequestTokenError::ServerResponse(e)) => {
            let code = match e.error() {
                BasicErrorResponseType::Extension(s) => s.clone(),
                other => other.as_ref().to_string(),
            };
            let x = explain(
                Stage::Refresh,
                &code,
                e.error_description().map(String::as_str),
                ctx,
            );
            Check::fail(
                id,
                title(id),
                format!("Refresh with the secret failed. {}", x.detail),
                x.fix,
            )
        }
        Err(_) => Check::fail(
            id,
            title(id),
            "Refresh with the secret got an unreadable answer.",
            format!("run `{}` again", ctx.retry_command),
        ),
    };
    (check, None)
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::report::CheckStatus;

    fn token(extra: &str) -> TokenResponse {
        let body = format!(r#"{{"access_token":"00D!tok","token_type":"Bearer"{extra}}}"#);
        serde_json::from_str(&body).unwrap()
    }

    /// A token endpoint that accepts a refresh without the secret and rotates the refresh
    /// token, so the following refresh with the secret is refused (as Salesforce does).
    async fn rotating_server_accepting_bare_refreshes() -> crate::salesforce::endpoints::Endpoints {
        use axum::routing::post;
        let app = axum::Router::new().route(
            "/token",
            post(|body: String| async move {
                let (status, json) = if body.contains("client_secret=") {
                    (
                        400,
                        r#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#,
                    )
                } else {
                    (
                        200,
                        r#"{"access_token":"a2","refresh_token":"r2","token_type":"Bearer"}"#,
                    )
                };
                axum::response::Response::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(json))
                    .unwrap()
            }),
        );
        crate::salesforce::endpoints::serve_fake(app).await
    }

    #[tokio::test]
    async fn an_accepted_refresh_without_the_secret_fails_even_when_the_refresh_with_it_then_fails()
    {
        let eps = rotating_server_accepting_bare_refreshes().await;
        let redirect = url::Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let secret = SecretString::from("s3cret".to_string());
        let with = crate::oauth::tokens::oauth_client(&eps, "key", Some(&secret), &redirect);
        let without = crate::oauth::tokens::oauth_client(&eps, "key", None, &redirect);
        let ctx = Context {
            redirect_uri: redirect.as_str(),
            retry_command: "sf-webex-setup init",
        };
        let http = Http::new().unwrap();
        let mut minted = Minted::default();
        let t = token(r#","refresh_token":"r1""#);
        let (c, err) = refresh_check(&http, &with, &without, &t, &ctx, &mut minted).await;
        assert!(err.is_none(), "{err:?}");
        assert_eq!(c.status, CheckStatus::Fail, "{c:?}");
        assert!(
            c.detail
                .contains("WITHOUT the consumer secret was accepted"),
            "{}",
            c.detail
        );
        let fix = c.fix.unwrap_or_default();
        assert!(
            fix.contains(security_label("secret-refresh-token-flow")),
            "{fix}"
        );
        assert_eq!(
            minted.refresh.len(),
            1,
            "the rotated refresh token is kept for revoking"
        );
    }
}
