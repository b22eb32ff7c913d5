//! The real stores: keyring-core entries in the Secret Service or the kernel keyutils
//! store, each call on its own OS thread under a timeout.
//!
//! Why a thread per call: the zbus store's blocking API panics when called on a tokio
//! runtime thread, and a locked keyring (an unlock prompt nobody answers, a bus that never
//! replies) can block a call forever. The worker owns clones of everything it touches, so
//! when we stop waiting we simply return [`StoreError::Timeout`]; the stuck thread ends with
//! the process, or first finishes its call: a write that timed out may still land (the
//! unlock prompt answered late), so its error says "may have been written", never
//! "nothing was written". A panic inside the keyring crates (they `expect` on poisoned
//! mutexes) is caught here as an error, never propagated.

use std::collections::HashMap;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use zeroize::Zeroizing;

use super::app::PayloadProblem;
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

/// A keyring-core store of either kind, with the timeout every call runs under.
pub struct KeyringStore {
    kind: StoreKind,
    inner: Arc<keyring_core::CredentialStore>,
    timeout: Duration,
}

impl KeyringStore {
    /// Connects to the store (for the Secret Service: the session bus and the provider).
    pub fn open(kind: StoreKind, timeout: Duration) -> Result<KeyringStore, StoreError> {
        let inner = run_bounded(
            kind,
            "connect",
            timeout,
            move || -> Result<_, StoreError> {
                let store: Arc<keyring_core::CredentialStore> = match kind {
                    StoreKind::SecretService => zbus_secret_service_keyring_store::Store::new()
                        .map_err(|e| StoreError::classify(kind, "", e))?,
                    StoreKind::Keyutils => linux_keyutils_keyring_store::Store::new()
                        .map_err(|e| StoreError::classify(kind, "", e))?,
                };
                Ok(store)
            },
        )??;
        Ok(KeyringStore {
            kind,
            inner,
            timeout,
        })
    }

    fn entry(
        inner: &keyring_core::CredentialStore,
        kind: StoreKind,
        profile: &str,
    ) -> Result<keyring_core::Entry, StoreError> {
        // The Secret Service shows the label in Seahorse / KWallet; keyutils takes no label.
        let label = format!("sf-webex-setup credentials ({profile})");
        let mods: HashMap<&str, &str> = match kind {
            StoreKind::SecretService => HashMap::from([("label", label.as_str())]),
            StoreKind::Keyutils => HashMap::new(),
        };
        inner
            .build(SERVICE, profile, Some(&mods))
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
        let (inner, kind, who) = (self.inner.clone(), self.kind, profile.to_string());
        run_bounded(self.kind, op, self.timeout, move || {
            let entry = Self::entry(&*inner, kind, &who)?;
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
        let payload = app.to_payload();
        self.with_entry(profile, OP_WRITE, move |entry| entry.set_password(&payload))?;
        // Read back through a new entry and compare: proves the store kept what we sent.
        let back = self.parse(profile, &self.read_payload(profile, OP_READ_BACK)?)?;
        if back.same_as(app) {
            Ok(())
        } else {
            Err(StoreError::Other {
                store: self.kind,
                detail: format!("the entry for profile `{profile}` read back differently from what was written"),
                fix: Some("run the command again; if it persists, another program is writing the same entry".into()),
            })
        }
    }

    /// Finds the entry without reading its secret: `get_credential` resolves the item
    /// (Secret Service: `SearchItems` on the service/username attributes; keyutils: a
    /// keyring search) and never calls `GetSecret` / reads the key, so no secret is
    /// decrypted or transferred. Limit: the zbus store unlocks locked matches as part of
    /// every search (zbus-secret-service-keyring-store 1.0.1, `find_matching_items`), and
    /// neither it nor keyring-core offers a lookup that leaves them locked; so with a locked
    /// keyring this can still raise an unlock prompt (or fail as locked), like a read.
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
            detail: format!("could not start a worker thread to {op}: {e}"),
            fix: None,
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
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_call_that_never_returns_times_out_within_the_bound() {
        let started = Instant::now();
        let (_keep, block) = mpsc::channel::<()>();
        let err = run_bounded(
            StoreKind::SecretService,
            "write the entry",
            Duration::from_millis(100),
            move || {
                // Blocks until the test ends (the sender is held above).
                let _ = block.recv();
            },
        )
        .unwrap_err();
        assert!(matches!(err, StoreError::Timeout { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(err.to_string().contains("Secret Service"));
    }

    #[test]
    fn a_write_that_timed_out_but_finished_later_is_reported_as_maybe_written() {
        let (release, wait) = mpsc::channel::<()>();
        let (wrote, written) = mpsc::channel::<()>();
        let err = run_bounded(
            StoreKind::SecretService,
            OP_WRITE,
            Duration::from_millis(50),
            move || {
                // The unlock prompt is answered only after the caller gave up.
                let _ = wait.recv();
                let _ = wrote.send(());
            },
        )
        .unwrap_err();
        release.send(()).unwrap();
        written
            .recv_timeout(Duration::from_secs(5))
            .expect("the abandoned worker still finishes its write");
        // The write landed after the timeout: the message must not have said otherwise.
        assert!(err.may_have_changed());
        let shown = err.to_string();
        assert!(
            shown.ends_with(
                "while trying to write the entry; the entry may have been written; run \
                 `sf-webex-setup status` to see"
            ),
            "{shown}"
        );
        let read_back = StoreError::Timeout {
            store: StoreKind::Keyutils,
            op: OP_READ_BACK,
            after: Duration::from_secs(1),
        };
        assert!(read_back.to_string().contains("may have been written"));
        let delete = StoreError::Timeout {
            store: StoreKind::Keyutils,
            op: OP_DELETE,
            after: Duration::from_secs(1),
        };
        assert!(delete
            .to_string()
            .contains("may have been deleted; run `sf-webex-setup status`"));
    }

    #[test]
    fn a_read_that_timed_out_keeps_the_plain_message() {
        let err = StoreError::Timeout {
            store: StoreKind::SecretService,
            op: OP_READ,
            after: Duration::from_secs(2),
        };
        assert!(!err.may_have_changed());
        assert_eq!(
            err.to_string(),
            "the Secret Service store did not answer within 2 s while trying to read the entry"
        );
    }

    #[test]
    fn a_panic_in_the_keyring_library_becomes_an_error() {
        let err = run_bounded(
            StoreKind::Keyutils,
            "read the entry",
            Duration::from_secs(5),
            || panic!("poisoned mutex (simulated)"),
        )
        .unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::StoreFailed);
    }

    #[test]
    fn calls_inside_a_tokio_runtime_run_off_the_runtime() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let on_runtime = rt.block_on(async {
            run_bounded(
                StoreKind::SecretService,
                "probe",
                Duration::from_secs(5),
                || tokio::runtime::Handle::try_current().is_ok(),
            )
        });
        assert!(
            !on_runtime.unwrap(),
            "the worker must not be a runtime thread"
        );
    }
}
