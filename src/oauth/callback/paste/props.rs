//! Properties of paste mode, for any paste: no panic; a refusal shows nothing hidden and
//! never the code; an address is accepted only if it is the registered callback carrying
//! this sign-in's state.

use proptest::prelude::*;

use super::*;
use crate::prop_input::outside_text;
use crate::text::is_hidden;

const STATE: &str = "expected-state-0123456789";

fn config() -> ProptestConfig {
    crate::prop_input::config(256)
}

fn redirect() -> Url {
    Url::parse("http://localhost:1717/OauthRedirect").unwrap()
}

fn state() -> CsrfToken {
    CsrfToken::new(STATE.into())
}

fn code_of(outcome: &CallbackOutcome) -> Option<&str> {
    match outcome {
        CallbackOutcome::Code { code, .. } => Some(code.secret()),
        CallbackOutcome::Denied { .. } => None,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_paste_is_understood_or_refused_without_echoing_the_code(input in outside_text()) {
        let Err(e) = parse_pasted(&input, &state(), &redirect()) else {
            return Ok(());
        };
        let shown = e.to_string();
        prop_assert!(!shown.chars().any(is_hidden), "{:?}", shown);
        // Only a wrong address's text varies: never a query, nor any parameter (a code
        // pasted without its `?`).
        if let PasteError::WrongCallback { got, .. } = &e {
            prop_assert!(!got.contains(['?', '=']), "parameters are echoed: {:?}", shown);
        }
    }

    /// Of addresses carrying a code and the right state, exactly those naming the
    /// callback (scheme, host in any case, port, exact path) are accepted, with that code.
    #[test]
    fn an_address_is_accepted_only_when_it_is_the_registered_callback(
        scheme in prop_oneof![Just("http://"), Just("https://"), Just("")],
        host in prop_oneof![Just("localhost"), Just("LocalHost"), Just("127.0.0.1"), Just("evil.example")],
        port in prop_oneof![Just(":1717"), Just(":1718"), Just("")],
        path in prop_oneof![Just("/OauthRedirect"), Just("/oauthredirect"), Just("/OauthRedirect/"), Just("/x")],
        code in "[A-Za-z0-9]{8,24}(%3D){0,2}",
        quote in prop_oneof![Just(("", "")), Just(("\"", "\"")), Just(("<", ">")), Just(("  ", "\r\n"))],
    ) {
        let pasted = format!("{}{scheme}{host}{port}{path}?code={code}&state={STATE}{}", quote.0, quote.1);
        let is_callback = (scheme == "http://" || (scheme.is_empty() && host.eq_ignore_ascii_case("localhost")))
            && host.eq_ignore_ascii_case("localhost")
            && port == ":1717"
            && path == "/OauthRedirect";
        match parse_pasted(&pasted, &state(), &redirect()) {
            Ok(got) => {
                prop_assert!(is_callback, "accepted {}", pasted);
                prop_assert!(got.state_checked);
                let decoded = code.replace("%3D", "=");
                prop_assert_eq!(code_of(&got.outcome), Some(decoded.as_str()));
            }
            Err(e) => prop_assert!(!is_callback, "refused {}: {}", pasted, e),
        }
    }

    /// A state that is present but not ours (empty included) is never accepted.
    #[test]
    fn a_present_state_other_than_ours_is_always_refused(
        other in "[A-Za-z0-9._~-]{0,30}",
        address in any::<bool>(),
        denied in any::<bool>(),
    ) {
        prop_assume!(other != STATE);
        let params = if denied { "error=access_denied" } else { "code=abcdefgh123" };
        let pasted = if address {
            format!("http://localhost:1717/OauthRedirect?{params}&state={other}")
        } else {
            format!("{params}&state={other}")
        };
        prop_assert_eq!(parse_pasted(&pasted, &state(), &redirect()).err(), Some(PasteError::WrongState));
    }

    /// A bare code is accepted percent-decoded, and flagged as unchecked.
    #[test]
    fn a_bare_code_is_accepted_decoded_and_unchecked(code in "[A-Za-z0-9._~+/-]{8,40}(%3D){0,2}") {
        let got = parse_pasted(&code, &state(), &redirect()).unwrap();
        prop_assert!(!got.state_checked);
        let decoded = code.replace("%3D", "=");
        prop_assert_eq!(code_of(&got.outcome), Some(decoded.as_str()));
    }
}
