//! The real stores: keyring-core entries in this platform's stores (see [`super::platform`]),
//! each call on its own OS thread under a timeout.
//!
//! Why a thread per call: the zbus store's blocking API panics when called on a tokio
//! runtime thread, and a locked keyring (an unlock prompt nobody answers, a bus that never
//! replies) can block a call forever. The worker owns clones of everything it touches, so
//! when we stop waiting we simply return [`StoreError::Timeout`]; the stuck thread ends with
//! the process, or first finishes its call: a write that timed out may still land (the
//! unlock prompt answered late), so its error says "may have been written", never
//! "nothing was written". A panic inside the keyring crates (they `expect` on poisoned
//! mutexes) is caught here as an error, never propagated.
//!
//! Calls on one entry never overlap: each waits for the previous one (the Windows store
//! does not order concurrent calls on one entry from several threads). Only a call
//! abandoned after its timeout can still be running, and its error says so.

use std::collections::HashMap;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use zeroize::Zeroizing;

use super::app::PayloadProblem;
use super::platform;
use super::{validate_profile_name, CredentialStore, StoreError, StoreKind, StoredApp, SERVICE};

/// The operations as messages name them ("… while trying to write the entry"); a timeout
/// of the ones that change the entry says it may have changed anyway.
pub(crate) const OP_READ: &str = "read the entry";
pub(crate) const OP_WRITE: &str = "write the entry";
/// The read-back that [`CredentialStore::save`] does right after its write: if it times
/// out, the write itself went through.
pub(crate) const OP_READ_BACK: &str = "read back the entry just written";
pub(crate) const OP_DELETE: &str = "delete the entry";
pub(crate) const OP_LOOK_UP: &str = "look up the entry";

/// A keyring-core store of any kind, with the timeout every call runs under.
pub struct KeyringStore {
    kind: StoreKind,
    inner: Arc<keyring_core::CredentialStore>,
    timeout: Duration,
    /// Whether entries get [`platform::entry_modifiers`] (keyring-core's mock takes none).
    modifiers: bool,
}

impl KeyringStore {
    /// Connects to this platform's store of `kind` (for the Secret Service: the session bus
    /// and the provider); [`StoreError::NotOnThisPlatform`] for another platform's store.
    pub fn open(kind: StoreKind, timeout: Duration) -> Result<KeyringStore, StoreError> {
        if !kind.is_available() {
            return Err(StoreError::NotOnThisPlatform { store: kind });
        }
        let inner = run_bounded(kind, "connect", timeout, move || {
            platform::open(kind).map_err(|e| StoreError::classify(kind, "", e))
        })??;
        Ok(KeyringStore {
            kind,
            inner,
            timeout,
            modifiers: true,
        })
    }

    /// A store of `kind` backed by any keyring-core store, without the per-platform entry
    /// options: tests run the logic of every platform's store over keyring-core's mock.
    pub fn with_backend(
        kind: StoreKind,
        inner: Arc<keyring_core::CredentialStore>,
        timeout: Duration,
    ) -> KeyringStore {
        KeyringStore {
            kind,
            inner,
            timeout,
            modifiers: false,
        }
    }

    fn entry(
        inner: &keyring_core::CredentialStore,
        kind: StoreKind,
        modifiers: bool,
        profile: &str,
    ) -> Result<keyring_core::Entry, StoreError> {
        let options = if modifiers {
            platform::entry_modifiers(kind, profile)
        } else {
            Vec::new()
        };
        let mods: HashMap<&str, &str> = options.iter().map(|(k, v)| (*k, v.as_str())).collect();
        inner
            .build(SERVICE, profile, (!mods.is_empty()).then_some(&mods))
            .map_err(|e| StoreError::classify(kind, profile, e))
    }

