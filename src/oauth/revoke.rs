//! Revocation (RFC 7009): what tokens were minted, and one revocation request. The
//! RFC 7009 request is built here rather than by oauth2, which refuses a revocation URL
//! that is not https — and the loopback test servers allowed by `--allow-custom-host` are
//! plain http. The URL was checked against the host rule like every other endpoint.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::AppError;
use crate::net::{Fetched, Http};
use crate::salesforce::endpoints::Endpoints;
use crate::text::clean_server_text;

/// One revocation. Salesforce takes the bare `token=` (reference: "Revoke"), so the client
/// credentials are not sent by default; a server that requires RFC 7009 client
/// authentication answers 401 or `invalid_client` (oidc-provider does), and only then is
/// the request repeated with them (client_secret_post, as for the token endpoint).
pub async fn revoke_one(
    http: &Http,
    endpoints: &Endpoints,
    token: &str,
    hint: &str,
    consumer_key: &str,
    secret: &SecretString,
) -> Result<Fetched, AppError> {
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
pub fn oauth_error_code(body: &str) -> Option<String> {
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
