//! The profile index: which profiles exist, where each is stored and what is known about
//! it, WITHOUT any secret, so `status` can list profiles without unlocking a keyring.
//!
//! # Format
//! `profiles.json` in the `sf-webex-setup` folder of the user's configuration folder
//! (see [`ProfileIndex::default_path`]):
//! ```json
//! {"version":1,"profiles":[{"profile":"default","login_host":"acme.my.salesforce.com",
//!   "store":"secret-service","stored_at":"2026-11-28T12:00:00Z","last_verified":null,
//!   "checked":true,"callback_urls":["https://…"],"api_name":"Webex_Meetings"}]}
//! ```
//! `callback_urls` and `api_name` describe the app, not the credentials: they are the part
//! of a profile a Windows Credential Manager entry has no room for (see `app.rs`).
//! Written atomically (temporary file in the same folder, then rename), so a crash or
//! Ctrl-C leaves the old index or the new one. On Unix the file is mode 0600 (tempfile
//! creates it so, and the rename keeps it); Windows has no file modes, and the user's
//! profile folder is already private to the user.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{StoreError, StoreKind, StoredApp};

const INDEX_VERSION: u32 = 1;

/// One profile's line in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRecord {
    pub profile: String,
    /// The login host the credentials were proved against (no scheme).
    pub login_host: String,
    pub store: StoreKind,
    pub stored_at: String,
    /// Copied from [`StoredApp::last_verified`](super::StoredApp::last_verified).
    pub last_verified: Option<String>,
    /// False when stored with `--skip-check`.
    pub checked: bool,
    /// The app's Callback URL box, one URL per line (older indexes lack it).
    #[serde(default)]
    pub callback_urls: Vec<String>,
    #[serde(default)]
    pub api_name: String,
    /// The consumer key, masked (`3MVG…x9Qa`): enough to tell apps apart.
    #[serde(default)]
    pub key_hint: Option<String>,
    /// What the last `verify` found (with or without a login).
    #[serde(default)]
    pub last_check: Option<LastCheck>,
}

/// The outcome of a profile's last `verify`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub at: String,
    pub passed: bool,
    /// The ids of the checks that failed (or, when none did, why it did not pass).
    #[serde(default)]
    pub failed: Vec<String>,
}

impl ProfileRecord {
    pub fn new(profile: &str, store: StoreKind, app: &StoredApp) -> ProfileRecord {
        ProfileRecord {
            profile: profile.to_string(),
            login_host: app.login_host(),
            store,
            stored_at: app.stored_at.clone(),
            last_verified: app.last_verified.clone(),
            checked: app.checked,
            callback_urls: app.callback_urls.clone(),
            api_name: app.api_name.clone(),
            key_hint: Some(crate::text::masked(&app.consumer_key)),
            last_check: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileIndex {
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub profiles: Vec<ProfileRecord>,
}

impl ProfileIndex {
    /// `sf-webex-setup/profiles.json` in `$XDG_CONFIG_HOME` (else `~/.config`) on Linux,
    /// `~/Library/Application Support` on macOS, `%LOCALAPPDATA%` on Windows.
    pub fn default_path() -> Result<PathBuf, StoreError> {
        super::platform::config_dir()
            .map(|d| d.join("sf-webex-setup").join("profiles.json"))
            .ok_or_else(|| StoreError::Index {
                path: "sf-webex-setup/profiles.json".to_string(),
                action: "located",
                detail: super::platform::CONFIG_DIR_SOURCE.to_string(),
            })
    }

    /// The index at `path`; an empty index when the file does not exist yet.
    pub fn load(path: &Path) -> Result<ProfileIndex, StoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ProfileIndex::default())
            }
            Err(e) => return Err(index_error(path, "read", e.to_string())),
        };
        let index: ProfileIndex =
            serde_json::from_str(&text).map_err(|e| index_error(path, "parsed", e.to_string()))?;
        if index.version > INDEX_VERSION {
            return Err(index_error(
                path,
                "read",
                format!(
                    "it was written by a newer sf-webex-setup (index version {})",
                    index.version
                ),
            ));
        }
        Ok(index)
    }

    /// Writes the index atomically, creating its folder if needed.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| index_error(path, "written", e.to_string()))?;
        let mut doc = self.clone();
        doc.version = INDEX_VERSION;
        let json = serde_json::to_string_pretty(&doc)
            .map_err(|e| index_error(path, "written", e.to_string()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| index_error(path, "written", e.to_string()))?;
        tmp.write_all(json.as_bytes())
            .and_then(|()| tmp.write_all(b"\n"))
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| index_error(path, "written", e.to_string()))?;
        tmp.persist(path)
            .map_err(|e| index_error(path, "written", e.error.to_string()))?;
        Ok(())
    }

    /// Loads, changes and saves the index as one step, holding its lock so that no
    /// concurrent run's change is lost.
    pub fn update<T>(
        path: &Path,
        change: impl FnOnce(&mut ProfileIndex) -> T,
    ) -> Result<T, StoreError> {
        let _held = super::lock::index(path)?;
        let mut index = ProfileIndex::load(path)?;
        let out = change(&mut index);
        index.save(path)?;
        Ok(out)
    }

    pub fn get(&self, profile: &str) -> Option<&ProfileRecord> {
        self.profiles.iter().find(|p| p.profile == profile)
    }

    /// Adds or replaces the record for `record.profile`, keeping the list sorted by name.
    pub fn upsert(&mut self, record: ProfileRecord) {
        self.profiles.retain(|p| p.profile != record.profile);
        self.profiles.push(record);
        self.profiles.sort_by(|a, b| a.profile.cmp(&b.profile));
    }

    pub fn remove(&mut self, profile: &str) -> Option<ProfileRecord> {
        let pos = self.profiles.iter().position(|p| p.profile == profile)?;
        Some(self.profiles.remove(pos))
    }
}

