//! Table tests for the Basic Information fields.

use super::*;

#[test]
fn app_name_is_trimmed_and_refused_when_empty_multiline_or_too_long() {
    let long = "W".repeat(APP_NAME_MAX_CHARS + 1);
    let ok = [
        ("Webex", "Webex"),
        ("  Webex for Salesforce ", "Webex for Salesforce"),
        ("Ünïcode ok", "Ünïcode ok"),
    ];
    for (input, want) in ok {
        assert_eq!(app_name(input).as_deref(), Ok(want), "{input:?}");
    }
    let refused = [
        ("", "empty"),
        ("   ", "empty"),
        ("Web\nex", "line break"),
        ("Web\u{202e}ex", "U+202E at position 4"),
        ("\u{1b}[31mWebex", "U+001B at position 1"),
        (long.as_str(), "longer than 255 characters"),
    ];
    for (input, diagnosis) in refused {
        let p = app_name(input).expect_err(input);
        assert!(p.message.contains(diagnosis), "{input:?}: {p}");
    }
}

#[test]
fn default_api_name_derives_like_salesforce() {
    let table = [
        ("Webex", "Webex"),
        ("Webex App", "Webex_App"),
        ("  Webex -- App!  ", "Webex_App"),
        ("Webex_ _App", "Webex_App"),
        ("2024 Webex", "Webex"),
        ("_Webex", "Webex"),
        ("Café Webex", "Caf_Webex"),
        ("123", ""),
        ("", ""),
        ("!!!", ""),
        // 39 letters then a space: the cap lands on the '_' which must then go.
        (&format!("{} Webex", "a".repeat(39)), &"a".repeat(39)),
        (&"b".repeat(60), &"b".repeat(40)),
    ];
    for (input, want) in table {
        let got = default_api_name(input);
        assert_eq!(got, want, "{input:?}");
        if !got.is_empty() {
            assert_eq!(
                api_name(&got),
                Ok(got.clone()),
                "derived name must itself be valid"
            );
        }
    }
}

#[test]
fn api_name_refuses_each_rule_with_its_own_message_and_suggests_the_derived_name() {
    let long = format!("A{}", "b".repeat(API_NAME_MAX_CHARS));
    // (input, text in the message, text in the fix)
    let table = [
        ("", "empty", "letters, digits"),
        ("9Webex", "begin with a letter", "use Webex"),
        ("_Webex", "begin with a letter", "use Webex"),
        ("Webex App", "spaces are not allowed", "use Webex_App"),
        ("Webex-App", "'-'", "use Webex_App"),
        ("Webex__App", "two underscores", "use Webex_App"),
        ("Webex_", "end with an underscore", "use Webex"),
        (long.as_str(), "41 characters", "use Abbbb"),
    ];
    for (input, message, fix) in table {
        let p = api_name(input).expect_err(input);
        assert!(p.message.contains(message), "{input:?}: {p}");
        assert!(p.fix.contains(fix), "{input:?}: {p}");
    }
    assert_eq!(api_name(" Webex_App2 "), Ok("Webex_App2".to_string()));
}

#[test]
fn contact_email_is_a_pragmatic_single_address_check() {
    assert_eq!(
        contact_email("  admin@example.com "),
        Ok("admin@example.com".to_string())
    );
    assert_eq!(
        contact_email("a.b+webex@sub.example.co.uk"),
        Ok("a.b+webex@sub.example.co.uk".to_string())
    );
    let table = [
        ("", "empty"),
        ("\"admin@example.com\"", "in quotes"),
        ("\u{201C}admin@example.com\u{201D}", "in quotes"),
        ("Admin <admin@example.com>", "display name"),
        ("mailto:admin@example.com", "mailto:"),
        ("ad min@example.com", "contains a space"),
        ("a@example.com, b@example.com", "several addresses"),
        ("admin.example.com", "has no @"),
        ("admin@@example.com", "more than one @"),
        ("@example.com", "nothing before the @"),
        ("admin@localhost", "domain with a dot"),
        ("admin@example..com", "domain with a dot"),
        ("admin@example.com.", "domain with a dot"),
    ];
    for (input, diagnosis) in table {
        let p = contact_email(input).expect_err(input);
        assert!(p.message.contains(diagnosis), "{input:?}: {p}");
        assert!(p.fix.contains("@example.com"), "{input:?}: {p}");
    }
}

#[test]
fn distribution_state_must_be_local() {
    for input in ["local", "Local", " LOCAL "] {
        assert_eq!(
            distribution_state(input),
            Ok(recipe::DISTRIBUTION_STATE),
            "{input:?}"
        );
    }
    let packaged = distribution_state("packaged").expect_err("packaged");
    assert!(
        packaged.message.contains("Packaged is for apps packaged"),
        "{packaged}"
    );
    assert!(packaged.message.contains("needs Local"), "{packaged}");
    assert!(packaged.fix.contains("choose Local"), "{packaged}");
    let unknown = distribution_state("global").expect_err("global");
    assert!(
        unknown
            .message
            .contains("Local (local), Packaged (packaged)"),
        "{unknown}"
    );
}
