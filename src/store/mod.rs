//! Where the proved credentials live: one OS-keyring entry per profile (service
//! [`SERVICE`], user = the profile name) holding ONE JSON document ([`StoredApp`]), so the
//! consumer key and secret can never be half-updated; plus a secret-free profile index
//! ([`index`]) so `status` can list profiles without touching the keyring.
//!
//! The stores ([`StoreKind`]), through the keyring v4 family; each platform's default is
//! its native store, and another is chosen only explicitly with `--store` (never a silent
//! plaintext fallback):
//! - macOS: [`StoreKind::Keychain`], the login keychain (`apple-native-keyring-store`).
//! - Windows: [`StoreKind::CredentialManager`] (`windows-native-keyring-store`); its
//!   entries keep only the secret part of the document (see `app`).
//! - Linux: [`StoreKind::SecretService`] (default), GNOME Keyring / KWallet over D-Bus
//!   (`zbus-secret-service-keyring-store`, pure Rust), or [`StoreKind::Keyutils`], the
//!   kernel key store (`linux-keyutils-keyring-store`), which does not survive a reboot.
//!
//! What differs per platform is in `platform`. Every keyring call runs on its own OS
//! thread under a timeout (`keyring`): the zbus store's blocking API panics inside a
//! tokio runtime, and a locked keyring can block a call forever. [`CredentialStore`] is the
//! seam the commands use; [`memory::MemoryStore`] is an in-memory stand-in for unit tests.

mod app;
mod error;
mod guard;
pub mod index;
mod keyring;
mod kind;
pub mod lock;
pub mod memory;
mod platform;

use std::time::Duration;

pub use app::{now_rfc3339, StoredApp, STORED_APP_VERSION};
pub use error::StoreError;
pub use guard::{
    load_with_index, retry_while_locked, save_and_index, save_guarded, Overwrite, SaveOutcome,
};
pub use index::{ProfileIndex, ProfileRecord};
pub use keyring::KeyringStore;
pub use kind::{parse_store_flag, StoreKind, CREDENTIAL_MANAGER_MAX_UTF16};
pub use platform::STORE_FLAG_HELP;

/// The keyring "service" of every entry (`secret-tool lookup service sf-webex-setup
/// username PROFILE` reads one).
pub const SERVICE: &str = "sf-webex-setup";

/// The profile used when `--profile` is not given.
pub const DEFAULT_PROFILE: &str = "default";

/// How long one keyring call may take before we give up on it (a locked keyring with a
/// desktop prompt nobody answers would otherwise block forever).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The seam every command uses to reach a credential store. Implementations must be safe
/// to call from async code (they must not block a runtime thread indefinitely).
pub trait CredentialStore: Send + Sync {
    fn kind(&self) -> StoreKind;

    /// The profile's document. `NotFound` means "first run for this profile"; every other
    /// error is fatal for the caller.
    fn load(&self, profile: &str) -> Result<StoredApp, StoreError>;

    /// Writes the profile's document (replacing any), reads it back and compares. Callers
    /// that must not overwrite use [`save_guarded`].
    fn save(&self, profile: &str, app: &StoredApp) -> Result<(), StoreError>;

    /// Deletes the profile's entry; `NotFound` when there was none.
    fn delete(&self, profile: &str) -> Result<(), StoreError>;

    /// Whether the profile has an entry, for `status`. Stores that can find an entry
    /// without reading its secret override this ([`KeyringStore`] does); this default reads
    /// the document (an unparsable one still exists).
    fn exists(&self, profile: &str) -> Result<bool, StoreError> {
        match self.load(profile) {
            Ok(_) | Err(StoreError::Corrupt { .. }) => Ok(true),
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// A shared store is a store: a test keeps one handle to look inside while a command owns
/// another.
impl<S: CredentialStore + ?Sized> CredentialStore for std::sync::Arc<S> {
    fn kind(&self) -> StoreKind {
        (**self).kind()
    }
    fn load(&self, profile: &str) -> Result<StoredApp, StoreError> {
        (**self).load(profile)
    }
    fn save(&self, profile: &str, app: &StoredApp) -> Result<(), StoreError> {
        (**self).save(profile, app)
    }
    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        (**self).delete(profile)
    }
    fn exists(&self, profile: &str) -> Result<bool, StoreError> {
        (**self).exists(profile)
    }
}

/// Opens a real store of this platform ([`StoreError::NotOnThisPlatform`] for another's).
/// For the Secret Service this connects to the session bus and opens a session with the
/// provider, so "no bus" / "no provider" surface here, within `timeout`. `timeout` also
/// bounds every later call on the returned store.
pub fn open_store(
    kind: StoreKind,
    timeout: Duration,
) -> Result<Box<dyn CredentialStore>, StoreError> {
    Ok(Box::new(KeyringStore::open(kind, timeout)?))
}

/// Profile names become keyring user names and keyutils descriptions
/// (`keyring:PROFILE@sf-webex-setup`), so keep them to a plain, unambiguous alphabet.
pub fn validate_profile_name(profile: &str) -> Result<(), StoreError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let reason = if profile.is_empty() {
        Some("it is empty")
    } else if profile.len() > 64 {
        Some("it is longer than 64 characters")
    } else if !profile.chars().all(ok_char) {
        Some("only letters, digits, '-', '_' and '.' are allowed")
    } else if profile.starts_with('.') || profile.starts_with('-') {
        Some("it must start with a letter, digit or '_'")
    } else {
        None
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(StoreError::InvalidProfile {
            profile: profile.to_string(),
            reason,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_with_separators_or_spaces_are_rejected() {
        for good in ["default", "prod", "acme-sandbox_2", "org.dev"] {
            assert!(validate_profile_name(good).is_ok(), "{good}");
        }
        for bad in ["", "a b", "x@y", "a/b", "-flag", ".hidden", &"p".repeat(65)] {
            assert!(validate_profile_name(bad).is_err(), "{bad}");
        }
    }
}
