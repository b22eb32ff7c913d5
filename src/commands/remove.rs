//! `remove [--profile P] [--store S] [--force]`: deletes a profile's credentials from its
//! store and its line from the profile index, after a confirmation.
//!
//! The store is the one given with `--store`, else the one the index records, else the
//! default. A missing entry is an error (exit 4) that says so; a stale index line for it is
//! still removed, and the message says that too.
//!
//! # JSON (`result` of the envelope)
//! `{"profile":"default","store":"secret-service","entry_deleted":true,"index_line_removed":true}`

use std::path::Path;

use serde::Serialize;

use super::context::open_existing;
use super::status::StoreOpener;
use super::{to_value, CommandResult, Context};
use crate::cancel;
use crate::error::{AppError, ErrorCode};
use crate::prompt::{Prompter, Question};
use crate::store::{validate_profile_name, ProfileIndex, StoreError, StoreKind, DEFAULT_TIMEOUT};

/// `remove`: asks first (a person), or needs `--force`. A profile that is not stored is
/// said so before anything is asked; declining is a cancellation (exit 130).
pub fn run(ctx: &mut Context, force: bool) -> CommandResult {
    cancel::set_message("Cancelled; nothing was removed.");
    let index_path = ctx.index_path()?;
    let profile = ctx.globals.profile.clone();
    let open = |kind| (ctx.stores)(kind, DEFAULT_TIMEOUT);
    let interactive = ctx.prompter.is_interactive();
    let prompter = &mut ctx.prompter;
    let confirm = |kind: StoreKind| {
        if force || !interactive {
            return Ok(force);
        }
        confirm(prompter.as_mut(), &profile, kind)
    };
    let report = run_remove(&profile, ctx.globals.store, confirm, &index_path, &open)?;
    ctx.printer.result(&format!(
        "Removed profile `{profile}`: deleted its entry from the {} store{}.",
        report.store.describe(),
        if report.index_line_removed {
            " and its line in the profile index"
        } else {
            ""
        }
    ));
    Ok(to_value(&report)?)
}

