//! UserInfo: who the access token belongs to (`GET {userinfo}` with the bearer token).

use oauth2::TokenResponse as _;
use serde::Deserialize;

use super::client::TokenResponse;
use crate::error::AppError;
use crate::net::Http;
use crate::report::Identity;
use crate::salesforce::endpoints::Endpoints;
use crate::text::clean_server_text;

#[derive(Deserialize)]
struct UserInfo {
    sub: Option<String>,
    user_id: Option<String>,
    organization_id: Option<String>,
    preferred_username: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

/// What the userinfo endpoint answered.
pub enum UserInfoAnswer {
    /// Who logged in (every field cleaned for the terminal), with `instance_url` from the
    /// token response.
    Profile(Identity),
    /// Not a readable profile (the HTTP status).
    Unreadable(u16),
}

/// Asks userinfo who holds `token`. `Err` only for a transport failure (exit 5).
pub async fn userinfo(
    http: &Http,
    endpoints: &Endpoints,
    token: &TokenResponse,
) -> Result<UserInfoAnswer, AppError> {
    let request = http
        .request(reqwest::Method::GET, endpoints.userinfo.clone())
        .bearer_auth(token.access_token().secret());
    let fetched = http.fetch(request, "userinfo request").await?;
    let info = (fetched.status == 200)
        .then(|| serde_json::from_str::<UserInfo>(&fetched.body).ok())
        .flatten();
    let Some(info) = info else {
        return Ok(UserInfoAnswer::Unreadable(fetched.status));
    };
    // Cleaned once here, so every later use (the report, init's summary) is safe to print.
    let clean = |v: Option<String>| v.map(|s| clean_server_text(&s));
    Ok(UserInfoAnswer::Profile(Identity {
        username: clean(info.preferred_username.or(info.sub.clone())).unwrap_or_default(),
        user_id: clean(info.user_id.or(info.sub)),
        name: clean(info.name),
        email: clean(info.email),
        org_id: clean(info.organization_id),
        instance_url: clean(token.extra_fields().instance_url.clone()),
    }))
}
