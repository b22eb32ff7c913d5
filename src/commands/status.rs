//! `status [--json]`: every stored profile, its org host, the store holding it, when it was
//! stored and last verified, and whether it was stored with the OAuth proof.
//!
//! The list comes from the secret-free profile index; with a store opener, each entry is
//! also looked up (bounded by the store's timeout) so a profile whose entry vanished (a
//! keyutils entry after a reboot, a keyring reset) is reported, not listed as fine. The
//! look-up is [`CredentialStore::exists`]: it finds the entry without reading its secret
//! (so `present` says nothing about the document's content; `verify` reads it). A locked
//! Secret Service can still prompt for unlocking: see `KeyringStore::exists`.
//!
//! # JSON (`result` of the envelope)
//! `{"index_path":"…","profiles":[{"profile":"default","login_host":"acme.my.salesforce.com",
//! "store":"secret-service","store_description":"…","stored_at":"…","last_verified":null,
//! "checked":true,"entry":"present"}]}`; `entry` is `present`, `missing`, `unreadable`
//! (with `entry_problem`) or `not_looked_up`.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::init::draft;
use super::{to_value, written, CommandResult, Context};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::store::index::LastCheck;
use crate::store::{CredentialStore, ProfileIndex, StoreError, StoreKind, DEFAULT_TIMEOUT};

/// Opens a store of the given kind.
pub type StoreOpener<'a> = &'a dyn Fn(StoreKind) -> Result<Box<dyn CredentialStore>, StoreError>;

/// `status`: the report on stdout (or as the envelope's `result`), its warnings in the
/// envelope.
pub fn run(ctx: &Context, warnings: &mut Vec<String>) -> CommandResult {
    let index_path = ctx.index_path()?;
    let open = |kind| (ctx.stores)(kind, DEFAULT_TIMEOUT);
    let mut report = run_status(&index_path, Some(&open))?;
    report.drafts = draft::list(&draft::drafts_dir(&index_path))
        .into_iter()
        .map(|d| PendingDraft {
            profile: d.profile,
            saved_at: d.saved_at,
        })
        .collect();
    written(ctx.printer.result_with(|out| report.write_human(out)))?;
    warnings.extend(report.warnings());
    let value = to_value(&report)?;
    match report.exit_error() {
        Some(error) => Err(super::Failure {
            error,
            partial: Some(value),
        }),
        None => Ok(value),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Present,
    Missing,
    Unreadable,
    NotLookedUp,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProfileStatus {
    pub profile: String,
    pub login_host: String,
    pub store: StoreKind,
    pub store_description: &'static str,
    pub stored_at: String,
    pub last_verified: Option<String>,
    pub checked: bool,
    /// The consumer key, masked.
    pub key_hint: Option<String>,
    /// What the last `verify` found.
    pub last_check: Option<LastCheck>,
    pub entry: EntryState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_problem: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StatusReport {
    pub index_path: String,
    pub profiles: Vec<ProfileStatus>,
    /// Profiles with answers saved by a failed or cancelled check, not yet stored.
    pub drafts: Vec<PendingDraft>,
}

/// A profile's saved answers, waiting for `init --resume`.
#[derive(Clone, Debug, Serialize)]
pub struct PendingDraft {
    pub profile: String,
    pub saved_at: String,
}

impl StatusReport {
    /// Lines for the envelope's `warnings` (and the human report's footer).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in &self.profiles {
            if !p.checked {
                out.push(format!(
                    "profile `{}` was stored WITHOUT the OAuth proof (--skip-check); run `sf-webex-setup init --verify --login --profile {}`",
                    p.profile, p.profile
                ));
            }
            match p.entry {
                EntryState::Missing => out.push(format!(
                    "profile `{}` is listed but its entry is missing from the {} store; run `sf-webex-setup init --profile {} --force`",
                    p.profile, p.store, p.profile
                )),
                EntryState::Unreadable => out.push(format!(
                    "profile `{}`: {}",
                    p.profile,
                    p.entry_problem.as_deref().unwrap_or("the entry could not be read")
                )),
                EntryState::Present | EntryState::NotLookedUp => {}
            }
        }
        out
    }

    pub fn write_human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.profiles.is_empty() {
            writeln!(out, "No profiles stored yet (index: {}).", self.index_path)?;
            if self.drafts.is_empty() {
                writeln!(
                    out,
                    "Run `sf-webex-setup init` to prove and store the Webex app's credentials."
                )?;
            }
        } else {
            writeln!(out, "Profiles (index: {}):", self.index_path)?;
        }
        for p in &self.profiles {
            p.write_human(out)?;
        }
        for d in &self.drafts {
            writeln!(out)?;
            writeln!(
                out,
                "{}  answers saved {}, not stored yet: run `sf-webex-setup init --resume --profile {}`",
                d.profile, d.saved_at, d.profile
            )?;
        }
        let warnings = self.warnings();
        if !warnings.is_empty() {
            writeln!(out)?;
            for w in warnings {
                writeln!(out, "warning: {w}")?;
            }
        }
        Ok(())
    }

    /// Exit 3 when a profile failed its last `verify` (as `gh auth status` does), naming it.
    pub fn exit_error(&self) -> Option<AppError> {
        let failed: Vec<&str> = self
            .profiles
            .iter()
            .filter(|p| p.last_check.as_ref().is_some_and(|c| !c.passed))
            .map(|p| p.profile.as_str())
            .collect();
        let first = failed.first()?;
        Some(
            AppError::new(
                ErrorCode::ProfileFailed,
                format!(
                    "{} profile(s) failed their last check: {}.",
                    failed.len(),
                    failed.join(", ")
                ),
            )
            .with_fix(format!(
                "run `sf-webex-setup verify --profile {first}` to see why"
            )),
        )
    }
}

