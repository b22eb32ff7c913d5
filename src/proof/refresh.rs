//! `refresh_requires_secret`: a refresh without the consumer secret must be refused and a
//! refresh with it must work. Network failures become "unknown" plus a recorded error, so
//! the proof still goes on to revoke.

use oauth2::TokenResponse as _;

use super::explain::{explain, Context, Stage};
use crate::error::AppError;
use crate::net::Http;
use crate::oauth::client::{self, Minted, OAuthClient, TokenAnswer, TokenResponse};
use crate::recipe::SecurityOption;
use crate::report::{Check, CheckId};
use crate::text::clean_server_text;

/// `refresh_requires_secret`. Every token either refresh returned goes into `minted`.
pub async fn refresh_check(
    http: &Http,
    with_secret: &OAuthClient,
    without_secret: &OAuthClient,
    token: &TokenResponse,
    ctx: &Context<'_>,
    minted: &mut Minted,
) -> (Check, Option<AppError>) {
    let id = CheckId::RefreshRequiresSecret;
    let Some(rt) = token.refresh_token() else {
        let why = format!(
            "No refresh token was issued; see {}.",
            CheckId::ScopesGranted
        );
        return (Check::skipped(id, why), None);
    };
    let network = |e: AppError| {
        let check = Check::unknown(id, "The network failed during the refresh.");
        (check, Some(e))
    };
    let refused = match client::refresh(http, without_secret, rt).await {
        Err(e) => return network(e),
        Ok(TokenAnswer::Tokens(t)) => {
            minted.add(&t);
            None
        }
        Ok(TokenAnswer::Refused { error, description }) => Some(clean_server_text(&format!(
            "{error}{}",
            description.map(|d| format!(" ({d})")).unwrap_or_default()
        ))),
        Ok(TokenAnswer::Unreadable { minted: m, .. }) => {
            minted.extend(m);
            Some("an unreadable answer".to_string())
        }
    };
    let full = client::refresh(http, with_secret, rt).await;
    let Some(why) = refused else {
        if let Ok(answer) = full {
            keep_tokens(answer, minted);
        }
        let check = Check::fail(
            id,
            "A refresh WITHOUT the consumer secret was accepted: anyone holding a refresh token can mint access tokens.",
            SecurityOption::SecretForRefreshTokenFlow.tick_fix(),
        )
        .with_verdict("works without the secret");
        return (check, None);
    };
    let check = match full {
        Err(e) => return network(e),
        Ok(TokenAnswer::Tokens(t)) => {
            minted.add(&t);
            Check::pass(
                id,
                format!("Refresh with the secret worked; without it, refused: {why}."),
            )
            .with_verdict("refused without the secret")
        }
        Ok(TokenAnswer::Refused { error, description }) => {
            let x = explain(Stage::Refresh, &error, description.as_deref(), ctx);
            Check::fail(
                id,
                format!("Refresh with the secret failed. {}", x.detail),
                x.fix,
            )
            .with_verdict(format!("refused: {}", clean_server_text(&error)))
        }
        Ok(TokenAnswer::Unreadable { minted: m, .. }) => {
            minted.extend(m);
            Check::fail(
                id,
                "Refresh with the secret got an unreadable answer.",
                format!("run `{}` again", ctx.retry_command),
            )
        }
    };
    (check, None)
}

/// Whatever tokens an answer carried, for revoking.
fn keep_tokens(answer: TokenAnswer, minted: &mut Minted) {
    match answer {
        TokenAnswer::Tokens(t) => minted.add(&t),
        TokenAnswer::Unreadable { minted: m, .. } => minted.extend(m),
        TokenAnswer::Refused { .. } => {}
    }
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
        let with = crate::oauth::client::oauth_client(&eps, "key", Some(&secret), &redirect);
        let without = crate::oauth::client::oauth_client(&eps, "key", None, &redirect);
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
            fix.contains(SecurityOption::SecretForRefreshTokenFlow.label()),
            "{fix}"
        );
        assert_eq!(
            minted.refresh.len(),
            1,
            "the rotated refresh token is kept for revoking"
        );
    }
}
