//! Paste mode: what the admin pastes back when the browser cannot reach the listener.

use sf_webex_setup::error::AppError;
use sf_webex_setup::oauth::callback::paste::{parse_pasted, PasteError};

use super::*;

fn cb() -> Url {
    url("http://localhost:1717/OauthRedirect")
}

#[test]
fn paste_accepts_the_full_callback_address_and_checks_its_state() {
    let pasted = format!("http://localhost:1717/OauthRedirect?code=aPrx%2Bz%3D%3D&state={STATE}");
    let p = parse_pasted(&pasted, &state(), &cb()).expect("accepted");
    assert!(p.state_checked);
    assert_eq!(code_of(Ok(p.outcome)), "aPrx+z==");
    let no_scheme = format!("localhost:1717/OauthRedirect?code=abc&state={STATE}");
    let p = parse_pasted(&no_scheme, &state(), &cb()).expect("address bar without http://");
    assert!(p.state_checked);
}

#[test]
fn paste_accepts_a_bare_code_but_says_the_state_was_not_checked() {
    let p = parse_pasted("aPrxAbCdEf.12_3%3D%3D", &state(), &cb()).expect("bare code");
    assert!(!p.state_checked);
    assert_eq!(code_of(Ok(p.outcome)), "aPrxAbCdEf.12_3==");
}

#[test]
fn paste_refuses_a_wrong_or_missing_state_without_echoing_the_code() {
    let wrong = "http://localhost:1717/OauthRedirect?code=SECRETCODE&state=other";
    let err = parse_pasted(wrong, &state(), &cb()).expect_err("wrong state");
    assert_eq!(err, PasteError::WrongState);
    assert!(!AppError::from(err).to_string().contains("SECRETCODE"));
    let missing = "http://localhost:1717/OauthRedirect?code=SECRETCODE";
    assert_eq!(
        parse_pasted(missing, &state(), &cb()).expect_err("no state"),
        PasteError::MissingState
    );
}

#[test]
fn paste_of_an_error_address_gives_denied() {
    let pasted = format!(
        "http://localhost:1717/OauthRedirect?error=access_denied&error_description=end-user+denied+authorization&state={STATE}"
    );
    let p = parse_pasted(&pasted, &state(), &cb()).expect("denied is an outcome");
    assert!(p.state_checked);
    match p.outcome {
        CallbackOutcome::Denied { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(
                description.as_deref(),
                Some("end-user denied authorization")
            );
        }
        other => panic!("expected Denied, got {other:?}"),
    }
}

#[test]
fn paste_trims_quotes_and_spaces() {
    let pasted = format!("  \"http://localhost:1717/OauthRedirect?code=q1&state={STATE}\" \n");
    assert_eq!(
        code_of(Ok(parse_pasted(&pasted, &state(), &cb())
            .expect("quoted")
            .outcome)),
        "q1"
    );
    let bare = parse_pasted(" 'aPrxAbCdEf' ", &state(), &cb()).expect("quoted bare code");
    assert_eq!(code_of(Ok(bare.outcome)), "aPrxAbCdEf");
    assert_eq!(
        parse_pasted(" \"\" ", &state(), &cb()).expect_err("empty"),
        PasteError::Empty
    );
}

#[test]
fn paste_refuses_another_path_or_port_and_shows_no_query() {
    for pasted in [
        format!("http://localhost:1717/Other?code=SECRETCODE&state={STATE}"),
        format!("http://localhost:1718/OauthRedirect?code=SECRETCODE&state={STATE}"),
        format!(
            "https://login.salesforce.com/services/oauth2/authorize?code=SECRETCODE&state={STATE}"
        ),
    ] {
        let err = parse_pasted(&pasted, &state(), &cb()).expect_err("wrong callback");
        assert!(matches!(err, PasteError::WrongCallback { .. }), "{err:?}");
        assert!(!err.to_string().contains("SECRETCODE"), "{err}");
        assert!(
            err.to_string()
                .contains("http://localhost:1717/OauthRedirect"),
            "{err}"
        );
    }
    let junk = parse_pasted("I clicked allow", &state(), &cb()).expect_err("junk");
    assert_eq!(junk, PasteError::NotACode);
}

#[test]
fn paste_never_panics_on_odd_input() {
    let odd = [
        "",
        "\"",
        "'",
        "“",
        "<>",
        "://",
        "http://",
        "http://[::1",
        "localhost:",
        "localhost:99999/x",
        "?",
        "&&&",
        "=",
        "%",
        "%ZZ%",
        "code=",
        "state=",
        "error=",
        "\u{0}",
        "💥💥💥💥💥💥💥💥",
        "code=%FF%FE&state=%",
        "http://localhost:1717/OauthRedirect?code=a&code=b&state=x",
    ];
    for input in odd {
        // Any answer is fine; panicking or echoing is not.
        if let Err(e) = parse_pasted(input, &state(), &cb()) {
            assert!(!e.to_string().is_empty(), "{input:?}");
        }
    }
}
