//! Paste mode, for SSH sessions, WSL and containers where the browser cannot reach the
//! loopback listener: the admin opens the authorize URL anywhere and pastes back the address
//! the browser ended on (a "can't connect" page at `http://localhost:1717/OauthRedirect?…`
//! still shows it), or just the code.
//!
//! Rules:
//! - Spaces, newlines and surrounding quotes (`"`, `'`, `` ` ``, `<…>`) are trimmed.
//! - A full address (with or without `http://`, which some address bars hide) must be the
//!   registered callback (scheme, host, port, path) and carry the expected `state`, compared
//!   in constant time. `error=…` gives [`CallbackOutcome::Denied`]; if Salesforce left the
//!   `state` off an error, the error is still reported (`state_checked = false`): ending the
//!   flow is what the admin wants anyway.
//! - A bare query (`code=…&state=…`) is treated like the address; without a `state` it is
//!   accepted like a bare code.
//! - A `state` that is present but empty or different is [`PasteError::WrongState`]: only a
//!   truly absent `state` skips the check.
//! - A bare code is accepted (percent-decoded: address bars show `=` as `%3D`), but its
//!   `state` cannot be checked: `state_checked = false` so the caller can warn.
//! - Errors never echo the code or the query back.

use oauth2::{AuthorizationCode, CsrfToken};
use url::Url;

use super::query::{parse_params, CallbackOutcome, CallbackParams, CallbackRejection};
use crate::error::{AppError, ErrorCode};
use crate::recipe;

/// What was pasted, understood.
#[derive(Debug)]
pub struct PastedCallback {
    pub outcome: CallbackOutcome,
    /// `false` when the paste carried no `state` (a bare code): the caller should warn that
    /// it could not confirm the code belongs to this sign-in.
    pub state_checked: bool,
}

/// Why a paste was refused. Messages never contain the code; each says what to paste instead.
/// Converts into an [`AppError`] with exit 2 (usage).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasteError {
    #[error("nothing was pasted")]
    Empty,
    #[error("the pasted address is {got}, not the callback this sign-in uses ({expected})")]
    WrongCallback { expected: String, got: String },
    #[error("the pasted address has no state parameter, so it cannot be matched to this sign-in")]
    MissingState,
    #[error("the pasted address belongs to another sign-in (its state does not match this one)")]
    WrongState,
    #[error("the pasted address carries neither a code nor an error")]
    NoCodeOrError,
    #[error("the pasted address repeats the {0} parameter")]
    Repeated(&'static str),
    #[error("the pasted text does not look like an authorization code or a callback address")]
    NotACode,
}

impl From<CallbackRejection> for PasteError {
    fn from(r: CallbackRejection) -> Self {
        match r {
            CallbackRejection::MissingState => PasteError::MissingState,
            CallbackRejection::WrongState => PasteError::WrongState,
            CallbackRejection::NoCodeOrError => PasteError::NoCodeOrError,
            CallbackRejection::Repeated(name) => PasteError::Repeated(name),
        }
    }
}

impl From<PasteError> for AppError {
    fn from(e: PasteError) -> Self {
        let fix = match e {
            PasteError::WrongState => "open the sign-in address printed most recently (not an older tab), then paste the address the browser ends on".to_owned(),
            _ => format!(
                "paste the whole address from the browser's address bar after signing in (it starts with the callback, e.g. {}?code=…), or just the code",
                recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT)
            ),
        };
        AppError::new(ErrorCode::PasteNotUnderstood, e.to_string()).with_fix(fix)
    }
}

/// Understands what the admin pasted. `redirect_uri` is the callback sent in the authorize
/// request.
pub fn parse_pasted(
    input: &str,
    expected_state: &CsrfToken,
    redirect_uri: &Url,
) -> Result<PastedCallback, PasteError> {
    let text = trim_paste(input);
    if text.is_empty() {
        return Err(PasteError::Empty);
    }
    if let Some(url) = as_address(text, redirect_uri)? {
        return from_address(&url, expected_state, redirect_uri);
    }
    if let Some(query) = as_query(text) {
        let params = parse_params(query)?;
        if params.state.is_some() {
            return checked(params, expected_state);
        }
        let outcome = params.into_outcome_unchecked()?;
        return Ok(PastedCallback {
            outcome,
            state_checked: false,
        });
    }
    bare_code(text)
}

