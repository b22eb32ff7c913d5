//! The authorize endpoint and the login form: Salesforce's checks in order, the login and
//! deny round trips, sessions, and the `$BROWSER` stand-in against the simulated org.

use reqwest::{header, StatusCode};

use super::{location, org, query, STATE};

async fn error_page(org: &super::Org, url: url::Url) -> String {
    let response = org.get(url).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "not redirected");
    assert!(response.headers().get(header::LOCATION).is_none());
    let page = response.text().await.unwrap();
    assert!(page.contains("data-sim-page=\"oauth-error\""));
    page
}

#[tokio::test]
async fn an_unknown_client_id_gets_salesforces_error_page_and_no_redirect() {
    let org = org(|_| {}).await;
    let page = error_page(
        &org,
        org.authorize_url(&[("client_id", Some("3MVGnot-the-app"))]),
    )
    .await;
    assert!(page.contains("error=invalid_client_id&error_description=client identifier invalid"));
    error_page(&org, org.authorize_url(&[("client_id", None)])).await;
}

#[tokio::test]
async fn a_propagating_app_answers_invalid_client_id_until_it_has_propagated() {
    let mut org = org(|c| c.propagating = true).await;
    let page = error_page(&org, org.authorize_url(&[])).await;
    assert!(page.contains("error=invalid_client_id&error_description=client identifier invalid"));
    org.sim.reconfigure(|c| c.propagating = false);
    let response = org.login(org.authorize_url(&[]), "login").await;
    assert!(query(&location(&response)).contains_key("code"));
}

#[tokio::test]
async fn an_unregistered_callback_gets_the_redirect_uri_mismatch_page() {
    let org = org(|_| {}).await;
    for other in [
        "http://localhost:1718/OauthRedirect",
        "http://127.0.0.1:1717/OauthRedirect",
        "not a url",
    ] {
        let page = error_page(&org, org.authorize_url(&[("redirect_uri", Some(other))])).await;
        assert!(
            page.contains("error=redirect_uri_mismatch&error_description=redirect_uri must match configuration"),
            "{other}"
        );
    }
}

#[tokio::test]
async fn removing_the_callback_while_running_makes_authorize_refuse_it() {
    let mut org = org(|_| {}).await;
    assert_eq!(
        org.get(org.authorize_url(&[])).await.status(),
        StatusCode::FOUND
    );
    let loopback = org.loopback.clone();
    org.sim
        .reconfigure(|c| c.callback_urls.retain(|u| *u != loopback));
    assert!(!org
        .sim
        .config()
        .callback_urls
        .iter()
        .any(|u| *u == org.loopback));
    let page = error_page(&org, org.authorize_url(&[])).await;
    assert!(page.contains("error=redirect_uri_mismatch"));
}

#[tokio::test]
async fn a_scope_the_app_lacks_redirects_to_the_remote_access_error_page() {
    let org = org(|c| c.scopes.retain(|s| s != "refresh_token")).await;
    let to = location(
        &org.get(org.authorize_url(&[("scope", Some("api web refresh_token"))]))
            .await,
    );
    assert_eq!(to.path(), "/setup/secur/RemoteAccessErrorPage.apexp");
    let q = query(&to);
    assert_eq!(q["error"], "invalid_scope");
    assert_eq!(q["error_description"], "the requested scope is not allowed");
    let page = org.get(to).await.text().await.unwrap();
    assert!(page.contains("the requested scope is not allowed"));
}

#[tokio::test]
async fn offline_access_is_accepted_as_the_refresh_token_scope() {
    let org = org(|_| {}).await;
    let response = org
        .login(
            org.authorize_url(&[("scope", Some("api offline_access"))]),
            "login",
        )
        .await;
    assert!(query(&location(&response)).contains_key("code"));
}

#[tokio::test]
async fn a_missing_pkce_challenge_is_redirected_to_the_callback_when_pkce_is_required() {
    let org = org(|_| {}).await;
    let to = location(
        &org.get(org.authorize_url(&[("code_challenge", None), ("code_challenge_method", None)]))
            .await,
    );
    assert_eq!(to.as_str().split('?').next(), Some(org.loopback.as_str()));
    let q = query(&to);
    assert_eq!(
        (q["error"].as_str(), q["error_description"].as_str()),
        ("invalid_request", "missing required code challenge")
    );
    assert_eq!(q["state"], STATE);
}

#[tokio::test]
async fn without_required_pkce_a_request_without_a_challenge_gets_a_code() {
    let org = org(|c| c.require_pkce = false).await;
    let response = org
        .login(
            org.authorize_url(&[("code_challenge", None), ("code_challenge_method", None)]),
            "login",
        )
        .await;
    assert!(query(&location(&response)).contains_key("code"));
}

#[tokio::test]
async fn a_response_type_other_than_code_is_refused_at_the_callback() {
    let org = org(|_| {}).await;
    let q = query(&location(
        &org.get(org.authorize_url(&[("response_type", Some("token"))]))
            .await,
    ));
    assert_eq!(q["error"], "unsupported_response_type");
    assert_eq!(q["state"], STATE);
}

