//! Which credential store holds a profile, named in the words its users know, and which
//! stores this platform has (`--store`).

use serde::{Deserialize, Serialize};

use super::platform;

/// A credential store. Every kind exists in every build, so a profile index written on
/// another machine still reads and messages can say where a store belongs; only
/// [`StoreKind::available`] ones can be opened here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StoreKind {
    /// macOS: a generic password in the user's login keychain.
    Keychain,
    /// Windows: a generic credential in Credential Manager.
    CredentialManager,
    /// Linux: the freedesktop Secret Service over the D-Bus session bus.
    SecretService,
    /// Linux: the kernel keyutils store (session keyring, linked to the persistent keyring).
    Keyutils,
}

/// Credential Manager caps a credential's blob at 2560 bytes (`CRED_MAX_CREDENTIAL_BLOB_SIZE`)
/// and keeps a password as UTF-16: at most 1280 UTF-16 code units.
pub const CREDENTIAL_MANAGER_MAX_UTF16: usize = 2560 / 2;

impl StoreKind {
    pub const ALL: [StoreKind; 4] = [
        StoreKind::Keychain,
        StoreKind::CredentialManager,
        StoreKind::SecretService,
        StoreKind::Keyutils,
    ];

    /// The stores this build can open, its default first.
    pub fn available() -> &'static [StoreKind] {
        platform::AVAILABLE
    }

    pub fn is_available(self) -> bool {
        Self::available().contains(&self)
    }

    /// As `--store` spells it (and the index stores it).
    pub fn flag_value(self) -> &'static str {
        match self {
            StoreKind::Keychain => "keychain",
            StoreKind::CredentialManager => "credential-manager",
            StoreKind::SecretService => "secret-service",
            StoreKind::Keyutils => "keyutils",
        }
    }

    pub fn from_flag_value(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.flag_value().eq_ignore_ascii_case(value.trim()))
    }

    /// The operating system the store belongs to.
    pub fn platform(self) -> &'static str {
        match self {
            StoreKind::Keychain => "macOS",
            StoreKind::CredentialManager => "Windows",
            StoreKind::SecretService | StoreKind::Keyutils => "Linux",
        }
    }

    /// A short name for messages ("… in the Secret Service store").
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::Keychain => "macOS Keychain",
            StoreKind::CredentialManager => "Windows Credential Manager",
            StoreKind::SecretService => "Secret Service",
            StoreKind::Keyutils => "kernel keyutils",
        }
    }

    /// One line for people: what it is, where to see it, how long it keeps things.
    pub fn describe(&self) -> &'static str {
        match self {
            StoreKind::Keychain => "macOS login keychain (Keychain Access → login)",
            StoreKind::CredentialManager => {
                "Windows Credential Manager (Control Panel → Credential Manager → Windows Credentials)"
            }
            StoreKind::SecretService => "Secret Service (GNOME Keyring / KWallet) over D-Bus",
            StoreKind::Keyutils => {
                "Linux kernel keyutils (lasts until reboot; persistent keyring expires after ~3 days)"
            }
        }
    }

    /// The other store of this platform, when it has two: where else a profile may be.
    pub fn alternative(self) -> Option<StoreKind> {
        Self::available()
            .iter()
            .copied()
            .find(|other| *other != self)
            .filter(|_| self.is_available())
    }

    /// The most one entry may hold, in UTF-16 code units, for stores with a small limit.
    pub fn max_payload_utf16(self) -> Option<usize> {
        match self {
            StoreKind::CredentialManager => Some(CREDENTIAL_MANAGER_MAX_UTF16),
            _ => None,
        }
    }
}

/// The platform's native store: the login keychain, Credential Manager, the Secret Service.
impl Default for StoreKind {
    fn default() -> Self {
        platform::AVAILABLE[0]
    }
}

impl std::fmt::Display for StoreKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `--store VALUE` (and `SF_WEBEX_STORE`): one of this platform's stores, else a sentence
/// saying where the store belongs and which ones are here (clap exits 2 with it).
pub fn parse_store_flag(value: &str) -> Result<StoreKind, String> {
    let here = StoreKind::available()
        .iter()
        .map(|k| k.flag_value())
        .collect::<Vec<_>>()
        .join(", ");
    match StoreKind::from_flag_value(value) {
        Some(kind) if kind.is_available() => Ok(kind),
        Some(kind) => Err(format!(
            "{} is the {} store; available here: {here}",
            kind.flag_value(),
            kind.platform()
        )),
        None => Err(format!(
            "`{}` is not a credential store; available here: {here}",
            value.trim()
        )),
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
        assert_eq!(
            StoreKind::from_flag_value(" Keychain "),
            Some(StoreKind::Keychain)
        );
        assert_eq!(StoreKind::from_flag_value("file"), None);
    }

    #[test]
    fn each_platform_defaults_to_its_native_store() {
        let expected = if cfg!(target_os = "macos") {
            StoreKind::Keychain
        } else if cfg!(windows) {
            StoreKind::CredentialManager
        } else {
            StoreKind::SecretService
        };
        assert_eq!(StoreKind::default(), expected);
        assert_eq!(StoreKind::available()[0], expected);
        for kind in StoreKind::available() {
            assert_eq!(parse_store_flag(kind.flag_value()), Ok(*kind));
        }
    }

    #[test]
    fn a_store_of_another_platform_is_refused_naming_its_platform_and_the_stores_here() {
        let foreign: Vec<StoreKind> = StoreKind::ALL
            .into_iter()
            .filter(|k| !k.is_available())
            .collect();
        assert!(!foreign.is_empty());
        let here: Vec<&str> = StoreKind::available()
            .iter()
            .map(|k| k.flag_value())
            .collect();
        for kind in foreign {
            let err = parse_store_flag(kind.flag_value()).unwrap_err();
            assert_eq!(
                err,
                format!(
                    "{} is the {} store; available here: {}",
                    kind.flag_value(),
                    kind.platform(),
                    here.join(", ")
                )
            );
        }
        let unknown = parse_store_flag("plaintext").unwrap_err();
        assert!(unknown.starts_with("`plaintext` is not a credential store; available here: "));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_keychain_is_refused_as_the_macos_store() {
        assert_eq!(
            parse_store_flag("keychain").unwrap_err(),
            "keychain is the macOS store; available here: secret-service, keyutils"
        );
        assert_eq!(
            StoreKind::SecretService.alternative(),
            Some(StoreKind::Keyutils)
        );
        assert_eq!(StoreKind::Keychain.alternative(), None);
    }

    #[test]
    fn only_credential_manager_has_a_small_size_limit() {
        assert_eq!(StoreKind::CredentialManager.max_payload_utf16(), Some(1280));
        for kind in [
            StoreKind::Keychain,
            StoreKind::SecretService,
            StoreKind::Keyutils,
        ] {
            assert_eq!(kind.max_payload_utf16(), None, "{kind:?}");
        }
    }

    #[test]
    fn descriptions_use_the_names_users_know() {
        assert!(StoreKind::Keychain
            .describe()
            .starts_with("macOS login keychain"));
        assert!(StoreKind::CredentialManager
            .describe()
            .starts_with("Windows Credential Manager"));
        assert!(StoreKind::SecretService
            .describe()
            .starts_with("Secret Service (GNOME Keyring / KWallet)"));
        assert!(StoreKind::Keyutils.describe().contains("until reboot"));
        assert!(StoreKind::Keyutils.describe().contains("3 days"));
    }
}
