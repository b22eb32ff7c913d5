//! The "which org" answer: never panics; an accepted login host is https (or http on
//! loopback with --allow-custom-host), without user name, password, query or fragment,
//! at the root path; under the strict policy it is a genuine Salesforce host.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sf_webex_setup::salesforce::hosts::{
    is_genuine_salesforce_host, is_loopback_host, parse_login_url, HostPolicy,
};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    for policy in [HostPolicy::Strict, HostPolicy::AllowCustom] {
        let Ok(login) = parse_login_url(input, policy) else {
            continue;
        };
        let u = &login.base;
        let host = u.host_str().expect("a login host has a host");
        assert!(u.username().is_empty() && u.password().is_none(), "{u}");
        assert!(u.query().is_none() && u.fragment().is_none(), "{u}");
        assert_eq!(u.path(), "/", "{u}");
        assert!(
            u.scheme() == "https" || (u.scheme() == "http" && is_loopback_host(host)),
            "{u}"
        );
        if matches!(policy, HostPolicy::Strict) {
            assert!(u.scheme() == "https" && u.port().is_none(), "{u}");
            assert!(is_genuine_salesforce_host(host), "{u}");
        }
    }
});
