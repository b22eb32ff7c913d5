//! Pure validators over the Webex recipe: each takes what the admin typed and returns the
//! normalised value or a [`Problem`] saying specifically what is wrong and how to fix it.

pub mod app_fields;
pub mod callback;
pub mod credentials;
pub mod oauth_settings;

/// Why an answer was refused, for a person: `message` names the mistake, `fix` the exact
/// correction. Never a bare "invalid".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n  Try: {}", self.message, self.fix)
    }
}
