//! What can go wrong with a credential store, each variant with the caller's next step, and
//! the mapping to the user-facing [`AppError`] (exit 4, with the exact fix; every message
//! names the store in use).
//!
//! Platform errors (D-Bus, kernel, Security framework, Win32) are kept as each variant's
//! `source`; the user's message shows them in parentheses as evidence (they never contain
//! the secret). Sorting keyring-core's coarse error kinds into these cases is `classify`.

mod classify;
mod fixes;

use std::time::Duration;

use crate::error::{AppError, ErrorCode};

use super::keyring::{OP_DELETE, OP_READ_BACK, OP_WRITE};
use super::StoreKind;

/// A platform error kept as a variant's source.
pub type Source = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No entry for this profile. Callers treat it as "first run" (load) or report it
    /// (verify/remove: exit 4).
    #[error("no credentials are stored for profile `{profile}` in the {store} store")]
    NotFound { profile: String, store: StoreKind },

    /// The keyring exists but is locked (or a prompt to unlock it was dismissed; on macOS,
    /// locked with no way to ask, as over SSH). Interactive callers may wait with
    /// [`super::retry_while_locked`]; others stop.
    #[error("the {store} store is locked, so the entry for profile `{profile}` cannot be read or written")]
    Locked {
        store: StoreKind,
        profile: String,
        #[source]
        source: Source,
    },

    /// macOS: the prompt to use the keychain was denied or cancelled, or the item belongs
    /// to another program.
    #[error("the {store} store refused access to the entry for profile `{profile}` (the access prompt was denied or cancelled, or the item belongs to another program)")]
    AccessDenied {
        store: StoreKind,
        profile: String,
        #[source]
        source: Source,
    },

    /// The store exists on this system but not for this process: no usable login keychain
    /// (macOS); no logon session with a credential vault (Windows services, key-based SSH).
    #[error("the {store} store is not available to this process")]
    Unavailable {
        store: StoreKind,
        #[source]
        source: Source,
    },

    /// A session bus answers but nothing provides the Secret Service on it.
    #[error("no Secret Service provider answers on the D-Bus session bus")]
    NoSecretService {
        #[source]
        source: Source,
    },

    /// No usable D-Bus session bus (SSH session, server, container).
    #[error("no D-Bus session bus is reachable, so the Secret Service store cannot be used")]
    NoSessionBus {
        #[source]
        source: Source,
    },

    /// keyutils: the process has no session keyring it may write to (a service, cron, a
    /// container without a login session).
    #[error("the kernel keyutils store cannot be used: the kernel refused access to this process's session keyring, as it does without a login session (cron, services, containers)")]
    NoSessionKeyring {
        #[source]
        source: Source,
    },

    /// `--store` or the profile index names a store of another operating system.
    #[error("the {store} store is the {} store and does not exist on this system (available here: {})", store.platform(), available_here())]
    NotOnThisPlatform { store: StoreKind },

    /// A call did not finish in time (typically an unlock prompt nobody answers, or a bus
    /// that never replies). The call is not cancelled, only abandoned: a write or delete may
    /// still complete afterwards, and then the message says so ([`Self::may_have_changed`]).
    #[error("the {store} store did not answer within {} s while trying to {op}{}", after.as_secs_f32(), timeout_aftermath(op))]
    Timeout {
        store: StoreKind,
        op: &'static str,
        after: Duration,
    },

    /// The document is larger than the store can hold (Windows Credential Manager: 1280
    /// UTF-16 code units); checked before writing, so nothing was written.
    #[error("the entry for profile `{profile}` is {units} UTF-16 code units, more than the {store} store can hold ({limit}); nothing was written")]
    TooLarge {
        store: StoreKind,
        profile: String,
        units: usize,
        limit: usize,
    },

    /// The entry exists but is not a document this version can use.
    #[error("the entry for profile `{profile}` in the {store} store is not a usable sf-webex-setup document: {detail}")]
    Corrupt {
        profile: String,
        store: StoreKind,
        detail: String,
    },

    /// [`super::save_guarded`] found an entry and overwriting was not confirmed; nothing
    /// was written.
    #[error("profile `{profile}` already has credentials in the {store} store; they were left unchanged")]
    Exists { profile: String, store: StoreKind },

    /// The profile name cannot be used as a keyring user name.
    #[error(
        "{} cannot be used as a profile name: {reason}",
        crate::text::quoted_input(profile)
    )]
    InvalidProfile {
        profile: String,
        reason: &'static str,
    },

    /// Another sf-webex-setup run holds `what` (a profile being set up, or the profile
    /// index being written) longer than we wait.
    #[error("another sf-webex-setup run is using {what}")]
    Busy { what: String },

    /// The secret-free profile index could not be read or written.
    #[error("the profile index {path} could not be {action}: {detail}")]
    Index {
        path: String,
        action: &'static str,
        detail: String,
    },

    /// Anything else the store reported (`source`, when there is one) or we found.
    #[error("the {store} store failed: {detail}")]
    Other {
        store: StoreKind,
        detail: String,
        fix: Option<String>,
        #[source]
        source: Option<Source>,
    },
}

