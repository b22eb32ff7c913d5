//! What the admin pastes back in paste mode: never panics; an accepted address names the
//! registered callback; a refusal never repeats the code and prints nothing hidden.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth2::CsrfToken;
use sf_webex_setup::oauth::callback::paste::{parse_pasted, PasteError};
use sf_webex_setup::text::is_hidden;
use url::Url;

const STATE: &str = "expected-state-0123456789";

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let redirect = Url::parse("http://localhost:1717/OauthRedirect").unwrap();
    match parse_pasted(input, &CsrfToken::new(STATE.into()), &redirect) {
        Ok(pasted) => {
            // An address with a scheme is only accepted if it is the callback itself.
            let text = input
                .trim()
                .trim_matches(['"', '\'', '`', '<', '>', '“', '”', '‘', '’']);
            if let Ok(url) = Url::parse(text.trim()) {
                if text.contains("://") && url.scheme() == "http" {
                    assert_eq!(url.host_str(), Some("localhost"), "{input:?}");
                    assert_eq!(url.port_or_known_default(), Some(1717), "{input:?}");
                    assert_eq!(url.path(), "/OauthRedirect", "{input:?}");
                }
            }
            let _ = pasted.state_checked;
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.chars().any(is_hidden), "{shown:?}");
            // Only a wrong address's text varies: never a query, nor any parameter (a
            // code pasted without its `?`).
            if let PasteError::WrongCallback { got, .. } = &e {
                assert!(
                    !got.contains(['?', '=']),
                    "parameters are echoed: {shown:?}"
                );
            }
        }
    }
});