/// "Delete …?": yes goes on; no, Esc or Ctrl-C is a cancellation.
fn confirm(prompter: &mut dyn Prompter, profile: &str, kind: StoreKind) -> Result<bool, AppError> {
    let q = Question {
        prompt: &format!(
            "Delete the stored credentials of profile `{profile}` from the {kind} store?"
        ),
        flag: "--force",
        env: "",
    };
    match prompter.confirm(&q, false) {
        Ok(true) => Ok(true),
        Ok(false) | Err(_) => Err(AppError::new(
            ErrorCode::Cancelled,
            "Cancelled; nothing was removed.",
        )),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemoveReport {
    pub profile: String,
    pub store: StoreKind,
    pub entry_deleted: bool,
    pub index_line_removed: bool,
}

/// Removes `profile`. `confirm` is asked (with the store) only once the entry is known to
/// exist: `Ok(false)` leaves everything as it was (exit 2, "pass --force"); a missing entry
/// is exit 4 without asking, and a stale index line for it is dropped.
pub fn run_remove(
    profile: &str,
    store_flag: Option<StoreKind>,
    confirm: impl FnOnce(StoreKind) -> Result<bool, AppError>,
    index_path: &Path,
    opener: StoreOpener<'_>,
) -> Result<RemoveReport, AppError> {
    validate_profile_name(profile)?;
    let index = ProfileIndex::load(index_path)?;
    let store = open_existing(profile, store_flag, &index, opener)?;
    let kind = store.kind();
    if !store.exists(profile)? {
        return Err(not_stored(profile, kind, index_path));
    }
    if !confirm(kind)? {
        return Err(AppError::new(ErrorCode::RemoveNotConfirmed,
            format!(
                "Removing profile `{profile}` deletes its credentials from the {kind} store; it was not confirmed, so nothing was removed."
            ),
        )
        .with_fix("answer yes at the prompt, or pass --force when running without a terminal"));
    }
    let entry_deleted = match store.delete(profile) {
        Ok(()) => true,
        Err(StoreError::NotFound { .. }) => false,
        Err(e) => return Err(e.into()),
    };
    if !entry_deleted {
        return Err(not_stored(profile, kind, index_path));
    }
    let index_line_removed =
        ProfileIndex::update(index_path, |index| index.remove(profile).is_some())?;
    Ok(RemoveReport {
        profile: profile.to_string(),
        store: kind,
        entry_deleted,
        index_line_removed,
    })
}

/// Nothing stored for `profile` in `kind`: exit 4, after dropping a stale index line.
fn not_stored(profile: &str, kind: StoreKind, index_path: &Path) -> AppError {
    let mut err = AppError::from(StoreError::NotFound {
        profile: profile.to_string(),
        store: kind,
    });
    match ProfileIndex::update(index_path, |index| index.remove(profile).is_some()) {
        Ok(true) => err.message.push_str(&format!(
            "; its stale line in the profile index {} was removed",
            index_path.display()
        )),
        Ok(false) => {}
        Err(e) => return e.into(),
    }
    err.fix = Some(match kind.alternative() {
        Some(other) => format!(
            "nothing to remove in the {kind} store; if the profile was stored in the other store, pass --store {}",
            other.flag_value()
        ),
        None => format!("nothing to remove in the {kind} store"),
    });
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryStore;
    use crate::store::{save_and_index, CredentialStore, Overwrite, StoredApp, STORED_APP_VERSION};
    use secrecy::SecretString;
    use std::sync::Arc;

    fn app() -> StoredApp {
        StoredApp {
            consumer_key: "k".into(),
            consumer_secret: SecretString::from("s".to_string()),
            login_url: "https://login.salesforce.com".into(),
            callback_urls: vec![],
            api_name: "Webex".into(),
            stored_at: "2026-11-28T12:00:00Z".into(),
            last_verified: None,
            checked: true,
            version: STORED_APP_VERSION,
        }
    }

    #[test]
    fn remove_deletes_the_entry_and_the_index_line_using_the_indexed_store() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        let mem = Arc::new(MemoryStore::new(StoreKind::Keyutils));
        save_and_index(&mem.clone(), &index, "prod", &app(), Overwrite::Refuse).unwrap();
        let asked = std::cell::Cell::new(None);
        let open = |k: StoreKind| -> Result<Box<dyn CredentialStore>, StoreError> {
            asked.set(Some(k));
            Ok(Box::new(mem.clone()))
        };
        let report = run_remove("prod", None, |_| Ok(true), &index, &open).unwrap();
        assert_eq!(asked.get(), Some(StoreKind::Keyutils));
        assert!(report.entry_deleted && report.index_line_removed);
        assert!(!mem.contains("prod"));
        assert!(ProfileIndex::load(&index).unwrap().profiles.is_empty());
        assert_eq!(report.store, StoreKind::Keyutils);
    }

    #[test]
    fn removing_without_confirmation_touches_nothing_and_exits_2() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        let mem = Arc::new(MemoryStore::new(StoreKind::SecretService));
        save_and_index(&mem.clone(), &index, "prod", &app(), Overwrite::Refuse).unwrap();
        let open = |_k: StoreKind| -> Result<Box<dyn CredentialStore>, StoreError> {
            Ok(Box::new(mem.clone()))
        };
        let err = run_remove("prod", None, |_| Ok(false), &index, &open).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.fix.unwrap().contains("--force"));
        assert!(mem.contains("prod"));
    }

    #[test]
    fn removing_a_missing_entry_exits_4_and_drops_the_stale_index_line() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("profiles.json");
        save_and_index(
            &MemoryStore::new(StoreKind::SecretService),
            &index,
            "gone",
            &app(),
            Overwrite::Refuse,
        )
        .unwrap();
        let open = |_k: StoreKind| -> Result<Box<dyn CredentialStore>, StoreError> {
            Ok(Box::new(MemoryStore::new(StoreKind::SecretService)))
        };
        let err = run_remove(
            "gone",
            None,
            |_| panic!("asked to confirm a missing profile"),
            &index,
            &open,
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert_eq!(err.code, ErrorCode::StoreEntryNotFound);
        assert!(
            err.message.contains("Secret Service") && err.message.contains("stale line"),
            "{}",
            err.message
        );
        assert!(err.fix.unwrap().contains("--store keyutils"));
        assert!(ProfileIndex::load(&index).unwrap().profiles.is_empty());
    }
}
