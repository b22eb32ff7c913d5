//! The policies around a raw [`CredentialStore`]: never overwrite an entry without a
//! confirmation, keep the profile index in step with the store, and wait a bounded time
//! for a locked keyring when someone is there to unlock it.

use std::path::Path;
use std::time::{Duration, Instant};

use super::index::{ProfileIndex, ProfileRecord};
use super::{CredentialStore, StoreError, StoredApp};

/// Whether replacing an existing entry was confirmed (`--force`, or "yes" at the prompt).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overwrite {
    /// An existing entry stops the save with [`StoreError::Exists`]; nothing is written.
    Refuse,
    /// The user confirmed: an existing entry is replaced.
    Confirmed,
}

/// What a successful save did, for the report ("stored" vs "replaced").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SaveOutcome {
    Created,
    Replaced,
}

/// Saves `app` as `profile` unless an entry exists and overwriting was not confirmed.
///
/// An existing entry that cannot be parsed counts as existing (it is the user's data).
/// The write itself is one document, so an interruption leaves either the old entry or the
/// new one, never a mix.
pub fn save_guarded(
    store: &dyn CredentialStore,
    profile: &str,
    app: &StoredApp,
    overwrite: Overwrite,
) -> Result<SaveOutcome, StoreError> {
    let existed = match store.load(profile) {
        Ok(_) | Err(StoreError::Corrupt { .. }) => true,
        Err(StoreError::NotFound { .. }) => false,
        Err(other) => return Err(other),
    };
    if existed && overwrite == Overwrite::Refuse {
        return Err(StoreError::Exists {
            profile: profile.to_string(),
            store: store.kind(),
        });
    }
    store.save(profile, app)?;
    Ok(if existed {
        SaveOutcome::Replaced
    } else {
        SaveOutcome::Created
    })
}

/// [`CredentialStore::load`], with what the entry does not keep taken from the profile
/// index at `index_path`: a Windows Credential Manager entry has no callback URLs or API
/// name (see `app.rs`). Entries that have them keep their own. An index that is missing or
/// unreadable leaves them empty (verify then uses the default loopback callback) rather
/// than failing the load.
pub fn load_with_index(
    store: &dyn CredentialStore,
    index_path: Option<&Path>,
    profile: &str,
) -> Result<StoredApp, StoreError> {
    let mut app = store.load(profile)?;
    if !app.callback_urls.is_empty() && !app.api_name.is_empty() {
        return Ok(app);
    }
    let record = index_path
        .and_then(|path| ProfileIndex::load(path).ok())
        .and_then(|index| index.get(profile).cloned());
    if let Some(record) = record {
        if app.callback_urls.is_empty() {
            app.callback_urls = record.callback_urls;
        }
        if app.api_name.is_empty() {
            app.api_name = record.api_name;
        }
    }
    Ok(app)
}

