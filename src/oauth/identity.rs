//! Who logged in: the userinfo endpoint (from discovery, checked against the host rule)
//! called with the access token, plus `instance_url` from the token response.

use oauth2::TokenResponse as _;
use serde::{Deserialize, Serialize};

use super::checks::{self, title};
use super::http::Http;
use super::messages::clean_server_text;
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
    // Cleaned once here, so every later use (the report, init's summary) is safe to print.
    let clean = |v: Option<String>| v.map(|s| clean_server_text(&s));
    let identity = Identity {
        username: clean(info.preferred_username.or(info.sub.clone())).unwrap_or_default(),
        user_id: clean(info.user_id.or(info.sub)),
        name: clean(info.name),
        email: clean(info.email),
        org_id: clean(info.organization_id),
        instance_url: clean(token.extra_fields().instance_url.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn userinfo_names_with_escape_sequences_are_cleaned_before_they_are_shown() {
        let app = axum::Router::new().route(
            "/userinfo",
            axum::routing::get(|| async {
                axum::Json(serde_json::json!({
                    "preferred_username": "admin@acme.com\u{1b}]0;owned\u{7}",
                    "name": "Ad\u{1b}[2Jmin",
                    "organization_id": "00D\r\n005",
                }))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let mut eps =
            crate::salesforce::endpoints::documented(&crate::salesforce::hosts::LoginHost {
                base: url::Url::parse(&format!("http://{addr}/")).unwrap(),
                kind: crate::salesforce::hosts::HostKind::Custom,
            });
        eps.userinfo = url::Url::parse(&format!("http://{addr}/userinfo")).unwrap();
        let token: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","token_type":"Bearer"}"#).unwrap();
        let (check, who, _) = identity_check(&Http::new().unwrap(), &eps, &token).await;
        let who = who.expect("a profile");
        assert_eq!(who.username, "admin@acme.com]0;owned");
        assert_eq!(who.name.as_deref(), Some("Ad[2Jmin"));
        assert!(
            !check.detail.chars().any(char::is_control),
            "{:?}",
            check.detail
        );
    }
}
