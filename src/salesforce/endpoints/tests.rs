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

#[test]
fn a_url_for_messages_keeps_scheme_host_port_and_path_but_no_query_or_fragment() {
    assert_eq!(
        redact_query(&url(
            "https://idp.example.com:8443/t/x?code=SECRETCODE&state=s#frag"
        )),
        "https://idp.example.com:8443/t/x"
    );
    assert_eq!(
        redact_query(&url("https://idp.example.com/")),
        "https://idp.example.com/"
    );
}

#[test]
fn a_refusal_names_the_url_without_its_query() {
    for (u, allow) in [
        ("http://idp.example.com/t?code=SECRETCODE", true),
        ("ftp://idp.example.com/t?code=SECRETCODE", true),
        ("https://login.salesforce.com:8443/t?code=SECRETCODE", false),
    ] {
        let why = check_destination(&url(u), allow).unwrap_err();
        let shown = why.to_string();
        let bare = u.split_once('?').unwrap().0;
        assert!(shown.contains(bare), "{u}: {shown}");
        assert!(!shown.contains("SECRETCODE"), "{u}: {shown}");
    }
}

/// A user name alone, or a password alone, is as refused as both.
#[test]
fn credentials_in_a_destination_are_refused_even_one_of_the_two() {
    for u in [
        "https://user@idp.example.com/t",
        "https://:pw@idp.example.com/t",
        "https://user:pw@idp.example.com/t",
        "http://user@127.0.0.1:9/t",
    ] {
        for allow in [false, true] {
            let why = check_destination(&url(u), allow).unwrap_err();
            assert!(matches!(why, Refusal::UserInfo { .. }), "{u}: {why:?}");
            // Said without the credentials it refuses to send.
            let shown = why.to_string();
            assert!(shown.contains("idp.example.com") || shown.contains("127.0.0.1"));
            assert!(
                !shown.contains('@') && !shown.contains(":pw"),
                "{u}: {shown}"
            );
        }
    }
}