/// [`save_guarded`], then records the profile in the index at `index_path` (created if
/// missing). If the index cannot be written, the credentials ARE stored and the error says
/// so; run it again with overwrite confirmed to repair the index.
///
/// A write that timed out may still land ([`StoreError::may_have_changed`]); its message
/// sends the user to `status`, which lists only indexed profiles, so a profile not yet in
/// the index is recorded then too (`status` then shows the entry present or missing).
pub fn save_and_index(
    store: &dyn CredentialStore,
    index_path: &Path,
    profile: &str,
    app: &StoredApp,
    overwrite: Overwrite,
) -> Result<SaveOutcome, StoreError> {
    // Read the index first: a broken index should stop us before the keyring is touched.
    let listed = ProfileIndex::load(index_path)?.get(profile).is_some();
    let record = || ProfileRecord::new(profile, store.kind(), app);
    let outcome = match save_guarded(store, profile, app, overwrite) {
        Ok(outcome) => outcome,
        Err(e) if e.may_have_changed() && !listed => {
            // Best effort: the timeout is the error to report, and it already says to check.
            let _ = ProfileIndex::update(index_path, |index| index.upsert(record()));
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    // Re-read under the index's lock: other runs may have listed their profiles meanwhile.
    ProfileIndex::update(index_path, |index| index.upsert(record())).map_err(|e| match e {
        StoreError::Index { path, action, detail } => StoreError::Index {
            path,
            action,
            detail: format!(
                "{detail} (the credentials for `{profile}` were stored in the {} store; only the listing is missing)",
                store.kind()
            ),
        },
        other => other,
    })?;
    Ok(outcome)
}

/// Runs `op` until it stops failing with [`StoreError::Locked`] or `wait` has passed,
/// trying again every `every`. `on_locked` is called once, on the first locked failure,
/// and only if there is time left to wait (so with `wait` = 0 it is never called), so an
/// interactive caller can print "unlock your keyring … waiting up to N s".
///
/// This covers keyrings that are unlocked by other means (Seahorse, `gnome-keyring-daemon
/// --unlock`, a login). On a desktop the provider may show its own unlock prompt during a
/// call; give interactive callers a store whose timeout is long enough to answer it
/// (`open_store(kind, wait)`), or the call ends as [`StoreError::Timeout`], which is not
/// retried.
///
/// `op` should open its own store each time ([`super::open_store`]): a call that timed out
/// may still hold the previous connection.
pub fn retry_while_locked<T>(
    wait: Duration,
    every: Duration,
    mut on_locked: impl FnMut(&StoreError),
    mut op: impl FnMut() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let deadline = Instant::now() + wait;
    let mut told = false;
    loop {
        match op() {
            Err(e @ StoreError::Locked { .. }) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(e);
                }
                if !told {
                    on_locked(&e);
                    told = true;
                }
                // Polling the keyring is the only way to learn it was unlocked.
                std::thread::sleep(every.min(deadline - now));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::app::sample;
    use crate::store::memory::MemoryStore;
    use crate::store::StoreKind;
    use secrecy::ExposeSecret;

    #[test]
    fn an_existing_entry_is_kept_when_overwriting_was_not_confirmed() {
        let store = MemoryStore::new(StoreKind::SecretService);
        assert_eq!(
            save_guarded(&store, "p", &sample("old"), Overwrite::Refuse).unwrap(),
            SaveOutcome::Created
        );
        let err = save_guarded(&store, "p", &sample("new"), Overwrite::Refuse).unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::StoreEntryExists);
        assert_eq!(
            store.load("p").unwrap().consumer_secret.expose_secret(),
            "old"
        );
        assert_eq!(
            save_guarded(&store, "p", &sample("new"), Overwrite::Confirmed).unwrap(),
            SaveOutcome::Replaced
        );
        assert_eq!(
            store.load("p").unwrap().consumer_secret.expose_secret(),
            "new"
        );
    }

    #[test]
    fn a_corrupt_entry_counts_as_existing() {
        let store = MemoryStore::new(StoreKind::Keyutils);
        store.put_raw("p", "not json");
        let err = save_guarded(&store, "p", &sample("new"), Overwrite::Refuse).unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::StoreEntryExists);
    }

    #[test]
    fn save_and_index_records_the_profile_without_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/profiles.json");
        let store = MemoryStore::new(StoreKind::SecretService);
        save_and_index(&store, &path, "prod", &sample("s3cr3t"), Overwrite::Refuse).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("s3cr3t"), "{text}");
        let index = ProfileIndex::load(&path).unwrap();
        let rec = index.get("prod").unwrap();
        assert_eq!(rec.login_host, "acme.my.salesforce.com");
        assert_eq!(rec.store, StoreKind::SecretService);
    }

    /// A store whose reads find nothing and whose writes time out (`write_op` names the op).
    struct SlowWrites(&'static str);

    impl CredentialStore for SlowWrites {
        fn kind(&self) -> StoreKind {
            StoreKind::SecretService
        }
        fn load(&self, profile: &str) -> Result<StoredApp, StoreError> {
            Err(StoreError::NotFound {
                profile: profile.into(),
                store: self.kind(),
            })
        }
        fn save(&self, _: &str, _: &StoredApp) -> Result<(), StoreError> {
            Err(StoreError::Timeout {
                store: self.kind(),
                op: self.0,
                after: Duration::from_secs(1),
            })
        }
        fn delete(&self, _: &str) -> Result<(), StoreError> {
            unreachable!("not used by these tests")
        }
    }

    #[test]
    fn a_timed_out_write_lists_the_profile_so_status_can_tell_whether_it_landed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        let store = SlowWrites(crate::store::keyring::OP_WRITE);
        let err =
            save_and_index(&store, &path, "prod", &sample("s"), Overwrite::Refuse).unwrap_err();
        assert!(err.to_string().contains("sf-webex-setup status"), "{err}");
        let rec = ProfileIndex::load(&path).unwrap().get("prod").cloned();
        assert_eq!(rec.map(|r| r.store), Some(StoreKind::SecretService));
    }

    #[test]
    fn a_failure_that_wrote_nothing_leaves_the_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        let store = SlowWrites("connect");
        save_and_index(&store, &path, "prod", &sample("s"), Overwrite::Refuse).unwrap_err();
        assert!(!path.exists());
    }

    #[test]
    fn a_credential_manager_profile_gets_its_callbacks_back_from_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        let store = MemoryStore::new(StoreKind::CredentialManager);
        let mut app = sample("s");
        app.callback_urls
            .push("http://localhost:1717/OauthRedirect".into());
        save_and_index(&store, &path, "prod", &app, Overwrite::Refuse).unwrap();
        assert!(
            store.load("prod").unwrap().callback_urls.is_empty(),
            "not in the entry"
        );
        let back = load_with_index(&store, Some(&path), "prod").unwrap();
        assert_eq!(back.callback_urls, app.callback_urls);
        assert_eq!(back.api_name, app.api_name);
        assert_eq!(back.consumer_secret.expose_secret(), "s");
        // Without the index the credentials still load; only the app facts are missing.
        let bare = load_with_index(&store, None, "prod").unwrap();
        assert!(bare.callback_urls.is_empty());
    }

    #[test]
    fn an_entry_with_its_own_callbacks_keeps_them_over_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        let store = MemoryStore::new(StoreKind::SecretService);
        save_and_index(&store, &path, "p", &sample("s"), Overwrite::Refuse).unwrap();
        let mut index = ProfileIndex::load(&path).unwrap();
        let mut rec = index.get("p").cloned().unwrap();
        rec.callback_urls = vec!["https://stale.example/cb".into()];
        index.upsert(rec);
        index.save(&path).unwrap();
        let back = load_with_index(&store, Some(&path), "p").unwrap();
        assert_eq!(back.callback_urls, [crate::recipe::WEBEX_CALLBACK_URL]);
    }

    #[test]
    fn retrying_stops_as_soon_as_the_keyring_is_unlocked() {
        let mut calls = 0;
        let mut notices = 0;
        let result = retry_while_locked(
            Duration::from_secs(5),
            Duration::from_millis(1),
            |_| notices += 1,
            || {
                calls += 1;
                if calls < 3 {
                    Err(StoreError::Locked {
                        store: StoreKind::SecretService,
                        profile: "p".into(),
                        source: "locked".into(),
                    })
                } else {
                    Ok(calls)
                }
            },
        );
        assert_eq!(result.unwrap(), 3);
        assert_eq!(notices, 1);
    }

    #[test]
    fn without_time_to_wait_a_locked_keyring_fails_at_once_without_a_waiting_notice() {
        let mut notices = 0;
        let mut calls = 0;
        let result: Result<(), _> = retry_while_locked(
            Duration::ZERO,
            Duration::from_millis(10),
            |_| notices += 1,
            || {
                calls += 1;
                Err(StoreError::Locked {
                    store: StoreKind::SecretService,
                    profile: "p".into(),
                    source: "locked".into(),
                })
            },
        );
        assert_eq!(
            result.unwrap_err().code(),
            crate::error::ErrorCode::StoreLocked
        );
        assert_eq!((calls, notices), (1, 0));
    }

    #[test]
    fn retrying_gives_up_after_the_wait_and_returns_the_locked_error() {
        let started = Instant::now();
        let result: Result<(), _> = retry_while_locked(
            Duration::from_millis(50),
            Duration::from_millis(10),
            |_| {},
            || {
                Err(StoreError::Locked {
                    store: StoreKind::SecretService,
                    profile: "p".into(),
                    source: "locked".into(),
                })
            },
        );
        assert_eq!(
            result.unwrap_err().code(),
            crate::error::ErrorCode::StoreLocked
        );
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(50) && took < Duration::from_secs(2),
            "{took:?}"
        );
    }
}
