//! Storing the proved credentials as one keyring entry. Settled before the wizard runs
//! ([`prepare`]: the profile name, the store being reachable, whether an entry would be
//! replaced) so that a store problem shows up before a five-minute sign-in, not after it;
//! written at the very end ([`store`]).

use std::path::PathBuf;
use std::time::Duration;

use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::cancel;
use crate::error::{AppError, ExitKind};
use crate::prompt::{Prompter, Question};
use crate::setup::AppSetup;
use crate::store::{
    index::ProfileIndex, now_rfc3339, open_store, retry_while_locked, save_and_index,
    validate_profile_name, CredentialStore, Overwrite, StoreError, StoreKind, StoredApp,
    DEFAULT_TIMEOUT,
};

/// How long an interactive run waits for the admin to unlock a locked keyring (a desktop
/// unlock prompt blocks the call until it is answered, so each call may take that long).
const UNLOCK_WAIT: Duration = Duration::from_secs(60);

/// Where the credentials will go, settled before the wizard.
pub struct StoreTarget {
    pub kind: StoreKind,
    pub profile: String,
    index_path: PathBuf,
    overwrite: Overwrite,
    interactive: bool,
}

/// Runs `op` on a freshly opened store; interactively, a locked keyring is waited for.
fn with_store<T>(
    kind: StoreKind,
    interactive: bool,
    mut op: impl FnMut(&dyn CredentialStore) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let (wait, per_call) = if interactive {
        (UNLOCK_WAIT, UNLOCK_WAIT)
    } else {
        (Duration::ZERO, DEFAULT_TIMEOUT)
    };
    retry_while_locked(
        wait,
        Duration::from_millis(500),
        |e| {
            eprintln!(
                "{e}\n  Waiting up to {} s for the keyring to be unlocked…",
                UNLOCK_WAIT.as_secs()
            )
        },
        || op(open_store(kind, per_call)?.as_ref()),
    )
}

/// Checks the profile name, reaches the store and, if the profile exists, asks now whether
/// to replace it (`force` answers yes; non-interactively without it the run stops here).
pub fn prepare(
    p: &mut dyn Prompter,
    kind: StoreKind,
    profile: &str,
    force: bool,
) -> Result<StoreTarget, AppError> {
    validate_profile_name(profile)?;
    let index_path = ProfileIndex::default_path()?;
    let interactive = p.is_interactive();
    let exists = with_store(kind, interactive, |store| match store.load(profile) {
        Ok(_) | Err(StoreError::Corrupt { .. }) => Ok(true),
        Err(StoreError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    })?;
    let overwrite = if !exists || force {
        Overwrite::Confirmed
    } else if interactive {
        let prompt = format!(
            "Profile `{profile}` is already stored in the {}. Replace it once the new credentials are proved?",
            kind.describe()
        );
        let q = Question {
            prompt: &prompt,
            flag: "--force",
            env: "",
        };
        match p.confirm(&q, false) {
            Ok(true) => Overwrite::Confirmed,
            Ok(false) => {
                return Err(AppError::new(
                    ExitKind::Store,
                    "store_entry_exists",
                    format!("Profile `{profile}` is already stored and was kept as it was; nothing was done."),
                )
                .with_fix("use another profile (--profile NAME), or run again and confirm (--force)"))
            }
            Err(_) => return Err(AppError::cancelled()),
        }
    } else {
        return Err(StoreError::Exists {
            profile: profile.to_string(),
            store: kind,
        }
        .into());
    };
    Ok(StoreTarget {
        kind,
        profile: profile.to_string(),
        index_path,
        overwrite,
        interactive,
    })
}

/// Writes the entry (and its index line) and returns the `stored` object of the result.
/// `checked`: the OAuth proof passed (false with `--skip-check`, recorded in the entry).
pub fn store(setup: &AppSetup, target: &StoreTarget, checked: bool) -> Result<Value, AppError> {
    let now = now_rfc3339();
    let app = StoredApp {
        consumer_key: setup.credentials.consumer_key.clone(),
        consumer_secret: setup
            .credentials
            .consumer_secret
            .expose_secret()
            .to_string()
            .into(),
        login_url: setup.login.origin(),
        callback_urls: setup.callback_urls.clone(),
        api_name: setup.api_name.clone(),
        stored_at: now.clone(),
        last_verified: checked.then(|| now.clone()),
        checked,
        version: crate::store::STORED_APP_VERSION,
    };
    let stored = format!(
        "profile `{}` was stored in the {}",
        target.profile,
        target.kind.describe()
    );
    let outcome = {
        // A Ctrl-C now waits for the write, then says it happened.
        let _hold = cancel::hold(format!("Cancelled after the write finished: {stored}."));
        with_store(target.kind, target.interactive, |store| {
            save_and_index(
                store,
                &target.index_path,
                &target.profile,
                &app,
                target.overwrite,
            )
        })?
    };
    cancel::set_message(format!("Cancelled; {stored}."));
    Ok(json!({
        "profile": target.profile,
        "store": target.kind.flag_value(),
        "store_description": target.kind.describe(),
        "outcome": outcome,
        "checked": checked,
        "stored_at": now,
    }))
}
