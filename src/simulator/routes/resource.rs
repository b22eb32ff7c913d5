//! What a token buys and what needs no token: OpenID discovery, the (empty) key set,
//! UserInfo, the identity URL, the REST API's version list and version root, the
//! Remote Access error page, and the demo's App Manager and Consumer Key pages.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{bearer, html, Params};
use crate::simulator::config::SimConfig;
use crate::simulator::pages;
use crate::simulator::state::{AccessGrant, Shared};

/// The newest REST API version the simulated org serves.
const LATEST_API_VERSION: &str = "62.0";
/// A few versions for the list (label, version), oldest first, as Salesforce lists them.
const API_VERSIONS: &[(&str, &str)] = &[
    ("Spring '24", "60.0"),
    ("Summer '24", "61.0"),
    ("Winter '25", "62.0"),
];

pub(super) async fn discovery(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let base = shared.base_str();
    let revocation = shared.config().revocation;
    let mut document = json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/services/oauth2/authorize"),
        "token_endpoint": format!("{base}/services/oauth2/token"),
        "revocation_endpoint": format!("{base}/services/oauth2/revoke"),
        "userinfo_endpoint": format!("{base}/services/oauth2/userinfo"),
        "introspection_endpoint": format!("{base}/services/oauth2/introspect"),
        "jwks_uri": format!("{base}/id/keys"),
        "scopes_supported": ["id", "api", "web", "full", "chatter_api", "visualforce", "refresh_token",
            "openid", "profile", "email", "address", "phone", "offline_access", "custom_permissions", "wave_api"],
        "response_types_supported": ["code", "token", "token id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "display_values_supported": ["page", "popup", "touch"],
        // Salesforce advertises client_secret_basic too, yet Basic was seen to fail on the
        // code exchange; the simulator keeps that trap (see the token endpoint).
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "private_key_jwt"],
        "code_challenge_methods_supported": ["plain", "S256"],
        "claims_supported": ["active", "address", "email", "email_verified", "family_name", "given_name",
            "is_app_installed", "language", "locale", "name", "nickname", "organization_id", "phone_number",
            "photos", "picture", "preferred_username", "profile", "sub", "updated_at", "urls", "user_id",
            "user_type", "zoneinfo"],
    });
    if !revocation {
        if let Some(fields) = document.as_object_mut() {
            fields.remove("revocation_endpoint");
        }
    }
    Json(document)
}

/// No id_tokens are minted, so the key set is empty.
pub(super) async fn jwks() -> Json<Value> {
    Json(json!({ "keys": [] }))
}

/// The token's grant, or Salesforce's identity-service refusal: 403 with a bare text body
/// (seen: userinfo and the identity URL answer 403 to a bad or expired token, unlike the
/// REST API's 401; the body text is from Salesforce's tools, unconfirmed).
fn identity_grant(shared: &Shared, headers: &HeaderMap) -> Result<AccessGrant, &'static str> {
    let token = bearer(headers).ok_or("Missing_OAuth_Token")?;
    shared.access_grant(token).ok_or("Bad_OAuth_Token")
}

fn urls(shared: &Shared, config: &SimConfig) -> Value {
    let base = shared.base_str();
    let v = LATEST_API_VERSION;
    json!({
        "enterprise": format!("{base}/services/Soap/c/{v}/{}", config.user.org_id),
        "partner": format!("{base}/services/Soap/u/{v}/{}", config.user.org_id),
        "rest": format!("{base}/services/data/v{v}/"),
        "sobjects": format!("{base}/services/data/v{v}/sobjects/"),
        "query": format!("{base}/services/data/v{v}/query/"),
        "profile": format!("{base}/{}", config.user.user_id),
        "custom_domain": base,
    })
}