impl StoreError {
    /// The store this error is about, when it names one.
    pub fn store(&self) -> Option<StoreKind> {
        match self {
            StoreError::NotFound { store, .. }
            | StoreError::Locked { store, .. }
            | StoreError::AccessDenied { store, .. }
            | StoreError::Unavailable { store, .. }
            | StoreError::NotOnThisPlatform { store }
            | StoreError::Timeout { store, .. }
            | StoreError::TooLarge { store, .. }
            | StoreError::Corrupt { store, .. }
            | StoreError::Exists { store, .. }
            | StoreError::Other { store, .. } => Some(*store),
            StoreError::NoSecretService { .. } | StoreError::NoSessionBus { .. } => {
                Some(StoreKind::SecretService)
            }
            StoreError::NoSessionKeyring { .. } => Some(StoreKind::Keyutils),
            StoreError::InvalidProfile { .. }
            | StoreError::Index { .. }
            | StoreError::Busy { .. } => None,
        }
    }

    /// True for a timed-out write or delete: the abandoned call may still have changed the
    /// entry, so the caller must not report "nothing was written".
    pub fn may_have_changed(&self) -> bool {
        matches!(self, StoreError::Timeout { op, .. } if !timeout_aftermath(op).is_empty())
    }

    /// The stable code for the README's error table and the `--json` envelope.
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::NotFound { .. } => ErrorCode::StoreEntryNotFound,
            StoreError::Locked { .. } => ErrorCode::StoreLocked,
            StoreError::AccessDenied { .. } => ErrorCode::StoreAccessDenied,
            StoreError::Unavailable { .. } => ErrorCode::StoreUnavailable,
            StoreError::NoSecretService { .. } => ErrorCode::StoreNoSecretService,
            StoreError::NoSessionBus { .. } => ErrorCode::StoreNoSessionBus,
            StoreError::NoSessionKeyring { .. } => ErrorCode::StoreNoSessionKeyring,
            StoreError::NotOnThisPlatform { .. } => ErrorCode::StoreNotOnThisPlatform,
            StoreError::Timeout { .. } => ErrorCode::StoreTimeout,
            StoreError::TooLarge { .. } => ErrorCode::StoreEntryTooLarge,
            StoreError::Corrupt { .. } => ErrorCode::StoreEntryCorrupt,
            StoreError::Exists { .. } => ErrorCode::StoreEntryExists,
            StoreError::InvalidProfile { .. } => ErrorCode::InvalidProfile,
            StoreError::Index { .. } => ErrorCode::ProfileIndexFailed,
            StoreError::Busy { .. } => ErrorCode::StoreBusy,
            StoreError::Other { .. } => ErrorCode::StoreFailed,
        }
    }

    /// What went wrong, then the platform's own words for it in parentheses.
    pub fn message_with_evidence(&self) -> String {
        let mut evidence = Vec::new();
        let mut cur = std::error::Error::source(self);
        while let Some(e) = cur {
            let text = e.to_string();
            // keyring-core wrappers repeat their inner error: keep the most specific words.
            if !evidence.iter().any(|seen: &String| seen.contains(&text)) {
                evidence.push(text);
            }
            cur = e.source();
        }
        if evidence.is_empty() {
            self.to_string()
        } else {
            format!("{self} ({})", evidence.join(": "))
        }
    }
}

/// This platform's stores as `--store` spells them.
fn available_here() -> String {
    StoreKind::available()
        .iter()
        .map(|k| k.flag_value())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an abandoned call of kind `op` may still do after its timeout (the worker thread
/// is not stopped); empty for calls that change nothing.
fn timeout_aftermath(op: &str) -> &'static str {
    match op {
        OP_WRITE | OP_READ_BACK => {
            "; the entry may have been written; run `sf-webex-setup status` to see"
        }
        OP_DELETE => "; the entry may have been deleted; run `sf-webex-setup status` to see",
        _ => "",
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let err = AppError::new(e.code(), e.message_with_evidence());
        let err = match e.fix() {
            Some(fix) => err.with_fix(fix),
            None => err,
        };
        err.with_source(e)
    }
}

#[cfg(test)]
mod tests;
