//! The callback's query (`code`, `state`, `error`, `error_description`, `iss`), read the
//! same way by the listener and by paste mode, and what it amounts to.

use oauth2::{AuthorizationCode, CsrfToken};

/// What the one valid callback carried. `code` stays in oauth2's redacting type.
#[derive(Debug)]
pub enum CallbackOutcome {
    /// `?code=…&state=…` (plus `iss` when the server sends RFC 9207's issuer).
    Code {
        code: AuthorizationCode,
        iss: Option<String>,
    },
    /// `?error=…[&error_description=…]&state=…`: access_denied, invalid_request, …
    Denied {
        error: String,
        description: Option<String>,
    },
}

/// The parameters of a callback query, decoded (`application/x-www-form-urlencoded`, via the
/// url crate).
#[derive(Default)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub iss: Option<String>,
}

/// Why a callback was not accepted. The reasons never include the code or the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackRejection {
    MissingState,
    WrongState,
    NoCodeOrError,
    Repeated(&'static str),
}

impl CallbackRejection {
    pub fn reason(self) -> &'static str {
        match self {
            CallbackRejection::MissingState => "It carried no state parameter, so it cannot be matched to this sign-in.",
            CallbackRejection::WrongState => {
                "Its state parameter does not match this sign-in (a forged link, or a tab left over from an earlier attempt)."
            }
            CallbackRejection::NoCodeOrError => "It carried neither an authorization code nor an error.",
            CallbackRejection::Repeated(_) => "It repeats a parameter that must appear once (RFC 6749).",
        }
    }
}

pub fn parse_params(query: &str) -> Result<CallbackParams, CallbackRejection> {
    let mut p = CallbackParams::default();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let (slot, name) = match key.as_ref() {
            "code" => (&mut p.code, "code"),
            "state" => (&mut p.state, "state"),
            "error" => (&mut p.error, "error"),
            "error_description" => (&mut p.error_description, "error_description"),
            "iss" => (&mut p.iss, "iss"),
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(CallbackRejection::Repeated(name));
        }
    }
    Ok(p)
}

/// Constant-time comparison (oauth2's `timing-resistant-secret-traits`: SHA-256 of both).
fn state_matches(received: &str, expected: &CsrfToken) -> bool {
    CsrfToken::new(received.to_owned()) == *expected
}

impl CallbackParams {
    /// The listener's strict rule: `state` must be present and match, for codes and errors.
    pub fn into_outcome(self, expected: &CsrfToken) -> Result<CallbackOutcome, CallbackRejection> {
        match self.state.as_deref() {
            None | Some("") => return Err(CallbackRejection::MissingState),
            Some(s) if !state_matches(s, expected) => return Err(CallbackRejection::WrongState),
            Some(_) => {}
        }
        self.into_outcome_unchecked()
    }

    /// The outcome without looking at `state` (paste mode decides about it).
    pub fn into_outcome_unchecked(self) -> Result<CallbackOutcome, CallbackRejection> {
        if let Some(error) = self.error.filter(|e| !e.is_empty()) {
            return Ok(CallbackOutcome::Denied {
                error,
                description: self.error_description.filter(|d| !d.is_empty()),
            });
        }
        match self.code.filter(|c| !c.is_empty()) {
            Some(code) => Ok(CallbackOutcome::Code {
                code: AuthorizationCode::new(code),
                iss: self.iss.filter(|i| !i.is_empty()),
            }),
            None => Err(CallbackRejection::NoCodeOrError),
        }
    }
}

#[cfg(test)]
mod props;
