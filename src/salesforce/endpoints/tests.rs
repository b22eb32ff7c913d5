//! The host rule and the documented paths.

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
fn the_loopback_warning_names_both_flags_that_allow_it() {
    let w = check_destination(&url("http://127.0.0.1:9/t"), true)
        .unwrap()
        .unwrap();
    assert!(
        w.contains("--allow-custom-host") && w.contains("--demo"),
        "{w}"
    );
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