impl ProfileStatus {
    fn write_human(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out)?;
        writeln!(out, "{}  {}", self.profile, self.login_host)?;
        let entry = match self.entry {
            EntryState::Present => " (entry present)",
            EntryState::Missing => " (entry MISSING)",
            EntryState::Unreadable => " (entry unreadable)",
            EntryState::NotLookedUp => "",
        };
        writeln!(out, "  store:          {}{entry}", self.store_description)?;
        if let Some(key) = &self.key_hint {
            writeln!(out, "  consumer key:   {key}")?;
        }
        writeln!(out, "  stored:         {}", self.stored_at)?;
        let health = match &self.last_check {
            None => "not checked since it was stored".to_string(),
            Some(c) if c.passed => format!("✓ passed {}", c.at),
            Some(c) => format!("✗ FAILED {} ({})", c.at, c.failed.join(", ")),
        };
        writeln!(out, "  last check:     {health}")?;
        writeln!(
            out,
            "  last verified:  {}",
            self.last_verified
                .as_deref()
                .unwrap_or("never (with a login)")
        )?;
        let checked = if self.checked {
            "yes (the OAuth proof passed before storing)"
        } else {
            "NO: stored WITHOUT the OAuth proof (--skip-check)"
        };
        writeln!(out, "  checked:        {checked}")
    }
}

/// Builds the report from the index at `index_path`; with `opener`, looks each entry up.
pub fn run_status(
    index_path: &Path,
    opener: Option<StoreOpener<'_>>,
) -> Result<StatusReport, AppError> {
    let index = ProfileIndex::load(index_path)?;
    let mut stores: HashMap<StoreKind, Result<Box<dyn CredentialStore>, StoreError>> =
        HashMap::new();
    let mut profiles = Vec::with_capacity(index.profiles.len());
    for rec in index.profiles {
        let (entry, entry_problem) = match opener {
            None => (EntryState::NotLookedUp, None),
            Some(open) => {
                let store = stores.entry(rec.store).or_insert_with(|| open(rec.store));
                match store.as_ref().map(|s| s.exists(&rec.profile)) {
                    Ok(Ok(true)) => (EntryState::Present, None),
                    Ok(Ok(false)) => (EntryState::Missing, None),
                    Ok(Err(e)) => (EntryState::Unreadable, Some(describe(&e))),
                    Err(e) => (EntryState::Unreadable, Some(describe(e))),
                }
            }
        };
        profiles.push(ProfileStatus {
            store_description: rec.store.describe(),
            profile: rec.profile,
            login_host: rec.login_host,
            store: rec.store,
            stored_at: rec.stored_at,
            last_verified: rec.last_verified,
            checked: rec.checked,
            key_hint: rec.key_hint,
            last_check: rec.last_check,
            entry,
            entry_problem,
        });
    }
    Ok(StatusReport {
        index_path: index_path.display().to_string(),
        profiles,
        drafts: Vec::new(),
    })
}

