//! The simulated org over real HTTP on loopback: every Salesforce behaviour the tool relies
//! on, with the exact strings, and each misconfiguration an admin can make. Requests go
//! through reqwest with redirects off, so each hop is asserted; cookies are handled by hand.

mod authorize;
mod resource;
mod token;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::distributions::Alphanumeric;
use rand::Rng;
use reqwest::{header, redirect, StatusCode};
use serde_json::Value;
use sf_webex_setup::simulator::SimConfig;

use crate::support::SimOrg;
use sha2::{Digest, Sha256};
use url::Url;

pub const STATE: &str = "st-4711";

/// The simulated org (the one helper, [`SimOrg`]) plus a redirect-free client and one PKCE
/// pair. Nothing listens on its loopback line in these tests: the redirect to it is
/// asserted, not followed.
pub struct Org {
    pub org: SimOrg,
    pub http: reqwest::Client,
    pub verifier: String,
    pub challenge: String,
}

impl std::ops::Deref for Org {
    type Target = SimOrg;
    fn deref(&self) -> &SimOrg {
        &self.org
    }
}

impl std::ops::DerefMut for Org {
    fn deref_mut(&mut self) -> &mut SimOrg {
        &mut self.org
    }
}

/// A Webex-ready org, changed by `change`.
pub async fn org(change: impl FnOnce(&mut SimConfig)) -> Org {
    let org = crate::support::org(change).await;
    let http = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a reqwest client builds");
    let verifier: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(64)
        .map(char::from)
        .collect();
    // Computed here independently of the simulator: base64url(SHA-256(verifier)), no padding.
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Org {
        org,
        http,
        verifier,
        challenge,
    }
}

impl Org {
    pub fn url(&self, path: &str) -> Url {
        self.sim.base_url().join(path).expect("a valid path")
    }

    /// The authorize URL the tool would open, with `overrides` applied (`None` removes).
    pub fn authorize_url(&self, overrides: &[(&str, Option<&str>)]) -> Url {
        let key = self.sim.config().consumer_key.clone();
        let mut params: Vec<(&str, String)> = vec![
            ("response_type", "code".into()),
            ("client_id", key),
            ("redirect_uri", self.loopback.clone()),
            ("state", STATE.into()),
            ("code_challenge", self.challenge.clone()),
            ("code_challenge_method", "S256".into()),
        ];
        for (name, value) in overrides {
            params.retain(|(n, _)| n != name);
            if let Some(value) = value {
                params.push((name, (*value).to_owned()));
            }
        }
        let mut url = self.url("/services/oauth2/authorize");
        url.query_pairs_mut().extend_pairs(params);
        url
    }

    pub async fn get(&self, url: Url) -> reqwest::Response {
        self.http
            .get(url)
            .send()
            .await
            .expect("the simulator answers")
    }

    /// GET authorize (which must send us to the login form), then submit the form.
    pub async fn login(&self, authorize: Url, action: &str) -> reqwest::Response {
        let to_login = location(&self.get(authorize).await);
        assert_eq!(
            to_login.path(),
            "/login",
            "an anonymous authorize goes to the login form"
        );
        let start_url = query(&to_login)
            .remove("startURL")
            .expect("the login URL carries startURL");
        let form = [
            ("startURL", start_url.as_str()),
            ("username", "admin@webex-demo.example"),
            ("password", "pw"),
            ("action", action),
        ];
        self.http
            .post(self.url("/login"))
            .form(&form)
            .send()
            .await
            .expect("the login form answers")
    }

    /// A fresh code from the standard authorize request and a login.
    pub async fn code(&self) -> String {
        let response = self.login(self.authorize_url(&[]), "login").await;
        let mut q = query(&location(&response));
        q.remove("code").expect("the callback carries a code")
    }

    /// The token request the tool makes, with `overrides` applied (`None` removes).
    pub fn exchange_form(
        &self,
        code: &str,
        overrides: &[(&str, Option<&str>)],
    ) -> Vec<(String, String)> {
        let config = self.sim.config();
        let mut form: Vec<(String, String)> = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", &config.consumer_key),
            ("client_secret", &config.consumer_secret),
            ("redirect_uri", &self.loopback),
            ("code_verifier", &self.verifier),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        for (name, value) in overrides {
            form.retain(|(n, _)| n != name);
            if let Some(value) = value {
                form.push(((*name).to_owned(), (*value).to_owned()));
            }
        }
        form
    }

