//! Where the proved credentials live: one OS-keyring entry per profile (service
//! [`SERVICE`], user = the profile name) holding ONE JSON document ([`StoredApp`]), so the
//! consumer key and secret can never be half-updated; plus a secret-free profile index
//! ([`index`]) so `status` can list profiles without touching the keyring.
//!
//! Two real stores, chosen explicitly with `--store` (never a silent plaintext fallback):
//! - [`StoreKind::SecretService`] (default): GNOME Keyring / KWallet over D-Bus, through
//!   `zbus-secret-service-keyring-store` (keyring v4 family, pure Rust).
//! - [`StoreKind::Keyutils`]: the Linux kernel key store, through
//!   `linux-keyutils-keyring-store`; it does not survive a reboot.
//!
//! Every keyring call runs on its own OS thread under a timeout ([`keyring`]): the zbus
//! store's blocking API panics inside a tokio runtime, and a locked keyring can block a call
//! forever. [`CredentialStore`] is the seam the commands use; [`memory::MemoryStore`] is an
//! in-memory stand-in for unit tests only.

mod app;
mod error;
mod guard;
pub mod index;
mod keyring;
pub mod memory;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use app::{now_rfc3339, StoredApp, STORED_APP_VERSION};
pub use error::StoreError;
pub use guard::{retry_while_locked, save_and_index, save_guarded, Overwrite, SaveOutcome};
pub use index::{ProfileIndex, ProfileRecord};
pub use keyring::KeyringStore;

/// The keyring "service" of every entry (`secret-tool lookup service sf-webex-setup
/// username PROFILE` reads one).
pub const SERVICE: &str = "sf-webex-setup";

/// The profile used when `--profile` is not given.
pub const DEFAULT_PROFILE: &str = "default";

/// How long one keyring call may take before we give up on it (a locked keyring with a
/// desktop prompt nobody answers would otherwise block forever).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which credential store holds a profile (`--store secret-service|keyutils`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoreKind {
    /// The freedesktop Secret Service over the D-Bus session bus.
    #[default]
    SecretService,
    /// The Linux kernel keyutils store (session keyring, linked to the persistent keyring).
    Keyutils,
}

impl StoreKind {
    pub const ALL: [StoreKind; 2] = [StoreKind::SecretService, StoreKind::Keyutils];

    /// As `--store` spells it (and the index stores it).
    pub fn flag_value(self) -> &'static str {
        match self {
            StoreKind::SecretService => "secret-service",
            StoreKind::Keyutils => "keyutils",
        }
    }

    pub fn from_flag_value(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.flag_value().eq_ignore_ascii_case(value.trim()))
    }

    /// A short name for messages ("… in the Secret Service store").
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::SecretService => "Secret Service",
            StoreKind::Keyutils => "kernel keyutils",
        }
    }

    /// One line for people: what it is and how long it keeps things.
    pub fn describe(&self) -> &'static str {
        match self {
            StoreKind::SecretService => "Secret Service (GNOME Keyring / KWallet) over D-Bus",
            StoreKind::Keyutils => {
                "Linux kernel keyutils (lasts until reboot; persistent keyring expires after ~3 days)"
            }
        }
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

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

/// Opens a real store. For the Secret Service this connects to the session bus and opens a
/// session with the provider, so "no bus" / "no provider" surface here, within `timeout`.
/// `timeout` also bounds every later call on the returned store.
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
    fn store_kinds_round_trip_through_their_flag_values_and_serde() {
        for kind in StoreKind::ALL {
            assert_eq!(StoreKind::from_flag_value(kind.flag_value()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.flag_value()));
        }
        assert_eq!(StoreKind::from_flag_value("file"), None);
        assert_eq!(StoreKind::default(), StoreKind::SecretService);
    }

    #[test]
    fn the_keyutils_description_says_it_does_not_survive_a_reboot() {
        assert!(StoreKind::Keyutils.describe().contains("until reboot"));
        assert!(StoreKind::Keyutils.describe().contains("3 days"));
    }

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
