//! Revocation, the five-refresh-tokens limit, introspection and what a token buys:
//! UserInfo, the identity URL and the REST API (which needs the `api` scope).

use std::time::Duration;

use reqwest::{header, StatusCode};
use serde_json::Value;

use super::token::{assert_error, refresh_form, TokenResponse, TOKEN};
use super::{org, Org};

async fn revoke(org: &Org, token: &str) -> (StatusCode, Value) {
    org.post_form(
        "/services/oauth2/revoke",
        &[("token".to_owned(), token.to_owned())],
    )
    .await
}

async fn userinfo(org: &Org, access: &str) -> reqwest::Response {
    org.http
        .get(org.url("/services/oauth2/userinfo"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn revoking_a_refresh_token_kills_it_and_its_access_tokens() {
    let org = org(|_| {}).await;
    let t: TokenResponse = serde_json::from_value(org.tokens().await).unwrap();
    let refresh = t.refresh_token.unwrap();
    assert_eq!(
        userinfo(&org, &t.access_token).await.status(),
        StatusCode::OK
    );
    assert_eq!(revoke(&org, &refresh).await.0, StatusCode::OK);
    assert_eq!(
        userinfo(&org, &t.access_token).await.status(),
        StatusCode::FORBIDDEN
    );
    let secret = org.sim.config().consumer_secret.clone();
    assert_error(
        org.post_form(TOKEN, &refresh_form(&org, &refresh, Some(&secret)))
            .await,
        "invalid_grant",
        "expired access/refresh token",
    );
    assert_error(
        revoke(&org, &refresh).await,
        "unsupported_token_type",
        "this token type is not supported",
    );
    let stats = org.sim.stats();
    assert_eq!((stats.tokens_revoked, stats.live_refresh_tokens), (1, 0));
}

#[tokio::test]
async fn a_sixth_refresh_token_silently_revokes_the_oldest() {
    let org = org(|_| {}).await;
    let mut refresh = Vec::new();
    for _ in 0..6 {
        refresh.push(
            org.tokens().await["refresh_token"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let stats = org.sim.stats();
    assert_eq!(
        (stats.live_refresh_tokens, stats.refresh_tokens_evicted),
        (5, 1)
    );
    let secret = org.sim.config().consumer_secret.clone();
    assert_error(
        org.post_form(TOKEN, &refresh_form(&org, &refresh[0], Some(&secret)))
            .await,
        "invalid_grant",
        "expired access/refresh token",
    );
    for live in &refresh[1..] {
        assert_eq!(
            org.post_form(TOKEN, &refresh_form(&org, live, Some(&secret)))
                .await
                .0,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn userinfo_and_the_identity_url_describe_the_user_and_refuse_a_bad_token() {
    let org = org(|_| {}).await;
    let t: TokenResponse = serde_json::from_value(org.tokens().await).unwrap();
    let info: Value = userinfo(&org, &t.access_token).await.json().await.unwrap();
    let user = &org.sim.config().user;
    assert_eq!(info["sub"], t.id.as_str());
    assert_eq!(info["user_id"], user.user_id.as_str());
    assert_eq!(info["organization_id"], user.org_id.as_str());
    assert_eq!(info["preferred_username"], user.username.as_str());
    assert_eq!(info["email"], user.email.as_str());
    let id: Value = org
        .http
        .get(&t.id)
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(id["username"], user.username.as_str());
    let bad = userinfo(&org, "00Dnot!atoken").await;
    assert_eq!(bad.status(), StatusCode::FORBIDDEN);
    assert_eq!(bad.text().await.unwrap(), "Bad_OAuth_Token");
    let expired = {
        org.sim.advance_clock(Duration::from_secs(2 * 60 * 60 + 1));
        userinfo(&org, &t.access_token).await
    };
    assert_eq!(expired.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_rest_api_needs_a_live_token_with_the_api_scope() {
    let org = org(|_| {}).await;
    let versions: Value = org
        .get(org.url("/services/data/"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        versions
            .as_array()
            .is_some_and(|v| v.iter().any(|e| e["version"] == "62.0")),
        "public list"
    );
    let root = org.url("/services/data/v62.0/");
    let with_api = org.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let ok = org
        .http
        .get(root.clone())
        .bearer_auth(&with_api)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let bad = org
        .http
        .get(root.clone())
        .header(header::AUTHORIZATION, "Bearer nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        bad.json::<Value>().await.unwrap()[0]["message"],
        "Session expired or invalid"
    );

    let web_only = super::org(|c| c.scopes = vec!["web".into(), "refresh_token".into()]).await;
    let token = web_only.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = web_only
        .http
        .get(web_only.url("/services/data/v62.0/"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body[0]["errorCode"], "INVALID_SESSION_ID");
    assert_eq!(
        body[0]["message"],
        "This session is not valid for use with the REST API"
    );
}

#[tokio::test]
async fn introspection_reports_live_and_revoked_tokens_to_the_authenticated_client() {
    let org = org(|_| {}).await;
    let access = org.tokens().await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let config = org.sim.config().clone();
    let form = |token: &str| {
        vec![
            ("token".to_owned(), token.to_owned()),
            ("client_id".to_owned(), config.consumer_key.clone()),
            ("client_secret".to_owned(), config.consumer_secret.clone()),
        ]
    };
    let (status, live) = org
        .post_form("/services/oauth2/introspect", &form(&access))
        .await;
    assert_eq!(
        (status, live["active"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    assert_eq!(revoke(&org, &access).await.0, StatusCode::OK);
    let (_, gone) = org
        .post_form("/services/oauth2/introspect", &form(&access))
        .await;
    assert_eq!(gone["active"], false);
}
