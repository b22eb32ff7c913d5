//! The exact next step for each [`StoreError`], per store.

use super::StoreError;
use crate::recipe::location;
use crate::store::StoreKind;

/// How to get a usable Secret Service, or the explicit alternative. Shared by every
/// "cannot reach the Secret Service" message so they all offer the same choices.
const SECRET_SERVICE_CHOICES: &str = "log in to a desktop session (GNOME Keyring or KWallet \
     provides the Secret Service), or on a server start one: `dbus-run-session -- sh -c \
     'printf %s \"$PASSWORD\" | gnome-keyring-daemon --unlock --components=secrets; \
     sf-webex-setup …'` (Debian/Ubuntu packages `gnome-keyring` and `dbus`); or choose the \
     kernel store explicitly with `--store keyutils` (it lasts until reboot, and its \
     persistent keyring expires after about 3 days unused). Nothing is ever written to a \
     plaintext file.";

const KEYUTILS_SESSION_FIX: &str = "run sf-webex-setup from a login session (ssh or console \
     login, which gives the process a session keyring), or under `keyctl session - \
     sf-webex-setup …` (package `keyutils`); or use the default Secret Service store";

const KEYCHAIN_LOCKED_FIX: &str = "unlock your login keychain: at the Mac, open Keychain \
     Access and unlock \"login\"; over SSH, run `security unlock-keychain \
     ~/Library/Keychains/login.keychain-db`; then run the command again";

const KEYCHAIN_UNAVAILABLE_FIX: &str = "make sure you have a login keychain and that it is \
     the default: `security default-keychain` must name login.keychain-db (set it with \
     `security default-keychain -s login.keychain-db`; Keychain Access can recreate a missing \
     one); then run the command again";

const CREDENTIAL_MANAGER_UNAVAILABLE_FIX: &str = "Windows gives this process no logon \
     session with a credential vault, as for services, scheduled tasks set to \"Do not store \
     password\", and SSH sessions signed in with a key: run sf-webex-setup in your own \
     signed-in desktop session (PowerShell or Windows Terminal)";

/// For a document over a store's size limit: only an unusual paste makes one.
pub(super) fn too_large() -> String {
    format!(
        "Salesforce consumer keys are about 85 characters and secrets about 64: copy both \
         again with their Copy buttons ({}) and run the command again",
        location::CONSUMER_DETAILS
    )
}

impl StoreError {
    /// The exact next step.
    pub fn fix(&self) -> Option<String> {
        use StoreKind::{CredentialManager, Keychain, SecretService};
        Some(match self {
            StoreError::NotFound { profile, .. } => format!(
                "run `sf-webex-setup init --profile {profile}` to prove and store the credentials \
                 (or pass the --store the profile was saved with)"
            ),
            StoreError::Locked { store: SecretService, .. } => {
                "unlock your keyring: in a desktop session open \"Passwords and Keys\" (Seahorse) or \
                 KWallet Manager and unlock the default/login keyring; on a server run \
                 `printf %s \"$PASSWORD\" | gnome-keyring-daemon --replace --unlock --components=secrets` \
                 in the same D-Bus session; then run the command again"
                    .to_string()
            }
            StoreError::Locked { store: Keychain, .. } => KEYCHAIN_LOCKED_FIX.to_string(),
            StoreError::Locked { .. } | StoreError::NoSessionKeyring { .. } => {
                KEYUTILS_SESSION_FIX.to_string()
            }
            StoreError::AccessDenied { store, profile, .. } => match store {
                Keychain => format!(
                    "run the command again and choose Allow (or Always Allow) when macOS asks to \
                     use your login keychain, entering your login password if asked; if it is \
                     refused again, open Keychain Access, search for `sf-webex-setup`, delete the \
                     item whose account is `{profile}`, and run `sf-webex-setup init --profile \
                     {profile}`"
                ),
                _ => format!("check that this user may use the {store} store, then run the command again"),
            },
            StoreError::Unavailable { store: Keychain, .. } => KEYCHAIN_UNAVAILABLE_FIX.to_string(),
            StoreError::Unavailable { store: CredentialManager, .. } => {
                CREDENTIAL_MANAGER_UNAVAILABLE_FIX.to_string()
            }
            StoreError::Unavailable { store, .. } => {
                format!("run sf-webex-setup in your own desktop session, where the {store} store is available")
            }
            StoreError::NoSecretService { .. } | StoreError::NoSessionBus { .. } => {
                SECRET_SERVICE_CHOICES.to_string()
            }
            StoreError::NotOnThisPlatform { .. } => format!(
                "use this system's store (`--store {}`); a profile stored on another system \
                 must be stored again here with `sf-webex-setup init --force`",
                StoreKind::default().flag_value()
            ),
            StoreError::Timeout { store, .. } => timeout_fix(*store),
            StoreError::TooLarge { .. } => too_large(),
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
            StoreError::Busy { .. } => {
                "wait for the other run to finish (or stop it), then run the command again"
                    .to_string()
            }
            StoreError::Other { fix, .. } => return fix.clone(),
        })
    }
}

/// What to do when `store` did not answer in time.
fn timeout_fix(store: StoreKind) -> String {
    match store {
        StoreKind::SecretService => {
            "if an unlock prompt is open, answer it and run the command again; otherwise check \
             that the Secret Service is running and unlocked (`secret-tool search service \
             sf-webex-setup` must answer at once), or choose `--store keyutils` (lasts until reboot)"
        }
        StoreKind::Keychain => {
            "if macOS is showing a prompt to use your login keychain, answer it and run the \
             command again"
        }
        StoreKind::Keyutils => {
            "run the command again; if the kernel key store keeps timing out, use the default \
             Secret Service store (`--store secret-service`)"
        }
        _ => "run the command again",
    }
    .to_string()
}