/// Removes whitespace and any surrounding quote characters, repeatedly (`"'…'"`).
fn trim_paste(input: &str) -> &str {
    let mut s = input.trim();
    loop {
        let stripped = [
            ('"', '"'),
            ('\'', '\''),
            ('`', '`'),
            ('<', '>'),
            ('“', '”'),
            ('‘', '’'),
        ]
        .iter()
        .find_map(|(open, close)| s.strip_prefix(*open).and_then(|r| r.strip_suffix(*close)));
        match stripped {
            Some(inner) => s = inner.trim(),
            None => return s,
        }
    }
}

/// Parses `text` as an absolute address. Address bars often hide `http://`, so a paste that
/// starts with the callback's host (`localhost:1717/…`) gets the callback's scheme.
fn as_address(text: &str, redirect_uri: &Url) -> Result<Option<Url>, PasteError> {
    if text.contains("://") {
        return Url::parse(text).map(Some).map_err(|_| PasteError::NotACode);
    }
    let Some(host) = redirect_uri.host_str() else {
        return Ok(None);
    };
    let lower = text.to_ascii_lowercase();
    let starts_with_host = lower
        .strip_prefix(&host.to_ascii_lowercase())
        .is_some_and(|rest| rest.starts_with([':', '/', '?']));
    if !starts_with_host {
        return Ok(None);
    }
    let url = Url::parse(&format!("{}://{text}", redirect_uri.scheme()));
    url.map(Some).map_err(|_| PasteError::NotACode)
}

/// `?code=…&state=…` or `code=…&…`: a query without the address.
fn as_query(text: &str) -> Option<&str> {
    let q = text.strip_prefix('?').unwrap_or(text);
    let is_query = q.split('&').any(|pair| {
        let key = pair.split('=').next().unwrap_or("");
        pair.contains('=') && matches!(key, "code" | "state" | "error")
    });
    is_query.then_some(q)
}

fn from_address(
    url: &Url,
    expected_state: &CsrfToken,
    redirect_uri: &Url,
) -> Result<PastedCallback, PasteError> {
    let same_callback = url.scheme() == redirect_uri.scheme()
        && url.host() == redirect_uri.host()
        && url.port_or_known_default() == redirect_uri.port_or_known_default()
        && url.path() == redirect_uri.path();
    if !same_callback {
        return Err(PasteError::WrongCallback {
            expected: without_query(redirect_uri),
            got: without_query(url),
        });
    }
    let params = parse_params(url.query().unwrap_or(""))?;
    if params.state.is_none() && params.error.as_deref().is_some_and(|e| !e.is_empty()) {
        let outcome = params.into_outcome_unchecked()?;
        return Ok(PastedCallback {
            outcome,
            state_checked: false,
        });
    }
    checked(params, expected_state)
}

fn checked(
    params: CallbackParams,
    expected_state: &CsrfToken,
) -> Result<PastedCallback, PasteError> {
    // A `state=` that is there but empty was tampered with or truncated: it is a state,
    // and it is not ours. Only a truly absent state is read as "not checked".
    if params.state.as_deref() == Some("") {
        return Err(PasteError::WrongState);
    }
    let outcome = params.into_outcome(expected_state)?;
    Ok(PastedCallback {
        outcome,
        state_checked: true,
    })
}

/// The address shown in errors: scheme, host, port and path only — never the query (code).
fn without_query(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    // Never show credentials someone may have typed into the address either.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    let shown = shown.to_string();
    // A parameter pasted without its `?` (`…/OauthRedirect&code=…`) lands in the path (or
    // even the host); no callback address holds a `=`, so such an address is not shown.
    if shown.contains('=') {
        return format!("{}://… (not shown: it holds parameters)", url.scheme());
    }
    shown
}

