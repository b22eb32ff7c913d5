//! The one error type that reaches the user: what went wrong, why, the exact fix, a stable
//! machine-readable [`ErrorCode`] and the documented exit code it maps to.
//!
//! Lower layers keep their own error enums; they convert into [`AppError`] at the edge so
//! that the human printer and the `--json` envelope say exactly the same thing. The cause
//! (an I/O error, a keyring error) is kept as the error's `source` and printed once, at the
//! top, as a "Caused by:" chain.

use std::fmt;
use std::sync::Arc;

/// Documented exit codes (`--help`, README). Never renumber: scripts depend on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// 1: a bug or an unexpected local failure.
    Internal,
    /// 2: invalid input or usage (a missing or wrong answer, a bad flag).
    Usage,
    /// 3: Salesforce (or the OAuth server) rejected the app or a credential.
    Rejected,
    /// 4: the credential store failed (locked, missing, unreachable, entry not found).
    Store,
    /// 5: the network failed (DNS, TLS, connection, timeout).
    Network,
    /// 6: the org answered, but not well enough to decide a check that matters (an
    /// outage, a maintenance page): not a pass.
    Undecided,
    /// 130: the user cancelled (Ctrl-C, Esc).
    Cancelled,
    /// 143: stopped by SIGTERM or SIGHUP (after finishing the step that held live tokens).
    Terminated,
}

impl ExitKind {
    /// Every kind, in the order `--help` and the README list them.
    pub const ALL: [ExitKind; 8] = [
        ExitKind::Internal,
        ExitKind::Usage,
        ExitKind::Rejected,
        ExitKind::Store,
        ExitKind::Network,
        ExitKind::Undecided,
        ExitKind::Cancelled,
        ExitKind::Terminated,
    ];

    pub fn code(self) -> u8 {
        match self {
            ExitKind::Internal => 1,
            ExitKind::Usage => 2,
            ExitKind::Rejected => 3,
            ExitKind::Store => 4,
            ExitKind::Network => 5,
            ExitKind::Undecided => 6,
            ExitKind::Cancelled => 130,
            ExitKind::Terminated => 143,
        }
    }

    /// One line for `--help` and the README's exit-code table.
    pub fn meaning(self) -> &'static str {
        match self {
            ExitKind::Internal => "internal error (a bug: please report it)",
            ExitKind::Usage => {
                "invalid input or usage; the message names the flag or answer to fix"
            }
            ExitKind::Rejected => {
                "Salesforce rejected the app or a credential (or another OAuth server did)"
            }
            ExitKind::Store => "credential store problem: locked, unavailable, entry missing",
            ExitKind::Network => "network failure (DNS, TLS, connection, timeout)",
            ExitKind::Undecided => {
                "a check that matters could not be decided (the org answered with errors: an outage, a maintenance page)"
            }
            ExitKind::Cancelled => "cancelled (Ctrl-C / Esc); nothing was written",
            ExitKind::Terminated => {
                "stopped by SIGTERM or SIGHUP, after finishing (bounded) any step holding live tokens"
            }
        }
    }
}

/// `--help`'s exit-code section, generated from [`ExitKind`].
pub fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:\n  0    ok");
    for kind in ExitKind::ALL {
        text.push_str(&format!("\n  {:<4} {}", kind.code(), kind.meaning()));
    }
    text
}

/// Declares [`ErrorCode`]: each variant with its `--json` code, its exit kind and its
/// meaning, in one table, so the README's table and the envelope cannot drift apart.
macro_rules! error_codes {
    ($($variant:ident => $code:literal, $kind:ident, $meaning:literal;)+) => {
        /// The stable identifier of every error (`error.code` in `--json`, the README's
        /// table). Never rename one: scripts match on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),+ }

        impl ErrorCode {
            /// Every code, in the README's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The snake_case identifier.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }

            /// The exit code this error ends the run with.
            pub fn exit_kind(self) -> ExitKind {
                match self { $(ErrorCode::$variant => ExitKind::$kind),+ }
            }

            /// What it means, for the README's table.
            pub fn meaning(self) -> &'static str {
                match self { $(ErrorCode::$variant => $meaning),+ }
            }
        }
    };
}

