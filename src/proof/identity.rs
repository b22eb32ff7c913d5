//! `identity`: userinfo says who logged in.

use crate::error::AppError;
use crate::net::Http;
use crate::oauth::client::TokenResponse;
use crate::oauth::userinfo::{userinfo, UserInfoAnswer};
use crate::report::{Check, CheckId, Identity};
use crate::salesforce::endpoints::Endpoints;

/// `identity`, the identity itself, and a network failure if there was one.
pub async fn identity_check(
    http: &Http,
    endpoints: &Endpoints,
    token: &TokenResponse,
) -> (Check, Option<Identity>, Option<AppError>) {
    let id = CheckId::Identity;
    let identity = match userinfo(http, endpoints, token).await {
        Ok(UserInfoAnswer::Profile(who)) => who,
        Ok(UserInfoAnswer::Unreadable(status)) => {
            let why = format!("userinfo answered HTTP {status} without a readable profile.");
            return (Check::unknown(id, why), None, None);
        }
        Err(e) => return (Check::unknown(id, e.message.clone()), None, Some(e)),
    };
    let detail = format!(
        "Signed in as {} (user {}), org {}, instance {}.",
        identity.username,
        identity.user_id.as_deref().unwrap_or("?"),
        identity.org_id.as_deref().unwrap_or("? (not Salesforce)"),
        identity.instance_url.as_deref().unwrap_or("?")
    );
    let verdict = identity.username.clone();
    (
        Check::pass(id, detail).with_verdict(verdict),
        Some(identity),
        None,
    )
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
