//! `POST /services/oauth2/token` (authorization code and refresh token grants),
//! `/services/oauth2/revoke` and `/services/oauth2/introspect`, with Salesforce's error
//! strings. Secrets are compared in constant time and never logged.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{no_store, oauth_error, Params};
use crate::oauth::signature::expected_signature;
use crate::simulator::config::SimConfig;
use crate::simulator::state::{Challenge, Revoked, Shared};

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::parse(&body);
    let config: SimConfig = shared.app();
    match params.get("grant_type") {
        Some("authorization_code") => code_grant(&shared, &config, &headers, &params),
        Some("refresh_token") => refresh_grant(&shared, &config, &headers, &params),
        _ => oauth_error("unsupported_grant_type", "grant type not supported"),
    }
}

/// An OAuth error's `error` and `error_description`.
type OAuthError = (&'static str, &'static str);
const INVALID_CLIENT: OAuthError = ("invalid_client", "invalid client credentials");
const INVALID_CLIENT_ID: OAuthError = ("invalid_client_id", "client identifier invalid");

/// The client check. Whether Salesforce checks the client before the code is unconfirmed;
/// the client goes first here, as most OAuth servers do.
fn authenticate_client(
    config: &SimConfig,
    headers: &HeaderMap,
    params: &Params,
    secret_required: bool,
) -> Result<(), OAuthError> {
    let Some(client_id) = params.get("client_id") else {
        // Credentials only in a Basic header were seen to fail on Salesforce's code
        // exchange (client_secret_post is what works): answer as for bad credentials.
        if headers.contains_key(header::AUTHORIZATION) {
            return Err(INVALID_CLIENT);
        }
        return Err(INVALID_CLIENT_ID);
    };
    if config.propagating || client_id != config.consumer_key {
        return Err(INVALID_CLIENT_ID);
    }
    match params.get("client_secret") {
        // A secret that is sent is checked even when the app does not require one, unless
        // configured to reproduce the opposite (see `ignore_secret_when_optional`).
        Some(_) if !secret_required && config.ignore_secret_when_optional => Ok(()),
        Some(secret) if !bool::from(secret.as_bytes().ct_eq(config.consumer_secret.as_bytes())) => {
            Err(INVALID_CLIENT)
        }
        None if secret_required => Err(INVALID_CLIENT),
        _ => Ok(()),
    }
}

fn code_grant(
    shared: &Shared,
    config: &SimConfig,
    headers: &HeaderMap,
    params: &Params,
) -> Response {
    if let Err((error, description)) =
        authenticate_client(config, headers, params, config.require_secret_web_server)
    {
        return oauth_error(error, description);
    }
    // Unknown, used and expired codes all answer alike (seen). Presenting a code uses it up.
    let Some(code) = params.get("code").and_then(|c| shared.take_code(c)) else {
        return oauth_error("invalid_grant", "expired authorization code");
    };
    // Exact wording for a redirect_uri or client that differs from the authorize request's
    // is unconfirmed; Salesforce's generic invalid_grant text is used.
    if code.client_id != config.consumer_key
        || params.get("redirect_uri") != Some(code.redirect_uri.as_str())
    {
        return oauth_error("invalid_grant", "authentication failure");
    }
    // A verifier sent without a challenge at authorize time is ignored (unconfirmed).
    if let Some(challenge) = &code.challenge {
        let verified = params
            .get("code_verifier")
            .is_some_and(|v| verifier_matches(challenge, v));
        if !verified {
            return oauth_error("invalid_grant", "invalid code verifier");
        }
    }
    // A refresh token only with the refresh_token scope among the granted ones (doc); a
    // request that named its scopes without it gets none even if the app has it.
    let with_refresh = code.scopes.iter().any(|s| s == "refresh_token");
    let (access, refresh) = shared.issue(&config.consumer_key, &code.scopes, with_refresh);
    token_response(shared, config, &access, refresh.as_deref(), &code.scopes)
}

fn refresh_grant(
    shared: &Shared,
    config: &SimConfig,
    headers: &HeaderMap,
    params: &Params,
) -> Response {
    if let Err((error, description)) =
        authenticate_client(config, headers, params, config.require_secret_refresh)
    {
        return oauth_error(error, description);
    }
    let refreshed = params
        .get("refresh_token")
        .and_then(|token| shared.refresh(&config.consumer_key, token));
    let Some((access, scopes)) = refreshed else {
        return oauth_error("invalid_grant", "expired access/refresh token");
    };
    // No rotation: the refresh token stays the same and is not repeated in the answer.
    token_response(shared, config, &access, None, &scopes)
}

/// RFC 7636 verification, computed for real.
fn verifier_matches(challenge: &Challenge, verifier: &str) -> bool {
    match challenge {
        Challenge::S256(expected) => {
            let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            bool::from(computed.as_bytes().ct_eq(expected.as_bytes()))
        }
        Challenge::Plain(expected) => bool::from(verifier.as_bytes().ct_eq(expected.as_bytes())),
    }
}

fn token_response(
    shared: &Shared,
    config: &SimConfig,
    access: &str,
    refresh: Option<&str>,
    scopes: &[String],
) -> Response {
    let id = shared.identity_url(config);
    let issued_at = shared.now_millis().to_string();
    let mut body = serde_json::json!({
        "access_token": access,
        "signature": expected_signature(&config.consumer_secret, &id, &issued_at),
        "scope": scopes.join(" "),
        "instance_url": shared.base_str(),
        "id": id,
        "token_type": "Bearer",
        "issued_at": issued_at,
    });
    if let (Some(refresh), Some(map)) = (refresh, body.as_object_mut()) {
        map.insert("refresh_token".to_owned(), refresh.into());
    }
    no_store(StatusCode::OK, body)
}

/// Revokes a token; a refresh token takes its access tokens with it (doc).
pub(super) async fn revoke(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    if !shared.config().revocation {
        return StatusCode::NOT_FOUND.into_response();
    }
    let params = Params::parse(&body);
    let Some(token) = params.get("token").filter(|t| !t.is_empty()) else {
        // Wording unconfirmed.
        return oauth_error("invalid_request", "missing token parameter");
    };
    match shared.revoke(token) {
        Revoked::Access | Revoked::Refresh => (StatusCode::OK, Body::empty()).into_response(),
        // Unknown and already-revoked tokens: wording unconfirmed.
        Revoked::Unknown => {
            oauth_error("unsupported_token_type", "this token type is not supported")
        }
    }
}

/// RFC 7662 introspection; Salesforce requires the client's own credentials.
pub(super) async fn introspect(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::parse(&body);
    let config: SimConfig = shared.app();
    if let Err((error, description)) = authenticate_client(&config, &headers, &params, true) {
        return oauth_error(error, description);
    }
    let token = params.get("token").unwrap_or("");
    let (grant, kind) = match (shared.access_grant(token), shared.refresh_grant(token)) {
        (Some(grant), _) => (grant, "access_token"),
        (None, Some(grant)) => (grant, "refresh_token"),
        (None, None) => return no_store(StatusCode::OK, serde_json::json!({ "active": false })),
    };
    no_store(
        StatusCode::OK,
        serde_json::json!({
            "active": true,
            "scope": grant.scopes.join(" "),
            "client_id": grant.client_id,
            "username": config.user.username,
            "sub": shared.identity_url(&config),
            "token_type": kind,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_verification_matches_rfc_7636_appendix_b() {
        let challenge = Challenge::S256("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned());
        assert!(verifier_matches(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!verifier_matches(
            &challenge,
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj"
        ));
    }
}