error_codes! {
    Internal => "internal_error", Internal, "a bug or an unexpected local failure";
    TerminalError => "terminal_error", Internal, "the terminal could not be read or written";
    MissingAnswer => "missing_answer", Usage, "a required answer is missing and no prompt may be shown";
    InvalidUsage => "invalid_usage", Usage, "the command line could not be parsed";
    InvalidLoginUrl => "invalid_login_url", Usage, "the org / login URL is not usable";
    InvalidAppName => "invalid_app_name", Usage, "the External Client App Name is not usable";
    InvalidApiName => "invalid_api_name", Usage, "the API Name breaks Salesforce's rules";
    InvalidContactEmail => "invalid_contact_email", Usage, "the Contact Email is not an email address";
    InvalidDistributionState => "invalid_distribution_state", Usage, "the Distribution State is not the one Webex needs";
    OauthNotEnabled => "oauth_not_enabled", Usage, "Enable OAuth is not checked";
    InvalidCallbackUrl => "invalid_callback_url", Usage, "the Callback URL box lacks the Webex URL or has a wrong line";
    InvalidScopes => "invalid_scopes", Usage, "a scope Webex needs is not selected, or a scope is unknown";
    ExtraScopes => "extra_scopes", Usage, "scopes beyond the recipe's were selected without --allow-extra-scopes";
    SecurityOptionUnchecked => "security_option_unchecked", Usage, "a Security option Webex needs is not checked";
    InvalidConsumerKey => "invalid_consumer_key", Usage, "the Consumer Key is empty or not a key";
    InvalidConsumerSecret => "invalid_consumer_secret", Usage, "the Consumer Secret is empty or not a secret";
    InvalidNumber => "invalid_number", Usage, "a menu answer is not one of the numbers offered";
    InvalidProfile => "invalid_profile", Usage, "the profile name has characters a store cannot hold";
    SecretOnCommandLine => "secret_on_command_line", Usage, "a secret was given in argv (refused, never echoed)";
    SecretStdinIsTerminal => "secret_stdin_is_terminal", Usage, "--consumer-secret-stdin was given but stdin is a terminal";
    SecretStdinUnreadable => "secret_stdin_unreadable", Usage, "the secret could not be read from stdin";
    HostRefused => "host_refused", Usage, "the login host is not one the secret may be sent to";
    NoLoopbackCallback => "no_loopback_callback", Usage, "no loopback callback line to receive the sign-in on";
    CallbackPortBusy => "callback_port_busy", Usage, "every loopback callback port is in use";
    CallbackListenFailed => "callback_listen_failed", Usage, "the loopback listener could not start";
    NoBrowser => "no_browser", Usage, "the sign-in needs a browser and none could be opened";
    PasteNeedsTerminal => "paste_needs_terminal", Usage, "paste mode was asked for without a terminal";
    PasteNotUnderstood => "paste_not_understood", Usage, "the pasted address is not the callback of this sign-in";
    BadCallback => "bad_callback", Usage, "a stored callback line is not a URL";
    RemoveNotConfirmed => "remove_not_confirmed", Usage, "remove was not confirmed (pass --force without a terminal)";
    PortBusy => "port_busy", Usage, "the simulated org's port is in use";
    NoDraft => "no_draft", Usage, "init --resume found no saved answers for the profile";
    HandoffNeedsTerminal => "handoff_needs_terminal", Usage, "handoff was run without a person at a terminal";
    NoClipboard => "no_clipboard", Usage, "there is no clipboard here (see handoff --reveal)";
    OutputDirUnwritable => "output_dir_unwritable", Usage, "an output folder (`man --dir`, `metadata --out`) could not be written";
    OutputDirNotEmpty => "output_dir_not_empty", Usage, "`metadata --out` names a folder that is not empty (pass --force)";
    MetadataNotWritable => "metadata_not_writable", Usage, "an answer cannot be written as External Client App metadata";
    AppRejected => "app_rejected", Rejected, "Salesforce refused the app: at least one check failed";
    EndpointRefused => "endpoint_refused", Rejected, "the org named an endpoint on another server than its login URL (nothing was sent there)";
    IssuerMismatch => "issuer_mismatch", Rejected, "the callback came from another server than the sign-in started at";
    ProfileFailed => "profile_failed", Rejected, "a stored profile failed its last check (status, verify --all)";
    StoreLocked => "store_locked", Store, "the keyring is locked";
    StoreAccessDenied => "store_access_denied", Store, "the store refused access (a denied macOS prompt, an item of another program)";
    StoreUnavailable => "store_unavailable", Store, "the platform's store is not usable here (no login keychain, no logon session)";
    StoreNotOnThisPlatform => "store_not_on_this_platform", Store, "the profile's store belongs to another platform";
    StoreEntryTooLarge => "store_entry_too_large", Store, "the entry is larger than the store allows";
    StoreNoSecretService => "store_no_secret_service", Store, "no Secret Service provider answers on the session bus";
    StoreNoSessionBus => "store_no_session_bus", Store, "there is no D-Bus session bus";
    StoreNoSessionKeyring => "store_no_session_keyring", Store, "the process has no kernel session keyring";
    StoreTimeout => "store_timeout", Store, "the store did not answer in time";
    StoreEntryNotFound => "store_entry_not_found", Store, "no entry is stored for the profile";
    StoreEntryCorrupt => "store_entry_corrupt", Store, "the stored entry is not a document this tool wrote";
    StoreEntryExists => "store_entry_exists", Store, "the profile is stored already (confirm, or --force)";
    StoreFailed => "store_failed", Store, "the store failed in another way (the message says how)";
    StoredLoginUrlInvalid => "stored_login_url_invalid", Store, "the stored login URL is no longer accepted";
    ProfileIndexFailed => "profile_index_failed", Store, "the profile index could not be read or written";
    StoreBusy => "store_busy", Store, "another sf-webex-setup run is setting up the profile or writing the index";
    DraftFailed => "draft_failed", Store, "the saved answers (draft) could not be read or written";
    NetworkError => "network_error", Network, "a server could not be reached (DNS, refused, timeout, a proxy)";
    TlsUntrusted => "tls_untrusted", Network, "a server's certificate is not trusted here (a network that inspects TLS: see SSL_CERT_FILE)";
    LoginTimeout => "login_timeout", Network, "the browser sign-in did not come back in time";
    ProbeTimeout => "probe_timeout", Network, "the checks did not finish within the time limit";
    ChecksUndecided => "checks_undecided", Undecided, "the org's answers could not decide a check that matters (verify)";
    Cancelled => "cancelled", Cancelled, "cancelled by Ctrl-C or Esc";
    Terminated => "terminated", Terminated, "stopped by SIGTERM or SIGHUP (tokens revoked first)";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A cause kept for the "Caused by:" chain; shared so that [`AppError`] stays `Clone`.
pub type Source = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// A failure as the user sees it: `code` is stable (README), `message` says what and why,
/// `fix` says exactly what to do, `source` is the underlying cause, if any.
#[derive(Clone, Debug)]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fix: Option<String>,
    source: Option<Source>,
}