    pub async fn post_form(&self, path: &str, form: &[(String, String)]) -> (StatusCode, Value) {
        let response = self
            .http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("the simulator answers");
        let status = response.status();
        let text = response.text().await.expect("a body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// A successful code exchange's JSON.
    pub async fn tokens(&self) -> Value {
        let code = self.code().await;
        let (status, body) = self
            .post_form("/services/oauth2/token", &self.exchange_form(&code, &[]))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}

pub fn location(response: &reqwest::Response) -> Url {
    assert_eq!(
        response.status(),
        StatusCode::FOUND,
        "expected a 302 from {}",
        response.url()
    );
    let value = response
        .headers()
        .get(header::LOCATION)
        .expect("a Location header");
    Url::parse(value.to_str().expect("an ASCII Location")).expect("an absolute Location")
}

pub fn query(url: &Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

pub fn oauth_error(body: &Value) -> (&str, &str) {
    (
        body["error"].as_str().unwrap_or("<none>"),
        body["error_description"].as_str().unwrap_or("<none>"),
    )
}

#[tokio::test]
async fn discovery_lists_every_endpoint_on_the_simulators_base_url() {
    let org = org(|_| {}).await;
    let doc: Value = org
        .get(org.url("/.well-known/openid-configuration"))
        .await
        .json()
        .await
        .unwrap();
    let base = org.sim.base_url().as_str().trim_end_matches('/').to_owned();
    assert_eq!(doc["issuer"], base.as_str());
    for (field, path) in [
        ("authorization_endpoint", "/services/oauth2/authorize"),
        ("token_endpoint", "/services/oauth2/token"),
        ("userinfo_endpoint", "/services/oauth2/userinfo"),
        ("revocation_endpoint", "/services/oauth2/revoke"),
        ("introspection_endpoint", "/services/oauth2/introspect"),
        ("jwks_uri", "/id/keys"),
    ] {
        assert_eq!(doc[field], format!("{base}{path}").as_str(), "{field}");
    }
    assert_eq!(
        doc["code_challenge_methods_supported"],
        serde_json::json!(["plain", "S256"])
    );
    let keys: Value = org.get(org.url("/id/keys")).await.json().await.unwrap();
    assert!(keys["keys"].is_array());
}

#[tokio::test]
async fn the_demo_pages_show_the_app_and_its_credentials_html_escaped() {
    let org = org(|c| c.callback_urls.push("https://x.example/<b>".into())).await;
    let landing = org.get(org.url("/")).await.text().await.unwrap();
    assert!(landing.contains("Simulated Salesforce org (sf-webex-setup demo)"));
    assert!(landing.contains("https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html"));
    assert!(landing.contains("Manage user data via APIs (api)"));
    assert!(landing.contains("https://x.example/&lt;b&gt;") && !landing.contains("<b>"));
    assert!(landing.contains("href=\"/demo/consumer\""));
    let consumer = org
        .get(org.url("/demo/consumer"))
        .await
        .text()
        .await
        .unwrap();
    assert!(consumer.contains(&org.sim.config().consumer_key));
    assert!(consumer.contains(&org.sim.config().consumer_secret));
}

#[tokio::test]
async fn malformed_requests_get_salesforce_style_errors_and_the_server_keeps_serving() {
    let org = org(|_| {}).await;
    let garbage = org
        .http
        .post(org.url("/services/oauth2/token"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(vec![0xff, 0xfe, b'{', b'%'])
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(
        oauth_error(&body),
        ("unsupported_grant_type", "grant type not supported")
    );
    let odd = org
        .get(org.url("/services/oauth2/authorize?client_id=%ZZ&redirect_uri=%%%"))
        .await;
    assert_eq!(odd.status(), StatusCode::BAD_REQUEST);
    let login = org
        .get(org.url("/login?startURL=%3Cscript%3E"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!login.contains("<script>"));
    let forged = org
        .post_form(
            "/login",
            &[("startURL".into(), "https://evil.example/".into())],
        )
        .await;
    assert_eq!(
        forged.0,
        StatusCode::BAD_REQUEST,
        "the login form only continues into authorize"
    );
    let missing = org.get(org.url("/nope")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let still: Value = org
        .get(org.url("/.well-known/openid-configuration"))
        .await
        .json()
        .await
        .unwrap();
    assert!(still["issuer"].is_string());
}

#[tokio::test]
async fn stats_count_requests_per_endpoint() {
    let org = org(|_| {}).await;
    org.tokens().await;
    org.get(org.url("/id/00D/005")).await;
    let stats = org.sim.stats();
    assert_eq!(stats.requests_to("/services/oauth2/authorize"), 1);
    assert_eq!(stats.requests_to("/login"), 1);
    assert_eq!(stats.requests_to("/services/oauth2/token"), 1);
    assert_eq!(stats.requests_to("/id/{org_id}/{user_id}"), 1);
    assert_eq!(
        (
            stats.access_tokens_issued,
            stats.refresh_tokens_issued,
            stats.live_refresh_tokens
        ),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn latency_is_added_to_every_response() {
    let org = org(|c| c.latency = Duration::from_millis(150)).await;
    let started = Instant::now();
    org.get(org.url("/.well-known/openid-configuration")).await;
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn stopping_the_simulator_frees_its_port() {
    let org = org(|_| {}).await;
    let url = org.url("/");
    let Org { org, http, .. } = org;
    org.sim.stop().await;
    assert!(
        http.get(url).send().await.is_err(),
        "nothing answers after stop"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_round_trips_each_get_their_own_tokens() {
    let org = std::sync::Arc::new(org(|c| c.auto_approve = true).await);
    let mut flows = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let org = org.clone();
        flows.spawn(async move {
            let code = query(&location(&org.get(org.authorize_url(&[])).await))
                .remove("code")
                .unwrap();
            let (status, body) = org
                .post_form("/services/oauth2/token", &org.exchange_form(&code, &[]))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body["access_token"].as_str().unwrap().to_owned()
        });
    }
    let mut tokens = std::collections::HashSet::new();
    while let Some(token) = flows.join_next().await {
        tokens.insert(token.unwrap());
    }
    assert_eq!(tokens.len(), 20);
    let stats = org.sim.stats();
    assert_eq!(
        (
            stats.refresh_tokens_issued,
            stats.live_refresh_tokens,
            stats.refresh_tokens_evicted
        ),
        (20, 5, 15)
    );
}
