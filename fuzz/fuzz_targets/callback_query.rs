//! The callback's query string: never panics; an accepted query's outcome is a code or a
//! denial, never both, and the strict rule accepts only the expected state.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth2::CsrfToken;
use sf_webex_setup::oauth::callback::query::{parse_params, CallbackOutcome};

const STATE: &str = "expected-state-0123456789";

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(params) = parse_params(query) else {
        return;
    };
    let state = params.state.clone();
    let (code, error) = (params.code.clone(), params.error.clone());
    match params.into_outcome(&CsrfToken::new(STATE.to_string())) {
        Ok(outcome) => {
            assert_eq!(state.as_deref(), Some(STATE));
            match outcome {
                CallbackOutcome::Denied { error: e, .. } => {
                    assert!(!e.is_empty() && error.as_deref() == Some(e.as_str()))
                }
                CallbackOutcome::Code { code: c, .. } => {
                    assert!(error.is_none_or(|e| e.is_empty()), "a code with an error");
                    assert_eq!(code.as_deref(), Some(c.secret().as_str()));
                }
            }
        }
        Err(_) => assert!(
            state.as_deref() != Some(STATE)
                || (code.is_none_or(|c| c.is_empty()) && error.is_none_or(|e| e.is_empty()))
        ),
    }
});