impl PartialEq for AppError {
    /// Equal when the user would see the same thing (the cause is not compared).
    fn eq(&self, other: &Self) -> bool {
        (self.code, &self.message, &self.fix) == (other.code, &other.message, &other.fix)
    }
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError {
            code,
            message: message.into(),
            fix: None,
            source: None,
        }
    }

    /// Adds the "Try: …" part. Give the exact command or Setup field, not advice.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Keeps the underlying cause (shown once, as "Caused by: …").
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// Keeps an already shared cause.
    pub fn with_shared_source(mut self, source: Source) -> Self {
        self.source = Some(source);
        self
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
            .with_fix("This is a bug in sf-webex-setup; please report it with the command you ran.")
    }

    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "Cancelled; nothing was written.")
    }

    /// A required answer is missing and no prompt may be shown.
    pub fn missing_answer(what: &str, flag: &str, env: &str) -> Self {
        Self::new(
            ErrorCode::MissingAnswer,
            format!("{what} is required and no prompt can be shown (non-interactive mode)."),
        )
        .with_fix(format!("pass {flag} (or set {env})"))
    }

    pub fn kind(&self) -> ExitKind {
        self.code.exit_kind()
    }

    pub fn exit_code(&self) -> u8 {
        self.kind().code()
    }

    /// The causes, outermost first, for the "Caused by:" lines.
    pub fn causes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut next: Option<&(dyn std::error::Error + 'static)> =
            self.source.as_deref().map(|s| s as _);
        while let Some(e) = next {
            let text = e.to_string();
            if !out.contains(&text) && !self.message.contains(&text) {
                out.push(text);
            }
            next = e.source();
        }
        out
    }
}

impl fmt::Display for AppError {
    /// The message, its causes (once each), then the fix on its own "Try:" line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        for cause in self.causes() {
            write!(f, "\n  Caused by: {cause}")?;
        }
        if let Some(fix) = &self.fix {
            write!(f, "\n  Try: {fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_documented_table() {
        let table = [
            (ExitKind::Internal, 1),
            (ExitKind::Usage, 2),
            (ExitKind::Rejected, 3),
            (ExitKind::Store, 4),
            (ExitKind::Network, 5),
            (ExitKind::Undecided, 6),
            (ExitKind::Cancelled, 130),
            (ExitKind::Terminated, 143),
        ];
        for (kind, code) in table {
            assert_eq!(kind.code(), code, "{kind:?}");
        }
        assert_eq!(ExitKind::ALL.len(), table.len());
    }

    #[test]
    fn display_puts_the_fix_on_its_own_try_line() {
        let e = AppError::missing_answer(
            "The contact email",
            "--contact-email",
            "SF_WEBEX_CONTACT_EMAIL",
        );
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.to_string(),
            "The contact email is required and no prompt can be shown (non-interactive mode).\n  Try: pass --contact-email (or set SF_WEBEX_CONTACT_EMAIL)"
        );
    }

    #[test]
    fn error_codes_are_unique_snake_case_and_explained() {
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            let s = code.as_str();
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{s}"
            );
            assert!(!code.meaning().is_empty(), "{s}");
            assert!(
                ErrorCode::ALL[i + 1..].iter().all(|c| c.as_str() != s),
                "{s} twice"
            );
        }
    }

    #[test]
    fn the_cause_is_kept_and_printed_once_between_message_and_fix() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let e = AppError::new(
            ErrorCode::ProfileIndexFailed,
            "Could not write the profile index.",
        )
        .with_source(io)
        .with_fix("check the folder's permissions");
        assert!(std::error::Error::source(&e).is_some());
        assert_eq!(
            e.to_string(),
            "Could not write the profile index.\n  Caused by: permission denied\n  Try: check the folder's permissions"
        );
    }

    #[test]
    fn help_text_lists_every_exit_code() {
        let help = exit_codes_help();
        for kind in ExitKind::ALL {
            assert!(help.contains(&format!("  {:<4} ", kind.code())), "{help}");
        }
    }
}
