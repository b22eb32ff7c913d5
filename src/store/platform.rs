//! Everything about credential stores that differs per operating system, in one place:
//! which stores exist here (the default first), how each is opened, the options each
//! entry is created with, where the profile index goes, and reading a macOS keychain
//! error's OSStatus. The rest of `store` is the same everywhere.

use std::path::PathBuf;
use std::sync::Arc;

use super::StoreKind;

#[cfg(target_os = "linux")]
pub(super) const AVAILABLE: &[StoreKind] = &[StoreKind::SecretService, StoreKind::Keyutils];
#[cfg(target_os = "macos")]
pub(super) const AVAILABLE: &[StoreKind] = &[StoreKind::Keychain];
#[cfg(windows)]
pub(super) const AVAILABLE: &[StoreKind] = &[StoreKind::CredentialManager];
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
compile_error!("sf-webex-setup supports Linux, macOS and Windows");

/// `--store`'s help line: this platform's stores.
#[cfg(target_os = "linux")]
pub const STORE_FLAG_HELP: &str = "Credential store: secret-service (default for new \
     profiles: GNOME Keyring / KWallet) or keyutils (Linux kernel; lasts until reboot); \
     existing profiles are found in the store the profile index names";
#[cfg(target_os = "macos")]
pub const STORE_FLAG_HELP: &str =
    "Credential store: keychain (the macOS login keychain, the only store here)";
#[cfg(windows)]
pub const STORE_FLAG_HELP: &str =
    "Credential store: credential-manager (Windows Credential Manager, the only store here)";

/// Opens the keyring-core store of `kind`. For the Secret Service this connects to the
/// session bus and opens a session with the provider.
pub(super) fn open(
    kind: StoreKind,
) -> Result<Arc<keyring_core::CredentialStore>, keyring_core::Error> {
    let store: Arc<keyring_core::CredentialStore> = match kind {
        #[cfg(target_os = "linux")]
        StoreKind::SecretService => zbus_secret_service_keyring_store::Store::new()?,
        #[cfg(target_os = "linux")]
        StoreKind::Keyutils => linux_keyutils_keyring_store::Store::new()?,
        #[cfg(target_os = "macos")]
        StoreKind::Keychain => apple_native_keyring_store::keychain::Store::new()?,
        #[cfg(windows)]
        StoreKind::CredentialManager => windows_native_keyring_store::Store::new()?,
        // Callers check `is_available` first; this keeps the match total on every platform.
        other => {
            return Err(keyring_core::Error::NotSupportedByStore(format!(
                "the {} store does not exist on this system",
                other.name()
            )))
        }
    };
    Ok(store)
}

/// The options an entry of `kind` is created with:
/// - Secret Service: a label, shown in Seahorse / KWallet.
/// - Credential Manager: `Local` persistence (this computer only). The crate's default,
///   `Enterprise`, copies the credential to every machine a roaming profile signs in to;
///   a consumer secret should not travel, and the profile index (in the local, not the
///   roaming, AppData) stays here too.
/// - The login keychain and keyutils take none.
pub(super) fn entry_modifiers(kind: StoreKind, profile: &str) -> Vec<(&'static str, String)> {
    match kind {
        StoreKind::SecretService => {
            vec![("label", format!("sf-webex-setup credentials ({profile})"))]
        }
        StoreKind::CredentialManager => vec![("persistence", "Local".to_string())],
        StoreKind::Keychain | StoreKind::Keyutils => Vec::new(),
    }
}

/// The folder of the profile index: `$XDG_CONFIG_HOME` (else `~/.config`) on Linux,
/// `~/Library/Application Support` on macOS, `%LOCALAPPDATA%` on Windows (local like the
/// credential, see [`entry_modifiers`]).
pub(super) fn config_dir() -> Option<PathBuf> {
    dirs::config_local_dir()
}

/// How [`config_dir`] is found, for the message when it cannot be.
#[cfg(target_os = "linux")]
pub(super) const CONFIG_DIR_SOURCE: &str = "neither XDG_CONFIG_HOME nor HOME is set";
#[cfg(target_os = "macos")]
pub(super) const CONFIG_DIR_SOURCE: &str = "HOME is not set";
#[cfg(windows)]
pub(super) const CONFIG_DIR_SOURCE: &str = "Windows did not report a local AppData folder";

/// The OSStatus of a macOS Security framework error (e.g. -25308), when `e` is one.
#[cfg(target_os = "macos")]
pub(super) fn os_status(e: &(dyn std::error::Error + 'static)) -> Option<i32> {
    e.downcast_ref::<security_framework::base::Error>()
        .map(|e| e.code())
}

#[cfg(not(target_os = "macos"))]
pub(super) fn os_status(_: &(dyn std::error::Error + 'static)) -> Option<i32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_manager_entries_stay_on_this_computer_and_secret_service_ones_are_labelled() {
        assert_eq!(
            entry_modifiers(StoreKind::CredentialManager, "prod"),
            [("persistence", "Local".to_string())]
        );
        assert_eq!(
            entry_modifiers(StoreKind::SecretService, "prod"),
            [("label", "sf-webex-setup credentials (prod)".to_string())]
        );
        assert!(entry_modifiers(StoreKind::Keychain, "prod").is_empty());
        assert!(entry_modifiers(StoreKind::Keyutils, "prod").is_empty());
    }

    #[test]
    fn a_store_of_another_platform_does_not_open() {
        for kind in StoreKind::ALL.into_iter().filter(|k| !k.is_available()) {
            let Err(err) = open(kind) else {
                panic!("{kind:?} must not open here")
            };
            assert!(
                err.to_string().contains("does not exist on this system"),
                "{err}"
            );
        }
    }

    #[test]
    fn errors_that_are_not_from_the_security_framework_have_no_os_status() {
        assert_eq!(os_status(&std::io::Error::other("x")), None);
    }
}