pub(super) async fn userinfo(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(refusal) = identity_grant(&shared, &headers) {
        return (StatusCode::FORBIDDEN, refusal).into_response();
    }
    let config: SimConfig = shared.config().clone();
    let user = &config.user;
    let (given, family) = user
        .name
        .split_once(' ')
        .unwrap_or(("", user.name.as_str()));
    Json(json!({
        "sub": shared.identity_url(&config),
        "user_id": user.user_id,
        "organization_id": user.org_id,
        "preferred_username": user.username,
        "nickname": user.username.split('@').next().unwrap_or(""),
        "name": user.name,
        "given_name": given,
        "family_name": family,
        "email": user.email,
        "email_verified": true,
        "zoneinfo": "Europe/London",
        "locale": "en_US",
        "language": "en_US",
        "active": true,
        "user_type": "STANDARD",
        "utcOffset": 0,
        "is_app_installed": true,
        "urls": urls(&shared, &config),
    }))
    .into_response()
}

/// The identity URL (`id` in the token response).
pub(super) async fn identity(
    State(shared): State<Arc<Shared>>,
    Path((org_id, user_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(refusal) = identity_grant(&shared, &headers) {
        return (StatusCode::FORBIDDEN, refusal).into_response();
    }
    let config: SimConfig = shared.config().clone();
    let user = &config.user;
    if org_id != user.org_id || user_id != user.user_id {
        return (StatusCode::FORBIDDEN, "Bad_Id").into_response();
    }
    Json(json!({
        "id": shared.identity_url(&config),
        "asserted_user": true,
        "user_id": user.user_id,
        "organization_id": user.org_id,
        "username": user.username,
        "display_name": user.name,
        "email": user.email,
        "active": true,
        "user_type": "STANDARD",
        "urls": urls(&shared, &config),
    }))
    .into_response()
}

/// `GET /services/data/`: public, as on Salesforce ("Authentication isn't required to
/// retrieve the list of versions", doc) — so it proves nothing about a token or a scope.
pub(super) async fn versions() -> Json<Value> {
    let list: Vec<Value> = API_VERSIONS
        .iter()
        .map(|(label, v)| json!({ "label": label, "url": format!("/services/data/v{v}"), "version": v }))
        .collect();
    Json(Value::Array(list))
}

fn rest_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!([{ "message": message, "errorCode": code }])),
    )
        .into_response()
}

/// `GET /services/data/vNN.N/`: needs a live token with the `api` (or `full`) scope.
pub(super) async fn version_resources(
    State(shared): State<Arc<Shared>>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> Response {
    let known = API_VERSIONS
        .iter()
        .any(|(_, v)| version.strip_prefix('v') == Some(v));
    if !known {
        return rest_error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        );
    }
    let Some(grant) = bearer(&headers).and_then(|t| shared.access_grant(t)) else {
        return rest_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        );
    };
    if !grant.scopes.iter().any(|s| s == "api" || s == "full") {
        // Seen (Salesforce Help 005226515): 401 with this message when the app lacks `api`.
        return rest_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "This session is not valid for use with the REST API",
        );
    }
    let root = format!("/services/data/{version}");
    Json(json!({
        "sobjects": format!("{root}/sobjects"),
        "query": format!("{root}/query"),
        "limits": format!("{root}/limits"),
        "search": format!("{root}/search"),
        "recent": format!("{root}/recent"),
    }))
    .into_response()
}

pub(super) async fn remote_access_error(uri: Uri) -> Response {
    let params = Params::from_query(uri.query());
    let page = pages::remote_access_error_page(
        params.get("error").unwrap_or(""),
        params.get("error_description").unwrap_or(""),
    );
    html(StatusCode::OK, page)
}

pub(super) async fn landing(State(shared): State<Arc<Shared>>) -> Response {
    let config: SimConfig = shared.config().clone();
    html(
        StatusCode::OK,
        pages::landing(&config, shared.base.as_str()),
    )
}

/// Shows the consumer secret on purpose: it is the demo's "Consumer Key and Secret" page.
pub(super) async fn consumer(State(shared): State<Arc<Shared>>) -> Response {
    let config: SimConfig = shared.config().clone();
    let mut response = html(StatusCode::OK, pages::consumer(&config));
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}