/// One line: what went wrong and the fix.
fn describe(e: &StoreError) -> String {
    match e.fix() {
        Some(fix) => format!("{e} (try: {fix})"),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryStore;
    use crate::store::{save_and_index, Overwrite, StoredApp, STORED_APP_VERSION};
    use secrecy::SecretString;
    use std::sync::Arc;

    fn app(checked: bool) -> StoredApp {
        StoredApp {
            consumer_key: "k".into(),
            consumer_secret: SecretString::from("s3cr3t".to_string()),
            login_url: "https://acme--uat.sandbox.my.salesforce.com".into(),
            callback_urls: vec![],
            api_name: "Webex".into(),
            stored_at: "2026-11-28T12:00:00Z".into(),
            last_verified: None,
            checked,
            version: STORED_APP_VERSION,
        }
    }

    #[test]
    fn status_lists_each_profile_with_its_store_and_says_when_it_was_not_checked() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        let store = MemoryStore::new(StoreKind::SecretService);
        save_and_index(&store, &index, "prod", &app(true), Overwrite::Refuse).unwrap();
        save_and_index(&store, &index, "uat", &app(false), Overwrite::Refuse).unwrap();
        store.delete("prod").unwrap();
        let open = |_k: StoreKind| -> Result<Box<dyn CredentialStore>, StoreError> {
            let s = MemoryStore::new(StoreKind::SecretService);
            s.save("uat", &app(false))?;
            Ok(Box::new(s))
        };
        let mut out = Vec::new();
        let report = run_status(&index, Some(&open)).unwrap();
        report.write_human(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("acme--uat.sandbox.my.salesforce.com"),
            "{text}"
        );
        assert!(
            text.contains("NO: stored WITHOUT the OAuth proof (--skip-check)"),
            "{text}"
        );
        assert!(
            text.contains("Secret Service (GNOME Keyring / KWallet) over D-Bus (entry MISSING)"),
            "{text}"
        );
        assert!(!text.contains("s3cr3t"));
        assert_eq!(report.profiles[0].entry, EntryState::Missing);
        assert_eq!(report.profiles[1].entry, EntryState::Present);
        assert_eq!(report.warnings().len(), 2, "{:?}", report.warnings());
    }

    /// Counts reads of the document; presence comes from [`MemoryStore::contains`].
    struct CountsReads {
        inner: MemoryStore,
        reads: std::sync::atomic::AtomicUsize,
    }

    /// An `Arc` so `run_status` can own what it opens while the test keeps the counter.
    impl CredentialStore for Arc<CountsReads> {
        fn kind(&self) -> StoreKind {
            self.inner.kind()
        }
        fn load(&self, profile: &str) -> Result<StoredApp, StoreError> {
            self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.inner.load(profile)
        }
        fn save(&self, profile: &str, app: &StoredApp) -> Result<(), StoreError> {
            self.inner.save(profile, app)
        }
        fn delete(&self, profile: &str) -> Result<(), StoreError> {
            self.inner.delete(profile)
        }
        fn exists(&self, profile: &str) -> Result<bool, StoreError> {
            Ok(self.inner.contains(profile))
        }
    }

    #[test]
    fn status_checks_presence_without_reading_any_secret() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        let store = Arc::new(CountsReads {
            inner: MemoryStore::new(StoreKind::SecretService),
            reads: Default::default(),
        });
        save_and_index(&store, &index, "prod", &app(true), Overwrite::Refuse).unwrap();
        save_and_index(&store, &index, "uat", &app(true), Overwrite::Refuse).unwrap();
        store.delete("uat").unwrap();
        let before = store.reads.load(std::sync::atomic::Ordering::SeqCst);
        let open = |_k: StoreKind| -> Result<Box<dyn CredentialStore>, StoreError> {
            Ok(Box::new(store.clone()))
        };
        let report = run_status(&index, Some(&open)).unwrap();
        let states: Vec<_> = report.profiles.iter().map(|p| p.entry).collect();
        assert_eq!(states, [EntryState::Present, EntryState::Missing]);
        assert_eq!(
            store.reads.load(std::sync::atomic::Ordering::SeqCst),
            before,
            "status read a stored document (and its secret)"
        );
    }

    #[test]
    fn the_report_serialises_the_documented_fields() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        save_and_index(
            &MemoryStore::new(StoreKind::Keyutils),
            &index,
            "default",
            &app(true),
            Overwrite::Refuse,
        )
        .unwrap();
        let report = run_status(&index, None).unwrap();
        let value = serde_json::to_value(&report).unwrap();
        let p = &value["profiles"][0];
        assert_eq!(p["store"], "keyutils");
        assert_eq!(p["entry"], "not_looked_up");
        assert_eq!(p["checked"], true);
        assert!(p["store_description"]
            .as_str()
            .unwrap()
            .contains("until reboot"));
    }

    #[test]
    fn an_empty_index_tells_how_to_create_a_profile() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        let report = run_status(&dir.path().join("none.json"), None).unwrap();
        report.write_human(&mut out).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("sf-webex-setup init"));
    }
}
