//! [`Problem`]: why an answer was refused, as the validators and the host rules say it.

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
