//! The host rule, discovery and the documented fallback.

use super::*;
use crate::salesforce::hosts::HostKind;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn genuine_salesforce_https_hosts_are_allowed_without_a_warning() {
    for u in [
        "https://login.salesforce.com/services/oauth2/token",
        "https://acme.my.salesforce.com/x",
    ] {
        assert_eq!(check_destination(&url(u), false), Ok(None), "{u}");
        assert_eq!(check_destination(&url(u), true), Ok(None), "{u}");
    }
}

#[test]
fn other_hosts_http_and_odd_ports_are_refused_by_default() {
    for u in [
        "https://evil.example.com/token",
        "http://login.salesforce.com/token",
        "https://login.salesforce.com:8443/token",
        "http://127.0.0.1:8080/token",
        "https://my.salesforce.com.evil.io/token",
    ] {
        assert!(check_destination(&url(u), false).is_err(), "{u}");
    }
}

#[test]
fn allow_custom_host_permits_https_anywhere_and_http_only_on_loopback_with_a_warning() {
    assert!(check_destination(&url("https://idp.example.com/t"), true)
        .unwrap()
        .is_some());
    assert!(check_destination(&url("http://127.0.0.1:9/t"), true)
        .unwrap()
        .is_some());
    assert!(check_destination(&url("http://[::1]:9/t"), true)
        .unwrap()
        .is_some());
    assert!(check_destination(&url("http://localhost:9/t"), true)
        .unwrap()
        .is_some());
    assert!(check_destination(&url("http://10.0.0.5:9/t"), true).is_err());
    assert!(check_destination(&url("http://idp.example.com/t"), true).is_err());
}

#[test]
fn the_loopback_warning_names_both_flags_that_allow_it_and_is_shown_once() {
    let w = check_destination(&url("http://127.0.0.1:9/t"), true)
        .unwrap()
        .unwrap();
    assert!(
        w.contains("--allow-custom-host") && w.contains("--demo"),
        "{w}"
    );
    let unique = format!("{w} (test {})", std::process::id());
    let once = vec![unique];
    assert_eq!(not_yet_shown(&once), once);
    assert!(not_yet_shown(&once).is_empty(), "said twice");
}

#[test]
fn a_discovery_document_pointing_the_token_endpoint_elsewhere_is_rejected() {
    let login = LoginHost {
        base: url("https://acme.my.salesforce.com/"),
        kind: HostKind::MyDomain,
    };
    let doc = Document {
        issuer: None,
        authorization_endpoint: Some(
            "https://acme.my.salesforce.com/services/oauth2/authorize".into(),
        ),
        token_endpoint: Some("https://collector.example.net/token".into()),
        revocation_endpoint: None,
        userinfo_endpoint: None,
        introspection_endpoint: None,
    };
    let err = from_document(&doc, &login, false, &mut Vec::new()).unwrap_err();
    assert!(
        err.contains("token_endpoint") && err.contains("collector.example.net"),
        "{err}"
    );
}

/// A server answering every request with `status`.
async fn answering(status: u16) -> LoginHost {
    let app = axum::Router::new()
        .fallback(move || async move { axum::http::StatusCode::from_u16(status).unwrap() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    LoginHost {
        base: url(&format!("http://{addr}/")),
        kind: HostKind::Custom,
    }
}

#[tokio::test]
async fn a_5xx_discovery_answer_is_a_server_error_and_a_404_is_not() {
    let http = Http::new().unwrap();
    for (status, server_error) in [(503, true), (500, true), (429, true), (404, false)] {
        let d = discover(&http, &answering(status).await, true)
            .await
            .unwrap();
        let f = d.fallback.expect("falls back");
        assert_eq!(f.server_error, server_error, "{status}: {f:?}");
    }
}

#[test]
fn documented_paths_sit_on_the_login_host() {
    let login = LoginHost {
        base: url("https://acme.my.salesforce.com/"),
        kind: HostKind::MyDomain,
    };
    let e = documented(&login);
    assert_eq!(
        e.token.as_str(),
        "https://acme.my.salesforce.com/services/oauth2/token"
    );
    assert_eq!(
        e.authorize.as_str(),
        "https://acme.my.salesforce.com/services/oauth2/authorize"
    );
    assert_eq!(e.revoke.path(), REVOKE_PATH);
}
