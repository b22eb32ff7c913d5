//! Storing the proved credentials as one keyring entry. Settled before the wizard runs
//! ([`prepare`]: the profile name, the store being reachable, whether an entry would be
//! replaced) so that a store problem shows up before a five-minute sign-in, not after it;
//! written at the very end ([`store`]).

use std::path::PathBuf;
use std::time::Duration;

use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::cancel;
use crate::commands::Context;
use crate::error::{AppError, ErrorCode};
use crate::prompt::Question;
use crate::setup::AppSetup;
use crate::store::{
    lock, now_rfc3339, retry_while_locked, save_and_index, validate_profile_name, CredentialStore,
    Overwrite, StoreError, StoreKind, StoredApp, DEFAULT_TIMEOUT,
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
    /// Held until the run ends: no other run sets up this profile meanwhile, so the
    /// "is it stored already?" answer stays true until the write.
    _lock: lock::Held,
}

/// Runs `op` on a freshly opened store; interactively, a locked keyring is waited for.
fn with_store<T>(
    ctx: &Context,
    kind: StoreKind,
    mut op: impl FnMut(&dyn CredentialStore) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let (wait, per_call) = if ctx.globals.interactive {
        (UNLOCK_WAIT, UNLOCK_WAIT)
    } else {
        (Duration::ZERO, DEFAULT_TIMEOUT)
    };
    retry_while_locked(
        wait,
        Duration::from_millis(500),
        |e| {
            ctx.printer.status(&format!(
                "{e}\n  Waiting up to {} s for the keyring to be unlocked…",
                UNLOCK_WAIT.as_secs()
            ))
        },
        || op((ctx.stores)(kind, per_call)?.as_ref()),
    )
}

/// Checks the profile name, reaches the store and, if the profile exists, asks now whether
/// to replace it (`force` answers yes; non-interactively without it the run stops here).
pub fn prepare(ctx: &mut Context, force: bool) -> Result<StoreTarget, AppError> {
    let profile = ctx.globals.profile.clone();
    validate_profile_name(&profile)?;
    let kind = ctx.store_kind()?;
    let index_path = ctx.index_path()?;
    let held = lock::profile(&index_path, &profile)?;
    let exists = with_store(ctx, kind, |store| match store.load(&profile) {
        Ok(_) | Err(StoreError::Corrupt { .. }) => Ok(true),
        Err(StoreError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    })?;
    // A search can succeed where a write will not (a locked Secret Service finds nothing;
    // keyutils without a session keyring too): prove the store takes a write now.
    with_store(ctx, kind, |store| probe_write(store, &profile))?;
    let overwrite = if !exists || force {
        Overwrite::Confirmed
    } else if ctx.prompter.is_interactive() {
        confirm_replace(ctx, &profile, kind)?
    } else {
        return Err(StoreError::Exists {
            profile: profile.clone(),
            store: kind,
        }
        .into());
    };
    Ok(StoreTarget {
        kind,
        profile,
        index_path,
        overwrite,
        _lock: held,
    })
}

/// Writes, reads back and deletes a throw-away entry beside `profile`'s.
fn probe_write(store: &dyn CredentialStore, profile: &str) -> Result<(), StoreError> {
    let name = format!("{profile}.write-check");
    let probe = StoredApp {
        consumer_key: "write-check".into(),
        consumer_secret: String::from("not a secret").into(),
        login_url: String::new(),
        callback_urls: Vec::new(),
        api_name: String::new(),
        stored_at: now_rfc3339(),
        last_verified: None,
        checked: false,
        version: crate::store::STORED_APP_VERSION,
    };
    store.save(&name, &probe)?;
    let back = store.load(&name);
    let deleted = store.delete(&name);
    back?;
    deleted
}

/// "Replace it once the new credentials are proved?" — no keeps it and ends the run.
fn confirm_replace(
    ctx: &mut Context,
    profile: &str,
    kind: StoreKind,
) -> Result<Overwrite, AppError> {
    let prompt = format!(
        "Profile `{profile}` is already stored in the {}. Replace it once the new credentials are proved?",
        kind.describe()
    );
    let q = Question {
        prompt: &prompt,
        flag: "--force",
        env: "",
    };
    match ctx.prompter.confirm(&q, false) {
        Ok(true) => Ok(Overwrite::Confirmed),
        Ok(false) => Err(AppError::new(
            ErrorCode::StoreEntryExists,
            format!(
                "Profile `{profile}` is already stored and was kept as it was; nothing was done."
            ),
        )
        .with_fix("use another profile (--profile NAME), or run again and confirm (--force)")),
        Err(_) => Err(AppError::cancelled()),
    }
}

/// Writes the entry (and its index line) and returns the `stored` object of the result.
/// `checked`: the OAuth proof passed (false with `--skip-check`, recorded in the entry).
pub fn store(
    ctx: &Context,
    setup: &AppSetup,
    target: &StoreTarget,
    checked: bool,
) -> Result<Value, AppError> {
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
        with_store(ctx, target.kind, |store| {
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