    /// Runs `f` with a fresh entry for `profile` on a worker thread, under the timeout.
    fn with_entry<T: Send + 'static>(
        &self,
        profile: &str,
        op: &'static str,
        f: impl FnOnce(&keyring_core::Entry) -> Result<T, keyring_core::Error> + Send + 'static,
    ) -> Result<T, StoreError> {
        validate_profile_name(profile)?;
        let (inner, kind, mods) = (self.inner.clone(), self.kind, self.modifiers);
        let who = profile.to_string();
        run_bounded(self.kind, op, self.timeout, move || {
            let entry = Self::entry(&*inner, kind, mods, &who)?;
            f(&entry).map_err(|e| StoreError::classify(kind, &who, e))
        })?
    }

    fn read_payload(
        &self,
        profile: &str,
        op: &'static str,
    ) -> Result<Zeroizing<String>, StoreError> {
        self.with_entry(profile, op, |entry| {
            entry.get_password().map(Zeroizing::new)
        })
    }

    fn parse(&self, profile: &str, payload: &str) -> Result<StoredApp, StoreError> {
        StoredApp::from_payload(payload).map_err(|problem| StoreError::Corrupt {
            profile: profile.to_string(),
            store: self.kind,
            detail: match problem {
                PayloadProblem::Invalid(why) => why,
                PayloadProblem::NewerVersion(v) => format!(
                    "it was written by a newer sf-webex-setup (document version {v}); upgrade \
                     sf-webex-setup to read it"
                ),
            },
        })
    }
}

impl CredentialStore for KeyringStore {
    fn kind(&self) -> StoreKind {
        self.kind
    }

    fn load(&self, profile: &str) -> Result<StoredApp, StoreError> {
        let payload = self.read_payload(profile, OP_READ)?;
        self.parse(profile, &payload)
    }

    fn save(&self, profile: &str, app: &StoredApp) -> Result<(), StoreError> {
        let payload = app.to_payload_for(self.kind);
        super::app::check_fits(self.kind, profile, &payload)?;
        self.with_entry(profile, OP_WRITE, move |entry| entry.set_password(&payload))?;
        // Read back through a new entry and compare: proves the store kept what we sent.
        let back = self.parse(profile, &self.read_payload(profile, OP_READ_BACK)?)?;
        if back.same_as(app, self.kind) {
            Ok(())
        } else {
            Err(StoreError::Other {
                store: self.kind,
                detail: format!("the entry for profile `{profile}` read back differently from what was written"),
                fix: Some("run the command again; if it persists, another program is writing the same entry".into()),
                source: None,
            })
        }
    }

    /// Finds the entry, without reading its secret where the store allows it. The Secret
    /// Service (`SearchItems` on the service/username attributes) and keyutils (a keyring
    /// search) resolve the item and never call `GetSecret` / read the key. Limit: the zbus
    /// store unlocks locked matches as part of every search (zbus-secret-service-keyring-store
    /// 1.0.1, `find_matching_items`), so with a locked keyring this can still raise an unlock
    /// prompt (or fail as locked), like a read. The login keychain and Credential Manager
    /// have no such lookup: their stores read the item (Credential Manager wipes the copy at
    /// once), and macOS may ask for access as for a read.
    fn exists(&self, profile: &str) -> Result<bool, StoreError> {
        match self.with_entry(profile, OP_LOOK_UP, |entry| {
            entry.get_credential().map(drop)
        }) {
            Ok(()) => Ok(true),
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        self.with_entry(profile, OP_DELETE, |entry| entry.delete_credential())
    }
}

/// Runs `f` on a new OS thread and waits at most `timeout` for it.
pub(crate) fn run_bounded<T: Send + 'static>(
    store: StoreKind,
    op: &'static str,
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name(format!("store-{op}"))
        .spawn(move || {
            // The receiver may be gone after a timeout: nobody needs the result then.
            let _ = tx.send(f());
        });
    if let Err(e) = spawned {
        return Err(StoreError::Other {
            store,
            detail: format!("could not start a worker thread to {op}"),
            fix: None,
            source: Some(Box::new(e)),
        });
    }
    match rx.recv_timeout(timeout) {
        Ok(value) => Ok(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(StoreError::Timeout {
            store,
            op,
            after: timeout,
        }),
        // The worker panicked inside the keyring crate before sending.
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(StoreError::Other {
            store,
            detail: format!("the keyring library failed unexpectedly while trying to {op}"),
            fix: Some(
                "run the command again; if it persists, report it with the store in use".into(),
            ),
            source: None,
        }),
    }
}

#[cfg(test)]
mod mock_tests;
#[cfg(all(test, any(target_os = "macos", windows)))]
mod native_tests;
#[cfg(test)]
mod tests;
