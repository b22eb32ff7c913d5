//! Properties of the callback query, for any query string: no panic; each parameter is
//! read once (a repeat is refused); an outcome is a code or a denial, never both, and the
//! listener's strict rule accepts only the expected state.

use proptest::prelude::*;

use super::*;
use crate::prop_input::outside_text;

const STATE: &str = "expected-state-0123456789";

fn config() -> ProptestConfig {
    crate::prop_input::config(256)
}

/// Queries made of the callback's own parameters (and others), in any order and count,
/// with values that need percent-encoding.
fn callback_query() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("code"),
        Just("state"),
        Just("error"),
        Just("error_description"),
        Just("iss"),
        Just("other"),
    ];
    let value = prop_oneof![Just(STATE.to_string()), Just(String::new()), outside_text()];
    proptest::collection::vec((key, value), 0..6).prop_map(|pairs| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            q.append_pair(k, &v);
        }
        q.finish()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_query_gives_one_outcome_or_a_reason(query in prop_oneof![outside_text(), callback_query()]) {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let count = |name: &str| pairs.iter().filter(|(k, _)| k == name).count();
        let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let params = match parse_params(&query) {
            Err(CallbackRejection::Repeated(name)) => {
                prop_assert!(count(name) > 1, "{} is not repeated in {:?}", name, query);
                return Ok(());
            }
            Err(other) => return Err(TestCaseError::fail(format!("parse_params gave {other:?}"))),
            Ok(p) => p,
        };
        for name in ["code", "state", "error", "error_description", "iss"] {
            prop_assert!(count(name) <= 1, "a repeated {} was accepted", name);
        }
        prop_assert_eq!(&params.code, &value("code"));
        prop_assert_eq!(&params.state, &value("state"));
        prop_assert_eq!(&params.error, &value("error"));
        let error = value("error").filter(|e| !e.is_empty());
        let code = value("code").filter(|c| !c.is_empty());
        match params.into_outcome(&CsrfToken::new(STATE.into())) {
            Ok(CallbackOutcome::Denied { error: e, .. }) => {
                prop_assert_eq!(value("state"), Some(STATE.to_string()));
                prop_assert_eq!(Some(e), error);
            }
            Ok(CallbackOutcome::Code { code: c, .. }) => {
                prop_assert_eq!(value("state"), Some(STATE.to_string()));
                prop_assert!(error.is_none(), "a code despite an error");
                prop_assert_eq!(Some(c.secret().clone()), code);
            }
            Err(CallbackRejection::MissingState) => {
                prop_assert!(value("state").is_none_or(|s| s.is_empty()))
            }
            Err(CallbackRejection::WrongState) => {
                prop_assert!(value("state").is_some_and(|s| !s.is_empty() && s != STATE))
            }
            Err(CallbackRejection::NoCodeOrError) => {
                prop_assert!(code.is_none() && error.is_none())
            }
            Err(CallbackRejection::Repeated(_)) => {
                return Err(TestCaseError::fail("into_outcome never finds repeats"))
            }
        }
    }
}
