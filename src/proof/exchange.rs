//! `token_exchange`: the authorization code plus the PKCE verifier, with the secret in the
//! body, for tokens. Owns one rule: a 2xx answer that cannot be read as a token response
//! still may have issued tokens, so they are revoked before the exchange is reported as
//! failed.

use oauth2::{AuthorizationCode, PkceCodeVerifier};
use secrecy::SecretString;

use super::explain::{explain, Context, Stage};
use super::revoke;
use crate::error::AppError;
use crate::net::Http;
use crate::oauth::client::{self, OAuthClient, TokenAnswer, TokenResponse};
use crate::report::{Check, CheckId};
use crate::salesforce::endpoints::Endpoints;

/// What the exchange gave.
pub enum Exchanged {
    Tokens(Box<TokenResponse>),
    /// No usable token response: the checks to report (`token_exchange`, and
    /// `tokens_revoked` when unreadable tokens were revoked) and any network failure.
    Failed {
        checks: Vec<Check>,
        error: Option<AppError>,
        warnings: Vec<String>,
    },
}

pub struct ExchangeRequest<'a> {
    pub client: &'a OAuthClient,
    pub endpoints: &'a Endpoints,
    pub consumer_key: &'a str,
    pub secret: &'a SecretString,
    pub ctx: &'a Context<'a>,
}

/// Exchanges `code`. `Err` only for a transport failure before any answer (exit 5).
pub async fn exchange_code(
    http: &Http,
    req: &ExchangeRequest<'_>,
    code: AuthorizationCode,
    verifier: PkceCodeVerifier,
) -> Result<Exchanged, AppError> {
    let id = CheckId::TokenExchange;
    let (status, why, minted) =
        match client::exchange_code(http, req.client, code, verifier).await? {
            TokenAnswer::Tokens(t) => return Ok(Exchanged::Tokens(t)),
            TokenAnswer::Refused { error, description } => {
                let x = explain(
                    Stage::TokenExchange,
                    &error,
                    description.as_deref(),
                    req.ctx,
                );
                return Ok(Exchanged::Failed {
                    checks: vec![Check::fail(id, x.detail, x.fix)],
                    error: None,
                    warnings: Vec::new(),
                });
            }
            TokenAnswer::Unreadable {
                status,
                why,
                minted,
            } => (status, why, minted),
        };
    let fix =
        "check the org URL is the org's login URL (My Domain, e.g. https://NAME.my.salesforce.com)";
    if minted.is_empty() {
        let detail = format!(
            "The token endpoint answered HTTP {status}, but {why}; no token could be read from it."
        );
        return Ok(Exchanged::Failed {
            checks: vec![Check::fail(id, detail, fix)],
            error: None,
            warnings: Vec::new(),
        });
    }
    let revoked =
        revoke::revoke_all(http, req.endpoints, req.consumer_key, req.secret, minted).await;
    let detail = format!(
        "The token endpoint answered HTTP {status} with tokens, but {why}, so the checks that need a token response could not run; the tokens it carried were revoked (see {}).",
        CheckId::TokensRevoked
    );
    Ok(Exchanged::Failed {
        checks: vec![Check::fail(id, detail, fix), revoked.check],
        error: revoked.error,
        warnings: revoked.warning.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::oauth::client::Minted;
    use crate::report::CheckStatus;

    /// A token endpoint whose 200 answer lacks `token_type` (unreadable for oauth2) but
    /// carries tokens, and a revoke endpoint that records what it was sent.
    async fn server(revoked: Arc<Mutex<Vec<String>>>) -> Endpoints {
        use axum::routing::post;
        let app = axum::Router::new()
            .route(
                "/token",
                post(|| async {
                    axum::response::Response::builder()
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(
                            r#"{"access_token":"AT1","refresh_token":"RT1"}"#,
                        ))
                        .unwrap()
                }),
            )
            .route(
                "/revoke",
                post(move |body: String| async move {
                    revoked.lock().unwrap().push(body);
                    "ok"
                }),
            );
        crate::salesforce::endpoints::serve_fake(app).await
    }

    #[tokio::test]
    async fn an_unreadable_2xx_token_response_has_its_tokens_revoked_and_the_exchange_fails() {
        let revoked = Arc::new(Mutex::new(Vec::new()));
        let eps = server(Arc::clone(&revoked)).await;
        let redirect = url::Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let secret = SecretString::from("s3cret".to_string());
        let client = crate::oauth::client::oauth_client(&eps, "key", Some(&secret), &redirect);
        let ctx = Context {
            redirect_uri: redirect.as_str(),
            retry_command: "sf-webex-setup init",
        };
        let req = ExchangeRequest {
            client: &client,
            endpoints: &eps,
            consumer_key: "key",
            secret: &secret,
            ctx: &ctx,
        };
        let http = Http::new().unwrap();
        let got = exchange_code(
            &http,
            &req,
            AuthorizationCode::new("code".into()),
            PkceCodeVerifier::new("v".repeat(43)),
        )
        .await
        .unwrap();
        let Exchanged::Failed { checks, error, .. } = got else {
            panic!("an unreadable token response must not count as tokens");
        };
        assert!(error.is_none(), "{error:?}");
        assert_eq!(checks[0].id, CheckId::TokenExchange);
        assert_eq!(checks[0].status, CheckStatus::Fail);
        assert!(
            checks[0].detail.contains("token_type"),
            "{}",
            checks[0].detail
        );
        assert!(!checks[0].detail.contains("RT1"), "{}", checks[0].detail);
        assert_eq!(checks[1].id, CheckId::TokensRevoked);
        assert_eq!(checks[1].status, CheckStatus::Pass, "{:?}", checks[1]);
        let sent = revoked.lock().unwrap().clone();
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert!(sent[0].contains("token=RT1"), "{sent:?}");
    }

    #[test]
    fn tokens_are_read_leniently_from_json_or_a_form() {
        let m = Minted::from_unparsed(br#"{"access_token":"A","refresh_token":7}"#);
        assert_eq!((m.access.len(), m.refresh.len()), (1, 0));
        let m = Minted::from_unparsed(b"access_token=A&refresh_token=R");
        assert_eq!((m.access.len(), m.refresh.len()), (1, 1));
        assert!(Minted::from_unparsed(b"<html>").is_empty());
    }
}
