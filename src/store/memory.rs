//! An in-memory [`CredentialStore`]: a stand-in for unit tests of code that takes a
//! `&dyn CredentialStore`. It is NOT a credential store (nothing persists, nothing is
//! protected) and no command ever opens it; the real stores are tested against a real
//! Secret Service and keyutils in `tests/cli/store.rs`.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use super::app::PayloadProblem;
use super::{validate_profile_name, CredentialStore, StoreError, StoreKind, StoredApp};

/// Holds payloads exactly as a keyring would (the JSON text), so parsing is exercised.
pub struct MemoryStore {
    kind: StoreKind,
    entries: Mutex<HashMap<String, Zeroizing<String>>>,
}

impl MemoryStore {
    /// `kind` is only what [`CredentialStore::kind`] reports (messages name it).
    pub fn new(kind: StoreKind) -> MemoryStore {
        MemoryStore {
            kind,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Puts a raw payload, as another program could (e.g. a corrupt entry).
    pub fn put_raw(&self, profile: &str, payload: &str) {
        self.entries_mut()
            .insert(profile.to_string(), Zeroizing::new(payload.to_string()));
    }

    pub fn contains(&self, profile: &str) -> bool {
        self.entries_mut().contains_key(profile)
    }

    fn entries_mut(&self) -> std::sync::MutexGuard<'_, HashMap<String, Zeroizing<String>>> {
        // A panic while holding the lock can only come from a failing test; keep going.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl CredentialStore for MemoryStore {
    fn kind(&self) -> StoreKind {
        self.kind
    }

    fn load(&self, profile: &str) -> Result<StoredApp, StoreError> {
        validate_profile_name(profile)?;
        let payload = self
            .entries_mut()
            .get(profile)
            .cloned()
            .ok_or(StoreError::NotFound {
                profile: profile.to_string(),
                store: self.kind,
            })?;
        StoredApp::from_payload(&payload).map_err(|p| StoreError::Corrupt {
            profile: profile.to_string(),
            store: self.kind,
            detail: match p {
                PayloadProblem::Invalid(why) => why,
                PayloadProblem::NewerVersion(v) => format!("document version {v} is newer"),
            },
        })
    }

    fn save(&self, profile: &str, app: &StoredApp) -> Result<(), StoreError> {
        validate_profile_name(profile)?;
        let payload = app.to_payload_for(self.kind);
        super::app::check_fits(self.kind, profile, &payload)?;
        self.entries_mut().insert(profile.to_string(), payload);
        Ok(())
    }

    fn delete(&self, profile: &str) -> Result<(), StoreError> {
        validate_profile_name(profile)?;
        match self.entries_mut().remove(profile) {
            Some(_) => Ok(()),
            None => Err(StoreError::NotFound {
                profile: profile.to_string(),
                store: self.kind,
            }),
        }
    }
}