fn index_error(path: &Path, action: &'static str, detail: String) -> StoreError {
    StoreError::Index {
        path: path.display().to_string(),
        action,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::app::sample;

    #[test]
    fn a_missing_index_is_empty_and_a_saved_one_loads_back_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/profiles.json");
        assert_eq!(ProfileIndex::load(&path).unwrap(), ProfileIndex::default());
        let mut index = ProfileIndex::default();
        index.upsert(ProfileRecord::new(
            "zeta",
            StoreKind::Keyutils,
            &sample("s"),
        ));
        index.upsert(ProfileRecord::new(
            "alpha",
            StoreKind::SecretService,
            &sample("s"),
        ));
        index.upsert(ProfileRecord::new(
            "zeta",
            StoreKind::SecretService,
            &sample("s"),
        ));
        index.save(&path).unwrap();
        let back = ProfileIndex::load(&path).unwrap();
        let names: Vec<_> = back.profiles.iter().map(|p| p.profile.as_str()).collect();
        assert_eq!(names, ["alpha", "zeta"]);
        assert_eq!(back.get("zeta").unwrap().store, StoreKind::SecretService);
        assert_eq!(back.version, 1);
        // Only the index itself remains: the temporary file was renamed, not left behind.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn a_record_keeps_the_app_facts_a_credential_manager_entry_has_no_room_for() {
        let rec = ProfileRecord::new("p", StoreKind::CredentialManager, &sample("s"));
        assert_eq!(rec.callback_urls, [crate::recipe::WEBEX_CALLBACK_URL]);
        assert_eq!(rec.api_name, "Webex_Meetings");
        // An index written before these fields existed still reads.
        let old: ProfileRecord = serde_json::from_str(
            r#"{"profile":"p","login_host":"h","store":"keyutils","stored_at":"","last_verified":null,"checked":false}"#,
        )
        .unwrap();
        assert!(old.callback_urls.is_empty() && old.api_name.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_index_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        ProfileIndex::default().save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    #[test]
    fn removing_a_profile_returns_its_record_once() {
        let mut index = ProfileIndex::default();
        index.upsert(ProfileRecord::new("p", StoreKind::Keyutils, &sample("s")));
        assert!(index.remove("p").is_some());
        assert!(index.remove("p").is_none());
    }

    #[test]
    fn a_damaged_index_is_an_error_that_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        std::fs::write(&path, "{ not json").unwrap();
        let err = ProfileIndex::load(&path).unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::ProfileIndexFailed);
        assert!(err.to_string().contains("profiles.json"), "{err}");
    }
}
