//! Sorting keyring-core's error kinds into the [`StoreError`] cases a user can act on, per
//! store: each store crate reports its platform's failures differently.

use super::{Source, StoreError};
use crate::store::platform;
use crate::store::StoreKind;

/// What a macOS Security framework result code means for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeychainCase {
    Locked,
    Denied,
    Unavailable,
}

/// The result codes of SecBase.h a user can act on.
pub(crate) fn keychain_case(status: i32) -> Option<KeychainCase> {
    match status {
        // errSecInteractionNotAllowed: locked, and no way to ask for the password (SSH).
        -25308 => Some(KeychainCase::Locked),
        // errSecUserCanceled, errSecAuthFailed: the prompt was cancelled, denied or given a
        // wrong password; errSecInvalidOwnerEdit, errSecDuplicateItem, wrPermErr: the item
        // exists but belongs to another program.
        -128 | -25293 | -25244 | -25299 | -61 => Some(KeychainCase::Denied),
        // errSecNotAvailable, errSecReadOnly, errSecNoSuchKeychain, errSecInvalidKeychain.
        -25291 | -25292 | -25294 | -25295 => Some(KeychainCase::Unavailable),
        _ => None,
    }
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
            K::NoStorageAccess(source) if store == StoreKind::Keychain => {
                let status = platform::os_status(&*source);
                Self::keychain(profile, source, status, true)
            }
            K::PlatformFailure(source) if store == StoreKind::Keychain => {
                let status = platform::os_status(&*source);
                Self::keychain(profile, source, status, false)
            }
            K::NoStorageAccess(source) => match store {
                // keyutils reports EACCES when the process has no session keyring of its own.
                StoreKind::Keyutils => StoreError::NoSessionKeyring { source },
                // The Windows crate reports only ERROR_NO_SUCH_LOGON_SESSION this way.
                StoreKind::CredentialManager => StoreError::Unavailable { store, source },
                _ => StoreError::Locked {
                    store,
                    profile: profile.to_string(),
                    source,
                },
            },
            K::PlatformFailure(source) => Self::classify_platform(store, source),
            K::BadEncoding(_) => StoreError::Corrupt {
                profile: profile.to_string(),
                store,
                detail: "the stored value is not UTF-8 text".to_string(),
            },
            K::Ambiguous(entries) => StoreError::Other {
                store,
                detail: format!("{} entries match profile `{profile}`", entries.len()),
                fix: Some(match store {
                    StoreKind::SecretService => format!(
                        "remove the duplicates: `secret-tool clear service {} username {profile}`, then store again",
                        crate::store::SERVICE
                    ),
                    _ => format!("remove the duplicate `{profile}` entries from the {store} store, then store again"),
                }),
                source: None,
            },
            // Only reached if our own size check (keyring.rs) let a document through.
            K::TooLong(what, limit) => StoreError::Other {
                store,
                detail: format!("{what} is longer than the store's limit of {limit}"),
                fix: Some(super::fixes::too_large()),
                source: None,
            },
            other => StoreError::Other {
                store,
                detail: other.to_string(),
                fix: None,
                source: None,
            },
        }
    }

    /// A keychain error by its OSStatus. `access`: keyring-core called it "no storage
    /// access", which without a known code still means the keychain refused us.
    pub(crate) fn keychain(
        profile: &str,
        source: Source,
        status: Option<i32>,
        access: bool,
    ) -> StoreError {
        let store = StoreKind::Keychain;
        let profile = profile.to_string();
        let case = status
            .and_then(keychain_case)
            .or(access.then_some(KeychainCase::Denied));
        match case {
            Some(KeychainCase::Locked) => StoreError::Locked {
                store,
                profile,
                source,
            },
            Some(KeychainCase::Denied) => StoreError::AccessDenied {
                store,
                profile,
                source,
            },
            Some(KeychainCase::Unavailable) => StoreError::Unavailable { store, source },
            None => StoreError::Other {
                store,
                detail: "an unexpected keychain error".to_string(),
                fix: None,
                source: Some(source),
            },
        }
    }

    /// Platform failures other than the keychain's. Secret Service: connection problems
    /// mean "no bus", a missing name means "no provider"; the D-Bus error names are
    /// protocol constants, so matching their text is stable.
    pub(crate) fn classify_platform(store: StoreKind, source: Source) -> StoreError {
        if store == StoreKind::SecretService {
            let text = source.to_string();
            let no_provider = [
                "ServiceUnknown",
                "NameHasNoOwner",
                "not provided by any .service files",
            ];
            if no_provider.iter().any(|n| text.contains(n)) {
                return StoreError::NoSecretService { source };
            }
            let mut io_error = false;
            let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(&*source);
            while let Some(err) = cur {
                io_error |= err.is::<std::io::Error>();
                cur = err.source();
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
                return StoreError::NoSessionBus { source };
            }
        }
        StoreError::Other {
            store,
            detail: "an unexpected platform error".to_string(),
            fix: None,
            source: Some(source),
        }
    }
}
