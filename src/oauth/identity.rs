//! Who logged in: the userinfo endpoint (from discovery, checked against the host rule)
//! called with the access token, plus `instance_url` from the token response.

use oauth2::TokenResponse as _;
use serde::{Deserialize, Serialize};

use super::checks::{self, title};
use super::http::Http;
use super::tokens::TokenResponse;
use crate::error::AppError;
use crate::report::Check;
use crate::salesforce::endpoints::Endpoints;

/// Who logged in, from userinfo (and `instance_url` from the token response).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub username: String,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub org_id: Option<String>,
    pub instance_url: Option<String>,
}

#[derive(Deserialize)]
struct UserInfo {
    sub: Option<String>,
    user_id: Option<String>,
    organization_id: Option<String>,
    preferred_username: Option<String>,
    name: Option<String>,
    email: Option<String>,
}

/// `identity`: userinfo says who logged in.
pub async fn identity_check(
    http: &Http,
    endpoints: &Endpoints,
    token: &TokenResponse,
) -> (Check, Option<Identity>, Option<AppError>) {
    let id = checks::IDENTITY;
    let request = http
        .request(reqwest::Method::GET, endpoints.userinfo.clone())
        .bearer_auth(token.access_token().secret());
    let fetched = match http.fetch(request, "userinfo request").await {
        Ok(f) => f,
        Err(e) => {
            return (
                Check::unknown(id, title(id), e.message.clone()),
                None,
                Some(e),
            )
        }
    };
    let info = (fetched.status == 200)
        .then(|| serde_json::from_str::<UserInfo>(&fetched.body).ok())
        .flatten();
    let Some(info) = info else {
        return (
            Check::unknown(
                id,
                title(id),
                format!(
                    "userinfo answered HTTP {} without a readable profile.",
                    fetched.status
                ),
            ),
            None,
            None,
        );
    };
    let identity = Identity {
        username: info
            .preferred_username
            .or(info.sub.clone())
            .unwrap_or_default(),
        user_id: info.user_id.or(info.sub),
        name: info.name,
        email: info.email,
        org_id: info.organization_id,
        instance_url: token.extra_fields().instance_url.clone(),
    };
    let detail = format!(
        "Signed in as {} (user {}), org {}, instance {}.",
        identity.username,
        identity.user_id.as_deref().unwrap_or("?"),
        identity.org_id.as_deref().unwrap_or("? (not Salesforce)"),
        identity.instance_url.as_deref().unwrap_or("?")
    );
    (Check::pass(id, title(id), detail), Some(identity), None)
}