#[tokio::test]
async fn the_login_form_round_trip_sets_an_httponly_session_and_returns_code_and_state() {
    let org = org(|_| {}).await;
    let to_login = location(&org.get(org.authorize_url(&[])).await);
    let form = org.get(to_login).await.text().await.unwrap();
    for field in [
        "name=\"username\"",
        "name=\"password\"",
        "name=\"startURL\"",
        "value=\"deny\"",
        "action=\"/login\"",
    ] {
        assert!(form.contains(field), "login form lacks {field}");
    }
    let response = org.login(org.authorize_url(&[]), "login").await;
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("sid=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let to = location(&response);
    assert_eq!(to.as_str().split('?').next(), Some(org.loopback.as_str()));
    let q = query(&to);
    assert_eq!(q["state"], STATE);
    assert!(q["code"].len() >= 20);

    // The session skips the form next time; prompt=login forces it back.
    let sid = cookie.split(';').next().unwrap().to_owned();
    let again = org
        .http
        .get(org.authorize_url(&[]))
        .header(header::COOKIE, &sid)
        .send()
        .await
        .unwrap();
    assert!(query(&location(&again)).contains_key("code"));
    let forced = org
        .http
        .get(org.authorize_url(&[("prompt", Some("login"))]))
        .header(header::COOKIE, &sid)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forced).path(), "/login");
}

#[tokio::test]
async fn an_empty_password_re_shows_the_form_with_salesforces_message() {
    let org = org(|_| {}).await;
    let start = org.authorize_url(&[]);
    let start_url = format!("{}?{}", start.path(), start.query().unwrap());
    let form = [
        ("startURL", start_url.as_str()),
        ("username", "admin@webex-demo.example"),
        ("password", ""),
    ];
    let page = org
        .http
        .post(org.url("/login"))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Please check your username and password."));
}

#[tokio::test]
async fn denying_on_the_login_page_redirects_with_access_denied() {
    let org = org(|_| {}).await;
    let q = query(&location(&org.login(org.authorize_url(&[]), "deny").await));
    assert_eq!(q["error"], "access_denied");
    assert_eq!(q["error_description"], "end-user denied authorization");
    assert_eq!(q["state"], STATE);
    assert!(!q.contains_key("code"));
}

#[tokio::test]
async fn auto_approve_skips_the_login_form() {
    let org = org(|c| c.auto_approve = true).await;
    let response = org.get(org.authorize_url(&[])).await;
    assert!(response.headers().get(header::SET_COOKIE).is_some());
    assert!(query(&location(&response)).contains_key("code"));
}

/// Runs tests/support/browser.py against the org with a real loopback listener standing in
/// for the CLI's, and returns (what the listener received, the URLs the browser visited).
async fn run_browser(
    sim_config: impl FnOnce(&mut sf_webex_setup::simulator::SimConfig),
) -> Option<(String, Vec<String>)> {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let callback = format!("http://localhost:{port}/OauthRedirect");
    let cb = callback.clone();
    let org = org(move |c| {
        c.callback_urls.push(cb);
        sim_config(c);
    })
    .await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let app = axum::Router::new()
        .route(
            "/OauthRedirect",
            get(move |uri: axum::http::Uri| async move {
                let _ = tx.send(uri.query().unwrap_or("").to_owned());
                (StatusCode::SEE_OTHER, [(header::LOCATION, "/done")])
            }),
        )
        .route("/done", get(|| async { "You can close this window." }));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let log = tempfile::NamedTempFile::new().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/browser.py");
    let url = org
        .authorize_url(&[("redirect_uri", Some(&callback))])
        .to_string();
    let log_path = log.path().to_owned();
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(script)
            .arg(url)
            .env("BROWSER_LOG", log_path)
            .status()
    })
    .await
    .unwrap();
    let Ok(status) = status else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "python3 is required in CI"
        );
        eprintln!("skipped: python3 is not installed, so the browser stand-in cannot run");
        return None;
    };
    assert!(status.success(), "browser.py exited with {status}");
    // The listener records before it answers, and the browser exits only after the answer.
    let received = rx.try_recv().unwrap_or_default();
    server.abort();
    let visited = std::fs::read_to_string(log.path())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    Some((received, visited))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_stand_in_logs_in_and_delivers_the_code_to_the_loopback_listener() {
    let Some((received, visited)) = run_browser(|_| {}).await else {
        return;
    };
    assert!(
        received.contains("code=") && received.contains(&format!("state={STATE}")),
        "{received}"
    );
    let paths: Vec<String> = visited
        .iter()
        .map(|u| url::Url::parse(u).unwrap().path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/services/oauth2/authorize",
            "/login",
            "/login",
            "/OauthRedirect",
            "/done"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_stand_in_follows_a_plain_redirect_chain_when_auto_approving() {
    let Some((received, visited)) = run_browser(|c| c.auto_approve = true).await else {
        return;
    };
    assert!(received.contains("code="), "{received}");
    assert_eq!(visited.len(), 3, "{visited:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_stand_in_stops_on_salesforces_error_page() {
    let Some((received, visited)) = run_browser(|c| c.propagating = true).await else {
        return;
    };
    assert_eq!(received, "", "no callback when the client is unknown");
    assert_eq!(visited.len(), 1, "{visited:?}");
}