/// Authorization codes are URL-safe tokens (Salesforce: base64 with `=`, shown `%3D` in the
/// address bar). Anything with spaces or other characters is a mis-paste.
fn bare_code(text: &str) -> Result<PastedCallback, PasteError> {
    let decoded = percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_err(|_| PasteError::NotACode)?;
    let plausible = decoded.len() >= 8
        && decoded.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=')
        });
    if !plausible {
        return Err(PasteError::NotACode);
    }
    let outcome = CallbackOutcome::Code {
        code: AuthorizationCode::new(decoded.into_owned()),
        iss: None,
    };
    Ok(PastedCallback {
        outcome,
        state_checked: false,
    })
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_quotes_and_spaces_are_trimmed() {
        assert_eq!(trim_paste("  \"'<abc>'\"\n"), "abc");
    }

    #[test]
    fn a_windows_paste_ending_in_crlf_reads_like_any_other() {
        let cb = Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let state = CsrfToken::new("s1".into());
        for pasted in [
            "http://localhost:1717/OauthRedirect?code=abcdefgh123&state=s1\r\n",
            "\"http://localhost:1717/OauthRedirect?code=abcdefgh123&state=s1\"\r\n",
            "abcdefgh123\r\n",
        ] {
            let got = parse_pasted(pasted, &state, &cb).expect(pasted);
            match got.outcome {
                CallbackOutcome::Code { code, .. } => {
                    assert_eq!(code.secret(), "abcdefgh123", "{pasted:?}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn an_address_bar_without_scheme_is_read_as_the_callback() {
        let cb = Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let url = as_address("localhost:1717/OauthRedirect?code=x", &cb);
        assert_eq!(url.unwrap().unwrap().path(), "/OauthRedirect");
        assert_eq!(as_address("localhostish/x", &cb), Ok(None));
        assert_eq!(
            as_address("http://local host/x", &cb),
            Err(PasteError::NotACode)
        );
    }

    #[test]
    fn an_empty_or_wrong_state_is_another_sign_ins_and_never_skips_the_check() {
        let cb = Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let state = CsrfToken::new("expected-state".into());
        for pasted in [
            "code=abcdefgh123&state=",
            "?code=abcdefgh123&state=other",
            "error=access_denied&state=",
            "http://localhost:1717/OauthRedirect?code=abcdefgh123&state=",
            "http://localhost:1717/OauthRedirect?error=access_denied&state=",
            "http://localhost:1717/OauthRedirect?error=access_denied&state=other",
        ] {
            let got = parse_pasted(pasted, &state, &cb);
            assert_eq!(got.err(), Some(PasteError::WrongState), "{pasted}");
        }
        // A truly absent state is the only unchecked path.
        let bare = parse_pasted("code=abcdefgh123", &state, &cb).unwrap();
        assert!(!bare.state_checked);
    }

    /// Found by fuzzing (fuzz/fuzz_targets/paste_redirect.rs): without its `?` the code was
    /// part of the path, and the path was shown.
    #[test]
    fn a_code_pasted_without_its_question_mark_is_not_shown() {
        let cb = Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let state = CsrfToken::new("s".into());
        for pasted in [
            "localhost:1717/OauthRedirect&code=SECRETCODE&state=s",
            "http://localhost:1717/OauthRedirect/code=SECRETCODE",
            "localhost::::@d__A/\u{1}code=SECRETCODE",
        ] {
            let err = parse_pasted(pasted, &state, &cb).unwrap_err();
            assert!(
                matches!(err, PasteError::WrongCallback { .. }),
                "{pasted}: {err:?}"
            );
            assert!(!err.to_string().contains("SECRETCODE"), "{pasted}: {err}");
        }
        // An ordinary wrong address is still shown, so the person sees what differs.
        let err = parse_pasted(
            "http://localhost:1718/OauthRedirect?code=SECRETCODE&state=s",
            &state,
            &cb,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("http://localhost:1718/OauthRedirect"),
            "{err}"
        );
    }

    #[test]
    fn errors_never_show_the_query() {
        let cb = Url::parse("http://localhost:1717/OauthRedirect").unwrap();
        let err = parse_pasted(
            "http://localhost:1718/OauthRedirect?code=SECRETCODE&state=s",
            &CsrfToken::new("s".into()),
            &cb,
        )
        .unwrap_err();
        assert!(!err.to_string().contains("SECRETCODE"), "{err}");
        assert!(!format!("{err:?}").contains("SECRETCODE"), "{err:?}");
    }
}
