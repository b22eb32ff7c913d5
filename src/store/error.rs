//! What can go wrong with a credential store, each variant with the caller's next step, and
//! the mapping to the user-facing [`AppError`] (exit 4, with the exact fix; every message
//! names the store in use).
//!
//! The keyring crates report failures as a few coarse kinds plus a platform error; we sort
//! them into the cases a user can act on (`classify`). Platform details are included as
//! evidence: they are D-Bus / kernel messages and never contain the secret.

use std::time::Duration;

use crate::error::{AppError, ErrorCode};

use super::keyring::{OP_DELETE, OP_READ_BACK, OP_WRITE};
use super::StoreKind;

/// How to get a usable Secret Service, or the explicit alternative. Shared by every
/// "cannot reach the Secret Service" message so they all offer the same choices.
const SECRET_SERVICE_CHOICES: &str = "log in to a desktop session (GNOME Keyring or KWallet \
     provides the Secret Service), or on a server start one: `dbus-run-session -- sh -c \
     'printf %s \"$PASSWORD\" | gnome-keyring-daemon --unlock --components=secrets; \
     sf-webex-setup …'` (Debian/Ubuntu packages `gnome-keyring` and `dbus`); or choose the \
     kernel store explicitly with `--store keyutils` (it lasts until reboot, and its \
     persistent keyring expires after about 3 days unused). Nothing is ever written to a \
     plaintext file.";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No entry for this profile. Callers treat it as "first run" (load) or report it
    /// (verify/remove: exit 4).
    #[error("no credentials are stored for profile `{profile}` in the {store} store")]
    NotFound { profile: String, store: StoreKind },

    /// The keyring exists but is locked (or a prompt to unlock it was dismissed). Interactive
    /// callers may wait with [`super::retry_while_locked`]; others stop.
    #[error("the {store} store is locked, so the entry for profile `{profile}` cannot be read or written ({detail})")]
    Locked {
        store: StoreKind,
        profile: String,
        detail: String,
    },

    /// A session bus answers but nothing provides the Secret Service on it.
    #[error("no Secret Service provider answers on the D-Bus session bus ({detail})")]
    NoSecretService { detail: String },

    /// No usable D-Bus session bus (SSH session, server, container).
    #[error(
        "no D-Bus session bus is reachable, so the Secret Service store cannot be used ({detail})"
    )]
    NoSessionBus { detail: String },

    /// keyutils: the process has no session keyring it may write to (a service, cron, a
    /// container without a login session).
    #[error("the kernel keyutils store cannot be used: the kernel refused access to this process's session keyring, as it does without a login session (cron, services, containers) ({detail})")]
    NoSessionKeyring { detail: String },

    /// A call did not finish in time (typically an unlock prompt nobody answers, or a bus
    /// that never replies). The call is not cancelled, only abandoned: a write or delete may
    /// still complete afterwards, and then the message says so ([`Self::may_have_changed`]).
    #[error("the {store} store did not answer within {} s while trying to {op}{}", after.as_secs_f32(), timeout_aftermath(op))]
    Timeout {
        store: StoreKind,
        op: &'static str,
        after: Duration,
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
    #[error("`{profile}` cannot be used as a profile name: {reason}")]
    InvalidProfile {
        profile: String,
        reason: &'static str,
    },

    /// The secret-free profile index could not be read or written.
    #[error("the profile index {path} could not be {action}: {detail}")]
    Index {
        path: String,
        action: &'static str,
        detail: String,
    },

    /// Anything else the store reported.
    #[error("the {store} store failed: {detail}")]
    Other {
        store: StoreKind,
        detail: String,
        fix: Option<String>,
    },
}

impl StoreError {
    /// Sorts a keyring error into the cases above. `profile` is the entry being used.
    pub(crate) fn classify(
        store: StoreKind,
        profile: &str,
        err: keyring_core::Error,
    ) -> StoreError {
        use keyring_core::Error as K;
        match err {
            K::NoEntry => StoreError::NotFound {
                profile: profile.to_string(),
                store,
            },
            K::NoStorageAccess(e) => match store {
                StoreKind::SecretService => StoreError::Locked {
                    store,
                    profile: profile.to_string(),
                    detail: e.to_string(),
                },
                // keyutils reports EACCES when the process has no session keyring of its own.
                StoreKind::Keyutils => StoreError::NoSessionKeyring {
                    detail: e.to_string(),
                },
            },
            K::PlatformFailure(e) => Self::classify_platform(store, &*e),
            K::BadEncoding(_) => StoreError::Corrupt {
                profile: profile.to_string(),
                store,
                detail: "the stored value is not UTF-8 text".to_string(),
            },
            K::Ambiguous(entries) => StoreError::Other {
                store,
                detail: format!("{} entries match profile `{profile}`", entries.len()),
                fix: Some(format!(
                    "remove the duplicates: `secret-tool clear service {} username {profile}`, then store again",
                    super::SERVICE
                )),
            },
            other => StoreError::Other {
                store,
                detail: other.to_string(),
                fix: None,
            },
        }
    }

