//! Properties of the "which org" answer, for any text: no panic, and an accepted login
//! host is exactly what the host rule promises (see `parse_login_url`'s docs).

use proptest::prelude::*;

use super::*;
use crate::prop_input::outside_text;

fn config() -> ProptestConfig {
    crate::prop_input::config(256)
}

/// What any accepted login host must be, whatever was typed.
fn assert_sound(login: &LoginHost, policy: HostPolicy) -> Result<(), TestCaseError> {
    let u = &login.base;
    let host = u.host_str().unwrap_or_default();
    prop_assert!(!host.is_empty(), "{u}");
    prop_assert!(u.username().is_empty() && u.password().is_none(), "{u}");
    prop_assert!(u.query().is_none() && u.fragment().is_none(), "{u}");
    prop_assert_eq!(u.path(), "/");
    prop_assert!(
        u.scheme() == "https" || (u.scheme() == "http" && is_loopback_host(host)),
        "{u}"
    );
    // A Salesforce kind is only ever given to a genuine host on the default https port.
    if login.kind != HostKind::Custom || policy == HostPolicy::Strict {
        prop_assert!(u.scheme() == "https" && u.port().is_none(), "{u}");
        prop_assert_eq!(classify_host(host), Some(login.kind));
    }
    Ok(())
}

/// The two halves of user info, each alone (the property below also mixes them).
#[test]
fn a_user_name_alone_or_a_password_alone_is_refused() {
    for input in [
        "https://admin@acme.my.salesforce.com",
        "https://:secret@acme.my.salesforce.com",
        "admin@acme.my.salesforce.com",
    ] {
        for policy in [HostPolicy::Strict, HostPolicy::AllowCustom] {
            let p = parse_login_url(input, policy).unwrap_err();
            assert!(
                p.message.contains("user name or password"),
                "{input}: {}",
                p.message
            );
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_text_is_refused_or_becomes_a_sound_login_host(input in outside_text()) {
        for policy in [HostPolicy::Strict, HostPolicy::AllowCustom] {
            match parse_login_url(&input, policy) {
                Ok(login) => assert_sound(&login, policy)?,
                Err(p) => prop_assert!(!p.message.is_empty() && !p.fix.is_empty()),
            }
        }
    }

    /// Credentials in the org URL are refused: a user name alone, a password alone, or both.
    #[test]
    fn user_info_is_refused_in_any_combination(
        user in "[a-z]{0,8}",
        pass in proptest::option::of("[a-z0-9]{1,8}"),
        policy in prop_oneof![Just(HostPolicy::Strict), Just(HostPolicy::AllowCustom)],
    ) {
        // url reads `:@` (both empty) as no credentials at all.
        prop_assume!(!user.is_empty() || pass.is_some());
        let info = match &pass {
            Some(p) => format!("{user}:{p}@"),
            None => format!("{user}@"),
        };
        let input = format!("https://{info}acme.my.salesforce.com");
        let refused = parse_login_url(&input, policy).unwrap_err();
        prop_assert!(refused.message.contains("user name or password"), "{}", refused.message);
    }

    /// Whatever surrounds a genuine host (path, query, fragment, case, :443, a trailing
    /// dot), the login host is that host's root over https.
    #[test]
    fn a_genuine_host_keeps_only_its_root(
        name in "[a-z][a-z0-9]{0,10}",
        upper in any::<bool>(),
        tail in "(/[a-z]{0,5}){0,2}(\\?[a-z=&]{0,8})?(#[a-z]{0,4})?",
        port443 in any::<bool>(),
        dot in any::<bool>(),
    ) {
        let mut host = format!("{name}.my.salesforce.com");
        if upper {
            host = host.to_uppercase();
        }
        let input = format!(
            "https://{host}{}{}{tail}",
            if dot { "." } else { "" },
            if port443 { ":443" } else { "" }
        );
        let login = parse_login_url(&input, HostPolicy::Strict).unwrap();
        prop_assert_eq!(login.base.as_str(), format!("https://{name}.my.salesforce.com/"));
        prop_assert_eq!(login.kind, HostKind::MyDomain);
    }
}
