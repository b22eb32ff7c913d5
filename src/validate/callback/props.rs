//! Properties of the Callback URL box, for any paste: no panic; an accepted box holds the
//! Webex URL exactly, within Salesforce's length; nothing said about it can put a control
//! or bidi character on the terminal.

use proptest::prelude::*;

use super::*;
use crate::prop_input::outside_text;
use crate::text::is_hidden;

fn config() -> ProptestConfig {
    crate::prop_input::config(256)
}

fn printable(what: &str, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !text.chars().any(is_hidden),
        "{} echoes a hidden character: {:?}",
        what,
        text
    );
    Ok(())
}

/// A box of the Webex URL plus other pasted lines, in any order.
fn box_with_webex() -> impl Strategy<Value = (Vec<String>, String)> {
    (
        proptest::collection::vec(outside_text(), 0..4),
        any::<proptest::sample::Index>(),
    )
        .prop_map(|(mut lines, at)| {
            let i = at.index(lines.len() + 1);
            lines.insert(i, WEBEX_CALLBACK_URL.to_string());
            let text = lines.join("\n");
            (lines, text)
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_box_is_accepted_soundly_or_refused_with_a_printable_reason(
        input in prop_oneof![outside_text(), box_with_webex().prop_map(|(_, t)| t)],
    ) {
        match callback_field(&input) {
            Ok(field) => {
                prop_assert!(field.urls.iter().any(|u| u == WEBEX_CALLBACK_URL));
                prop_assert!(box_chars(&field.urls) <= CALLBACK_FIELD_MAX_CHARS);
                if let Some(lb) = &field.loopback {
                    prop_assert!(field.urls.contains(lb) && is_loopback_callback(lb));
                }
                for note in &field.notes {
                    printable("a note", note)?;
                }
            }
            Err(p) => {
                prop_assert!(!p.message.is_empty() && !p.fix.is_empty());
                printable("a refusal", &p.message)?;
                printable("its fix", &p.fix)?;
            }
        }
    }

    #[test]
    fn any_line_but_the_webex_url_gets_a_printable_diagnosis(line in outside_text()) {
        match diagnose_webex_line(&line) {
            None => prop_assert_eq!(line.strip_suffix('\r').unwrap_or(&line), WEBEX_CALLBACK_URL),
            Some(p) => {
                prop_assert!(!p.message.is_empty());
                printable("a diagnosis", &p.message)?;
            }
        }
    }

    /// The Webex URL plus loopback callbacks (any port, localhost or 127.0.0.1) is accepted,
    /// and the first loopback line is the one the OAuth check uses.
    #[test]
    fn webex_plus_loopback_lines_is_accepted_with_the_first_loopback(
        ports in proptest::collection::vec((1024u16.., any::<bool>()), 0..3),
        webex_at in any::<proptest::sample::Index>(),
        crlf in any::<bool>(),
    ) {
        let mut lines: Vec<String> = ports
            .iter()
            .map(|(p, ip)| format!("http://{}:{p}/OauthRedirect", if *ip { "127.0.0.1" } else { "localhost" }))
            .collect();
        let first = lines.first().cloned();
        lines.insert(webex_at.index(lines.len() + 1), WEBEX_CALLBACK_URL.to_string());
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let field = callback_field(&text).unwrap();
        prop_assert_eq!(&field.urls, &lines);
        prop_assert_eq!(field.loopback, first);
    }

    /// Quotes or spaces around the Webex URL are named, never silently accepted.
    #[test]
    fn a_wrapped_webex_url_is_diagnosed_as_wrapped(
        before in "[ \"'`<“‘«]{1,3}",
        after in "[ \"'`>”’»]{0,3}",
    ) {
        let line = format!("{before}{WEBEX_CALLBACK_URL}{after}");
        let p = diagnose_webex_line(&line).unwrap();
        prop_assert!(p.message.contains("around the URL"), "{}", p.message);
        prop_assert!(callback_field(&line).is_err());
    }

    /// Over Salesforce's length the box is refused, whatever it holds.
    #[test]
    fn a_box_over_the_length_limit_is_refused(extra in 1usize..3000) {
        let filler = format!("https://example.com/{}", "a".repeat(CALLBACK_FIELD_MAX_CHARS + extra));
        let text = format!("{WEBEX_CALLBACK_URL}\n{filler}");
        let p = callback_field(&text).unwrap_err();
        prop_assert!(p.message.contains("characters"), "{}", p.message);
    }
}