    /// Secret Service platform errors: connection problems mean "no bus", a missing name
    /// means "no provider"; the D-Bus error names are protocol constants, so matching their
    /// text is stable.
    pub(crate) fn classify_platform(
        store: StoreKind,
        e: &(dyn std::error::Error + 'static),
    ) -> StoreError {
        let text = e.to_string();
        let mut io_error = false;
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = cur {
            io_error |= err.is::<std::io::Error>();
            cur = err.source();
        }
        let no_provider = [
            "ServiceUnknown",
            "NameHasNoOwner",
            "not provided by any .service files",
        ];
        if store == StoreKind::SecretService {
            if no_provider.iter().any(|n| text.contains(n)) {
                return StoreError::NoSecretService { detail: text };
            }
            // zbus reports a failed connect as text ("Failed to connect to address `…`: No
            // such file or directory"), without the io::Error as a source.
            let no_bus = [
                "no secret service provider or dbus session found",
                "DBUS_SESSION_BUS_ADDRESS",
                "Failed to connect to address",
                "Connection refused",
            ];
            if io_error || no_bus.iter().any(|n| text.contains(n)) {
                return StoreError::NoSessionBus { detail: text };
            }
        }
        StoreError::Other {
            store,
            detail: text,
            fix: None,
        }
    }

    /// The store this error is about, when it names one.
    pub fn store(&self) -> Option<StoreKind> {
        match self {
            StoreError::NotFound { store, .. }
            | StoreError::Locked { store, .. }
            | StoreError::Timeout { store, .. }
            | StoreError::Corrupt { store, .. }
            | StoreError::Exists { store, .. }
            | StoreError::Other { store, .. } => Some(*store),
            StoreError::NoSecretService { .. } | StoreError::NoSessionBus { .. } => {
                Some(StoreKind::SecretService)
            }
            StoreError::NoSessionKeyring { .. } => Some(StoreKind::Keyutils),
            StoreError::InvalidProfile { .. } | StoreError::Index { .. } => None,
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
            StoreError::NoSecretService { .. } => ErrorCode::StoreNoSecretService,
            StoreError::NoSessionBus { .. } => ErrorCode::StoreNoSessionBus,
            StoreError::NoSessionKeyring { .. } => ErrorCode::StoreNoSessionKeyring,
            StoreError::Timeout { .. } => ErrorCode::StoreTimeout,
            StoreError::Corrupt { .. } => ErrorCode::StoreEntryCorrupt,
            StoreError::Exists { .. } => ErrorCode::StoreEntryExists,
            StoreError::InvalidProfile { .. } => ErrorCode::InvalidProfile,
            StoreError::Index { .. } => ErrorCode::ProfileIndexFailed,
            StoreError::Other { .. } => ErrorCode::StoreFailed,
        }
    }

    /// The exact next step.
    pub fn fix(&self) -> Option<String> {
        Some(match self {
            StoreError::NotFound { profile, .. } => format!(
                "run `sf-webex-setup init --profile {profile}` to prove and store the credentials \
                 (or pass the --store the profile was saved with)"
            ),
            StoreError::Locked { store: StoreKind::SecretService, .. } => {
                "unlock your keyring: in a desktop session open \"Passwords and Keys\" (Seahorse) or \
                 KWallet Manager and unlock the default/login keyring; on a server run \
                 `printf %s \"$PASSWORD\" | gnome-keyring-daemon --replace --unlock --components=secrets` \
                 in the same D-Bus session; then run the command again"
                    .to_string()
            }
            StoreError::Locked { .. } | StoreError::NoSessionKeyring { .. } => {
                KEYUTILS_SESSION_FIX.to_string()
            }
            StoreError::NoSecretService { .. } | StoreError::NoSessionBus { .. } => {
                SECRET_SERVICE_CHOICES.to_string()
            }
            StoreError::Timeout { store: StoreKind::SecretService, .. } => {
                "if an unlock prompt is open, answer it and run the command again; otherwise check \
                 that the Secret Service is running and unlocked (`secret-tool search service \
                 sf-webex-setup` must answer at once), or choose `--store keyutils` (lasts until reboot)"
                    .to_string()
            }
            StoreError::Timeout { .. } => "run the command again; if the kernel key store keeps \
                 timing out, use the default Secret Service store (`--store secret-service`)"
                .to_string(),
            StoreError::Corrupt { profile, .. } => format!(
                "store it again with `sf-webex-setup init --profile {profile} --force` (or remove it \
                 with `sf-webex-setup remove --profile {profile} --force`)"
            ),
            StoreError::Exists { profile, .. } => format!(
                "confirm the overwrite when asked, or pass --force; to keep both, use another \
                 --profile than `{profile}`"
            ),
            StoreError::InvalidProfile { .. } => {
                "use letters, digits, '-', '_' or '.' (e.g. --profile acme-sandbox)".to_string()
            }
            StoreError::Index { path, .. } => format!(
                "check the permissions of {path} and its folder; the file holds no secrets, so it \
                 may be deleted (status will then list no profiles until they are stored again)"
            ),
            StoreError::Other { fix, .. } => return fix.clone(),
        })
    }
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

const KEYUTILS_SESSION_FIX: &str = "run sf-webex-setup from a login session (ssh or console \
     login, which gives the process a session keyring), or under `keyctl session - \
     sf-webex-setup …` (package `keyutils`); or use the default Secret Service store";

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let fix = e.fix();
        let err = AppError::new(e.code(), e.to_string());
        let err = match fix {
            Some(fix) => err.with_fix(fix),
            None => err,
        };
        err.with_source(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_store_error_exits_4_with_a_fix_that_names_a_next_step() {
        let errors = [
            StoreError::NotFound {
                profile: "p".into(),
                store: StoreKind::SecretService,
            },
            StoreError::Locked {
                store: StoreKind::SecretService,
                profile: "p".into(),
                detail: "x".into(),
            },
            StoreError::NoSecretService { detail: "x".into() },
            StoreError::NoSessionBus { detail: "x".into() },
            StoreError::NoSessionKeyring { detail: "x".into() },
            StoreError::Timeout {
                store: StoreKind::SecretService,
                op: "save",
                after: Duration::from_secs(2),
            },
            StoreError::Corrupt {
                profile: "p".into(),
                store: StoreKind::Keyutils,
                detail: "x".into(),
            },
            StoreError::Exists {
                profile: "p".into(),
                store: StoreKind::Keyutils,
            },
        ];
        for e in errors {
            let shown = e.to_string();
            let app = AppError::from(e);
            assert_eq!(app.exit_code(), 4, "{shown}");
            assert!(app.fix.as_deref().is_some_and(|f| !f.is_empty()), "{shown}");
            assert!(
                shown.contains("Secret Service") || shown.contains("keyutils"),
                "message must name the store: {shown}"
            );
        }
    }

    #[test]
    fn no_secret_service_explains_both_choices_and_the_keyutils_lifetime() {
        let app = AppError::from(StoreError::NoSessionBus { detail: "x".into() });
        let fix = app.fix.unwrap();
        assert!(fix.contains("gnome-keyring-daemon --unlock"), "{fix}");
        assert!(fix.contains("--store keyutils"), "{fix}");
        assert!(
            fix.contains("until reboot") && fix.contains("3 days"),
            "{fix}"
        );
    }

    #[test]
    fn an_invalid_profile_name_is_a_usage_error() {
        let e = StoreError::InvalidProfile {
            profile: "a b".into(),
            reason: "spaces",
        };
        assert_eq!(AppError::from(e).exit_code(), 2);
    }

    #[test]
    fn missing_provider_and_missing_bus_are_told_apart() {
        let unknown = std::io::Error::other(
            "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided",
        );
        // An io::Error in the chain alone would mean "no bus"; the D-Bus name wins.
        assert!(matches!(
            StoreError::classify_platform(StoreKind::SecretService, &unknown),
            StoreError::NoSecretService { .. }
        ));
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(matches!(
            StoreError::classify_platform(StoreKind::SecretService, &refused),
            StoreError::NoSessionBus { .. }
        ));
        let zbus_text = std::io::Error::other(
            "zbus error: Failed to connect to address `unix:path=/tmp/x`: No such file or directory (os error 2)",
        );
        let boxed: Box<dyn std::error::Error + Send + Sync> = zbus_text.to_string().into();
        assert!(matches!(
            StoreError::classify_platform(StoreKind::SecretService, &*boxed),
            StoreError::NoSessionBus { .. }
        ));
        assert_eq!(
            StoreError::classify(StoreKind::Keyutils, "p", keyring_core::Error::NoEntry).code(),
            crate::error::ErrorCode::StoreEntryNotFound
        );
    }
}
